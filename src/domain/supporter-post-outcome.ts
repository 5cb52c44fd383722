import type { CampaignState } from './campaign-state.ts';
import type { DeliveryState } from './delivery-state.ts';

/** What became of one supporter's pledged post, as their private page tells it. */
export type SupporterPostOutcome =
  /** Withdrawn: nothing will be posted. */
  | { readonly kind: 'withdrawn' }
  /** The campaign is collecting: the post will go out at the launch if the goal is met. */
  | { readonly kind: 'waiting-for-launch' }
  /** The launch started and this post is not decided yet. */
  | { readonly kind: 'posting' }
  /** It went out. */
  | { readonly kind: 'sent'; readonly postId: string }
  /** It could not be posted, for this reason. */
  | { readonly kind: 'failed'; readonly reason: string }
  /** The goal was missed: nothing was posted. */
  | { readonly kind: 'goal-missed' }
  /** The organiser cancelled the campaign: nothing was posted. */
  | { readonly kind: 'cancelled' }
  /** The operators of this Chorus suspended the campaign before its launch: its access was deleted (docs/operators.md). */
  | { readonly kind: 'suspended' };

/** The pledge's outcome from its state, its campaign's and its delivery's (null before the launch made one). */
export function supporterPostOutcome(
  pledgeState: 'active' | 'withdrawn',
  campaignState: CampaignState,
  delivery: { readonly state: DeliveryState; readonly postId: string | null; readonly failureReason: string | null } | null,
): SupporterPostOutcome {
  if (pledgeState === 'withdrawn') return { kind: 'withdrawn' };
  if (delivery !== null) {
    switch (delivery.state) {
      case 'sent':
        return { kind: 'sent', postId: delivery.postId ?? '' };
      case 'failed':
        return { kind: 'failed', reason: delivery.failureReason ?? 'the network refused it' };
      case 'queued':
      case 'held':
      case 'claimed':
      case 'unknown':
        // A launched campaign has decided every post; an unknown one left at the end was not seen to go out.
        return campaignState === 'launched' ? { kind: 'failed', reason: 'it could not be confirmed as posted' } : { kind: 'posting' };
    }
  }
  switch (campaignState) {
    case 'draft':
    case 'in_review':
    case 'collecting':
      return { kind: 'waiting-for-launch' };
    case 'suspended':
      return { kind: 'suspended' };
    case 'launching':
      return { kind: 'posting' };
    // Launched with no delivery for this pledge: its access was lost before the launch (revoked), so nothing went out.
    case 'launched':
      return { kind: 'failed', reason: 'access to your account was withdrawn before the launch' };
    case 'missed_goal':
      return { kind: 'goal-missed' };
    case 'cancelled':
      return { kind: 'cancelled' };
  }
}
