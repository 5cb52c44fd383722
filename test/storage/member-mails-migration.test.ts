import { sql } from 'kysely';
import type { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/database.ts';
import { insertMember } from '../../src/storage/organisation.repository.ts';
import { writeGoalReachedMail } from '../../src/use-cases/mail/write-organiser-mails.ts';
import { databaseAtMigration, type DatabaseAtMigration } from '../support/migrated-scratch-database.ts';

// Migration 0025 on an instance whose outbox holds organisers' mails keyed once per event, sent to the creator: the
// keys get their recipient, and the events count as told, so the upgrade mails nobody about them again.
describe('migration 0025: organisers mails already written are not written again to anyone', () => {
  let database: DatabaseAtMigration;
  let db: Db;
  let migrator: Migrator;

  beforeAll(async () => {
    database = await databaseAtMigration('chorus_member_mails', '0022_supporter_mail');
    ({ db, migrator } = database);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('appends the recipient to each key, records the events as told, and writes no mail for them to the other members', async () => {
    const creator = await sql<{ id: string }>`
      insert into organisers (email, name, password_hash) values ('creator@example.org', 'Creator', 'x') returning id`.execute(db);
    const creatorId = creator.rows[0]?.id ?? '';
    const organisation = await sql<{ id: string }>`insert into organisations (name) values ('Team') returning id`.execute(db);
    const organisationId = organisation.rows[0]?.id ?? '';
    await sql`insert into organisation_members (organisation_id, organiser_id, role) values (${organisationId}, ${creatorId}, 'owner')`.execute(
      db,
    );
    const campaign = await sql<{ id: string }>`
      insert into campaigns (organiser_id, organisation_id, slug, title, link, message, goal, launch_at, time_zone, networks, state)
      values (${creatorId}, ${organisationId}, 'told', 'T', 'https://example.org', 'M https://example.org', 1,
        now() + interval '3 days', 'UTC', '{x}', 'collecting')
      returning id`.execute(db);
    const campaignId = campaign.rows[0]?.id ?? '';
    // Its supporters reached the goal, and the creator was told (and of held posts, for the key with a cause).
    await sql`insert into campaign_network_tallies (campaign_id, network, supporters, reach) values (${campaignId}, 'x', 1, 10)`.execute(
      db,
    );
    await sql`insert into mail_outbox (kind, recipient, dedupe_key, organiser_id, campaign_id, state, sent_at) values
      ('goal-reached', 'creator@example.org', ${`goal-reached:${campaignId}`}, ${creatorId}, ${campaignId}, 'sent', now()),
      ('delivery-trouble', 'creator@example.org', ${`delivery-trouble:held:${campaignId}`}, ${creatorId}, ${campaignId}, 'pending', null),
      ('test', 'someone@example.org', 'test:kept', null, null, 'pending', null)`.execute(db);

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();

    expect(await db.selectFrom('mail_outbox').select(['kind', 'dedupe_key']).orderBy('kind').execute()).toEqual([
      { kind: 'delivery-trouble', dedupe_key: `delivery-trouble:held:${campaignId}:${creatorId}` },
      { kind: 'goal-reached', dedupe_key: `goal-reached:${campaignId}:${creatorId}` },
      { kind: 'test', dedupe_key: 'test:kept' },
    ]);
    expect(await db.selectFrom('organiser_mail_events').select(['event', 'campaign_id']).orderBy('event').execute()).toEqual([
      { event: `delivery-trouble:held:${campaignId}`, campaign_id: campaignId },
      { event: `goal-reached:${campaignId}`, campaign_id: campaignId },
    ]);

    // An editor who joins after the upgrade is not told the old news, nor is the creator told it again.
    const editor = await sql<{ id: string }>`
      insert into organisers (email, name, password_hash) values ('editor@example.org', 'Editor', 'x') returning id`.execute(db);
    expect(await insertMember(db, organisationId, editor.rows[0]?.id ?? '', 'editor')).toBe(true);
    expect(await writeGoalReachedMail(db, campaignId)).toEqual({ kind: 'done', value: [] });
    expect(await db.selectFrom('mail_outbox').select('recipient').where('kind', '=', 'goal-reached').execute()).toEqual([
      { recipient: 'creator@example.org' },
    ]);
  });

  it('going back down keeps one mail per event, the creator’s, under the key without a recipient', async () => {
    const campaign = await db.selectFrom('campaigns').select(['id', 'organiser_id']).executeTakeFirstOrThrow();
    const editor = await db.selectFrom('organisers').select('id').where('email', '=', 'editor@example.org').executeTakeFirstOrThrow();
    // Going down keeps the creator's of the two, whatever the order of the rows' ids.
    await db
      .insertInto('mail_outbox')
      .values(
        [
          { id: editor.id, email: 'editor@example.org' },
          { id: campaign.organiser_id, email: 'creator@example.org' },
        ].map((to) => ({
          kind: 'launch-preflight',
          recipient: to.email,
          dedupe_key: `launch-preflight:${campaign.id}:${to.id}`,
          organiser_id: to.id,
          campaign_id: campaign.id,
          template_data: '{}',
        })),
      )
      .execute();

    expect((await migrator.migrateTo('0022_supporter_mail')).error).toBeUndefined();
    expect(await db.selectFrom('mail_outbox').select(['dedupe_key', 'recipient']).orderBy('dedupe_key').execute()).toEqual([
      { dedupe_key: `delivery-trouble:held:${campaign.id}`, recipient: 'creator@example.org' },
      { dedupe_key: `goal-reached:${campaign.id}`, recipient: 'creator@example.org' },
      { dedupe_key: `launch-preflight:${campaign.id}`, recipient: 'creator@example.org' },
      { dedupe_key: 'test:kept', recipient: 'someone@example.org' },
    ]);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
