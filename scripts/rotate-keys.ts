// `npm run rotate-keys`: re-encrypts every stored supporter token, every organiser's TOTP secret and every webhook
// signing secret with TOKEN_ENCRYPTION_KEY.
// Rotation: put the old key in TOKEN_DECRYPTION_KEYS (id:base64), set a new TOKEN_ENCRYPTION_KEY
// and TOKEN_ENCRYPTION_KEY_ID, restart the API and workers, run this, then drop the old key.
import { readConfigOrExit } from '../config/read-config.ts';
import { resealCredentials } from '../src/security/reseal-credentials.ts';
import { resealSecondFactors } from '../src/security/reseal-second-factors.ts';
import { resealWebhookSecrets } from '../src/security/reseal-webhook-secrets.ts';
import { tokenCipherFromConfig } from '../src/security/token-cipher.ts';
import { createDatabase } from '../src/storage/database.ts';

const config = readConfigOrExit();
const db = createDatabase(config.DATABASE_URL, { max: 2 });
try {
  const cipher = tokenCipherFromConfig(config);
  const result = await resealCredentials(db, cipher);
  console.log(`Re-sealed ${result.resealed} supporter grants with key ${config.TOKEN_ENCRYPTION_KEY_ID}.`);
  const secondFactors = await resealSecondFactors(db, cipher);
  console.log(`Re-sealed ${secondFactors.resealed} organisers' two-factor secrets with key ${config.TOKEN_ENCRYPTION_KEY_ID}.`);
  const webhooks = await resealWebhookSecrets(db, cipher);
  console.log(`Re-sealed the signing secrets of ${webhooks.resealed} webhook endpoints with key ${config.TOKEN_ENCRYPTION_KEY_ID}.`);
  if (result.keyIdsLeft.length > 0) {
    console.error(
      `${result.unreadable} grants sealed with ${result.keyIdsLeft.join(', ')} are left: no configured key opens them (a retired key missing from TOKEN_DECRYPTION_KEYS?).`,
    );
    process.exitCode = 1;
  }
  if (secondFactors.unreadable > 0) {
    console.error(
      `${secondFactors.unreadable} two-factor secrets are left: no configured key opens them (a retired key missing from TOKEN_DECRYPTION_KEYS?).`,
    );
    process.exitCode = 1;
  }
  if (webhooks.unreadable > 0) {
    console.error(
      `${webhooks.unreadable} webhook endpoints' secrets are left: no configured key opens them (a retired key missing from TOKEN_DECRYPTION_KEYS?).`,
    );
    process.exitCode = 1;
  }
  if (process.exitCode !== 1) console.log('Nothing needs a retired key any more: it can be removed from TOKEN_DECRYPTION_KEYS.');
} finally {
  await db.destroy();
}
