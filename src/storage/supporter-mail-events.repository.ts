import { sql } from 'kysely';
import type { NetworkId } from '../networks/network-id.ts';
import type { Db } from './database.ts';
import { writeOutboxMails, type NewOutboxMail } from './mail-outbox.repository.ts';
import { holdCollectingCampaign } from './pledge.repository.ts';

/** What every supporter mail's candidate row carries: the address, its pledge, and the campaign. */
export interface SupporterMailTarget {
  readonly addressId: string;
  readonly address: string;
  readonly pledgeId: string;
  readonly campaignId: string;
  readonly campaignSlug: string;
  readonly campaignTitle: string;
}

/** A supporter whose post went out: what the "your post is out" mail links to. */
export interface PostOutTarget extends SupporterMailTarget {
  readonly network: NetworkId;
  readonly handle: string;
  readonly server: string | null;
  readonly postId: string;
}

/** A supporter whose post failed at the launch: what the "your post could not be made" mail says. */
export interface PostFailedTarget extends SupporterMailTarget {
  readonly network: NetworkId;
  readonly failureReason: string | null;
}

/** A supporter to ask to authorise again: what the link that does so, keeping their wording, needs. */
export interface RenewalTarget extends SupporterMailTarget {
  readonly network: NetworkId;
  readonly server: string | null;
  readonly variantIndex: number | null;
  readonly launchAt: Date;
  readonly timeZone: string;
}

/** A supporter whose grant cannot be renewed and ends before the launch, now that renewing it would reach the launch. */
export interface AccessReminderTarget extends RenewalTarget {
  readonly accessExpiresAt: Date;
}

/** An update a following supporter has not had yet. */
export interface UpdateTarget extends SupporterMailTarget {
  readonly updateId: string;
  readonly body: string;
  readonly postedAt: Date;
}

/** Which one-time mark a batch of mails sets on its addresses, so that the sweep writes each once. */
export type SupporterMailMark =
  | { readonly kind: 'outcome' }
  | { readonly kind: 'reminder' }
  /** Per address, the updates mailed now: its mark moves to the latest of them (read from the table, to the microsecond). */
  | { readonly kind: 'updates'; readonly mailed: ReadonlyMap<string, readonly string[]> };

function confirmedTargets(db: Db) {
  return db
    .selectFrom('supporter_mail_addresses as a')
    .innerJoin('campaigns as c', 'c.id', 'a.campaign_id')
    .select([
      'a.id as addressId',
      'a.address as address',
      'a.pledge_id as pledgeId',
      'a.campaign_id as campaignId',
      'c.slug as campaignSlug',
      'c.title as campaignTitle',
    ])
    .where('a.state', '=', 'confirmed');
}

/** Confirmed addresses of active pledges, with what a link that authorises their account again needs. */
function renewalTargets(db: Db) {
  return confirmedTargets(db)
    .innerJoin('pledges as p', 'p.id', 'a.pledge_id')
    .innerJoin('social_accounts as s', 's.id', 'p.social_account_id')
    .select([
      's.network as network',
      's.server as server',
      'p.variant_index as variantIndex',
      'c.launch_at as launchAt',
      'c.time_zone as timeZone',
    ])
    .where('p.state', '=', 'active');
}

/**
 * Confirmed addresses not yet told their post's outcome, with their delivery, once the launch ended (or ran half an
 * hour: the sweep does not look at a campaign while its release runs).
 */
function launchOutcomeTargets(db: Db, now: Date) {
  return confirmedTargets(db)
    .innerJoin('deliveries as d', 'd.pledge_id', 'a.pledge_id')
    .innerJoin('pledges as p', 'p.id', 'a.pledge_id')
    .innerJoin('social_accounts as s', 's.id', 'p.social_account_id')
    .select(['s.network as network', 's.handle as handle', 's.server as server'])
    .where('a.outcome_mailed_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('c.state', '=', 'launched'),
        eb.and([eb('c.state', '=', 'launching'), eb('c.launch_started_at', '<', new Date(now.getTime() - 30 * 60 * 1000))]),
      ]),
    );
}

/** Confirmed addresses whose post was sent and who were not told yet, once the launch ended (or ran half an hour). */
export function listPostOutTargets(db: Db, now: Date, limit: number): Promise<PostOutTarget[]> {
  return launchOutcomeTargets(db, now)
    .select(sql<string>`d.network_post_id`.as('postId'))
    .where('d.state', '=', 'sent')
    .where('d.network_post_id', 'is not', null)
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

/** Confirmed addresses whose post failed at the launch and who were not told yet, with the delivery's reason. */
export function listPostFailedTargets(db: Db, now: Date, limit: number): Promise<PostFailedTarget[]> {
  return launchOutcomeTargets(db, now)
    .select('d.failure_reason as failureReason')
    .where('d.state', '=', 'failed')
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

/** Confirmed addresses not yet told the outcome, of campaigns that ended in `state` (the goal missed, or cancelled). */
export function listEndedCampaignTargets(db: Db, state: 'missed_goal' | 'cancelled', limit: number): Promise<SupporterMailTarget[]> {
  return confirmedTargets(db).where('a.outcome_mailed_at', 'is', null).where('c.state', '=', state).orderBy('a.id').limit(limit).execute();
}

/**
 * Confirmed addresses of active pledges whose grant cannot be renewed (no refresh token) and ends before the launch,
 * from the moment a grant made now would last to the launch (its lifetime before the launch, a tenth of it, at most a
 * day, to spare): a reminder sent earlier could not be acted on.
 */
export function listAccessReminderTargets(db: Db, now: Date, limit: number): Promise<AccessReminderTarget[]> {
  return renewalTargets(db)
    .innerJoin('pledge_credentials as g', 'g.pledge_id', 'a.pledge_id')
    .select('g.access_expires_at as accessExpiresAt')
    .where('a.reminder_mailed_at', 'is', null)
    .where('c.state', '=', 'collecting')
    .where('g.refresh_token', 'is', null)
    .whereRef('g.access_expires_at', '<', 'c.launch_at')
    .where(
      sql<Date>`c.launch_at - (g.access_expires_at - g.updated_at) + least(interval '1 day', (g.access_expires_at - g.updated_at) / 10)`,
      '<=',
      now,
    )
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

/** Updates posted since each following address last had one (or since it was confirmed), oldest first per address. */
export function listUpdateTargets(db: Db, limit: number): Promise<UpdateTarget[]> {
  return confirmedTargets(db)
    .innerJoin('campaign_updates as u', 'u.campaign_id', 'a.campaign_id')
    .select(['u.id as updateId', 'u.body as body', 'u.created_at as postedAt'])
    .where('a.follows_updates', '=', true)
    .where(sql<boolean>`u.created_at > a.updates_mailed_through`)
    .orderBy('a.id')
    .orderBy('u.created_at')
    .limit(limit)
    .execute();
}

/**
 * Writes a batch of supporters' mails and sets the mark that says they were written, in one transaction; answers the
 * outbox ids. Two sweeps writing the same batch write one row each (the dedupe keys) and set the same marks.
 */
export async function writeSupporterMails(
  db: Db,
  mails: readonly (NewOutboxMail & { readonly addressId: string })[],
  mark: SupporterMailMark,
  now: Date,
): Promise<string[]> {
  if (mails.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const ids = await writeOutboxMails(trx, mails);
    const addressIds = [...new Set(mails.map((mail) => mail.addressId))];
    switch (mark.kind) {
      case 'outcome':
        await trx.updateTable('supporter_mail_addresses').set({ outcome_mailed_at: now }).where('id', 'in', addressIds).execute();
        break;
      case 'reminder':
        await trx.updateTable('supporter_mail_addresses').set({ reminder_mailed_at: now }).where('id', 'in', addressIds).execute();
        break;
      case 'updates':
        for (const [addressId, updateIds] of mark.mailed) {
          await trx
            .updateTable('supporter_mail_addresses')
            .set((eb) => ({
              updates_mailed_through: sql<Date>`greatest(updates_mailed_through, ${eb
                .selectFrom('campaign_updates')
                .select((u) => u.fn.max('created_at').as('latest'))
                .where('id', 'in', updateIds)})`,
            }))
            .where('id', '=', addressId)
            .execute();
        }
        break;
    }
    return ids;
  });
}

/**
 * Erases a grant the network refused to refresh while its campaign still collects, and writes the supporter's mail
 * asking them to authorise again (confirmed addresses only; the dedupe key makes it once per pledge), in one
 * transaction under a share lock on the campaign, so the launch either comes after both or finds them not done.
 * No delivery is failed: a renewal before the launch stores a new grant and the post goes out. Answers the outbox ids,
 * or undefined when the campaign no longer collects (its launch has begun and the pledge must fail as before).
 */
export function eraseRefusedGrant(
  db: Db,
  campaignId: string,
  pledgeId: string,
  refusal: string,
  mailFor: ((target: RenewalTarget) => NewOutboxMail) | null,
): Promise<string[] | undefined> {
  return db.transaction().execute(async (trx) => {
    if (!(await holdCollectingCampaign(trx, campaignId))) return undefined;
    const erased = await trx.deleteFrom('pledge_credentials').where('pledge_id', '=', pledgeId).returning('pledge_id').executeTakeFirst();
    if (erased === undefined) return [];
    // Kept for the launch report, should the supporter not authorise again (attempt-delivery.ts).
    await trx.updateTable('pledges').set({ access_refused_reason: refusal }).where('id', '=', pledgeId).execute();
    if (mailFor === null) return [];
    const target = await renewalTargets(trx).where('a.pledge_id', '=', pledgeId).executeTakeFirst();
    return target === undefined ? [] : writeOutboxMails(trx, [mailFor(target)]);
  });
}
