import { Secret, TOTP } from 'otpauth';

// What every authenticator app reads: SHA-1, six digits, thirty seconds (RFC 6238's defaults).
const totpShape = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** A new random TOTP secret in base32: 160 bits, the length RFC 4226 recommends for HMAC-SHA-1. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads, from the QR code or pasted; `issuer` names this Chorus, `account` the organiser. */
export function totpUri(secret: string, names: { issuer: string; account: string }): string {
  return new TOTP({ ...totpShape, issuer: names.issuer, label: names.account, secret: Secret.fromBase32(secret) }).toString();
}

/**
 * The time step a code belongs to when it matches the secret at `now` or one step either side (a
 * phone's clock a little off); null when it matches none. The caller refuses a step already used.
 */
export function totpCodeStep(secret: string, code: string, now: Date): number | null {
  const totp = new TOTP({ ...totpShape, secret: Secret.fromBase32(secret) });
  const delta = totp.validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : totp.counter({ timestamp: now.getTime() }) + delta;
}
