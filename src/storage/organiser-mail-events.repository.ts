import { sql, type ExpressionBuilder } from 'kysely';
import type { OrganisationRole } from '../domain/organisation-role.ts';
import type { OrganiserMailKind } from '../domain/organiser-mail-kind.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { CampaignState } from '../domain/campaign-state.ts';
import type { Database, Db } from './database.ts';

// The events behind organisers' mails are worked out from the tables (a tally reaching the goal, a launch a day away,
// a launch that ended, a paused network): the sweep asks here which campaigns have one not told yet. An event is
// told once (`organiser_mail_events`, by its key `<kind>:<campaign id>` or `<kind>:<cause>:<campaign id>`), in the
// statement that writes its mail to each member who wants it, keyed `<event key>:<organiser id>` in the outbox.

/** A campaign with an event the organisers' mails are due for. */
export interface CampaignMailEvent {
  readonly campaignId: string;
  readonly title: string;
  readonly state: CampaignState;
  readonly goal: number;
  readonly supporters: number;
  readonly reach: number;
  readonly launchAt: Date;
  readonly timeZone: string;
  readonly networks: NetworkId[];
  readonly launchStartedAt: Date | null;
  readonly endedAt: Date | null;
  /** The organisation the campaign belongs to, whose members are told. */
  readonly organisationName: string;
}

/** The key of an event organisers are told about once: `<kind>:<campaign id>`, or `<kind>:<cause>:<campaign id>`. */
export function organiserMailEventKey(kind: OrganiserMailKind, campaignId: string, cause?: string): string {
  return cause === undefined ? `${kind}:${campaignId}` : `${kind}:${cause}:${campaignId}`;
}

/** One campaign event's mail, to write once per member who wants it. */
export interface MemberMail {
  readonly event: string;
  readonly kind: OrganiserMailKind;
  readonly campaignId: string;
  /** What the template shows; each member's mail adds their `organiserName`. */
  readonly templateData: Readonly<Record<string, unknown>>;
}

/**
 * Records each event as told and writes its mail to every member of the campaign's organisation with one of `roles`,
 * an active account and the kind not switched off, in one statement: an event already told (a second sweep, a retry)
 * writes nothing, and two statements at once write one set (the second waits on the event's key, then skips it).
 * Answers the ids of the outbox rows written.
 */
export async function writeMemberMails(db: Db, mails: readonly MemberMail[], roles: readonly OrganisationRole[]): Promise<string[]> {
  if (mails.length === 0) return [];
  const due = [...new Map(mails.map((mail) => [mail.event, mail])).values()].map((mail) => ({
    event: mail.event,
    kind: mail.kind,
    campaign_id: mail.campaignId,
    template_data: mail.templateData,
  }));
  const rows = await sql<{ id: string }>`
    with due as (
      select * from jsonb_to_recordset(${JSON.stringify(due)}::jsonb) as d(event text, kind text, campaign_id uuid, template_data jsonb)
    ), told as (
      insert into organiser_mail_events (event, campaign_id)
      select event, campaign_id from due
      on conflict (event) do nothing
      returning event
    )
    insert into mail_outbox (kind, recipient, dedupe_key, template_data, organiser_id, campaign_id)
    select due.kind, o.email, due.event || ':' || o.id::text, due.template_data || jsonb_build_object('organiserName', o.name),
      o.id, due.campaign_id
    from told
    join due on due.event = told.event
    join campaigns c on c.id = due.campaign_id
    join organisation_members m on m.organisation_id = c.organisation_id and m.role = any(${roles}::text[])
    join organisers o on o.id = m.organiser_id and o.standing = 'active'
    where not exists (
      select 1 from organiser_mail_settings s where s.organiser_id = o.id and s.kind = due.kind and not s.enabled
    )
    on conflict (dedupe_key) do nothing
    returning id`.execute(db);
  return rows.rows.map((row) => row.id);
}

/** Whether the organiser is still an active member, with one of `roles`, of the campaign's organisation. */
export async function isOrganiserMailRecipient(
  db: Db,
  organiserId: string,
  campaignId: string,
  roles: readonly OrganisationRole[],
): Promise<boolean> {
  const row = await db
    .selectFrom('campaigns')
    .innerJoin('organisation_members', 'organisation_members.organisation_id', 'campaigns.organisation_id')
    .innerJoin('organisers', 'organisers.id', 'organisation_members.organiser_id')
    .select('organisers.id')
    .where('campaigns.id', '=', campaignId)
    .where('organisation_members.organiser_id', '=', organiserId)
    .where('organisation_members.role', 'in', roles)
    .where('organisers.standing', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

const supporterCount = sql<number>`(select coalesce(sum(t.supporters), 0)::int from campaign_network_tallies t where t.campaign_id = campaigns.id)`;
const reachSum = sql<number>`(select coalesce(sum(t.reach), 0)::int8 from campaign_network_tallies t where t.campaign_id = campaigns.id)`;

function awaitingMail(db: Db, kind: OrganiserMailKind, cause?: string) {
  const prefix = cause === undefined ? `${kind}:` : `${kind}:${cause}:`;
  return db
    .selectFrom('campaigns')
    .innerJoin('organisations', 'organisations.id', 'campaigns.organisation_id')
    .select([
      'campaigns.id as campaignId',
      'campaigns.title',
      'campaigns.state',
      'campaigns.goal',
      supporterCount.as('supporters'),
      reachSum.as('reach'),
      'campaigns.launch_at as launchAt',
      'campaigns.time_zone as timeZone',
      'campaigns.networks',
      'campaigns.launch_started_at as launchStartedAt',
      'campaigns.ended_at as endedAt',
      'organisations.name as organisationName',
    ])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('organiser_mail_events')
            .select(sql.lit(1).as('one'))
            .whereRef('organiser_mail_events.event', '=', sql<string>`${prefix} || campaigns.id::text`),
        ),
      ),
    );
}

function heldDeliveries(eb: ExpressionBuilder<Database, 'campaigns'>) {
  return eb.exists(
    eb
      .selectFrom('campaign_delivery_tallies')
      .select(sql.lit(1).as('one'))
      .whereRef('campaign_delivery_tallies.campaign_id', '=', 'campaigns.id')
      .where('campaign_delivery_tallies.state', '=', 'held')
      .groupBy('campaign_delivery_tallies.network')
      .having(sql`sum(deliveries)`, '>', 0)
      .where(sql<boolean>`exists (select 1 from network_holds h where h.network = campaign_delivery_tallies.network)`),
  );
}

/** Collecting campaigns whose supporters reached the goal (only `campaignId`, when given). */
export function listGoalReachedEvents(db: Db, campaignId?: string): Promise<CampaignMailEvent[]> {
  return awaitingMail(db, 'goal-reached')
    .where('campaigns.state', '=', 'collecting')
    .where(sql<boolean>`${supporterCount} >= campaigns.goal`)
    .$if(campaignId !== undefined, (query) => query.where('campaigns.id', '=', campaignId ?? ''))
    .execute();
}

/** Collecting campaigns whose launch is within `leadMs` of `now` (and still ahead). */
export function listPreflightEvents(db: Db, now: Date, leadMs: number): Promise<CampaignMailEvent[]> {
  return awaitingMail(db, 'launch-preflight')
    .where('campaigns.state', '=', 'collecting')
    .where('campaigns.launch_at', '>', now)
    .where('campaigns.launch_at', '<=', new Date(now.getTime() + leadMs))
    .execute();
}

/**
 * Campaigns whose launch is over, or has run `overdueMs` without ending (posts still held), ended within
 * `recentMs` of `now`: a report is not sent for campaigns that ended long before (an organiser who turns
 * the report back on does not get a year's reports).
 */
export function listLaunchReportEvents(db: Db, now: Date, overdueMs: number, recentMs: number): Promise<CampaignMailEvent[]> {
  return awaitingMail(db, 'launch-report')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('campaigns.state', 'in', ['launched', 'missed_goal']),
          eb('campaigns.ended_at', '>', new Date(now.getTime() - recentMs)),
        ]),
        eb.and([eb('campaigns.state', '=', 'launching'), eb('campaigns.launch_started_at', '<=', new Date(now.getTime() - overdueMs))]),
      ]),
    )
    .execute();
}

/** Launching campaigns with deliveries held by a paused network. */
export function listHeldDeliveryEvents(db: Db): Promise<CampaignMailEvent[]> {
  return awaitingMail(db, 'delivery-trouble', 'held').where('campaigns.state', '=', 'launching').where(heldDeliveries).execute();
}

/** Launching campaigns with at least `minimumFailed` failed deliveries, with their sent and failed counts. */
export function listFailingDeliveryCandidates(
  db: Db,
  minimumFailed: number,
): Promise<(CampaignMailEvent & { readonly sent: number; readonly failed: number })[]> {
  const inState = (state: 'sent' | 'failed') =>
    sql<number>`(select coalesce(sum(d.deliveries), 0)::int from campaign_delivery_tallies d where d.campaign_id = campaigns.id and d.state = ${state})`;
  return awaitingMail(db, 'delivery-trouble', 'failing')
    .select([inState('sent').as('sent'), inState('failed').as('failed')])
    .where('campaigns.state', '=', 'launching')
    .where(inState('failed'), '>=', minimumFailed)
    .execute();
}

/** A launch's failed deliveries grouped by reason (the most common first, at most `limit`), and how many posts went out after `lateAfter`. */
export async function summariseLaunchDeliveries(db: Db, campaignId: string, lateAfter: Date, limit: number) {
  const [reasons, late] = await Promise.all([
    db
      .selectFrom('deliveries')
      .select(['failure_reason as reason', (eb) => eb.fn.countAll<number>().as('count')])
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'failed')
      .groupBy('failure_reason')
      .orderBy('count', 'desc')
      .orderBy('failure_reason')
      .limit(limit)
      .execute(),
    db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'sent')
      .where('sent_at', '>', lateAfter)
      .executeTakeFirstOrThrow(),
  ]);
  return { failureReasons: reasons.map((r) => ({ reason: r.reason ?? '', count: r.count })), sentLate: late.count };
}

/** The paused networks among `networks` on which the campaign has held deliveries. */
export async function listHeldNetworks(db: Db, campaignId: string): Promise<NetworkId[]> {
  const rows = await db
    .selectFrom('campaign_delivery_tallies')
    .innerJoin('network_holds', 'network_holds.network', 'campaign_delivery_tallies.network')
    .select('campaign_delivery_tallies.network')
    .where('campaign_delivery_tallies.campaign_id', '=', campaignId)
    .where('campaign_delivery_tallies.state', '=', 'held')
    .groupBy('campaign_delivery_tallies.network')
    .having(sql`sum(deliveries)`, '>', 0)
    .execute();
  return rows.map((row) => row.network);
}
