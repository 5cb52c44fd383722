import type { Config } from '../../../config/config.ts';
import { commaList } from '../../../config/comma-list.ts';
import type { TokenCipher } from '../../security/token-cipher.ts';
import type { Db } from '../../storage/database.ts';
import type { WebhookUrlPolicy } from '../../webhooks/webhook-url-check.ts';

/** What the webhook use cases need. */
export interface WebhookSettings {
  readonly db: Db;
  readonly cipher: TokenCipher;
  readonly urls: WebhookUrlPolicy;
  /** How long a rotated secret keeps signing beside the new one. */
  readonly secretOverlapMs: number;
}

/** The webhook settings configuration asks for. */
export function webhookSettingsOf(
  db: Db,
  cipher: TokenCipher,
  config: Pick<Config, 'WEBHOOK_LOCAL_ORIGINS' | 'WEBHOOK_SECRET_OVERLAP_HOURS'>,
): WebhookSettings {
  return {
    db,
    cipher,
    urls: { localOrigins: commaList(config.WEBHOOK_LOCAL_ORIGINS) },
    secretOverlapMs: config.WEBHOOK_SECRET_OVERLAP_HOURS * 60 * 60 * 1000,
  };
}
