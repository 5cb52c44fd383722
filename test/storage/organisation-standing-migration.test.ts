import { sql } from 'kysely';
import type { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/database.ts';
import { databaseAtMigration, type DatabaseAtMigration } from '../support/migrated-scratch-database.ts';

// Migration 0023 on an instance whose operators trusted some accounts: trust moves to the organisations those
// accounts own (not those they only edit in), and back to the owners when it is undone.
describe('migration 0023: trust moves from the organisers to their organisations', () => {
  let database: DatabaseAtMigration;
  let db: Db;
  let migrator: Migrator;

  beforeAll(async () => {
    database = await databaseAtMigration('chorus_org_standing', '0022_supporter_mail');
    ({ db, migrator } = database);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('trusts each organisation one of whose owners was trusted, drops the account column, and undoes it', async () => {
    const organisers = await sql<{ id: string; email: string }>`
      insert into organisers (email, name, password_hash, trusted) values
        ('owner@example.org', 'Trusted owner', 'x', true), ('editor@example.org', 'Trusted editor', 'x', true),
        ('plain@example.org', 'Plain', 'x', false)
      returning id, email`.execute(db);
    const [owner, editor, plain] = organisers.rows;
    const organisations = await sql<{ id: string; name: string }>`
      insert into organisations (name) values ('Owned by the trusted'), ('Edited by the trusted'), ('Nobody trusted')
      returning id, name`.execute(db);
    const [owned, edited, untrusted] = organisations.rows;
    for (const [organisation, organiser, role] of [
      [owned, owner, 'owner'],
      [owned, plain, 'editor'],
      [edited, plain, 'owner'],
      [edited, editor, 'editor'],
      [untrusted, plain, 'owner'],
    ] as const)
      await sql`insert into organisation_members (organisation_id, organiser_id, role)
        values (${organisation?.id}, ${organiser?.id}, ${role})`.execute(db);

    expect((await migrator.migrateTo('0023_organisation_standing')).error).toBeUndefined();
    const after = await db.selectFrom('organisations').select(['name', 'trusted', 'standing']).orderBy('name').execute();
    expect(after).toEqual([
      { name: 'Edited by the trusted', trusted: false, standing: 'active' },
      { name: 'Nobody trusted', trusted: false, standing: 'active' },
      { name: 'Owned by the trusted', trusted: true, standing: 'active' },
    ]);
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_name = 'organisers' and column_name = 'trusted'`.execute(db);
    expect(columns.rows).toEqual([]);

    expect((await migrator.migrateTo('0022_supporter_mail')).error).toBeUndefined();
    const back = await sql<{ email: string; trusted: boolean }>`select email, trusted from organisers order by email`.execute(db);
    expect(back.rows).toEqual([
      { email: 'editor@example.org', trusted: false },
      { email: 'owner@example.org', trusted: true },
      { email: 'plain@example.org', trusted: false },
    ]);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
