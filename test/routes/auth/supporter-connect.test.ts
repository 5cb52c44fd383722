import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitConsent } from '../../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from '../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { pledgeThroughConsent } from '../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';
import { waitFor } from '../../support/wait-for.ts';

interface Numbers {
  supporters: number;
  reach: number;
}

describe('supporters authorising X and pledging', () => {
  let chorus: TestChorus;
  let slug: string;
  const link = 'https://example.org/ourhealthheroes';

  beforeAll(async () => {
    chorus = await startTestChorus();
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ link, goal: 10 }) });
    slug = created.body.slug;
  });
  afterAll(async () => {
    await chorus.close();
  });

  const pledgeCount = async () =>
    (
      await chorus.ctx.db
        .selectFrom('pledges')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const numbers = async () => (await new Browser().json<Numbers>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body;

  /** Starts a connect in `browser` and returns the consent page's URL. */
  async function startConnect(browser: Browser): Promise<URL> {
    const connect = await browser.request(`${chorus.url}/api/v1/public/campaigns/${slug}/connect/x`);
    expect(connect.status).toBe(302);
    const consent = new URL(connect.headers.get('location') ?? '');
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consent.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['tweet.write', 'offline.access', 'users.read']));
    return consent;
  }

  it('sends the supporter to the consent page with PKCE and a state bound to their session', async () => {
    const consent = await startConnect(new Browser());
    expect(consent.origin + consent.pathname).toBe(chorus.sandbox.authorizeUrl);
    expect(consent.searchParams.get('state')).toMatch(/.{8,}/);
    expect(consent.searchParams.get('redirect_uri')).toBe(`${chorus.url}/auth/x/callback`);
  });

  it('refuses a callback whose state was forged, and records nothing', async () => {
    const browser = new Browser();
    const callback = await submitConsent((await startConnect(browser)).toString(), { username: 'forged_state' });
    callback.searchParams.set('state', 'forged-state-value');
    const before = await pledgeCount();
    const answer = await browser.json<{ message: string }>(callback);
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/could not be verified/);
    expect(await pledgeCount()).toBe(before);
  });

  it("refuses a code issued for another session's PKCE challenge, and records nothing", async () => {
    const alice = new Browser();
    const mallory = new Browser();
    const aliceCallback = await submitConsent((await startConnect(alice)).toString(), { username: 'alice_a' });
    const malloryConsent = await startConnect(mallory);
    // Mallory replays Alice's code with her own valid state: her PKCE verifier does not match.
    aliceCallback.searchParams.set('state', malloryConsent.searchParams.get('state') ?? '');
    const before = await pledgeCount();
    const answer = await mallory.json<{ message: string }>(aliceCallback);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/did not complete the authorisation/);
    expect(await pledgeCount()).toBe(before);
  });

  it('explains a declined consent and records nothing', async () => {
    const before = await pledgeCount();
    const answer = await pledgeThroughConsent(chorus.url, slug, { username: 'said_no', followers: 5, decision: 'deny' });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/declined/);
    expect(await pledgeCount()).toBe(before);
  });

  it('explains a callback opened without the session that started it', async () => {
    const callback = await submitConsent((await startConnect(new Browser())).toString(), { username: 'other_browser' });
    const answer = await new Browser().json<{ message: string }>(callback);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/expired|another browser/);
  });

  it('updates the pledge when the same account pledges twice, and keeps the numbers right', async () => {
    const start = await numbers();
    const first = await pledgeThroughConsent(chorus.url, slug, { username: 'twice_tom', followers: 300 });
    expect(first.status).toBe(201);
    const second = await pledgeThroughConsent(chorus.url, slug, { username: 'twice_tom', followers: 350, variant: 0 });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    // The public numbers are at most a second old.
    const after = await waitFor(numbers, (n) => n.reach === start.reach + 350);
    expect(after.supporters).toBe(start.supporters + 1);
    const old = await new Browser().json(`${chorus.url}/api/v1/pledges/${first.body.id ?? ''}`, {
      headers: { authorization: `Bearer ${first.body.manageToken ?? ''}` },
    });
    expect(old.status).toBe(404);
  });

  it('keeps no address where this Chorus sends no mail: PUT /api/v1/pledges/:id/email answers 409', async () => {
    const pledge = await pledgeThroughConsent(chorus.url, slug, { username: 'no_mail_nina', followers: 30 });
    const answer = await new Browser().json<{ message: string }>(`${chorus.url}/api/v1/pledges/${pledge.body.id ?? ''}/email`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${pledge.body.manageToken ?? ''}` },
      json: { email: 'nina@example.net', followUpdates: false },
    });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toMatch(/sends no mail/);
    expect(
      await chorus.ctx.db.selectFrom('supporter_mail_addresses').select('id').where('address', '=', 'nina@example.net').execute(),
    ).toEqual([]);
  });

  it('lets the supporter personalise within the rules, with their private key only', async () => {
    const pledge = await pledgeThroughConsent(chorus.url, slug, { username: 'personal_pia', followers: 40 });
    const url = `${chorus.url}/api/v1/pledges/${pledge.body.id ?? ''}`;
    const headers = { authorization: `Bearer ${pledge.body.manageToken ?? ''}` };
    const supporter = new Browser();

    const mine = `My mum was a porter for 30 years. Thank you all! ${link} #OurHealthHeroes`;
    const changed = await supporter.json<{ text: string }>(url, { method: 'PATCH', json: { text: mine }, headers });
    expect(changed.status).toBe(200);
    expect(changed.body.text).toBe(mine);

    const noLink = await supporter.json<{ message: string }>(url, { method: 'PATCH', json: { text: 'Thank you all!' }, headers });
    expect(noLink.status).toBe(400);
    expect(noLink.body.message).toMatch(/campaign link/);
    const tooLong = await supporter.json<{ message: string }>(url, {
      method: 'PATCH',
      json: { text: `${'x'.repeat(270)} ${link}` },
      headers,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/limit is 280/);
    const noHashtag = await supporter.json<{ message: string }>(url, {
      method: 'PATCH',
      json: { text: `Thank you all! ${link}` },
      headers,
    });
    expect(noHashtag.status).toBe(400);
    expect(noHashtag.body.message).toBe("keep the campaign's hashtag #ourhealthheroes");
    const stranger = await supporter.json(url, {
      method: 'PATCH',
      json: { text: mine },
      headers: { authorization: 'Bearer chorus_pledge_guess' },
    });
    expect(stranger.status).toBe(404);

    const stored = await chorus.ctx.db
      .selectFrom('pledges')
      .select('text')
      .where('id', '=', pledge.body.id ?? '')
      .executeTakeFirstOrThrow();
    expect(stored.text).toBe(mine);
  });

  it("keeps the supporter's tokens encrypted at rest", async () => {
    const pledge = await pledgeThroughConsent(chorus.url, slug, { username: 'secret_sam', followers: 12 });
    const held = await chorus.ctx.db
      .selectFrom('pledge_credentials')
      .selectAll()
      .where('pledge_id', '=', pledge.body.id ?? '')
      .executeTakeFirstOrThrow();
    const accessToken = chorus.ctx.cipher.decrypt(held.key_id, held.access_token);
    // The decrypted token is the real one: X (the sandbox) accepts it.
    const me = await fetch(new URL('2/users/me', chorus.sandbox.url), { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await me.json()) as { data: { username: string } }).data.username).toBe('secret_sam');
    expect(held.access_token.includes(Buffer.from(accessToken))).toBe(false);
    expect(held.refresh_token).not.toBeNull();
    expect(held.key_id).toBe(chorus.config.TOKEN_ENCRYPTION_KEY_ID);
  });

  it('refuses pledges to a campaign that is not collecting', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const draft = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ publish: false }) });
    const answer = await new Browser().request(`${chorus.url}/api/v1/public/campaigns/${draft.body.slug}/connect/x`);
    expect(answer.status).toBe(404);
  });
});
