import { sql } from 'kysely';
import type { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/database.ts';
import { databaseAtMigration, type DatabaseAtMigration } from '../support/migrated-scratch-database.ts';

// Migration 0021 on an instance that already has organisers and campaigns: each organiser gets an organisation of
// their own, as its owner, and their campaigns move into it, keeping who created them.
describe('migration 0021: organisations for the organisers already there', () => {
  let database: DatabaseAtMigration;
  let db: Db;
  let migrator: Migrator;

  beforeAll(async () => {
    database = await databaseAtMigration('chorus_orgs', '0014_supporters_privacy');
    ({ db, migrator } = database);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('creates one organisation per organiser, makes them its owner, and moves their campaigns into it', async () => {
    const organisers = await sql<{ id: string; name: string }>`
      insert into organisers (email, name, password_hash) values
        ('a@example.org', 'Skills for Health', 'x'), ('b@example.org', 'Unison branch', 'x'), ('c@example.org', 'No campaigns', 'x')
      returning id, name`.execute(db);
    const [a, b] = organisers.rows;
    for (const [organiser, slug] of [
      [a, 'first'],
      [a, 'second'],
      [b, 'third'],
    ] as const)
      await sql`insert into campaigns (organiser_id, slug, title, link, message, goal, launch_at, time_zone, networks)
        values (${organiser?.id}, ${slug}, 'T', 'https://example.org', 'M https://example.org', 3, now() + interval '1 day', 'UTC', '{x}')`.execute(
        db,
      );

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();

    const members = await db
      .selectFrom('organisation_members as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select(['m.organiser_id', 'm.role', 'o.name', 'o.id'])
      .execute();
    expect(members).toHaveLength(3);
    for (const organiser of organisers.rows)
      expect(members.find((m) => m.organiser_id === organiser.id)).toMatchObject({ role: 'owner', name: organiser.name });
    const campaigns = await db.selectFrom('campaigns').select(['slug', 'organiser_id', 'organisation_id']).orderBy('slug').execute();
    const organisationOf = (id: string | undefined) => members.find((m) => m.organiser_id === id)?.id;
    expect(campaigns).toEqual([
      { slug: 'first', organiser_id: a?.id, organisation_id: organisationOf(a?.id) },
      { slug: 'second', organiser_id: a?.id, organisation_id: organisationOf(a?.id) },
      { slug: 'third', organiser_id: b?.id, organisation_id: organisationOf(b?.id) },
    ]);
    // A campaign cannot be left without an organisation.
    await expect(sql`update campaigns set organisation_id = null`.execute(db)).rejects.toThrow(/null/);
  });
});
