import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../support/browser.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';
import { totpCode, wrongTotpCode } from '../../support/totp-codes.ts';

const html = { accept: 'text/html' };
const password = 'correct horse battery';

/** A person in a browser: reads each form's CSRF token from the page before posting it, as the browser would send it. */
class Person {
  readonly browser = new Browser();
  private readonly base: string;
  private csrf = '';
  constructor(base: string) {
    this.base = base;
  }

  async open(path: string): Promise<{ status: number; text: string; response: Response }> {
    const response = await this.browser.request(`${this.base}${path}`, { headers: html });
    const text = await response.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? this.csrf;
    return { status: response.status, text, response };
  }

  async submit(path: string, form: Record<string, string>): Promise<{ status: number; text: string; location: string | null }> {
    const response = await this.browser.request(`${this.base}${path}`, { headers: html, form: { _csrf: this.csrf, ...form } });
    const text = await response.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? this.csrf;
    return { status: response.status, text, location: response.headers.get('location') };
  }
}

/** The message beside a field, as the page shows it. */
function fieldError(page: string, field: string): string | undefined {
  return new RegExp(`id="${field}-error"><span class="visually-hidden">Error: </span>([^<]*)<`).exec(page)?.[1];
}

describe('two-factor sign-in through the pages', () => {
  let chorus: TestChorus;
  beforeAll(async () => {
    chorus = await startTestChorus();
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('says beside the password field when it is too short or common, and creates nothing', async () => {
    const person = new Person(chorus.url);
    const email = `short-${randomBytes(4).toString('hex')}@example.org`;
    await person.open('/organiser/sign-up');
    const short = await person.submit('/organiser/sign-up', { name: 'Branch', email, password: 'fourteen chars' });
    expect(short.status).toBe(400);
    expect(fieldError(short.text, 'password')).toMatch(/at least 15 characters/);
    const common = await person.submit('/organiser/sign-up', { name: 'Branch', email, password: 'passwordpassword' });
    expect(common.status).toBe(400);
    expect(fieldError(common.text, 'password')).toMatch(/common and breached passwords/);
    const rows = await chorus.ctx.db.selectFrom('organisers').select('id').where('email', '=', email).execute();
    expect(rows).toHaveLength(0);
  });

  it('sets up on the account page, shows the recovery codes once, then signs in with a code, and a recovery code once', async () => {
    const person = new Person(chorus.url);
    const email = `pages-${randomBytes(4).toString('hex')}@example.org`;
    await person.open('/organiser/sign-up');
    expect((await person.submit('/organiser/sign-up', { name: 'Careful branch', email, password })).status).toBe(303);

    const off = await person.open('/organiser/account/two-factor');
    expect(off.text).toContain('Two-factor sign-in is <strong>off</strong>');
    const started = await person.submit('/organiser/account/two-factor', {});
    expect(started).toMatchObject({ status: 303, location: '/organiser/account/two-factor' });
    const enrolling = await person.open('/organiser/account/two-factor');
    expect(enrolling.response.headers.get('cache-control')).toBe('no-store');
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(enrolling.text)?.[1] ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolling.text).toContain('src="data:image/svg+xml;base64,');

    const wrong = await person.submit('/organiser/account/two-factor/confirm', { code: wrongTotpCode(secret) });
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.text, 'code')).toMatch(/not the code your app shows/);
    const confirmed = await person.submit('/organiser/account/two-factor/confirm', { code: totpCode(secret) });
    expect(confirmed.status).toBe(200);
    const recoveryCodes = [...confirmed.text.matchAll(/<li><code>([a-z2-7-]+)<\/code><\/li>/g)].map((match) => match[1] ?? '');
    expect(recoveryCodes).toHaveLength(10);
    // Shown once: the account page now counts them and no longer shows them.
    const on = await person.open('/organiser/account/two-factor');
    expect(on.text).toContain('<strong>10</strong> unused recovery codes');
    for (const code of recoveryCodes) expect(on.text).not.toContain(code);
    await person.submit('/organiser/sign-out', {});

    // Password, then the code page; a wrong code stays there with its message beside the field.
    const signingIn = new Person(chorus.url);
    await signingIn.open('/organiser/sign-in');
    const passwordStep = await signingIn.submit('/organiser/sign-in', { email, password });
    expect(passwordStep).toMatchObject({ status: 303, location: '/organiser/sign-in/code' });
    expect((await signingIn.open('/organiser/campaigns')).status).toBe(303);
    expect((await signingIn.open('/organiser/sign-in/code')).status).toBe(200);
    const wrongCode = await signingIn.submit('/organiser/sign-in/code', { code: wrongTotpCode(secret) });
    expect(wrongCode.status).toBe(401);
    expect(fieldError(wrongCode.text, 'code')).toMatch(/not right/);
    const code = totpCode(secret, 1);
    expect(await signingIn.submit('/organiser/sign-in/code', { code })).toMatchObject({ status: 303, location: '/organiser/campaigns' });
    expect((await signingIn.open('/organiser/campaigns')).status).toBe(200);

    // The same code again, in another browser: refused.
    const replaying = new Person(chorus.url);
    await replaying.open('/organiser/sign-in');
    await replaying.submit('/organiser/sign-in', { email, password });
    await replaying.open('/organiser/sign-in/code');
    expect((await replaying.submit('/organiser/sign-in/code', { code })).status).toBe(401);
    // A recovery code works there, once.
    const [recoveryCode = ''] = recoveryCodes;
    expect(await replaying.submit('/organiser/sign-in/code', { code: recoveryCode })).toMatchObject({ status: 303 });
    const again = new Person(chorus.url);
    await again.open('/organiser/sign-in');
    await again.submit('/organiser/sign-in', { email, password });
    await again.open('/organiser/sign-in/code');
    expect((await again.submit('/organiser/sign-in/code', { code: recoveryCode })).status).toBe(401);

    // Turning it off takes the password and a code.
    const account = await replaying.open('/organiser/account/two-factor');
    expect(account.text).toContain('<strong>9</strong> unused recovery codes');
    const noPassword = await replaying.submit('/organiser/account/two-factor/off', {
      password: 'wrong password',
      code: recoveryCodes[1] ?? '',
    });
    expect(noPassword.status).toBe(401);
    expect(fieldError(noPassword.text, 'password')).toMatch(/not your password/);
    const turnedOff = await replaying.submit('/organiser/account/two-factor/off', { password, code: recoveryCodes[1] ?? '' });
    expect(turnedOff).toMatchObject({ status: 303 });
    expect((await replaying.open('/organiser/account/two-factor')).text).toContain('Two-factor sign-in is <strong>off</strong>');
    // Eight argon2 hashes end to end: seconds each when the shared machine is busy.
  }, 90_000);

  it('sends the code page back to the password step when no password was given', async () => {
    const person = new Person(chorus.url);
    const page = await person.open('/organiser/sign-in/code');
    expect(page.status).toBe(303);
    expect(page.response.headers.get('location')).toBe('/organiser/sign-in');
    await person.open('/organiser/sign-in');
    const posted = await person.submit('/organiser/sign-in/code', { code: '123456' });
    expect(posted.status).toBe(401);
    expect(posted.text).toContain('Signing in took too long');
  });
});
