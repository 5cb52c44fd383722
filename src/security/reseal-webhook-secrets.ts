import type { Db } from '../storage/database.ts';
import {
  listWebhookSecretsSealedWithout,
  resealWebhookSecrets as storeResealed,
  type SealedWebhookSecret,
} from '../storage/webhook-endpoint.repository.ts';
import type { TokenCipher } from './token-cipher.ts';

/** What re-sealing webhook signing secrets did. */
export interface WebhookSecretResealResult {
  readonly resealed: number;
  /** Endpoints whose secrets no configured key could open: left as they are (their requests cannot be signed until rotated). */
  readonly unreadable: number;
}

/**
 * Re-encrypts every webhook endpoint's signing secrets (the current one and, during a rotation's overlap, the previous
 * one) not sealed with the cipher's current key, so a retired token key can be dropped without stopping webhooks.
 */
export async function resealWebhookSecrets(db: Db, cipher: TokenCipher): Promise<WebhookSecretResealResult> {
  let resealed = 0;
  let unreadable = 0;
  const reseal = (sealed: SealedWebhookSecret): SealedWebhookSecret =>
    sealed.keyId === cipher.keyId ? sealed : { keyId: cipher.keyId, secret: cipher.encrypt(cipher.decrypt(sealed.keyId, sealed.secret)) };
  for (const row of await listWebhookSecretsSealedWithout(db, cipher.keyId)) {
    const was = {
      current: { keyId: row.key_id, secret: row.secret },
      previous:
        row.previous_key_id === null || row.previous_secret === null ? null : { keyId: row.previous_key_id, secret: row.previous_secret },
    };
    let now: typeof was;
    try {
      now = { current: reseal(was.current), previous: was.previous === null ? null : reseal(was.previous) };
    } catch {
      unreadable += 1;
      continue;
    }
    if (await storeResealed(db, row.id, was, now)) resealed += 1;
  }
  return { resealed, unreadable };
}
