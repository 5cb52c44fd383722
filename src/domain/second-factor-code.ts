/** What an organiser typed at the code step: a six-digit code from their app, or one of their recovery codes. */
export type SecondFactorCode = { readonly kind: 'totp'; readonly code: string } | { readonly kind: 'recovery'; readonly code: string };

/** Tells the two apart: six digits (spaces ignored, as apps show "123 456") are an app's code; anything else is a recovery code. */
export function readSecondFactorCode(typed: string): SecondFactorCode {
  const digits = typed.replace(/\s/g, '');
  return /^[0-9]{6}$/.test(digits) ? { kind: 'totp', code: digits } : { kind: 'recovery', code: typed.trim() };
}

/**
 * Wrong codes in a row close the code step for a while: a six-digit code is one in a million, and
 * this keeps guessing it hopeless even before any rate limit. Only someone who knows the password
 * reaches the code step, so the lock cannot be used to keep the owner out by someone who does not.
 */
export const secondFactorLockout = { failuresAllowed: 10, lockedForMs: 15 * 60 * 1000 } as const;

/** Until when the code step is closed after these failures; undefined when it is open. */
export function secondFactorLockedUntil(failures: { count: number; lastAt: Date | null }, now: Date): Date | undefined {
  if (failures.count < secondFactorLockout.failuresAllowed || failures.lastAt === null) return undefined;
  const until = new Date(failures.lastAt.getTime() + secondFactorLockout.lockedForMs);
  return until > now ? until : undefined;
}
