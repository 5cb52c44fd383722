import type { Config } from '../../../config/config.ts';
import type { SessionLifetimes } from '../../domain/session-lifetime.ts';

/** The configured idle and absolute lifetimes of organisers' sessions. */
export function sessionLifetimesOf(config: Pick<Config, 'SESSION_IDLE_SECONDS' | 'SESSION_LIFETIME_SECONDS'>): SessionLifetimes {
  return { idleMs: config.SESSION_IDLE_SECONDS * 1000, absoluteMs: config.SESSION_LIFETIME_SECONDS * 1000 };
}
