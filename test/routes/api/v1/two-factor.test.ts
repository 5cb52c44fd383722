import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../support/browser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';
import { secretOfUri, totpCode, wrongTotpCode } from '../../../support/totp-codes.ts';

const password = 'correct horse battery';

describe('two-factor sign-in through the API', () => {
  let chorus: TestChorus;
  let api: string;
  beforeAll(async () => {
    chorus = await startTestChorus();
    api = `${chorus.url}/api/v1`;
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function signedUp(): Promise<{ browser: Browser; email: string; id: string }> {
    const browser = new Browser();
    const email = `totp-${randomBytes(4).toString('hex')}@example.org`;
    const created = await browser.json<{ id: string }>(`${api}/organisers`, { json: { email, name: 'Careful organiser', password } });
    expect(created.status).toBe(201);
    return { browser, email, id: created.body.id };
  }

  async function enrolled() {
    const organiser = await signedUp();
    const started = await organiser.browser.request(`${api}/me/two-factor`, { method: 'POST' });
    expect(started.status).toBe(201);
    expect(started.headers.get('cache-control')).toBe('no-store');
    const { secret, otpauthUri } = (await started.json()) as { secret: string; otpauthUri: string };
    expect(secretOfUri(otpauthUri)).toBe(secret);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Chorus%20\(127\.0\.0\.1\):/);
    const confirmed = await organiser.browser.json<{ recoveryCodes: string[] }>(`${api}/me/two-factor/confirmation`, {
      json: { code: totpCode(secret) },
    });
    expect(confirmed.status).toBe(200);
    return { ...organiser, secret, recoveryCodes: confirmed.body.recoveryCodes };
  }

  /** A fresh browser past the password step: the API answered 202 and holds the code step in its cookie. */
  async function pastPassword(email: string): Promise<Browser> {
    const browser = new Browser();
    const first = await browser.json(`${api}/session`, { json: { email, password } });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ secondFactor: 'totp' });
    // Half signed in is not signed in.
    expect((await browser.json(`${api}/me`)).status).toBe(401);
    return browser;
  }

  it('is off until a code from the app confirms it; a wrong code does not turn it on', async () => {
    const { browser, email, id } = await signedUp();
    expect((await browser.json(`${api}/me/two-factor`)).body).toEqual({ state: 'off' });
    const started = await browser.json<{ secret: string }>(`${api}/me/two-factor`, { method: 'POST' });
    expect((await browser.json(`${api}/me/two-factor`)).body).toMatchObject({ state: 'enrolling', secret: started.body.secret });
    const wrong = await browser.json(`${api}/me/two-factor/confirmation`, { json: { code: wrongTotpCode(started.body.secret) } });
    expect(wrong).toMatchObject({ status: 400, body: { field: 'code' } });
    // Still a plain password sign-in.
    expect((await new Browser().json(`${api}/session`, { json: { email, password } })).status).toBe(200);
    expect((await browser.json(`${api}/me/two-factor`)).body).toMatchObject({ state: 'enrolling' });
    const codes = await chorus.ctx.db.selectFrom('organiser_recovery_codes').select('code_hash').where('organiser_id', '=', id).execute();
    expect(codes).toHaveLength(0);
  });

  it('keeps the secret encrypted and the recovery codes hashed', async () => {
    const { id, secret, recoveryCodes } = await enrolled();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const factor = await chorus.ctx.db
      .selectFrom('organiser_second_factors')
      .selectAll()
      .where('organiser_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(factor.secret.toString('latin1')).not.toContain(secret);
    expect(chorus.ctx.cipher.decrypt(factor.key_id, factor.secret)).toBe(secret);
    const stored = await chorus.ctx.db.selectFrom('organiser_recovery_codes').select('code_hash').where('organiser_id', '=', id).execute();
    expect(stored).toHaveLength(10);
    for (const { code_hash: hash } of stored) for (const code of recoveryCodes) expect(hash).not.toContain(code.replaceAll('-', ''));
  });

  it('signs in with the password and then a code; the same code is refused a second time; a wrong code is a 401', async () => {
    const { email, secret } = await enrolled();
    // The code that confirmed the app was this step's: the next step's code signs in.
    const code = totpCode(secret, 1);
    const browser = await pastPassword(email);
    const signedIn = await browser.json(`${api}/session/second-factor`, { json: { code } });
    expect(signedIn).toMatchObject({ status: 200, body: { email } });
    expect((await browser.json(`${api}/me`)).status).toBe(200);

    const replay = await pastPassword(email);
    const refused = await replay.json(`${api}/session/second-factor`, { json: { code } });
    expect(refused).toMatchObject({ status: 401, body: { field: 'code' } });
    expect((await replay.json(`${api}/me`)).status).toBe(401);
    const wrong = await replay.json(`${api}/session/second-factor`, { json: { code: wrongTotpCode(secret) } });
    expect(wrong).toMatchObject({ status: 401, body: { field: 'code' } });
    expect((await replay.json(`${api}/me`)).status).toBe(401);
  });

  it('lets a recovery code sign in once', async () => {
    const { email, recoveryCodes } = await enrolled();
    const [recoveryCode = ''] = recoveryCodes;
    const first = await pastPassword(email);
    // Typed as a person might: upper case, no hyphens.
    expect(
      (await first.json(`${api}/session/second-factor`, { json: { code: recoveryCode.toUpperCase().replaceAll('-', ' ') } })).status,
    ).toBe(200);
    expect((await first.json(`${api}/me/two-factor`)).body).toMatchObject({ state: 'on', recoveryCodesLeft: 9 });
    const again = await pastPassword(email);
    expect((await again.json(`${api}/session/second-factor`, { json: { code: recoveryCode } })).status).toBe(401);
  });

  it('refuses the code step without a password step, and after five minutes', async () => {
    const { email, secret } = await enrolled();
    const stranger = new Browser();
    const unasked = await stranger.json(`${api}/session/second-factor`, { json: { code: totpCode(secret, 1) } });
    expect(unasked).toMatchObject({ status: 401, body: { message: expect.stringMatching(/sign in again/) as string } });
    const late = await pastPassword(email);
    // The cookie says when the code step closes; this Chorus is asked six minutes later.
    const realNow = Date.now;
    Date.now = () => realNow() + 6 * 60 * 1000;
    try {
      const lapsed = await late.json(`${api}/session/second-factor`, { json: { code: totpCode(secret, 1, realNow()) } });
      expect(lapsed).toMatchObject({ status: 401, body: { message: expect.stringMatching(/sign in again/) as string } });
    } finally {
      Date.now = realNow;
    }
  });

  it('closes the code step after ten wrong codes in a row, even for the right one', async () => {
    const { email, secret } = await enrolled();
    const browser = await pastPassword(email);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await browser.json(`${api}/session/second-factor`, { json: { code: wrongTotpCode(secret) } })).status).toBe(401);
    }
    const locked = await browser.json(`${api}/session/second-factor`, { json: { code: totpCode(secret, 1) } });
    expect(locked).toMatchObject({ status: 403, body: { message: expect.stringMatching(/too many wrong codes/) as string } });
    expect((await browser.json(`${api}/me`)).status).toBe(401);
  });

  it('answers a wrong password the same whether or not the account has two-factor sign-in, or exists', async () => {
    const { email } = await enrolled();
    const plain = await signedUp();
    const answers = await Promise.all(
      [email, plain.email, 'nobody-at-all@example.org'].map((address) =>
        new Browser().json(`${api}/session`, { json: { email: address, password: 'not the password' } }),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(401);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
  });

  it('turns off only with the password and a code, and never with an API token', async () => {
    const { browser, email, recoveryCodes } = await enrolled();
    const token = await browser.json<{ token: string }>(`${api}/api-tokens`, { json: { name: 'script' } });
    const bearer = { authorization: `Bearer ${token.body.token}` };
    expect((await new Browser().json(`${api}/me/two-factor`, { method: 'POST', headers: bearer })).status).toBe(403);
    const [first = '', second = ''] = recoveryCodes;
    const withToken = await new Browser().json(`${api}/me/two-factor`, {
      method: 'DELETE',
      headers: bearer,
      json: { password, code: first },
    });
    expect(withToken.status).toBe(403);

    const wrongPassword = await browser.json(`${api}/me/two-factor`, {
      method: 'DELETE',
      json: { password: 'not the password', code: first },
    });
    expect(wrongPassword).toMatchObject({ status: 401, body: { field: 'password' } });
    const wrongCode = await browser.json(`${api}/me/two-factor`, { method: 'DELETE', json: { password, code: 'aaaa-bbbb-cccc' } });
    expect(wrongCode).toMatchObject({ status: 401, body: { field: 'code' } });
    expect((await browser.json(`${api}/me/two-factor`)).body).toMatchObject({ state: 'on' });

    expect((await browser.request(`${api}/me/two-factor`, { method: 'DELETE', json: { password, code: second } })).status).toBe(204);
    expect((await browser.json(`${api}/me/two-factor`)).body).toEqual({ state: 'off' });
    expect((await new Browser().json(`${api}/session`, { json: { email, password } })).status).toBe(200);
  });
});
