import type { CampaignState } from '../../domain/campaign-state.ts';
import type { DeliveryCounts } from '../../storage/delivery.repository.ts';

/** How the campaign page sums up where a campaign stands, in one line a supporter can read. */
export type CampaignOutcome =
  | { readonly kind: 'open' }
  | { readonly kind: 'draft' }
  | { readonly kind: 'in_review' }
  | { readonly kind: 'suspended' }
  | { readonly kind: 'launching'; readonly sent: number; readonly total: number }
  | { readonly kind: 'launched'; readonly sent: number; readonly failed: number }
  | { readonly kind: 'missed_goal' }
  | { readonly kind: 'cancelled' };

/** The campaign's state with its delivery counts, as the pages describe it. */
export function campaignOutcome(state: CampaignState, counts: DeliveryCounts | null): CampaignOutcome {
  const c = counts ?? { queued: 0, claimed: 0, sent: 0, failed: 0, unknown: 0 };
  switch (state) {
    case 'draft':
      return { kind: 'draft' };
    case 'in_review':
      return { kind: 'in_review' };
    case 'suspended':
      return { kind: 'suspended' };
    case 'collecting':
      return { kind: 'open' };
    case 'launching':
      return { kind: 'launching', sent: c.sent, total: c.queued + c.claimed + c.sent + c.failed + c.unknown };
    case 'launched':
      return { kind: 'launched', sent: c.sent, failed: c.failed + c.unknown };
    case 'missed_goal':
      return { kind: 'missed_goal' };
    case 'cancelled':
      return { kind: 'cancelled' };
  }
}

/** The outcome as a sentence. */
export function describeOutcome(outcome: CampaignOutcome, endedAt: string | null): string {
  switch (outcome.kind) {
    case 'open':
      return 'Open for supporters until the launch.';
    case 'draft':
      return 'A draft: only its organiser can see it.';
    case 'in_review':
      return 'Waiting for review by this Chorus before it opens to supporters.';
    case 'suspended':
      return "This campaign was withdrawn by this Chorus's operators: it is not collecting supporters, and every supporter's access was deleted.";
    case 'launching':
      return `Launching now: ${outcome.sent} of ${outcome.total} posts delivered so far.`;
    case 'launched':
      return `This campaign launched${endedAt === null ? '' : ` on ${endedAt}`} with ${outcome.sent} ${outcome.sent === 1 ? 'post' : 'posts'} delivered${outcome.failed > 0 ? ` (${outcome.failed} could not be posted)` : ''}.`;
    case 'missed_goal':
      return "This campaign ended without reaching its goal, so nothing was posted and every supporter's access was deleted.";
    case 'cancelled':
      return "This campaign was cancelled by its organiser: nothing was posted and every supporter's access was deleted.";
  }
}
