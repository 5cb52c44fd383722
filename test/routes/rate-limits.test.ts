import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { rateLimitTable, scaledMax } from '../../src/plugins/app/rate-limit-table.ts';
import { signUpOrganiser as signUpThroughUseCase } from '../../src/use-cases/organisers/sign-up-organiser.ts';
import { addCampaignImageIfNone } from '../../src/storage/campaign-image.repository.ts';
import { campaignImageRow } from '../../src/use-cases/campaigns/campaign-image.ts';
import { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const password = 'correct horse battery';
const email = () => `organiser-${randomBytes(4).toString('hex')}@example.org`;
/** A client behind the trusted proxy (TRUST_PROXY=loopback): the address X-Forwarded-For names. */
const client = (address: string) => ({ 'x-forwarded-for': address });

// Two API processes on one Redis and one database, behind a proxy on loopback, with every limit
// at a fifth of its production figure so that a test reaches it in a few requests.
const scale = 0.2;
const limitOf = (name: keyof typeof rateLimitTable) => scaledMax(rateLimitTable[name], scale);

describe('rate limits', () => {
  let first: TestChorus;
  let second: TestChorus;
  let plain: TestChorus;

  beforeAll(async () => {
    const env = { QUEUE_PREFIX: `${inject('queuePrefix')}-limits-${randomBytes(3).toString('hex')}`, RATE_LIMIT_SCALE: String(scale) };
    [first, second, plain] = await Promise.all([
      startTestChorus({ env: { ...env, TRUST_PROXY: 'loopback' } }),
      startTestChorus({ env: { ...env, TRUST_PROXY: 'loopback' } }),
      // As installed: the production limits, and no proxy trusted.
      startTestChorus({ env: { RATE_LIMIT_SCALE: '1' } }),
    ]);
  });
  afterAll(async () => {
    // One after the other: the two share their queues, which each empties as it closes.
    await first.close();
    await second.close();
    await plain.close();
  });

  const signIn = (chorus: TestChorus, from: string, body: { email: string; password: string }) =>
    new Browser().json(`${chorus.url}/api/v1/session`, { json: body, headers: client(from) });

  it('counts sign-in attempts per account across API processes: past the limit a 429 with Retry-After, and no password is checked', async () => {
    const address = email();
    expect((await signUpThroughUseCase(first.ctx, { name: 'Guessed at', email: address, password }, first.config)).kind).toBe('done');
    const checks = [vi.spyOn(first.ctx.passwords, 'verify'), vi.spyOn(second.ctx.passwords, 'verify')];
    const limit = limitOf('sign-in-per-account');
    for (let attempt = 0; attempt < limit; attempt++) {
      // Alternately on each process, from one client.
      const answer = await signIn(attempt % 2 === 0 ? first : second, '203.0.113.1', { email: address, password: `guess ${attempt}` });
      expect(answer.status).toBe(401);
    }
    const response = await new Browser().request(`${first.url}/api/v1/session`, {
      json: { email: address.toUpperCase(), password },
      headers: client('203.0.113.1'),
    });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(rateLimitTable['sign-in-per-account'].windowSeconds);
    expect(await response.json()).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringContaining('too many sign-in attempts for this account; try again in') as string,
      retryAfterSeconds: retryAfter,
    });
    expect(checks.reduce((sum, check) => sum + check.mock.calls.length, 0)).toBe(limit);
    // The same account from another client is refused too: the limit protects the account.
    expect((await signIn(second, '203.0.113.99', { email: address, password })).status).toBe(429);
    for (const check of checks) check.mockRestore();
  });

  it('counts sign-in attempts per client whatever accounts they name, each client apart', async () => {
    const limit = limitOf('sign-in-per-client');
    for (let attempt = 0; attempt < limit; attempt++)
      expect((await signIn(attempt % 2 === 0 ? first : second, '203.0.113.2', { email: email(), password })).status).toBe(401);
    expect((await signIn(first, '203.0.113.2', { email: email(), password })).status).toBe(429);
    expect((await signIn(second, '203.0.113.3', { email: email(), password })).status).toBe(401);
  });

  it('limits sign-ups per client, and creates no account past the limit', async () => {
    const limit = limitOf('sign-up-per-client');
    const signUp = (address: string) =>
      new Browser().json(`${first.url}/api/v1/organisers`, {
        json: { email: address, name: 'New', password },
        headers: client('203.0.113.5'),
      });
    for (let account = 0; account < limit; account++) expect((await signUp(email())).status).toBe(201);
    const refused = email();
    const answer = await signUp(refused);
    expect(answer.status).toBe(429);
    expect(answer.body).toMatchObject({ message: expect.stringContaining('too many new accounts') as string });
    expect(await first.ctx.db.selectFrom('organisers').select('id').where('email', '=', refused).execute()).toEqual([]);
  });

  it('answers a browser past the limit with a page that says when to try again', async () => {
    const browser = new Browser();
    const html = { accept: 'text/html', ...client('203.0.113.4') };
    const form = await (await browser.request(`${first.url}/organiser/sign-in`, { headers: html })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    const address = email();
    const attempt = () =>
      browser.request(`${first.url}/organiser/sign-in`, {
        form: { _csrf: csrf, email: address, password: 'not the password' },
        headers: html,
      });
    for (let tried = 0; tried < limitOf('sign-in-per-account'); tried++) expect((await attempt()).status).toBe(401);
    const page = await attempt();
    expect(page.status).toBe(429);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
    const text = await page.text();
    expect(text).toContain('Too many attempts');
    expect(text).toMatch(/too many sign-in attempts for this account in a short time\. Please try again in \d+ minutes?\./);
  });

  it('limits API tokens per organiser', async () => {
    const organiser = await signUpOrganiser(first.url);
    const limit = limitOf('api-token-creation-per-organiser');
    for (let token = 0; token < limit; token++)
      expect((await organiser.json(`${first.url}/api/v1/api-tokens`, { json: { name: `script ${token}` } })).status).toBe(201);
    const refused = await organiser.json(`${first.url}/api/v1/api-tokens`, { json: { name: 'one more' } });
    expect(refused.status).toBe(429);
  });

  it('limits test webhook events per organiser, and queues none past the limit', async () => {
    // Signed up from an address of its own: sign-ups from the others are limited.
    const organiser = new Browser();
    const signedUp = await organiser.json(`${first.url}/api/v1/organisers`, {
      json: { email: email(), name: 'Webhooks', password },
      headers: client('203.0.113.80'),
    });
    expect(signedUp.status).toBe(201);
    // A public address literal: registered without a name to resolve (no worker runs here to call it).
    const [organisation] = (await organiser.json<{ id: string }[]>(`${first.url}/api/v1/organisations`)).body;
    const endpoints = `${first.url}/api/v1/organisations/${organisation?.id ?? ''}/webhook-endpoints`;
    const endpoint = await organiser.json<{ id: string }>(endpoints, {
      json: { url: 'https://93.184.215.14/hook', events: ['pledge.created'] },
    });
    expect(endpoint.status).toBe(201);
    const test = `${endpoints}/${endpoint.body.id}/test`;
    const limit = limitOf('webhook-tests-per-organiser');
    for (let sent = 0; sent < limit; sent++) expect((await organiser.json(test, { method: 'POST' })).status).toBe(202);
    expect((await organiser.json(test, { method: 'POST' })).status).toBe(429);
    const queued = await first.ctx.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.body.id).execute();
    expect(queued).toHaveLength(limit);
  });

  it("limits the links of supporters' mails per client (the one-click unsubscribe too), and no other client", async () => {
    const limit = limitOf('supporter-mail-link-per-client');
    const link = `${first.url}/mail/unsubscribe/${randomUUID()}?token=not-the-token`;
    const browser = new Browser();
    for (let i = 0; i < limit; i++)
      expect((await browser.request(link, { method: i % 2 === 0 ? 'GET' : 'POST', headers: client('198.51.100.61') })).status).toBe(404);
    expect((await browser.request(link, { method: 'POST', headers: client('198.51.100.61') })).status).toBe(429);
    expect((await browser.request(link, { headers: client('198.51.100.62') })).status).toBe(404);
  });

  it('stops one client hammering the public numbers, and no other', async () => {
    const organiser = await signUpOrganiser(first.url);
    const { body } = await organiser.json<{ slug: string }>(`${first.url}/api/v1/campaigns`, { json: campaignBody() });
    const numbers = (from: string) => fetch(`${first.url}/api/v1/public/campaigns/${body.slug}`, { headers: client(from) });
    const limit = limitOf('public-numbers-per-client');
    const statuses = [];
    for (let read = 0; read < limit; read++) statuses.push((await numbers('203.0.113.6')).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await numbers('203.0.113.6')).status).toBe(429);
    expect((await numbers('203.0.113.7')).status).toBe(200);
  });

  it('counts every route that names no limit of its own against the floor: the privacy page and a static file alike', async () => {
    const read = (path: string, from: string) => fetch(`${first.url}${path}`, { headers: client(from) }).then((answer) => answer.status);
    const limit = limitOf('any-request-per-client');
    const statuses = [];
    // Two routes, one window: the floor counts the client, whichever route it asks for.
    for (let request = 0; request < limit; request++)
      statuses.push(await read(request % 2 === 0 ? '/privacy' : '/static/chorus.css', '203.0.113.8'));
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(await read('/privacy', '203.0.113.8')).toBe(429);
    expect(await read('/static/chorus.css', '203.0.113.8')).toBe(429);
    expect(await read('/privacy', '203.0.113.9')).toBe(200);
  });

  describe('as installed (production limits, no proxy trusted)', () => {
    let slug: string;
    let image: string;

    beforeAll(async () => {
      const organiser = await signUpOrganiser(plain.url);
      const created = await organiser.json<{ id: string; slug: string }>(`${plain.url}/api/v1/campaigns`, { json: campaignBody() });
      expect(created.status).toBe(201);
      slug = created.body.slug;
      const row = campaignImageRow(created.body.id, png);
      if (row.kind !== 'image') throw new Error('the test image is refused');
      await addCampaignImageIfNone(plain.ctx.db, row.row);
      image = `${plain.url}/images/${row.row.sha256}.png`;
    });

    it('does not limit public reads at normal use: a hundred readers behind one address each open the page, its image and its numbers', async () => {
      const statuses: number[] = [];
      for (let reader = 0; reader < 100; reader++) {
        const answers = await Promise.all([
          fetch(`${plain.url}/c/${slug}`, { headers: { accept: 'text/html' } }),
          fetch(image),
          fetch(`${plain.url}/api/v1/public/campaigns/${slug}`),
        ]);
        for (const answer of answers) {
          statuses.push(answer.status);
          await answer.arrayBuffer();
        }
      }
      expect(statuses).toHaveLength(300);
      expect(new Set(statuses)).toEqual(new Set([200]));
    });

    it('ignores X-Forwarded-For from a client when no proxy is trusted: it cannot pose as many clients', async () => {
      const limit = rateLimitTable['supporter-connect-per-client'].max;
      const connect = (forwarded: string) =>
        new Browser().request(`${plain.url}/api/v1/public/campaigns/${slug}/connect/x`, { headers: client(forwarded) });
      for (let started = 0; started < limit; started++) expect((await connect(`198.51.100.${started}`)).status).toBe(302);
      const refused = await connect('198.51.100.250');
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({
        message: expect.stringContaining('too many pledges started from your network') as string,
      });
    });
  });
});
