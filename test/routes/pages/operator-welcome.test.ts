import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlForms } from '../../support/html-forms.ts';
import { InjectBrowser } from '../../support/inject-browser.ts';
import { startTestChorus, testEnvironment, type TestChorus } from '../../support/test-chorus.ts';

const run = promisify(execFile);
const html = { accept: 'text/html' };

// `npm run operator:create` in a process of its own, then its one-time link in a browser: a password chosen once,
// the operator signed in and sent to turn on two-factor sign-in, the link dead after its use.
describe('npm run operator:create and its one-time link', () => {
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function createOperator(email: string): Promise<string> {
    const { stdout } = await run(process.execPath, ['scripts/create-operator.ts', '--email', email], {
      env: { ...process.env, ...testEnvironment({ PUBLIC_URL: chorus.url }) },
    });
    const link = /^(http\S+\/operator\/welcome\?token=\S+)$/m.exec(stdout)?.[1];
    expect(link, stdout).toBeDefined();
    return link ?? '';
  }

  it('makes an operator whose link sets a password once, signs them in, and sends them to two-factor sign-in', async () => {
    const link = await createOperator('new-operator@example.org');
    const stored = await chorus.ctx.db.selectFrom('operator_sign_in_links').select('token_hash').execute();
    expect(stored).toHaveLength(1);
    expect(link).not.toContain(stored[0]?.token_hash);

    const browser = new InjectBrowser(chorus.app);
    const page = await browser.request(link, { headers: html });
    expect(page.status).toBe(200);
    const form = htmlForms(await page.text()).find((f) => f.action === '/operator/welcome');
    const fields = new URLSearchParams({
      _csrf: form?.fields._csrf?.[0] ?? '',
      token: form?.fields.token?.[0] ?? '',
      password: 'a long operator passphrase',
    });
    const chosen = await browser.request(`${chorus.url}/operator/welcome`, {
      method: 'POST',
      body: fields.toString(),
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe('/organiser/account/two-factor');
    // Signed in, but no operator route opens before two-factor sign-in is on.
    const overview = await browser.json<{ message: string }>(`${chorus.url}/api/v1/operator/overview`);
    expect(overview.status).toBe(403);
    expect(overview.body.message).toMatch(/two-factor/);
    const operatorPage = await browser.request(`${chorus.url}/operator`, { headers: html });
    expect([operatorPage.status, operatorPage.headers.get('location')]).toEqual([303, '/organiser/account/two-factor']);
    const campaignsPage = await browser.request(`${chorus.url}/organiser/campaigns`, { headers: html });
    expect([campaignsPage.status, campaignsPage.headers.get('location')]).toEqual([303, '/organiser/account/two-factor']);

    // The link works once.
    expect((await new InjectBrowser(chorus.app).request(link, { headers: html })).status).toBe(410);
    const someoneElse = new InjectBrowser(chorus.app);
    const signInPage = await someoneElse.request(`${chorus.url}/organiser/sign-in`, { headers: html });
    const csrf = htmlForms(await signInPage.text()).find((f) => f.action === '/organiser/sign-in')?.fields._csrf?.[0] ?? '';
    const again = await someoneElse.request(`${chorus.url}/operator/welcome`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: csrf, token: fields.get('token') ?? '', password: 'another long passphrase here' }).toString(),
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(again.status).toBe(410);
    const signIn = await new InjectBrowser(chorus.app).json(`${chorus.url}/api/v1/session`, {
      json: { email: 'new-operator@example.org', password: 'a long operator passphrase' },
    });
    expect(signIn.status).toBe(200);
  });

  it('promotes an existing organiser', async () => {
    const organiser = new InjectBrowser(chorus.app);
    await organiser.json(`${chorus.url}/api/v1/organisers`, {
      json: { email: 'promoted@example.org', name: 'A charity', password: 'correct horse battery staple' },
    });
    await createOperator('promoted@example.org');
    const row = await chorus.ctx.db
      .selectFrom('organisers')
      .select('role')
      .where('email', '=', 'promoted@example.org')
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('operator');
  });
});
