import { isFailingInBulk, bulkFailureThreshold } from '../../domain/delivery-trouble.ts';
import { launchLateness } from '../../domain/launch-lateness.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { organiserMailRecipientRoles } from '../../domain/organiser-mail-recipient.ts';
import type { OrganiserMailKind } from '../../domain/organiser-mail-kind.ts';
import { preflight } from '../../domain/preflight.ts';
import type { NetworkRegistry } from '../../networks/network-registry.ts';
import type { Db } from '../../storage/database.ts';
import { countDeliveries } from '../../storage/delivery.repository.ts';
import { countAccessExpiringBeforeLaunch, listNetworkTallies } from '../../storage/network-tally.repository.ts';
import {
  listFailingDeliveryCandidates,
  listGoalReachedEvents,
  listHeldDeliveryEvents,
  listHeldNetworks,
  listLaunchReportEvents,
  listPreflightEvents,
  organiserMailEventKey,
  summariseLaunchDeliveries,
  writeMemberMails,
  type CampaignMailEvent,
  type MemberMail,
} from '../../storage/organiser-mail-events.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

const hourMs = 60 * 60 * 1000;

/** When organisers' mails fall due (docs/mail.md). */
export const organiserMailTiming = {
  /** The preflight goes this long before the launch (or at once, for a campaign published closer to it). */
  preflightLeadMs: 24 * hourMs,
  /** A launch still running this long after it started is reported as it stands (posts held by a paused network). */
  reportOverdueMs: 6 * hourMs,
  /** Campaigns that ended longer ago than this get no report (a kind switched back on does not send old news). */
  reportRecentMs: 2 * 24 * hourMs,
  /** A post sent this long after the launch time counts as late in the report. */
  lateAfterMs: 10 * 60 * 1000,
} as const;

/** What writing the organisers' due mails needs. */
export interface OrganiserMailWriting {
  readonly db: Db;
  readonly networks: Pick<NetworkRegistry, 'outline'>;
  readonly now: Date;
}

/**
 * Writes to the outbox every organiser mail whose event has happened and was not told yet: goals reached,
 * launches a day away (the preflight), launches that ended (the report), and deliveries held or failing in bulk
 * (a notice, once per campaign and cause), one per member of the campaign's organisation who wants that kind. An
 * event is told once, in the statement that writes its mails, so workers may run this side by side and as often as
 * they like. Answers the ids of the rows written now.
 */
export async function writeOrganiserMails(writing: OrganiserMailWriting): Promise<Outcome<string[]>> {
  const { db, now } = writing;
  const [goals, preflights, reports, held, failing] = await Promise.all([
    listGoalReachedEvents(db),
    listPreflightEvents(db, now, organiserMailTiming.preflightLeadMs),
    listLaunchReportEvents(db, now, organiserMailTiming.reportOverdueMs, organiserMailTiming.reportRecentMs),
    listHeldDeliveryEvents(db),
    listFailingDeliveryCandidates(db, bulkFailureThreshold.minimumFailed),
  ]);
  const mails: MemberMail[] = [
    ...goals.map((event) => mailAbout(event, 'goal-reached', undefined, {})),
    ...(await Promise.all(
      preflights.map(async (event) => mailAbout(event, 'launch-preflight', undefined, await preflightFacts(writing, event))),
    )),
    ...(await Promise.all(reports.map(async (event) => mailAbout(event, 'launch-report', undefined, await reportFacts(writing, event))))),
    ...(await Promise.all(
      held.map(async (event) =>
        mailAbout(event, 'delivery-trouble', 'held', {
          cause: 'held',
          heldNetworks: (await listHeldNetworks(db, event.campaignId)).map((id) => writing.networks.outline(id)?.displayName ?? id),
        }),
      ),
    )),
    ...failing
      .filter((event) => isFailingInBulk(event))
      .map((event) => mailAbout(event, 'delivery-trouble', 'failing', { cause: 'failing', sent: event.sent, failed: event.failed })),
  ];
  return done(await writeMemberMails(db, mails, organiserMailRecipientRoles));
}

/** The goal-reached mail of one campaign, to its members, when its supporters have reached the goal and it was not told yet. */
export async function writeGoalReachedMail(db: Db, campaignId: string): Promise<Outcome<string[]>> {
  const events = await listGoalReachedEvents(db, campaignId);
  return done(
    await writeMemberMails(
      db,
      events.map((event) => mailAbout(event, 'goal-reached', undefined, {})),
      organiserMailRecipientRoles,
    ),
  );
}

function mailAbout(
  event: CampaignMailEvent,
  kind: OrganiserMailKind,
  cause: string | undefined,
  facts: Record<string, unknown>,
): MemberMail {
  return {
    event: organiserMailEventKey(kind, event.campaignId, cause),
    kind,
    campaignId: event.campaignId,
    templateData: {
      organisationName: event.organisationName,
      title: event.title,
      goal: event.goal,
      supporters: event.supporters,
      reach: event.reach,
      launchAt: formatLaunchTime(event.launchAt, event.timeZone),
      dashboardPath: `/organiser/campaigns/${event.campaignId}`,
      settingsPath: '/organiser/account#mail-settings',
      ...facts,
    },
  };
}

async function preflightFacts(writing: OrganiserMailWriting, event: CampaignMailEvent): Promise<Record<string, unknown>> {
  const [tallies, lapsing] = await Promise.all([
    listNetworkTallies(writing.db, event.campaignId),
    countAccessExpiringBeforeLaunch(writing.db, event.campaignId),
  ]);
  const ids = [...new Set([...event.networks, ...tallies.map((t) => t.network)])];
  let currency: string | undefined;
  const networks = ids.map((id) => {
    const outline = writing.networks.outline(id);
    const pledges = tallies.find((t) => t.network === id)?.supporters ?? 0;
    const plan = outline?.appPlan;
    const lapses = lapsing.find((l) => l.network === id)?.pledges ?? 0;
    if (plan === undefined)
      return { name: outline?.displayName ?? id, pledges, lapsing: lapses, overAllowance: 0, dailyAllowance: null, cost: null };
    currency = plan.currency;
    const p = preflight(pledges, plan.budget.limit, plan.pricePerPost);
    return {
      name: outline?.displayName ?? id,
      pledges,
      lapsing: lapses,
      overAllowance: p.overAllowance,
      dailyAllowance: p.dailyAllowance,
      cost: money(p.estimatedCost, plan.currency),
    };
  });
  const totalCost = networks.reduce((sum, n) => sum + (n.cost === null ? 0 : n.cost.amount), 0);
  return {
    networks: networks.map((n) => ({ ...n, cost: n.cost?.text ?? null })),
    lapsingTotal: networks.reduce((sum, n) => sum + n.lapsing, 0),
    overAllowanceTotal: networks.reduce((sum, n) => sum + n.overAllowance, 0),
    estimatedCost: currency === undefined ? null : money(totalCost, currency).text,
    goalMet: event.supporters >= event.goal,
  };
}

async function reportFacts(writing: OrganiserMailWriting, event: CampaignMailEvent): Promise<Record<string, unknown>> {
  if (event.state === 'missed_goal') return { outcome: 'missed-goal' };
  const [counts, summary] = await Promise.all([
    countDeliveries(writing.db, event.campaignId),
    summariseLaunchDeliveries(writing.db, event.campaignId, new Date(event.launchAt.getTime() + organiserMailTiming.lateAfterMs), 5),
  ]);
  const lateness =
    event.launchStartedAt === null ? { lateBySeconds: 0, late: false } : launchLateness(event.launchAt, event.launchStartedAt);
  return {
    outcome: event.state === 'launched' ? 'launched' : 'still-running',
    sent: counts.sent,
    failed: counts.failed,
    held: counts.held,
    waiting: counts.queued + counts.claimed + counts.unknown,
    failureReasons: summary.failureReasons,
    sentLate: summary.sentLate,
    lateMinutes: organiserMailTiming.lateAfterMs / 60_000,
    releaseLateBySeconds: lateness.late ? lateness.lateBySeconds : 0,
  };
}

function money(amount: number, currency: string): { amount: number; text: string } {
  const rounded = Math.round(amount * 100) / 100;
  return { amount: rounded, text: new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(rounded) };
}
