import type { ChorusContext } from '../../chorus-context.ts';
import { campaignStates, type CampaignState } from '../../domain/campaign-state.ts';
import { launchDays, type LaunchDay } from '../../domain/launch-day-budget.ts';
import { listOpenReports, type OpenReport } from '../../storage/campaign-report.repository.ts';
import {
  countCampaignsByState,
  listCampaignsInState,
  listUpcomingLaunches,
  type OperatorCampaign,
  type UpcomingLaunch,
} from '../../storage/campaign.repository.ts';
import type { Invitation, Organiser } from '../../storage/database.ts';
import { listOpenInvitations } from '../../storage/invitation.repository.ts';
import { listNotableOrganisers } from '../../storage/organiser.repository.ts';
import { listOperatorOrganisations, type OperatorOrganisation } from '../../storage/organisation.repository.ts';
import { operatorOrganisationsListed } from './list-operator-organisations.ts';
import { readHealth } from '../operations/read-health.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { readInstancePolicy, type InstancePolicy } from './instance-policy.ts';

/** How far ahead the operator's launch plan looks. */
export const LAUNCH_PLAN_DAYS = 7;

/** The X app's plan the launch plan is set against; null when this Chorus posts to no X. */
export interface XPlan {
  readonly dailyAllowance: number;
  readonly pricePerPost: number;
  readonly currency: string;
}

/** Everything the operator's view shows at once. */
export interface OperatorOverview {
  readonly policy: InstancePolicy;
  readonly campaignCounts: Readonly<Record<CampaignState, number>>;
  readonly reviewsWaiting: readonly OperatorCampaign[];
  readonly suspended: readonly OperatorCampaign[];
  readonly collecting: readonly OperatorCampaign[];
  readonly upcomingLaunches: readonly UpcomingLaunch[];
  readonly launchDays: readonly LaunchDay[];
  readonly xPlan: XPlan | null;
  readonly openReports: readonly OpenReport[];
  readonly organisers: readonly Organiser[];
  readonly organisations: readonly OperatorOrganisation[];
  readonly invitations: readonly Invitation[];
  readonly health: Awaited<ReturnType<typeof readHealth>>;
}

const listed = 200;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * The operator's view: campaigns by state; the launches of the next 7 days with their X posts and cost against
 * the X app's daily budget, days over it flagged; reviews waiting; open reports; accounts to act on; workers and
 * the delivery queue.
 */
export async function readOperatorOverview(ctx: ChorusContext, now: Date = new Date()): Promise<Outcome<OperatorOverview>> {
  const { db } = ctx;
  const [policy, counts, reviewsWaiting, suspended, collecting, upcoming, openReports, organisers, organisations, invitations, health] =
    await Promise.all([
      readInstancePolicy(db, ctx.config),
      countCampaignsByState(db),
      listCampaignsInState(db, 'in_review', listed),
      listCampaignsInState(db, 'suspended', listed),
      listCampaignsInState(db, 'collecting', listed),
      listUpcomingLaunches(db, now, new Date(now.getTime() + LAUNCH_PLAN_DAYS * dayMs)),
      listOpenReports(db),
      listNotableOrganisers(db),
      listOperatorOrganisations(db, operatorOrganisationsListed),
      listOpenInvitations(db, now),
      readHealth(ctx),
    ]);
  const plan = ctx.networks.outlines().find((outline) => outline.id === 'x')?.appPlan;
  const xPlan = plan === undefined ? null : { dailyAllowance: plan.budget.limit, pricePerPost: plan.pricePerPost, currency: plan.currency };
  const days =
    xPlan === null
      ? []
      : launchDays(
          upcoming
            .filter((launch) => launch.networks.includes('x'))
            .map((launch) => ({ id: launch.id, launchAt: launch.launch_at, xPosts: launch.x_supporters })),
          xPlan.dailyAllowance,
          xPlan.pricePerPost,
        );
  return done({
    policy,
    campaignCounts: Object.fromEntries(campaignStates.map((state) => [state, counts[state] ?? 0])) as Record<CampaignState, number>,
    reviewsWaiting,
    suspended,
    collecting,
    upcomingLaunches: upcoming,
    launchDays: days,
    xPlan,
    openReports,
    organisers,
    organisations,
    invitations,
    health,
  });
}
