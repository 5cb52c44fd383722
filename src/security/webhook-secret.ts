import { randomBytes } from 'node:crypto';
import type { SealedWebhookSecret } from '../storage/webhook-endpoint.repository.ts';
import type { TokenCipher } from './token-cipher.ts';

/** How a Standard Webhooks signing secret begins. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, base64, after `whsec_` (the Standard Webhooks form). */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** Seals a signing secret for storage with the token cipher's current key. */
export function sealWebhookSecret(cipher: TokenCipher, secret: string): SealedWebhookSecret {
  return { keyId: cipher.keyId, secret: cipher.encrypt(secret) };
}

/** Opens a stored signing secret, to sign a request. */
export function openWebhookSecret(cipher: TokenCipher, sealed: SealedWebhookSecret): string {
  return cipher.decrypt(sealed.keyId, sealed.secret);
}
