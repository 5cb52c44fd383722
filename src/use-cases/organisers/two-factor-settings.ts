import type { ChorusContext } from '../../chorus-context.ts';
import type { TokenCipher } from '../../security/token-cipher.ts';
import { totpUri } from '../../security/totp.ts';
import type { Organiser } from '../../storage/database.ts';
import { countUnusedRecoveryCodes, findSecondFactor, type StoredSecondFactor } from '../../storage/second-factor.repository.ts';

/** What an authenticator app needs to start making codes: the secret, and the same as an otpauth:// URI (for the QR code). */
export interface TotpEnrolment {
  readonly secret: string;
  readonly otpauthUri: string;
}

/** An organiser's two-factor sign-in: off, being set up (the secret to add to their app), or on. */
export type TwoFactorSettings =
  | { readonly state: 'off' }
  | ({ readonly state: 'enrolling' } & TotpEnrolment)
  | { readonly state: 'on'; readonly since: Date; readonly recoveryCodesLeft: number };

/** How an authenticator app lists this Chorus: by name and host, as several may run. */
function issuerOf(publicUrl: string): string {
  return `Chorus (${new URL(publicUrl).hostname})`;
}

/** The secret of a factor being enrolled and its otpauth:// URI, labelled with the organiser's email. */
export function enrolmentOf(
  ctx: Pick<ChorusContext, 'cipher' | 'config'>,
  organiser: Pick<Organiser, 'email'>,
  factor: Pick<StoredSecondFactor, 'key_id' | 'secret'>,
): TotpEnrolment {
  const secret = openSecret(ctx.cipher, factor);
  return { secret, otpauthUri: totpUri(secret, { issuer: issuerOf(ctx.config.PUBLIC_URL), account: organiser.email }) };
}

/** A stored TOTP secret, decrypted. */
export function openSecret(cipher: TokenCipher, factor: Pick<StoredSecondFactor, 'key_id' | 'secret'>): string {
  return cipher.decrypt(factor.key_id, factor.secret);
}

/** Reads an organiser's two-factor settings, for the account page and `GET /api/v1/me/two-factor`. */
export async function readTwoFactorSettings(
  ctx: Pick<ChorusContext, 'db' | 'cipher' | 'config'>,
  organiser: Pick<Organiser, 'id' | 'email'>,
): Promise<TwoFactorSettings> {
  const factor = await findSecondFactor(ctx.db, organiser.id);
  if (factor === undefined) return { state: 'off' };
  if (factor.confirmed_at === null) return { state: 'enrolling', ...enrolmentOf(ctx, organiser, factor) };
  return { state: 'on', since: factor.confirmed_at, recoveryCodesLeft: await countUnusedRecoveryCodes(ctx.db, organiser.id) };
}
