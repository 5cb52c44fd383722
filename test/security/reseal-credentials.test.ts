import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resealCredentials } from '../../src/security/reseal-credentials.ts';
import { resealSecondFactors } from '../../src/security/reseal-second-factors.ts';
import { resealWebhookSecrets } from '../../src/security/reseal-webhook-secrets.ts';
import { registerWebhookEndpoint } from '../../src/use-cases/webhooks/register-webhook-endpoint.ts';
import { rotateWebhookSecret } from '../../src/use-cases/webhooks/rotate-webhook-secret.ts';
import { tokenCipherFromConfig } from '../../src/security/token-cipher.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { totpCode } from '../support/totp-codes.ts';
import { confirmTwoFactorEnrolment } from '../../src/use-cases/organisers/confirm-two-factor-enrolment.ts';
import { finishTwoFactorSignIn } from '../../src/use-cases/organisers/finish-two-factor-sign-in.ts';
import { signUpOrganiser } from '../../src/use-cases/organisers/sign-up-organiser.ts';
import { startTwoFactorEnrolment } from '../../src/use-cases/organisers/start-two-factor-enrolment.ts';

describe('rotating the token encryption key', () => {
  let chorus: TestChorus;
  beforeAll(async () => {
    chorus = await startTestChorus();
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('re-seals every grant with the new key, so the old key can be dropped', async () => {
    const oldKey = {
      TOKEN_ENCRYPTION_KEY: chorus.config.TOKEN_ENCRYPTION_KEY,
      TOKEN_ENCRYPTION_KEY_ID: chorus.config.TOKEN_ENCRYPTION_KEY_ID,
    };
    const supporters = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', ['rotate_ada', 'rotate_bo']);
    const campaign = await insertCollectingCampaign(chorus.ctx.db, new Date(Date.now() + 60_000));
    const pledgeIds = await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, supporters);

    const newKey = randomBytes(32).toString('base64');
    const rotating = tokenCipherFromConfig({
      TOKEN_ENCRYPTION_KEY: newKey,
      TOKEN_ENCRYPTION_KEY_ID: 'k2',
      TOKEN_DECRYPTION_KEYS: `${oldKey.TOKEN_ENCRYPTION_KEY_ID}:${oldKey.TOKEN_ENCRYPTION_KEY}`,
    });
    const result = await resealCredentials(chorus.ctx.db, rotating);
    // Other test files in this run sealed grants under the same key id with keys of their own: those stay unreadable here.
    expect(result.resealed).toBeGreaterThanOrEqual(2);

    const newKeyOnly = tokenCipherFromConfig({ TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_KEY_ID: 'k2', TOKEN_DECRYPTION_KEYS: '' });
    const rows = await chorus.ctx.db
      .selectFrom('pledge_credentials')
      .selectAll()
      .where('pledge_id', 'in', pledgeIds)
      .orderBy('pledge_id')
      .execute();
    const opened = rows.map((row) => ({ keyId: row.key_id, accessToken: newKeyOnly.decrypt(row.key_id, row.access_token) }));
    expect(opened.map((row) => row.keyId)).toEqual(['k2', 'k2']);
    expect(opened.map((row) => row.accessToken).sort()).toEqual(supporters.map((s) => s.accessToken).sort());
    expect(() => chorus.ctx.cipher.decrypt('k2', rows[0]?.access_token ?? Buffer.alloc(0))).toThrow();
  });

  it("re-seals organisers' TOTP secrets too, so their two-factor sign-in survives dropping the old key", async () => {
    const organiser = await signUpOrganiser(
      chorus.ctx,
      {
        name: 'Rotating organiser',
        email: `rotate-${randomBytes(4).toString('hex')}@example.org`,
        password: 'correct horse battery',
      },
      chorus.config,
    );
    if (organiser.kind !== 'done') throw new Error('sign-up failed');
    const enrolment = await startTwoFactorEnrolment(chorus.ctx, organiser.value);
    if (enrolment.kind !== 'done') throw new Error('enrolment failed');
    expect((await confirmTwoFactorEnrolment(chorus.ctx, organiser.value.id, totpCode(enrolment.value.secret))).kind).toBe('done');

    const newKey = randomBytes(32).toString('base64');
    const rotating = tokenCipherFromConfig({
      TOKEN_ENCRYPTION_KEY: newKey,
      TOKEN_ENCRYPTION_KEY_ID: 'k3',
      TOKEN_DECRYPTION_KEYS: `${chorus.config.TOKEN_ENCRYPTION_KEY_ID}:${chorus.config.TOKEN_ENCRYPTION_KEY}`,
    });
    expect((await resealSecondFactors(chorus.ctx.db, rotating)).resealed).toBeGreaterThanOrEqual(1);

    // With the old key gone, the code step still opens the secret.
    const newKeyOnly = tokenCipherFromConfig({ TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_KEY_ID: 'k3', TOKEN_DECRYPTION_KEYS: '' });
    const signedIn = await finishTwoFactorSignIn(
      { db: chorus.ctx.db, cipher: newKeyOnly },
      organiser.value.id,
      totpCode(enrolment.value.secret, 1),
    );
    expect(signedIn.kind).toBe('done');
  });

  it('re-seals webhook signing secrets, the previous one of a rotation too, so requests are still signed after the old key goes', async () => {
    const organiser = await signUpOrganiser(
      chorus.ctx,
      {
        name: 'Webhook organiser',
        email: `rotate-${randomBytes(4).toString('hex')}@example.org`,
        password: 'correct horse battery',
      },
      chorus.config,
    );
    if (organiser.kind !== 'done') throw new Error('sign-up failed');
    const settings = {
      db: chorus.ctx.db,
      cipher: chorus.ctx.cipher,
      urls: { localOrigins: ['http://127.0.0.1:9'] },
      secretOverlapMs: 3600_000,
    };
    const actor = { kind: 'organiser' as const, organiserId: organiser.value.id, clientIp: '127.0.0.1' };
    const { organisation_id: organisationId } = await chorus.ctx.db
      .selectFrom('organisation_members')
      .select('organisation_id')
      .where('organiser_id', '=', organiser.value.id)
      .executeTakeFirstOrThrow();
    const registered = await registerWebhookEndpoint(settings, actor, organisationId, {
      url: 'http://127.0.0.1:9/in',
      events: ['pledge.created'],
    });
    if (registered.kind !== 'done') throw new Error('registration failed');
    const rotated = await rotateWebhookSecret(settings, actor, organisationId, registered.value.id);
    if (rotated.kind !== 'done') throw new Error('rotation failed');

    const newKey = randomBytes(32).toString('base64');
    const rotating = tokenCipherFromConfig({
      TOKEN_ENCRYPTION_KEY: newKey,
      TOKEN_ENCRYPTION_KEY_ID: 'k4',
      TOKEN_DECRYPTION_KEYS: `${chorus.config.TOKEN_ENCRYPTION_KEY_ID}:${chorus.config.TOKEN_ENCRYPTION_KEY}`,
    });
    expect((await resealWebhookSecrets(chorus.ctx.db, rotating)).resealed).toBeGreaterThanOrEqual(1);

    const newKeyOnly = tokenCipherFromConfig({ TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_KEY_ID: 'k4', TOKEN_DECRYPTION_KEYS: '' });
    const row = await chorus.ctx.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', registered.value.id)
      .executeTakeFirstOrThrow();
    expect(newKeyOnly.decrypt(row.key_id, row.secret)).toBe(rotated.value.secret);
    expect(newKeyOnly.decrypt(row.previous_key_id ?? '', row.previous_secret ?? Buffer.alloc(0))).toBe(registered.value.secret);
  });
});
