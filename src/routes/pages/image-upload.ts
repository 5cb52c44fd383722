import { randomBytes } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MultipartFile } from '@fastify/multipart';
import { MAX_IMAGE_BYTES } from '../../plugins/external/multipart.ts';

/** The image types accepted, told apart by their first bytes, not by what the browser claims. */
const imageTypes = [
  { ext: 'png', matches: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: 'jpg', matches: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: 'webp',
    matches: (b: Buffer) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
] as const;

export type ImageUploadResult = { readonly kind: 'stored'; readonly file: string } | { readonly kind: 'refused'; readonly message: string };

/** Stores an uploaded campaign image under a name Chorus makes, after checking its size and type. */
export async function storeCampaignImage(
  uploadDir: string,
  campaignId: string,
  part: MultipartFile | undefined,
): Promise<ImageUploadResult> {
  if (part === undefined || part.filename === '') return { kind: 'refused', message: 'Choose an image file to upload.' };
  let bytes: Buffer;
  try {
    bytes = await part.toBuffer();
  } catch {
    return { kind: 'refused', message: `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB; make it smaller and try again.` };
  }
  const type = imageTypes.find((t) => t.matches(bytes));
  if (type === undefined) return { kind: 'refused', message: 'The file is not a PNG, JPEG or WebP image.' };
  const file = `${campaignId}-${randomBytes(6).toString('hex')}.${type.ext}`;
  await writeFile(join(uploadDir, file), bytes, { flag: 'wx' });
  return { kind: 'stored', file };
}

/** Removes a replaced image; a file already gone is fine. */
export async function removeCampaignImage(uploadDir: string, file: string | null): Promise<void> {
  if (file === null) return;
  await unlink(join(uploadDir, file)).catch(() => undefined);
}
