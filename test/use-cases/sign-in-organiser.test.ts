import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPasswordHasher, type PasswordHasher } from '../../src/security/password.ts';
import { confirmTwoFactorEnrolment } from '../../src/use-cases/organisers/confirm-two-factor-enrolment.ts';
import { finishTwoFactorSignIn } from '../../src/use-cases/organisers/finish-two-factor-sign-in.ts';
import { hasSecondFactor } from '../../src/use-cases/organisers/has-second-factor.ts';
import { signInOrganiser } from '../../src/use-cases/organisers/sign-in-organiser.ts';
import { signUpOrganiser } from '../../src/use-cases/organisers/sign-up-organiser.ts';
import { startTwoFactorEnrolment } from '../../src/use-cases/organisers/start-two-factor-enrolment.ts';
import { Browser } from '../support/browser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { totpCode } from '../support/totp-codes.ts';

const html = { accept: 'text/html' };

/** A hasher that counts the checks it makes and still runs argon2, injected into the use case. */
function countingHasher(hasher: PasswordHasher): PasswordHasher & { hashes: string[] } {
  const hashes: string[] = [];
  return {
    ...hasher,
    hashes,
    verify: (hash, password) => {
      hashes.push(hash);
      return hasher.verify(hash, password);
    },
  };
}

describe('organiser sign-up and sign-in, one use case for the API and the pages', () => {
  let chorus: TestChorus;
  const email = `known-${randomBytes(4).toString('hex')}@example.org`;
  const twoFactorEmail = `two-factor-${randomBytes(4).toString('hex')}@example.org`;
  const password = 'correct horse battery';
  const twoFactor = { id: '', secret: '', recoveryCodes: [] as string[] };

  beforeAll(async () => {
    chorus = await startTestChorus({ env: { PASSWORD_HASH_COST: 'production' } });
    const created = await signUpOrganiser(chorus.ctx, { name: 'Known organiser', email, password }, chorus.config);
    expect(created.kind).toBe('done');
    const withTotp = await signUpOrganiser(chorus.ctx, { name: 'Careful organiser', email: twoFactorEmail, password }, chorus.config);
    if (withTotp.kind !== 'done') throw new Error('sign-up failed');
    const enrolment = await startTwoFactorEnrolment(chorus.ctx, withTotp.value);
    if (enrolment.kind !== 'done') throw new Error('enrolment failed');
    const confirmed = await confirmTwoFactorEnrolment(chorus.ctx, withTotp.value.id, totpCode(enrolment.value.secret));
    if (confirmed.kind !== 'done') throw new Error('confirmation failed');
    Object.assign(twoFactor, { id: withTotp.value.id, secret: enrolment.value.secret, recoveryCodes: confirmed.value.recoveryCodes });
  });
  afterAll(async () => {
    await chorus.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const organisersWith = async (address: string) =>
    (await chorus.ctx.db.selectFrom('organisers').select('id').where('email', '=', address).execute()).length;

  it('refuses every broken field at once and a taken email, creating nothing', async () => {
    const stranger = `new-${randomBytes(4).toString('hex')}@example.org`;
    const broken = await signUpOrganiser(chorus.ctx, { name: '', email: stranger, password: 'short' }, chorus.config);
    expect(broken.kind).toBe('invalid');
    expect(broken.kind === 'done' ? [] : Object.keys(broken.fields ?? {})).toEqual(['name', 'password']);
    expect(await organisersWith(stranger)).toBe(0);
    const taken = await signUpOrganiser(chorus.ctx, { name: 'Again', email, password }, chorus.config);
    expect(taken).toMatchObject({ kind: 'conflict', field: 'email' });
    expect(await organisersWith(email)).toBe(1);
  });

  it('refuses a password of 14 characters and one on the common list, naming the field', async () => {
    const stranger = `new-${randomBytes(4).toString('hex')}@example.org`;
    const short = await signUpOrganiser(chorus.ctx, { name: 'New', email: stranger, password: 'fourteen chars' }, chorus.config);
    expect(short).toMatchObject({ kind: 'invalid', field: 'password', message: expect.stringMatching(/at least 15 characters/) as string });
    const common = await signUpOrganiser(chorus.ctx, { name: 'New', email: stranger, password: 'passwordpassword' }, chorus.config);
    expect(common).toMatchObject({ kind: 'invalid', field: 'password', message: expect.stringMatching(/common and breached/) as string });
    expect(await organisersWith(stranger)).toBe(0);
  });

  it('trims the name and email as the pages did, for the API too: a name of spaces is refused, padding is not stored', async () => {
    const padded = `padded-${randomBytes(4).toString('hex')}@example.org`;
    const blank = await signUpOrganiser(chorus.ctx, { name: '   ', email: padded, password }, chorus.config);
    expect(blank).toMatchObject({ kind: 'invalid' });
    expect(await organisersWith(padded)).toBe(0);
    const created = await signUpOrganiser(chorus.ctx, { name: '  Padded organiser ', email: ` ${padded}  `, password }, chorus.config);
    expect(created.kind === 'done' ? [created.value.name, created.value.email] : created).toEqual(['Padded organiser', padded]);
    expect((await signInOrganiser(chorus.ctx, { email: `  ${padded} `, password })).kind).toBe('done');
  });

  it('checks the unknown email against a hash made as the hasher makes one, at each cost, so it costs the same', async () => {
    const parameters = (hash: string) => hash.split('$').slice(0, 4).join('$');
    expect(chorus.ctx.passwords.cost).toBe('production');
    for (const hasher of [chorus.ctx.passwords, createPasswordHasher('test')]) {
      expect(parameters(hasher.unknownEmailHash), hasher.cost).toBe(parameters(await hasher.hash('any password at all')));
      expect(parameters(hasher.unknownEmailHash), hasher.cost).toMatch(/^\$argon2id\$v=19\$m=\d+,p=\d+,t=\d+$/);
    }
    expect(parameters(chorus.ctx.passwords.unknownEmailHash)).toBe('$argon2id$v=19$m=65536,p=1,t=3');
  });

  it('makes exactly one argon2 check per attempt, for unknown and known emails, with and without two-factor sign-in', async () => {
    const attempts = [
      { email: 'nobody-here@example.org', password: 'not the password', answer: 'unauthenticated' },
      { email, password: 'not the password', answer: 'unauthenticated' },
      { email: twoFactorEmail, password: 'not the password', answer: 'unauthenticated' },
      { email, password, answer: 'signed-in' },
      { email: twoFactorEmail, password, answer: 'second-factor' },
    ];
    const failures = [];
    for (const attempt of attempts) {
      const check = countingHasher(chorus.ctx.passwords);
      const outcome = await signInOrganiser({ db: chorus.ctx.db, passwords: check }, attempt);
      expect(outcome.kind === 'done' ? outcome.value.step : outcome.kind, attempt.email).toBe(attempt.answer);
      expect(check.hashes, attempt.email).toHaveLength(1);
      expect(check.hashes[0], attempt.email).toMatch(/^\$argon2id\$v=19\$m=65536,p=1,t=3\$/);
      if (outcome.kind !== 'done') failures.push(outcome);
    }
    // Every failure is the same answer: which email has an account (or two factors) does not show.
    expect(new Set(failures.map((failure) => JSON.stringify(failure))).size).toBe(1);
  });

  it('makes the same password check through the sign-in page and the API, for a known and an unknown email', async () => {
    const checks = vi.spyOn(chorus.ctx.passwords, 'verify');
    const attempts = [email, twoFactorEmail, 'nobody-here@example.org'];
    const apiAnswers: unknown[] = [];
    const pageAnswers: string[] = [];
    for (const address of attempts) {
      const api = await new Browser().json(`${chorus.url}/api/v1/session`, { json: { email: address, password: 'not the password' } });
      expect(api.status).toBe(401);
      apiAnswers.push(api.body);

      const browser = new Browser();
      const form = await (await browser.request(`${chorus.url}/organiser/sign-in`, { headers: html })).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
      const page = await browser.request(`${chorus.url}/organiser/sign-in`, {
        headers: html,
        form: { _csrf: token, email: address, password: 'not the password' },
      });
      expect(page.status).toBe(401);
      const text = (await page.text()).replace(/name="_csrf" value="[^"]+"/g, '').replace(/value="[^"]*@[^"]*"/g, '');
      expect(text).toContain('The email or the password is wrong.');
      pageAnswers.push(text);
    }
    // One argon2 check per attempt, the unknown email's included; the same answers whichever email it was.
    expect(checks).toHaveBeenCalledTimes(6);
    for (const [hash] of checks.mock.calls) expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,p=1,t=3\$/);
    expect(new Set(apiAnswers.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(new Set(pageAnswers).size).toBe(1);
  });

  it('says which organisers have a second factor', async () => {
    const known = await chorus.ctx.db.selectFrom('organisers').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    expect(await hasSecondFactor(chorus.ctx.db, known.id)).toBe(false);
    expect(await hasSecondFactor(chorus.ctx.db, twoFactor.id)).toBe(true);
  });

  it('signs in once when the same code, or the same recovery code, arrives twice at the same moment', async () => {
    const code = totpCode(twoFactor.secret, 1);
    const sameCode = await Promise.all([0, 1].map(() => finishTwoFactorSignIn(chorus.ctx, twoFactor.id, code)));
    expect(sameCode.map((outcome) => outcome.kind).sort()).toEqual(['done', 'unauthenticated']);
    const [recoveryCode = ''] = twoFactor.recoveryCodes;
    const sameRecovery = await Promise.all([0, 1].map(() => finishTwoFactorSignIn(chorus.ctx, twoFactor.id, recoveryCode)));
    expect(sameRecovery.map((outcome) => outcome.kind).sort()).toEqual(['done', 'unauthenticated']);
  });
});
