import { ClientRequest, IncomingMessage, type IncomingHttpHeaders } from 'node:http';
import { Socket } from 'node:net';
import { ApiResponseError } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XSandboxFaultPlan } from '../../../src/networks/x/sandbox/x-sandbox-faults.ts';
import { startXSandbox, type RunningXSandbox } from '../../../src/networks/x/sandbox/x-sandbox-server.ts';
import { classifyLookupError, classifyPublishError, createXNetwork } from '../../../src/networks/x/x-network.ts';
import type { SocialNetwork } from '../../../src/networks/social-network.ts';
import { sandboxPosts } from '../../support/sandbox-posts.ts';
import { mintSupporters } from '../../support/seed-pledges.ts';

/** An error as twitter-api-v2 raises it for an HTTP answer of X's. */
function answer(code: number, headers: IncomingHttpHeaders, data: object = { title: 'Refused', detail: 'Refused' }) {
  const reset = headers['x-rate-limit-reset'];
  return new ApiResponseError(`Request failed with code ${code}`, {
    code,
    // Never read by the classification: a request that was never sent, and an answer with no socket behind it.
    request: Object.create(ClientRequest.prototype) as ClientRequest,
    response: new IncomingMessage(new Socket()),
    headers,
    data,
    rateLimit: typeof reset === 'string' ? { limit: 100, remaining: 0, reset: Number(reset) } : undefined,
  });
}

const nowSeconds = () => Math.ceil(Date.now() / 1000);

describe("classifying X's app-wide quota answers", () => {
  it('takes a 402 (the prepaid credits ran out) as a pause of the whole network, not a failed post', () => {
    expect(classifyPublishError(answer(402, {}, { title: 'CreditsDepleted', detail: 'No credits left.' }))).toEqual({
      kind: 'network-paused',
      pause: { cause: 'out-of-credits', resumesAt: null, reason: 'X refused the post for want of credits: No credits left.' },
    });
    expect(classifyLookupError(answer(402, {}))).toMatchObject({ kind: 'network-paused', pause: { cause: 'out-of-credits' } });
  });

  it("waits for the app's 24-hour cap to reset, not for the 15-minute window's reset", () => {
    const windowReset = nowSeconds() + 60;
    const dayReset = nowSeconds() + 6 * 3600;
    const outcome = classifyPublishError(
      answer(429, {
        'x-rate-limit-limit': '100',
        'x-rate-limit-remaining': '37',
        'x-rate-limit-reset': String(windowReset),
        'x-app-limit-24hour-limit': '10000',
        'x-app-limit-24hour-remaining': '0',
        'x-app-limit-24hour-reset': String(dayReset),
      }),
    );
    expect(outcome).toEqual({
      kind: 'network-paused',
      pause: { cause: 'app-daily-cap', resumesAt: new Date(dayReset * 1000), reason: "X's 24-hour post cap for the app is reached" },
    });
  });

  it('holds one account until its own 24-hour cap resets', () => {
    const dayReset = nowSeconds() + 9 * 3600;
    expect(
      classifyPublishError(
        answer(429, {
          'x-rate-limit-reset': String(nowSeconds() + 60),
          'x-user-limit-24hour-limit': '100',
          'x-user-limit-24hour-remaining': '0',
          'x-user-limit-24hour-reset': String(dayReset),
          // The app's cap still has room: only this account waits.
          'x-app-limit-24hour-remaining': '4000',
          'x-app-limit-24hour-reset': String(dayReset),
        }),
      ),
    ).toEqual({ kind: 'account-capped', resetsAt: new Date(dayReset * 1000), reason: "X's 24-hour post cap for this account is reached" });
  });

  it('keeps reading x-rate-limit-reset for a 429 of the 15-minute window, whatever room the 24-hour caps have', () => {
    const outcome = classifyPublishError(
      answer(429, {
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': String(nowSeconds() + 120),
        'x-user-limit-24hour-remaining': '12',
        'x-user-limit-24hour-reset': String(nowSeconds() + 3600),
        'x-app-limit-24hour-remaining': 'not a number',
      }),
    );
    expect(outcome).toMatchObject({ kind: 'retry-after', reason: 'X rate limit reached' });
    expect(outcome.kind === 'retry-after' ? outcome.seconds : 0).toBeGreaterThan(100);
    expect(outcome.kind === 'retry-after' ? outcome.seconds : 0).toBeLessThanOrEqual(121);
  });
});

describe('the sandbox X refusing posts for a while, through the X network module', () => {
  const client = { clientId: 'quota-test', clientSecret: 'quota-secret' };
  let sandbox: RunningXSandbox;
  let x: SocialNetwork;
  beforeAll(async () => {
    sandbox = await startXSandbox({ clients: [client] });
    x = createXNetwork({
      ...client,
      apiUrl: sandbox.url,
      authorizeUrl: sandbox.authorizeUrl,
      appPlan: { budget: { limit: 100, windowMs: 86_400_000 }, pricePerPost: 0.2, currency: 'USD' },
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const setFaults = async (plan: Partial<XSandboxFaultPlan>) => {
    const response = await fetch(new URL('__sandbox/faults', sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, rules: [], ...plan }),
    });
    expect(response.status).toBe(200);
  };
  const context = (id: string) => ({ idempotencyKey: 'unused-on-x', account: { networkUserId: id, server: null } });
  const postsBy = async (id: string) => (await sandboxPosts(sandbox.url)).filter((post) => post.authorId === id);

  it('answers 402 for the first posts of an outage, posting none of them, then recovers by itself', async () => {
    const [fan] = await mintSupporters(sandbox.url, client.clientId, ['quota_fan']);
    if (fan === undefined) throw new Error('no supporter minted');
    await setFaults({ outage: { fault: { kind: 'credits-depleted' }, requests: 2 } });
    const text = 'Credits or not https://example.org';
    expect(await x.publish(fan.accessToken, text, context(fan.id))).toMatchObject({
      kind: 'network-paused',
      pause: { cause: 'out-of-credits' },
    });
    // Reads are refused too while the credits are out, and do not count against the outage.
    expect(await x.lookForPost(fan.accessToken, fan.id, text, new Date(Date.now() - 60_000))).toMatchObject({ kind: 'network-paused' });
    expect(await x.publish(fan.accessToken, text, context(fan.id))).toMatchObject({ kind: 'network-paused' });
    expect(await postsBy(fan.id)).toEqual([]);
    const sent = await x.publish(fan.accessToken, text, context(fan.id));
    expect(sent.kind).toBe('sent');
    expect(await postsBy(fan.id)).toHaveLength(1);
  });

  it('answers 429 with a spent 24-hour cap of the app, or of the user, each with its own reset', async () => {
    const [fan] = await mintSupporters(sandbox.url, client.clientId, ['quota_cap']);
    if (fan === undefined) throw new Error('no supporter minted');
    await setFaults({ outage: { fault: { kind: 'app-daily-cap', resetSeconds: 7200 }, requests: 1 } });
    const app = await x.publish(fan.accessToken, 'Capped app https://example.org', context(fan.id));
    expect(app).toMatchObject({ kind: 'network-paused', pause: { cause: 'app-daily-cap' } });
    const appResumes = app.kind === 'network-paused' ? (app.pause.resumesAt?.getTime() ?? 0) : 0;
    expect(Math.abs(appResumes - (Date.now() + 7_200_000))).toBeLessThan(5000);

    await setFaults({ outage: { fault: { kind: 'user-daily-cap', resetSeconds: 3600 }, forMs: 60_000 } });
    const user = await x.publish(fan.accessToken, 'Capped user https://example.org', context(fan.id));
    expect(user).toMatchObject({ kind: 'account-capped' });
    expect(Math.abs((user.kind === 'account-capped' ? user.resetsAt.getTime() : 0) - (Date.now() + 3_600_000))).toBeLessThan(5000);
    await setFaults({});
    expect(await postsBy(fan.id)).toEqual([]);
  });

  it("recognises the sandbox's own configured 24-hour app cap once it is spent", async () => {
    const capped = await startXSandbox({ clients: [client], appDailyTweetLimit: 1 });
    try {
      const network = createXNetwork({
        ...client,
        apiUrl: capped.url,
        authorizeUrl: capped.authorizeUrl,
        appPlan: { budget: { limit: 100, windowMs: 86_400_000 }, pricePerPost: 0.2, currency: 'USD' },
      });
      const [first, second] = await mintSupporters(capped.url, client.clientId, ['cap_one', 'cap_two']);
      if (first === undefined || second === undefined) throw new Error('no supporters minted');
      expect((await network.publish(first.accessToken, 'One https://example.org', context(first.id))).kind).toBe('sent');
      expect(await network.publish(second.accessToken, 'Two https://example.org', context(second.id))).toMatchObject({
        kind: 'network-paused',
        pause: { cause: 'app-daily-cap' },
      });
    } finally {
      await capped.close();
    }
  });
});
