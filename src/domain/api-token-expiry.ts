/** The expiries an organiser may give an API token at creation, in days; none at all means until revoked. */
export const apiTokenExpiryLimits = { minDays: 1, maxDays: 366 } as const;

/** When a token created at `createdAt` to last `days` days stops working; null for a token without an expiry. */
export function apiTokenExpiresAt(createdAt: Date, days: number | undefined): Date | null {
  return days === undefined ? null : new Date(createdAt.getTime() + days * 24 * 60 * 60 * 1000);
}

/** Whether a token with this expiry has stopped working at `now`. */
export function isApiTokenExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}

/** Whether a number of days is an expiry an API token may have. */
export function isApiTokenExpiryAllowed(days: number): boolean {
  return Number.isInteger(days) && days >= apiTokenExpiryLimits.minDays && days <= apiTokenExpiryLimits.maxDays;
}
