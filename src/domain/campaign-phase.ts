import type { CampaignState } from './campaign-state.ts';

/** A launch's posts so far: out, could not be posted, still on their way. */
export interface LaunchTally {
  readonly sent: number;
  readonly failed: number;
  readonly waiting: number;
}

/** Where a campaign stands as its public page tells it. Each kind is a distinct state on the page. */
export type CampaignPhase =
  /** Not published, or waiting for an operator's review: only its organiser sees it (the public page shows neither). */
  | { readonly kind: 'draft' }
  /** Open for supporters, the goal not reached yet. */
  | { readonly kind: 'collecting'; readonly stillNeeded: number }
  /** Open for supporters and the goal is met: it will launch at its time. */
  | { readonly kind: 'goal-reached' }
  /** The posts are going out now. */
  | { readonly kind: 'launching'; readonly tally: LaunchTally }
  /** Every post was decided. */
  | { readonly kind: 'launched'; readonly tally: LaunchTally }
  /** The launch time came with fewer supporters than the goal: nothing was posted. */
  | { readonly kind: 'missed-goal' }
  /** The organiser cancelled it: nothing was posted. */
  | { readonly kind: 'cancelled' }
  /** An operator of this Chorus withdrew it before its launch (docs/operators.md): nothing will be posted. */
  | { readonly kind: 'suspended' };

/** The campaign's phase from its state, supporters, goal and (once launching) its posts' tally. */
export function campaignPhase(
  campaign: { readonly state: CampaignState; readonly supporter_count: number; readonly goal: number },
  tally: LaunchTally | null,
): CampaignPhase {
  const posts = tally ?? { sent: 0, failed: 0, waiting: 0 };
  switch (campaign.state) {
    case 'draft':
    case 'in_review':
      return { kind: 'draft' };
    case 'suspended':
      return { kind: 'suspended' };
    case 'collecting':
      return campaign.supporter_count >= campaign.goal
        ? { kind: 'goal-reached' }
        : { kind: 'collecting', stillNeeded: campaign.goal - campaign.supporter_count };
    case 'launching':
      return { kind: 'launching', tally: posts };
    case 'launched':
      return { kind: 'launched', tally: posts };
    case 'missed_goal':
      return { kind: 'missed-goal' };
    case 'cancelled':
      return { kind: 'cancelled' };
  }
}

/** Whether supporters can still join in this phase. */
export function isPhaseOpen(phase: CampaignPhase): boolean {
  switch (phase.kind) {
    case 'collecting':
    case 'goal-reached':
      return true;
    case 'draft':
    case 'launching':
    case 'launched':
    case 'missed-goal':
    case 'cancelled':
    case 'suspended':
      return false;
  }
}
