import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { addCampaignImageIfNone, clearImageFile, listImageFilesToImport } from '../../storage/campaign-image.repository.ts';
import type { Db } from '../../storage/database.ts';
import { campaignImageRow } from './campaign-image.ts';

/** What one run of `npm run images:import` did, campaign by campaign. */
export interface UploadImportCounts {
  /** Moved into Postgres. */
  readonly imported: number;
  /** The campaign names a file that is not in the folder; it is left as it is. */
  readonly missing: number;
  /** The file is not a PNG, JPEG or WebP image of at most 2 MB; it is left as it is. */
  readonly refused: number;
  /** The campaign got a new image meanwhile; the old file is forgotten. */
  readonly superseded: number;
}

/**
 * Moves the images campaigns still name as files under `uploadDir` (the old UPLOAD_DIR) into
 * Postgres. Each move is one transaction that also forgets the file name, so a second run finds
 * nothing left to do. The files stay on disk for the operator to remove.
 */
export async function importUploadedImages(db: Db, uploadDir: string): Promise<UploadImportCounts> {
  const counts = { imported: 0, missing: 0, refused: 0, superseded: 0 };
  for (const { id, image_file: file } of await listImageFilesToImport(db)) {
    // Chorus only ever stored bare names; anything else is not read.
    if (basename(file) !== file) {
      counts.refused += 1;
      continue;
    }
    const bytes = await readFile(join(uploadDir, file)).catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (bytes === undefined) {
      counts.missing += 1;
      continue;
    }
    const image = campaignImageRow(id, bytes);
    if (image.kind === 'refused') {
      counts.refused += 1;
      continue;
    }
    const imported = await db.transaction().execute(async (trx) => {
      // Clearing the name first locks the campaign row: an upload at the same moment waits, or has already won.
      if (!(await clearImageFile(trx, id, file))) return false;
      return addCampaignImageIfNone(trx, image.row);
    });
    if (imported) counts.imported += 1;
    else counts.superseded += 1;
  }
  return counts;
}
