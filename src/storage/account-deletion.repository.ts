import { sql, type Transaction } from 'kysely';
import type { CampaignState } from '../domain/campaign-state.ts';
import type { OrganisationRole } from '../domain/organisation-role.ts';
import type { OrganisationStanding } from '../domain/organisation-standing.ts';
import type { Database, Db } from './database.ts';
import { deleteUnneededAccounts } from './supporter-erasure.repository.ts';

// Deleting an organiser's account (docs/organisations.md, "Deleting an account"): what the decision reads, and the
// deletes. The account's own rows (sessions, API tokens, second factor and recovery codes, mail settings, memberships,
// its organiser mails in the outbox) go by their foreign keys' ON DELETE CASCADE; the campaigns it created in
// organisations that stay keep their row, "created by" set to null (migration 0028). audit_entries has no foreign key.

/** One organisation the account is a member of, with what deciding its fate needs. */
export interface DeletingMembership {
  readonly organisation_id: string;
  readonly name: string;
  readonly standing: OrganisationStanding;
  readonly role: OrganisationRole;
  readonly members: number;
  readonly owners: number;
}

/** Every organisation the organiser is a member of, with its number of members and of owners. */
export function listDeletingMemberships(db: Db, organiserId: string): Promise<DeletingMembership[]> {
  return db
    .selectFrom('organisation_members as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select([
      'm.organisation_id',
      'o.name',
      'o.standing',
      'm.role',
      sql<number>`(select count(*)::int from organisation_members x where x.organisation_id = m.organisation_id)`.as('members'),
      sql<number>`(select count(*)::int from organisation_members x where x.organisation_id = m.organisation_id and x.role = 'owner')`.as(
        'owners',
      ),
    ])
    .where('m.organiser_id', '=', organiserId)
    .orderBy('o.name')
    .execute();
}

/** How many operator accounts the instance has. */
export async function countOperators(db: Db): Promise<number> {
  const row = await db
    .selectFrom('organisers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('role', '=', 'operator')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An organisation's campaigns, with their state. */
export function listOrganisationCampaignStates(db: Db, organisationId: string): Promise<{ id: string; state: CampaignState }[]> {
  return db.selectFrom('campaigns').select(['id', 'state']).where('organisation_id', '=', organisationId).orderBy('id').execute();
}

/**
 * Locks an organisation whose only member is `organiserId`, and its campaigns; answers false (and locks nothing more)
 * when someone else joined meanwhile, or one of its campaigns is launching, so the caller gives up.
 */
export async function lockSoleMemberOrganisation(
  trx: Transaction<Database>,
  organisationId: string,
  organiserId: string,
): Promise<boolean> {
  const organisation = await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).forUpdate().executeTakeFirst();
  if (organisation === undefined) return false;
  const others = await trx
    .selectFrom('organisation_members')
    .select('organiser_id')
    .where('organisation_id', '=', organisationId)
    .where('organiser_id', '<>', organiserId)
    .executeTakeFirst();
  if (others !== undefined) return false;
  const campaigns = await trx
    .selectFrom('campaigns')
    .select('state')
    .where('organisation_id', '=', organisationId)
    .orderBy('id')
    .forUpdate()
    .execute();
  return !campaigns.some((campaign) => campaign.state === 'launching');
}

/**
 * Deletes an organisation and everything of it: its campaigns' pledges (the supporters' account rows no other
 * campaign's pledge needs go too), then its campaigns (their grants, deliveries, mails, images, links and tallies go
 * by ON DELETE CASCADE), then the organisation (members, invitations, webhook endpoints, events and deliveries).
 */
export async function deleteOrganisationAndCampaigns(trx: Transaction<Database>, organisationId: string): Promise<{ campaigns: number }> {
  const campaignIds = trx.selectFrom('campaigns').select('id').where('organisation_id', '=', organisationId);
  await trx.deleteFrom('pending_pledges').where('campaign_id', 'in', campaignIds).execute();
  const gone = await trx.deleteFrom('pledges').where('campaign_id', 'in', campaignIds).returning('social_account_id').execute();
  await deleteUnneededAccounts(
    trx,
    gone.map((row) => row.social_account_id),
  );
  const campaigns = await trx.deleteFrom('campaigns').where('organisation_id', '=', organisationId).executeTakeFirst();
  await trx.deleteFrom('organisations').where('id', '=', organisationId).execute();
  return { campaigns: Number(campaigns.numDeletedRows) };
}

/**
 * Marks an organisation whose only member is leaving as being deleted: every look-up ignores it from now on, and its
 * open invitations go, so nobody can join it. The workers delete it (`deleteMarkedOrganisation`) once its supporters
 * are told.
 */
export async function markOrganisationDeleting(trx: Transaction<Database>, organisationId: string, now: Date): Promise<void> {
  await trx.updateTable('organisations').set({ deleting_since: now }).where('id', '=', organisationId).execute();
  await trx.deleteFrom('organisation_invitations').where('organisation_id', '=', organisationId).execute();
}

/**
 * The organisations marked for deletion that may go now: marked before `latest`, or with no supporter's mail about
 * their campaigns still to write (a confirmed address of a cancelled or missed campaign not mailed its outcome yet)
 * or waiting in the outbox (pending; sent and failed ones are done with).
 */
export async function listOrganisationsDueForDeletion(db: Db, latest: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('organisations as o')
    .select('o.id')
    .where('o.deleting_since', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('o.deleting_since', '<=', latest),
        eb.and([
          eb.not(
            eb.exists(
              eb
                .selectFrom('supporter_mail_addresses as a')
                .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
                .select('a.id')
                .whereRef('c.organisation_id', '=', 'o.id')
                .where('a.state', '=', 'confirmed')
                .where('a.outcome_mailed_at', 'is', null)
                .where('c.state', 'in', ['cancelled', 'missed_goal']),
            ),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('mail_outbox as m')
                .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
                .select('m.id')
                .whereRef('c.organisation_id', '=', 'o.id')
                .where('m.state', '=', 'pending'),
            ),
          ),
        ]),
      ]),
    )
    .orderBy('o.deleting_since')
    .execute();
  return rows.map((row) => row.id);
}

/** Locks an organisation still marked for deletion; false when it is gone already (another worker deleted it). */
export async function lockMarkedOrganisation(trx: Transaction<Database>, organisationId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', organisationId)
    .where('deleting_since', 'is not', null)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes the organiser's row, and with it (ON DELETE CASCADE) their sessions, tokens, second factor, settings and memberships. */
export async function deleteOrganiserRow(trx: Transaction<Database>, organiserId: string): Promise<boolean> {
  const result = await trx.deleteFrom('organisers').where('id', '=', organiserId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
