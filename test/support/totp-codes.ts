import { Secret, TOTP } from 'otpauth';

const period = 30_000;

/** The code an authenticator app holding this secret shows `stepsAhead` thirty-second steps from now (0: now). */
export function totpCode(secret: string, stepsAhead = 0, now = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now + stepsAhead * period });
}

/** A six-digit code that is not the app's code for any step from two before now to two after: a wrong code, for sure. */
export function wrongTotpCode(secret: string, now = Date.now()): string {
  const near = new Set([-2, -1, 0, 1, 2].map((steps) => totpCode(secret, steps, now)));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

/** The secret's key from an otpauth:// URI, as an authenticator app reads it from the QR code. */
export function secretOfUri(uri: string): string {
  return new URL(uri).searchParams.get('secret') ?? '';
}
