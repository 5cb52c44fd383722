import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInOrganiser, signInPasswordCheck } from '../../src/use-cases/organisers/sign-in-organiser.ts';
import { signUpOrganiser } from '../../src/use-cases/organisers/sign-up-organiser.ts';
import { Browser } from '../support/browser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

const html = { accept: 'text/html' };

describe('organiser sign-up and sign-in, one use case for the API and the pages', () => {
  let chorus: TestChorus;
  const email = `known-${randomBytes(4).toString('hex')}@example.org`;
  const password = 'correct horse battery';

  beforeAll(async () => {
    chorus = await startTestChorus();
    const created = await signUpOrganiser(chorus.ctx.db, { name: 'Known organiser', email, password });
    expect(created.kind).toBe('done');
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
    const broken = await signUpOrganiser(chorus.ctx.db, { name: '', email: stranger, password: 'short' });
    expect(broken.kind).toBe('invalid');
    expect(broken.kind === 'done' ? [] : Object.keys(broken.fields ?? {})).toEqual(['name', 'password']);
    expect(await organisersWith(stranger)).toBe(0);
    const taken = await signUpOrganiser(chorus.ctx.db, { name: 'Again', email, password });
    expect(taken).toMatchObject({ kind: 'conflict', field: 'email' });
    expect(await organisersWith(email)).toBe(1);
  });

  it('trims the name and email as the pages did, for the API too: a name of spaces is refused, padding is not stored', async () => {
    const padded = `padded-${randomBytes(4).toString('hex')}@example.org`;
    const blank = await signUpOrganiser(chorus.ctx.db, { name: '   ', email: padded, password });
    expect(blank).toMatchObject({ kind: 'invalid' });
    expect(await organisersWith(padded)).toBe(0);
    const created = await signUpOrganiser(chorus.ctx.db, { name: '  Padded organiser ', email: ` ${padded}  `, password });
    expect(created.kind === 'done' ? [created.value.name, created.value.email] : created).toEqual(['Padded organiser', padded]);
    expect((await signInOrganiser(chorus.ctx.db, { email: `  ${padded} `, password })).kind).toBe('done');
  });

  it('checks one argon2 hash for a known email and for an unknown one, and answers both failures alike', async () => {
    const checks = vi.spyOn(signInPasswordCheck, 'verify');
    const wrongPassword = await signInOrganiser(chorus.ctx.db, { email, password: 'not the password' });
    const unknownEmail = await signInOrganiser(chorus.ctx.db, { email: 'nobody-here@example.org', password: 'not the password' });
    expect(unknownEmail).toEqual(wrongPassword);
    expect(unknownEmail.kind).toBe('unauthenticated');
    expect(checks).toHaveBeenCalledTimes(2);
    // The unknown email is checked against a real argon2id hash, not skipped.
    for (const [hash] of checks.mock.calls) expect(hash).toMatch(/^\$argon2id\$/);
    expect(await signInOrganiser(chorus.ctx.db, { email, password })).toMatchObject({ kind: 'done', value: { email } });
  });

  it('makes the same password check through the sign-in page and the API, for a known and an unknown email', async () => {
    const checks = vi.spyOn(signInPasswordCheck, 'verify');
    const attempts = [email, 'nobody-here@example.org'];
    for (const address of attempts) {
      const api = await new Browser().json(`${chorus.url}/api/v1/session`, { json: { email: address, password: 'not the password' } });
      expect(api.status).toBe(401);

      const browser = new Browser();
      const form = await (await browser.request(`${chorus.url}/organiser/sign-in`, { headers: html })).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
      const page = await browser.request(`${chorus.url}/organiser/sign-in`, {
        headers: html,
        form: { _csrf: token, email: address, password: 'not the password' },
      });
      expect(page.status).toBe(401);
      expect(await page.text()).toContain('The email or the password is wrong.');
    }
    // One argon2 check per attempt: two through the API and two through the page, the unknown email's included.
    expect(checks).toHaveBeenCalledTimes(4);
    for (const [hash] of checks.mock.calls) expect(hash).toMatch(/^\$argon2id\$/);
  });
});
