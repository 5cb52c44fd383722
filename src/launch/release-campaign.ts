import { eraseCampaignCredentials } from '../storage/credentials.repository.ts';
import { makeCampaignPost, type CampaignPostContext } from './campaign-post.ts';
import { fanOut, type FanOutContext, type FanOutResult } from './fan-out.ts';
import { decideLaunch, type LaunchDecision } from './launch-decision.ts';

/** What a launch job did; the worker turns `not-yet`, `come-back` and `interrupted` into a delayed retry. */
export type ReleaseStep =
  | Extract<LaunchDecision, { kind: 'not-yet' | 'missed-goal' | 'nothing-to-do' }>
  | FanOutResult
  /** The campaign's own post (repost mode) is not made yet: nothing is handed out until it is. */
  | { readonly kind: 'come-back'; readonly at: Date; readonly reason: string };

export type ReleaseContext = FanOutContext & CampaignPostContext;

/**
 * Runs a campaign's launch: checks the goal at the launch time, makes the campaign's own post
 * in repost mode, then hands out every pledge's delivery (see fanOut).
 */
export async function releaseCampaign(ctx: ReleaseContext, campaignId: string, now: Date = new Date()): Promise<ReleaseStep> {
  const decision = await decideLaunch(ctx.db, campaignId, now);
  switch (decision.kind) {
    case 'launching':
      break;
    case 'missed-goal':
      await eraseCampaignCredentials(ctx.db, campaignId);
      return decision;
    case 'not-yet':
    case 'nothing-to-do':
      return decision;
  }
  switch (decision.xMode) {
    case 'repost': {
      const post = await makeCampaignPost(ctx, campaignId, now);
      switch (post.kind) {
        case 'come-back':
          return post;
        case 'not-needed':
        case 'decided':
          break;
      }
      break;
    }
    case 'post':
      break;
  }
  return fanOut(ctx, campaignId, decision.cursor);
}
