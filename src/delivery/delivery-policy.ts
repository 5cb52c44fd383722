import type { Config } from '../../config/config.ts';
import type { PostBudget } from '../domain/post-budget.ts';
import type { BackoffPolicy } from '../domain/retry-backoff.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { NetworkRegistry } from '../networks/network-registry.ts';

/** The rules a delivery follows, from configuration. */
export interface DeliveryPolicy {
  /** How long a claim holds a delivery; a publish is only started with its whole time-out left in it. */
  readonly leaseMs: number;
  /** Retries stop this long after the first problem. */
  readonly retryWindowMs: number;
  /** The app's posting budget per network, where one is configured. */
  readonly budgets: ReadonlyMap<NetworkId, PostBudget>;
  /** How far apart the probes of a paused network are (X's credits ran out): capped exponential backoff. */
  readonly pauseProbe: BackoffPolicy;
}

/** The delivery rules configuration asks for, with the app-wide budget of each network that has one. */
export function deliveryPolicyFor(ctx: { readonly config: Config; readonly networks: Pick<NetworkRegistry, 'outlines'> }): DeliveryPolicy {
  const budgets = new Map<NetworkId, PostBudget>();
  for (const outline of ctx.networks.outlines()) if (outline.appPlan !== undefined) budgets.set(outline.id, outline.appPlan.budget);
  return {
    leaseMs: ctx.config.DELIVERY_LEASE_SECONDS * 1000,
    retryWindowMs: ctx.config.DELIVERY_RETRY_WINDOW_SECONDS * 1000,
    budgets,
    pauseProbe: { baseMs: ctx.config.NETWORK_PAUSE_PROBE_SECONDS * 1000, capMs: ctx.config.NETWORK_PAUSE_PROBE_MAX_SECONDS * 1000 },
  };
}
