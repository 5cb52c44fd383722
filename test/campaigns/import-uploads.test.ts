import { execFile } from 'node:child_process';
import { copyOfTemplate } from '../support/test-database.ts';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignState } from '../../src/domain/campaign-state.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { startTestChorus } from '../support/test-chorus.ts';
import { insertOrganisationWithOwner } from '../../src/storage/organisation.repository.ts';

const run = promisify(execFile);
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 a small WebP')]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// Images kept on an API host's disk before they moved into Postgres, as an operator upgrading has them.
describe('npm run images:import', () => {
  let scratch: { url: string; drop(): Promise<void> };
  let db: Db;
  let uploadDir: string;

  beforeAll(async () => {
    // Its own database (a copy of the migrated template): the command moves every campaign's file, not only this test's.
    scratch = await copyOfTemplate('chorus_import');
    db = createDatabase(scratch.url, { max: 2 });
    uploadDir = await mkdtemp(join(tmpdir(), 'chorus-uploads-'));
  });
  afterAll(async () => {
    await db.destroy();
    await scratch.drop();
    await rm(uploadDir, { recursive: true, force: true });
  });

  async function campaignNaming(file: string | null, state: CampaignState) {
    const organiser = await db
      .insertInto('organisers')
      .values({ email: `${randomBytes(4).toString('hex')}@example.org`, name: 'Skills for Health', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const organisation = await insertOrganisationWithOwner(db, 'Seeded organisation', organiser.id);
    return db
      .insertInto('campaigns')
      .values({
        organiser_id: organiser.id,
        organisation_id: organisation.id,
        slug: `heroes-${randomBytes(3).toString('hex')}`,
        title: 'Our Health Heroes',
        link: 'https://example.org/heroes',
        message: 'Thank you! https://example.org/heroes',
        goal: 3,
        launch_at: new Date(Date.now() + 3_600_000),
        time_zone: 'Europe/London',
        networks: ['x'],
        state,
        image_file: file,
        image_alt: 'Porters waving',
      })
      .returning(['id', 'slug'])
      .executeTakeFirstOrThrow();
  }

  async function importCommand(): Promise<string> {
    const { stdout } = await run('npm', ['run', '--silent', 'images:import', '--', uploadDir], {
      env: { ...process.env, DATABASE_URL: scratch.url },
    });
    return stdout;
  }

  const imageOf = (campaignId: string) =>
    db
      .selectFrom('campaigns')
      .leftJoin('campaign_images', 'campaign_images.campaign_id', 'campaigns.id')
      .select(['campaigns.image_file', 'campaign_images.sha256', 'campaign_images.content_type', 'campaign_images.bytes'])
      .where('campaigns.id', '=', campaignId)
      .executeTakeFirstOrThrow();

  it('moves the files campaigns name into Postgres, where any host serves them, and a second run moves nothing', async () => {
    const collecting = await campaignNaming('a.png', 'collecting');
    const launched = await campaignNaming('b.webp', 'launched');
    const missing = await campaignNaming('gone.png', 'collecting');
    const notAnImage = await campaignNaming('notes.png', 'collecting');
    const none = await campaignNaming(null, 'collecting');
    await writeFile(join(uploadDir, 'a.png'), png);
    await writeFile(join(uploadDir, 'b.webp'), webp);
    await writeFile(join(uploadDir, 'notes.png'), 'not an image');
    await writeFile(join(uploadDir, 'unreferenced.png'), png);

    expect(await importCommand()).toContain('2 imported, 1 missing, 1 not a usable image, 0 already replaced');
    expect(await imageOf(collecting.id)).toEqual({ image_file: null, sha256: sha256(png), content_type: 'image/png', bytes: png });
    expect(await imageOf(launched.id)).toEqual({ image_file: null, sha256: sha256(webp), content_type: 'image/webp', bytes: webp });
    expect(await imageOf(missing.id)).toEqual({ image_file: 'gone.png', sha256: null, content_type: null, bytes: null });
    expect(await imageOf(notAnImage.id)).toEqual({ image_file: 'notes.png', sha256: null, content_type: null, bytes: null });
    expect(await imageOf(none.id)).toEqual({ image_file: null, sha256: null, content_type: null, bytes: null });
    const stored = await db.selectFrom('campaign_images').select(['campaign_id', 'created_at']).orderBy('campaign_id').execute();
    expect(stored).toHaveLength(2);

    expect(await importCommand()).toContain('0 imported, 1 missing, 1 not a usable image, 0 already replaced');
    expect(await db.selectFrom('campaign_images').select(['campaign_id', 'created_at']).orderBy('campaign_id').execute()).toEqual(stored);

    const chorus = await startTestChorus({ env: { DATABASE_URL: scratch.url } });
    try {
      const page = await (await fetch(`${chorus.url}/c/${launched.slug}`)).text();
      const path = `/images/${sha256(webp)}.webp`;
      expect(page).toContain(`src="${chorus.url}${path}" alt="Porters waving"`);
      const image = await fetch(`${chorus.url}${path}`);
      expect(image.headers.get('content-type')).toBe('image/webp');
      expect(Buffer.from(await image.arrayBuffer()).equals(webp)).toBe(true);
    } finally {
      await chorus.close();
    }
    // Two npm processes and a whole Chorus: on a loaded machine sharing its cores with other files, past the default 30 s.
  }, 60_000);
});
