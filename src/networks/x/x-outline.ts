import type { AppPostingPlan } from '../../domain/post-budget.ts';
import type { NetworkOutline } from '../social-network.ts';
import { xTextRules } from './x-text-rules.ts';

/**
 * X as Chorus shows it before twitter-api-v2 and its passport strategy are loaded (every account
 * is on x.com: no server to choose). X limits and charges posts per app: `appPlan` is the operator's plan.
 */
export function xOutline(requestTimeoutMs: number, appPlan: AppPostingPlan): Omit<NetworkOutline, 'serverChoice'> {
  return { id: 'x', displayName: 'X', textRules: xTextRules, requestTimeoutMs, sharesReach: true, reposts: true, appPlan };
}
