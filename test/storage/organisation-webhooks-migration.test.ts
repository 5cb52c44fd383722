import { sql } from 'kysely';
import type { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/database.ts';
import { databaseAtMigration, type DatabaseAtMigration } from '../support/migrated-scratch-database.ts';

// Migration 0024 on an instance whose organisers already have webhook endpoints: each endpoint moves into one
// organisation of its organiser's (one they own first, then the one holding most of their campaigns, then the one
// they joined first), keeps who made it, and its events follow (docs/webhooks.md, "Who owns an endpoint").
describe('migration 0024: webhook endpoints move into an organisation', () => {
  let database: DatabaseAtMigration;
  let db: Db;
  let migrator: Migrator;

  beforeAll(async () => {
    database = await databaseAtMigration('chorus_org_webhooks', '0022_supporter_mail');
    ({ db, migrator } = database);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('chooses an organisation the organiser owns, then the one with most of their campaigns, then the first joined; events follow', async () => {
    const organiser = async (email: string) =>
      (
        await sql<{
          id: string;
        }>`insert into organisers (email, name, password_hash) values (${email}, ${email}, 'x') returning id`.execute(db)
      ).rows[0]?.id ?? '';
    const organisation = async (name: string) =>
      (await sql<{ id: string }>`insert into organisations (name) values (${name}) returning id`.execute(db)).rows[0]?.id ?? '';
    const member = (organisationId: string, organiserId: string, role: string, joined: string) =>
      sql`insert into organisation_members (organisation_id, organiser_id, role, created_at)
        values (${organisationId}, ${organiserId}, ${role}, ${joined}::timestamptz)`.execute(db);
    const campaign = async (organiserId: string, organisationId: string, slug: string) =>
      (
        await sql<{
          id: string;
        }>`insert into campaigns (organiser_id, organisation_id, slug, title, link, message, goal, launch_at, time_zone, networks)
          values (${organiserId}, ${organisationId}, ${slug}, 'T', 'https://example.org', 'M https://example.org', 3,
                  now() + interval '1 day', 'UTC', '{x}') returning id`.execute(db)
      ).rows[0]?.id ?? '';
    const endpoint = async (organiserId: string, url: string) =>
      (
        await sql<{ id: string }>`insert into webhook_endpoints (organiser_id, url, events, key_id, secret)
          values (${organiserId}, ${url}, '{pledge.created}', 'k1', '\\x00'::bytea) returning id`.execute(db)
      ).rows[0]?.id ?? '';
    const event = async (organiserId: string, campaignId: string | null, key: string, endpointId?: string) => {
      const id =
        (
          await sql<{ id: string }>`insert into webhook_events (organiser_id, campaign_id, type, dedupe_key, payload)
            values (${organiserId}, ${campaignId}, 'pledge.created', ${key}, '{}'::jsonb) returning id`.execute(db)
        ).rows[0]?.id ?? '';
      if (endpointId !== undefined)
        await sql`insert into webhook_deliveries (event_id, endpoint_id) values (${id}, ${endpointId})`.execute(db);
      return id;
    };

    // Pat owns two organisations, their own (joined first, no campaigns) and a union branch with their campaigns.
    const pat = await organiser('pat@example.org');
    const [patOwn, branch] = [await organisation('Pat'), await organisation('Union branch')];
    await member(patOwn, pat, 'owner', '2026-01-01');
    await member(branch, pat, 'owner', '2026-02-01');
    const patCampaign = await campaign(pat, branch, 'pats');
    await campaign(pat, branch, 'pats-second');
    // Quinn owns their own and edits in the branch, where their campaign is: owning comes first.
    const quinn = await organiser('quinn@example.org');
    const quinnOwn = await organisation('Quinn');
    await member(quinnOwn, quinn, 'owner', '2026-01-02');
    await member(branch, quinn, 'editor', '2026-01-03');
    await campaign(quinn, branch, 'quinns');
    // Robin left their own organisation and only edits in the branch: the branch's owners get the endpoint.
    const robin = await organiser('robin@example.org');
    await member(branch, robin, 'editor', '2026-03-01');
    // Sam belongs to no organisation: nobody could manage the endpoint.
    const sam = await organiser('sam@example.org');

    const patEndpoint = await endpoint(pat, 'https://pat.example.org/hook');
    const quinnEndpoint = await endpoint(quinn, 'https://quinn.example.org/hook');
    const robinEndpoint = await endpoint(robin, 'https://robin.example.org/hook');
    const samEndpoint = await endpoint(sam, 'https://sam.example.org/hook');
    const patEvent = await event(pat, patCampaign, 'pledge.created:1', patEndpoint);
    const quinnTest = await event(quinn, null, 'test:1', quinnEndpoint);
    const orphan = await event(quinn, null, 'test:2');
    await event(sam, null, 'test:3', samEndpoint);

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();

    const endpoints = await db.selectFrom('webhook_endpoints').select(['id', 'organisation_id', 'created_by']).orderBy('url').execute();
    expect(endpoints).toEqual([
      { id: patEndpoint, organisation_id: branch, created_by: pat },
      { id: quinnEndpoint, organisation_id: quinnOwn, created_by: quinn },
      { id: robinEndpoint, organisation_id: branch, created_by: robin },
    ]);
    expect(endpoints.map((e) => e.id)).not.toContain(samEndpoint);
    const events = await db.selectFrom('webhook_events').select(['id', 'organisation_id']).orderBy('dedupe_key').execute();
    expect(events).toEqual([
      { id: patEvent, organisation_id: branch },
      { id: quinnTest, organisation_id: quinnOwn },
    ]);
    expect(events.map((e) => e.id)).not.toContain(orphan);

    // Who made it is kept for the audit trail, and forgotten (not the endpoint) when that organiser goes.
    await sql`delete from organisers where id = ${robin}`.execute(db);
    expect(
      await db.selectFrom('webhook_endpoints').select(['organisation_id', 'created_by']).where('id', '=', robinEndpoint).execute(),
    ).toEqual([{ organisation_id: branch, created_by: null }]);
    // An endpoint goes with its organisation.
    await sql`delete from organisations where id = ${quinnOwn}`.execute(db);
    expect(await db.selectFrom('webhook_endpoints').select('id').where('id', '=', quinnEndpoint).execute()).toEqual([]);
    await expect(sql`update webhook_endpoints set organisation_id = null`.execute(db)).rejects.toThrow(/null/);
  });
});
