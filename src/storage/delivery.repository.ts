import { sql } from 'kysely';
import {
  claimableDeliveryStates,
  deliveryStates,
  isDeliveryFinal,
  mayAlreadyBePosted,
  type DeliveryState,
} from '../domain/delivery-state.ts';
import { campaignStatesMovingTo } from '../domain/campaign-state.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { XMode } from '../networks/x/x-mode.ts';
import type { Db, PledgeCredentials } from './database.ts';
import { prepared } from './prepared-statement.ts';
import { webhookOutboxWrites, writeWebhookEvents } from './webhook-outbox.ts';

const unfinishedStates = deliveryStates.filter((state) => !isDeliveryFinal(state));
const maybePostedStates = claimableDeliveryStates.filter(mayAlreadyBePosted);
const finalStates = deliveryStates.filter(isDeliveryFinal);

/**
 * Makes a delivery for each pledge that has none yet, and returns the ids of those not yet
 * finished, so a launch job that resumes after a crash enqueues them again (job ids are stable).
 */
export async function createDeliveries(db: Db, campaignId: string, pledgeIds: readonly string[]): Promise<string[]> {
  if (pledgeIds.length === 0) return [];
  // One array parameter rather than two per row: a page of 500 is one short statement to parse and plan.
  const insert = db
    .insertInto('deliveries')
    .columns(['pledge_id', 'campaign_id', 'network'])
    .expression(
      db
        .selectFrom('pledges')
        .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
        .select(['pledges.id', 'pledges.campaign_id', 'social_accounts.network'])
        .where('pledges.id', '=', sql<string>`any(${pledgeIds}::uuid[])`)
        .where('pledges.campaign_id', '=', campaignId),
    )
    .onConflict((oc) => oc.column('pledge_id').doNothing())
    .returning('id');
  const { rows: created } = await db.executeQuery(prepared(insert.compile()));
  // Every pledge got a new delivery: the launch's usual page. Otherwise this page is being handed out again after a crash.
  if (created.length === pledgeIds.length) return created.map((row) => row.id);
  const rows = await db
    .selectFrom('deliveries')
    .select('id')
    .where('pledge_id', 'in', pledgeIds)
    .where('state', 'in', unfinishedStates)
    .execute();
  return rows.map((row) => row.id);
}

/** What a worker needs to post one claimed delivery. */
export interface ClaimedDelivery {
  readonly id: string;
  /** This claim; outcomes are written only while it still holds the delivery. */
  readonly claimId: string;
  readonly campaignId: string;
  readonly pledgeId: string;
  readonly network: NetworkId;
  readonly networkUserId: string;
  readonly text: string;
  readonly attempts: number;
  /** A post may already have gone out: look at the account before posting. */
  readonly mustCheck: boolean;
  readonly leaseExpiresAt: Date;
  readonly retryDeadline: Date | null;
  /** No post for this delivery can be older than this. */
  readonly createdAt: Date;
  /** The account's server (a Mastodon instance's origin), for networks of many servers. */
  readonly server: string | null;
  readonly xMode: XMode;
  /** The supporter's sealed grant as the claim found it; none once erased. */
  readonly credentials: PledgeCredentials | undefined;
  /** Why the network refused the refresh ahead of the launch, when that erased the grant. */
  readonly accessRefusedReason: string | null;
  /** This delivery is its paused network's probe: the one post tried while the pause lasts, whose success ends it. */
  readonly probe: boolean;
}

/** The result of trying to claim a delivery. */
export type ClaimResult =
  | { readonly kind: 'claimed'; readonly delivery: ClaimedDelivery }
  /** Another worker holds it, or it is not due yet: come back at `until`. */
  | { readonly kind: 'busy'; readonly until: Date }
  /** Its network is paused and it is not the probe: it waits, with no job, until the pause ends and it is handed out again. */
  | { readonly kind: 'paused'; readonly network: NetworkId }
  | { readonly kind: 'finished' };

/**
 * Claims a delivery for this worker under a lease: a conditional update that only one caller
 * can win. A delivery whose lease ran out (its worker died or stalled) can be claimed again,
 * and is then marked to be checked against the account before anything is posted.
 */
export async function claimDelivery(db: Db, deliveryId: string, leaseMs: number, now: Date = new Date()): Promise<ClaimResult> {
  const [result] = await claimDeliveries(db, [deliveryId], leaseMs, now);
  if (result === undefined) throw new Error('one claim asked, none answered');
  return result;
}

/**
 * Claims many deliveries in one statement (the worker coalesces concurrent claims), answering
 * for each id in order. An id asked for twice is claimed once: the others are told it is busy.
 * A delivery of a paused network is not claimed, unless it is the pause's probe and the probe is due.
 */
export async function claimDeliveries(
  db: Db,
  deliveryIds: readonly string[],
  leaseMs: number,
  now: Date = new Date(),
): Promise<ClaimResult[]> {
  // One statement: the claim, and what posting needs (the pledge, its account and its grant).
  const claim = db
    .with('claimed', (qb) =>
      qb
        .updateTable('deliveries')
        .set((eb) => ({
          state: 'claimed',
          claim_id: sql<string>`gen_random_uuid()`,
          lease_expires_at: new Date(now.getTime() + leaseMs),
          claimed_at: now,
          attempts: eb('attempts', '+', 1),
          // In SET, `state` is still the state the delivery is being claimed from.
          must_check: eb.or([eb.ref('must_check'), eb('state', 'in', maybePostedStates)]).$castTo<boolean>(),
          updated_at: now,
        }))
        .where('id', '=', sql<string>`any(${[...new Set(deliveryIds)]}::uuid[])`)
        .where((eb) =>
          eb.or([
            eb.and([eb('state', '=', 'claimed'), eb('lease_expires_at', '<=', now)]),
            eb.and([
              eb(
                'state',
                'in',
                claimableDeliveryStates.filter((state) => state !== 'claimed'),
              ),
              eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
            ]),
          ]),
        )
        // A paused network's deliveries wait, all but its probe once the probe is due (a table of a few rows at most).
        .where(
          sql<boolean>`not exists (select 1 from network_holds h where h.network = deliveries.network
            and not (coalesce(h.probe_delivery_id = deliveries.id, false) and h.next_probe_at <= ${now}))`,
        )
        .returning([
          'id',
          'claim_id',
          'campaign_id',
          'pledge_id',
          'attempts',
          'must_check',
          'lease_expires_at',
          'retry_deadline',
          'created_at',
        ]),
    )
    .selectFrom('claimed')
    .innerJoin('pledges', 'pledges.id', 'claimed.pledge_id')
    .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
    .innerJoin('campaigns', 'campaigns.id', 'claimed.campaign_id')
    .leftJoin('pledge_credentials', 'pledge_credentials.pledge_id', 'claimed.pledge_id')
    .leftJoin('network_holds', 'network_holds.probe_delivery_id', 'claimed.id')
    .select([
      'claimed.id',
      'claimed.claim_id',
      'claimed.campaign_id',
      'claimed.pledge_id',
      'claimed.attempts',
      'claimed.must_check',
      'claimed.lease_expires_at',
      'claimed.retry_deadline',
      'claimed.created_at',
      'pledges.text',
      'pledges.access_refused_reason',
      'social_accounts.network',
      'social_accounts.network_user_id',
      'social_accounts.server',
      'campaigns.x_mode',
      'pledge_credentials.key_id',
      'pledge_credentials.access_token',
      'pledge_credentials.refresh_token',
      'pledge_credentials.access_expires_at',
      'pledge_credentials.scopes',
      'pledge_credentials.updated_at as credentials_updated_at',
      'network_holds.network as probe_of',
    ]);
  const { rows: claimedRows } = await db.executeQuery(prepared(claim.compile()));
  const claimed = new Map(claimedRows.map((row) => [row.id, row]));
  const unclaimedIds = deliveryIds.filter((id) => !claimed.has(id));
  const others =
    unclaimedIds.length === 0
      ? []
      : await db
          .selectFrom('deliveries')
          .leftJoin('network_holds', 'network_holds.network', 'deliveries.network')
          .select([
            'deliveries.id',
            'deliveries.state',
            'deliveries.network',
            'deliveries.lease_expires_at',
            'deliveries.next_attempt_at',
            'network_holds.next_probe_at',
            'network_holds.probe_delivery_id',
          ])
          .where('deliveries.id', 'in', unclaimedIds)
          .execute();
  const otherById = new Map(others.map((row) => [row.id, row]));

  const answered = new Set<string>();
  return deliveryIds.map((id): ClaimResult => {
    const row = claimed.get(id);
    if (row !== undefined && !answered.has(id)) {
      answered.add(id);
      if (row.claim_id === null || row.lease_expires_at === null) throw new Error('a claimed delivery has a claim and a lease');
      return {
        kind: 'claimed',
        delivery: {
          id: row.id,
          claimId: row.claim_id,
          campaignId: row.campaign_id,
          pledgeId: row.pledge_id,
          network: row.network,
          networkUserId: row.network_user_id,
          text: row.text,
          attempts: row.attempts,
          mustCheck: row.must_check,
          leaseExpiresAt: row.lease_expires_at,
          retryDeadline: row.retry_deadline,
          createdAt: row.created_at,
          server: row.server,
          xMode: row.x_mode,
          credentials:
            row.key_id === null ||
            row.access_token === null ||
            row.access_expires_at === null ||
            row.scopes === null ||
            row.credentials_updated_at === null
              ? undefined
              : {
                  pledge_id: row.pledge_id,
                  key_id: row.key_id,
                  access_token: row.access_token,
                  refresh_token: row.refresh_token,
                  access_expires_at: row.access_expires_at,
                  scopes: row.scopes,
                  updated_at: row.credentials_updated_at,
                },
          accessRefusedReason: row.access_refused_reason,
          probe: row.probe_of !== null,
        },
      };
    }
    // The same id twice in one batch: its other callers lost the race, as they would one by one.
    if (row?.lease_expires_at != null) return { kind: 'busy', until: row.lease_expires_at };
    const current = otherById.get(id);
    if (current === undefined || isDeliveryFinal(current.state)) return { kind: 'finished' };
    const until = current.state === 'claimed' ? current.lease_expires_at : current.next_attempt_at;
    const due = until === null || until <= now;
    // Its network is paused: the probe comes back when the probe is due; any other delivery that is
    // due waits with no job of its own (one held by a live claim, or not due yet, is left as it is).
    if (current.next_probe_at !== null && due) {
      if (current.probe_delivery_id !== id) return { kind: 'paused', network: current.network };
      return { kind: 'busy', until: current.next_probe_at > now ? current.next_probe_at : new Date(now.getTime() + 1000) };
    }
    // Lost a race for a delivery that was due: look again shortly.
    return { kind: 'busy', until: until !== null && until > now ? until : new Date(now.getTime() + 1000) };
  });
}

/** What became of a claimed delivery, as stored. */
export type DeliveryRecord =
  | { readonly state: 'sent'; readonly postId: string }
  | { readonly state: 'failed'; readonly reason: string }
  /** It may have been posted: looked for before the next attempt, at `nextAttemptAt`. */
  | { readonly state: 'unknown'; readonly reason: string; readonly nextAttemptAt: Date; readonly retryDeadline: Date | null }
  /** Nothing was posted; try again at `nextAttemptAt`. */
  | { readonly state: 'queued'; readonly reason: string; readonly nextAttemptAt: Date; readonly retryDeadline: Date | null }
  /**
   * Nothing was posted, and it waits without spending its retry window: for the app's budget or an
   * account's cap to renew at `nextAttemptAt`, for its network's next probe (as the probe), or, with
   * no time, for its network's pause to end (it is handed out again then).
   */
  | { readonly state: 'held'; readonly nextAttemptAt: Date | null };

/** Which claim an outcome belongs to. */
export type ClaimReference = Pick<ClaimedDelivery, 'id' | 'claimId' | 'pledgeId'>;

/**
 * Writes many outcomes in one statement and one commit (the worker coalesces concurrent
 * outcomes), answering for each in order: true where the claim still held the delivery, false
 * where its lease ran out and another worker took it. Final outcomes erase their grants in the
 * same transaction: the one-time post is done, or will never happen.
 */
export async function recordDeliveries(
  db: Db,
  outcomes: readonly { claim: ClaimReference; record: DeliveryRecord }[],
  now: Date = new Date(),
): Promise<boolean[]> {
  const rows = outcomes.map(({ claim, record }) => ({ claim, record, values: outcomeRow(record) }));
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  // One statement, so one round trip and one commit: the outcomes, and the erasure of the grants whose outcome is final.
  const statement = sql<{ id: string; claim_id: string }>`
    with outcome as (
      select * from unnest(
        ${column((r) => r.claim.id)}::uuid[], ${column((r) => r.claim.claimId)}::uuid[], ${column((r) => r.record.state)}::text[],
        ${column((r) => r.values.postId)}::text[], ${column((r) => r.values.reason)}::text[],
        ${column((r) => r.values.nextAttemptAt)}::timestamptz[], ${column((r) => r.values.retryDeadline)}::timestamptz[]
      ) as o(id, claim_id, state, post_id, reason, next_attempt_at, retry_deadline)
    ), written as (
      update deliveries d set
        state = o.state,
        network_post_id = case when o.state = 'sent' then o.post_id else d.network_post_id end,
        sent_at = case when o.state = 'sent' then ${now}::timestamptz else d.sent_at end,
        failure_reason = case when o.state = 'held' then d.failure_reason else o.reason end,
        next_attempt_at = o.next_attempt_at,
        retry_deadline = case when o.state in ('unknown', 'queued') then o.retry_deadline else d.retry_deadline end,
        must_check = d.must_check or o.state = 'unknown',
        claim_id = null,
        lease_expires_at = null,
        updated_at = ${now}::timestamptz
      from outcome o
      where d.id = o.id and d.state = 'claimed' and d.claim_id = o.claim_id
      returning d.id, d.pledge_id, d.state, o.claim_id, d.campaign_id, d.network
    ), erased as (
      delete from pledge_credentials where pledge_id in (select pledge_id from written where state in (${sql.join(finalStates)}))
    ), ${webhookOutboxWrites(finalOutcomeEvents)}
    select id, claim_id from written`;
  const written = await db.executeQuery(prepared(statement.compile(db)));
  const held = new Set(written.rows.map((row) => `${row.id}/${row.claim_id}`));
  return rows.map((row) => held.has(`${row.claim.id}/${row.claim.claimId}`));
}

// The delivery.sent and delivery.failed webhook events of a batch of outcomes: one event per campaign and final state
// in the batch, listing its deliveries (a million posts make about 20,000 events, not a million). Each final outcome is
// written once, by the claim that held it, so the batch's first delivery names the event. Nothing is read when no
// endpoint exists at all.
const finalOutcomeEvents = sql`
  select c.organisation_id, w.campaign_id, 'delivery.' || w.state as type, 'delivery.' || w.state || ':' || min(w.id::text) as dedupe_key,
         jsonb_build_object('campaignId', w.campaign_id, 'deliveries',
           jsonb_agg(jsonb_build_object('deliveryId', w.id, 'pledgeId', w.pledge_id, 'network', w.network) order by w.id)) as payload
  from written w join campaigns c on c.id = w.campaign_id
  where w.state in ('sent', 'failed') and exists (select 1 from webhook_endpoints)
  group by c.organisation_id, w.campaign_id, w.state`;

// The columns an outcome sets besides its state; nulls where the state leaves them empty.
function outcomeRow(record: DeliveryRecord): {
  postId: string | null;
  reason: string | null;
  nextAttemptAt: Date | null;
  retryDeadline: Date | null;
} {
  switch (record.state) {
    case 'sent':
      return { postId: record.postId, reason: null, nextAttemptAt: null, retryDeadline: null };
    case 'failed':
      return { postId: null, reason: record.reason, nextAttemptAt: null, retryDeadline: null };
    case 'unknown':
    case 'queued':
      return { postId: null, reason: record.reason, nextAttemptAt: record.nextAttemptAt, retryDeadline: record.retryDeadline };
    case 'held':
      return { postId: null, reason: null, nextAttemptAt: record.nextAttemptAt, retryDeadline: null };
  }
}

/**
 * Fails a pledge whose access was revoked, found while tokens were refreshed ahead of the
 * launch, and erases what is left of its grant. If the launch already handed the pledge to a
 * worker that holds it now, that worker meets the revocation itself and nothing is changed here.
 */
export async function failPledgeBeforeDelivery(db: Db, campaignId: string, pledgeId: string, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const failed = await trx
      .insertInto('deliveries')
      .values((eb) => ({
        pledge_id: pledgeId,
        campaign_id: campaignId,
        network: eb
          .selectFrom('pledges')
          .innerJoin('social_accounts', 'social_accounts.id', 'pledges.social_account_id')
          .select('social_accounts.network')
          .where('pledges.id', '=', pledgeId),
        state: 'failed',
        failure_reason: reason,
      }))
      .onConflict((oc) =>
        oc
          .column('pledge_id')
          .doUpdateSet({ state: 'failed', failure_reason: reason, next_attempt_at: null, updated_at: new Date() })
          .where('deliveries.state', 'in', ['queued', 'held']),
      )
      .returning('id')
      .executeTakeFirst();
    if (failed === undefined) return;
    await trx.deleteFrom('pledge_credentials').where('pledge_id', '=', pledgeId).execute();
    await writeWebhookEvents(
      trx,
      sql`select c.organisation_id, c.id as campaign_id, 'delivery.failed'::text as type, 'delivery.failed:' || d.id as dedupe_key,
                 jsonb_build_object('campaignId', c.id, 'deliveries',
                   jsonb_build_array(jsonb_build_object('deliveryId', d.id, 'pledgeId', d.pledge_id, 'network', d.network))) as payload
          from deliveries d join campaigns c on c.id = d.campaign_id where d.id = ${failed.id}::uuid`,
    );
  });
}

export type DeliveryCounts = Record<DeliveryState, number>;

/** How many of a campaign's deliveries are in each state, summed from its tallies (migration 0008). */
export async function countDeliveries(db: Db, campaignId: string): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom('campaign_delivery_tallies')
    .select(['state', sql<number>`sum(deliveries)::int`.as('count')])
    .where('campaign_id', '=', campaignId)
    .groupBy('state')
    .execute();
  const counts = Object.fromEntries(deliveryStates.map((state) => [state, 0])) as DeliveryCounts;
  for (const row of rows) counts[row.state] = row.count;
  return counts;
}

/**
 * Marks a launching campaign launched once every pledge was handed out and no delivery is
 * unfinished. Safe to call after each delivery: only the last one wins.
 */
export async function completeLaunchIfDone(db: Db, campaignId: string): Promise<boolean> {
  // Through the transition table, as moveCampaign, with the launch's own conditions beside it; the
  // campaign.launched webhook event is written by the same statement.
  const statement = sql<{ id: string }>`
    with moved as (
      update campaigns set state = 'launched', ended_at = now(), updated_at = now()
      where id = ${campaignId}::uuid and state in (${sql.join(campaignStatesMovingTo('launched'))})
        and release_enqueued_at is not null
        and not exists (
          select 1 from campaign_delivery_tallies where campaign_id = ${campaignId}::uuid and state in (${sql.join(unfinishedStates)})
          having sum(deliveries) > 0
        )
      returning id, organisation_id, slug, ended_at
    ), ${webhookOutboxWrites(sql`
      select m.organisation_id, m.id as campaign_id, 'campaign.launched'::text as type, 'campaign.launched:' || m.id as dedupe_key,
             jsonb_build_object('campaignId', m.id, 'slug', m.slug, 'endedAt', m.ended_at, 'deliveries', (
               select jsonb_build_object(
                 'sent', coalesce(sum(t.deliveries) filter (where t.state = 'sent'), 0)::int,
                 'failed', coalesce(sum(t.deliveries) filter (where t.state = 'failed'), 0)::int)
               from campaign_delivery_tallies t where t.campaign_id = m.id
             )) as payload
      from moved m`)}
    select id from moved`;
  const result = await statement.execute(db);
  return result.rows.length > 0;
}

/**
 * Unfinished deliveries that are due (or whose lease ran out) for at least `graceMs`, oldest
 * first: the recovery sweep makes sure each still has a job, in case Redis lost it. Only a
 * launching campaign has unfinished deliveries, so only theirs are read (no index covers a
 * delivery's state: see migration 0008). A paused network's deliveries wait with no job, all but
 * its probe: they are handed out again when the pause ends.
 */
export async function listOverdueDeliveries(
  db: Db,
  now: Date,
  graceMs: number,
  limit: number,
): Promise<{ id: string; campaignId: string }[]> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['id', 'campaign_id'])
    .where('campaign_id', 'in', (eb) => eb.selectFrom('campaigns').select('id').where('state', '=', 'launching'))
    .where('state', 'in', unfinishedStates)
    .where(sql`coalesce(lease_expires_at, next_attempt_at, updated_at)`, '<', new Date(now.getTime() - graceMs))
    .where(
      sql<boolean>`not exists (select 1 from network_holds h where h.network = deliveries.network
        and h.probe_delivery_id is distinct from deliveries.id)`,
    )
    .orderBy(sql`coalesce(lease_expires_at, next_attempt_at, updated_at)`)
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, campaignId: row.campaign_id }));
}
