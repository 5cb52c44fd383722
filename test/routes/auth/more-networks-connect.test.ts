import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLinkedInSandbox, type RunningLinkedInSandbox } from '../../../src/networks/linkedin/sandbox/linkedin-sandbox-server.ts';
import { startMastodonSandbox, type RunningMastodonSandbox } from '../../../src/networks/mastodon/sandbox/mastodon-sandbox-server.ts';
import { Browser } from '../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { pledgeThroughConsent } from '../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

// Chorus with a Mastodon instance that allows 60 characters, and a LinkedIn whose tokens last an hour.
describe('connecting Mastodon and LinkedIn accounts', () => {
  let chorus: TestChorus;
  let smallInstance: RunningMastodonSandbox;
  let shortLinkedIn: RunningLinkedInSandbox;
  const visitor = new Browser();

  beforeAll(async () => {
    smallInstance = await startMastodonSandbox({ maxCharacters: 60 });
    shortLinkedIn = await startLinkedInSandbox({
      clients: [{ clientId: 'chorus-test', clientSecret: 'chorus-test-secret' }],
      accessTokenTtlSeconds: 3600,
    });
    chorus = await startTestChorus({
      env: {
        MASTODON_LOCAL_INSTANCES: smallInstance.origin,
        LINKEDIN_API_URL: shortLinkedIn.url,
        LINKEDIN_AUTHORIZE_URL: shortLinkedIn.authorizeUrl,
      },
    });
  });
  afterAll(async () => {
    await chorus.close();
    await Promise.all([smallInstance.close(), shortLinkedIn.close()]);
  });

  async function campaign(networks: string[], secondsAhead = 2 * 24 * 3600) {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ networks }, secondsAhead),
    });
    expect(created.status).toBe(201);
    return { organiser, ...created.body };
  }

  it('refuses a Mastodon instance that is missing, malformed, private or not listed as local', async () => {
    const { slug } = await campaign(['mastodon']);
    for (const [instance, message] of [
      [undefined, 'name your Mastodon instance'],
      ['not a host', 'that is not an instance name'],
      ['10.0.0.7', 'not an address'],
      ['http://127.0.0.1:1', 'not an instance name'],
    ] as const) {
      const query = instance === undefined ? '' : `?instance=${encodeURIComponent(instance)}`;
      const answer = await visitor.json<{ message: string; field: string }>(
        `${chorus.url}/api/v1/public/campaigns/${slug}/connect/mastodon${query}`,
      );
      expect(answer.status, instance).toBe(400);
      expect(answer.body.message).toContain(message);
      expect(answer.body.field).toBe('instance');
    }
  });

  it("registers Chorus once per instance, keeps the secret encrypted, and checks the text against the instance's own limit", async () => {
    const { slug } = await campaign(['mastodon']);
    const instance = smallInstance.origin;
    // The main message is longer than this instance's 60 characters; the variant is not.
    const refused = await pledgeThroughConsent(chorus.url, slug, { username: 'small_sam', followers: 5, network: 'mastodon', instance });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('the limit is 60');

    const short = await campaign(['mastodon']);
    await short.organiser.json(`${chorus.url}/api/v1/campaigns/${short.id}`, {
      method: 'PATCH',
      json: { variants: ['Thanks! https://example.org/ourhealthheroes'] },
    });
    const accepted = await pledgeThroughConsent(chorus.url, short.slug, {
      username: 'small_sam',
      followers: 5,
      network: 'mastodon',
      instance,
      variant: 0,
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.handle).toBe(`small_sam@${new URL(instance).host}`);

    // Personalising later is checked against the same instance's limit.
    const tooLong = await visitor.json<{ message: string }>(`${chorus.url}/api/v1/pledges/${accepted.body.id ?? ''}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${accepted.body.manageToken ?? ''}` },
      json: { text: `Thank you to every support worker in every ward! https://example.org/ourhealthheroes` },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toContain('the limit is 60');

    const apps = (await (await fetch(`${instance}/__sandbox/apps`)).json()) as { count: number };
    expect(apps.count).toBe(1);
    const kept = await chorus.ctx.db.selectFrom('mastodon_apps').selectAll().where('origin', '=', instance).executeTakeFirstOrThrow();
    expect(kept.client_secret.toString('utf8')).not.toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kept.redirect_uri).toBe(`${chorus.url}/auth/mastodon/callback`);
  });

  it('warns a LinkedIn supporter and the organiser when the access ends before launch, and re-authorising renews it', async () => {
    const { organiser, id, slug } = await campaign(['linkedin']);
    const first = await pledgeThroughConsent(chorus.url, slug, { username: 'li_kay', followers: 0, network: 'linkedin' });
    expect(first.status).toBe(201);
    expect(first.body.warnings).toEqual([
      expect.objectContaining({
        kind: 'access-expires-before-launch',
        reauthoriseUrl: `${chorus.url}/api/v1/public/campaigns/${slug}/connect/linkedin`,
      }),
    ]);
    const view = await organiser.json<{ accessExpiringBeforeLaunch: unknown }>(`${chorus.url}/api/v1/campaigns/${id}`);
    expect(view.body.accessExpiringBeforeLaunch).toEqual([{ network: 'linkedin', pledges: 1 }]);

    // The same member authorises again: the pledge is updated, not doubled.
    const again = await pledgeThroughConsent(chorus.url, slug, { username: 'li_kay', followers: 0, network: 'linkedin' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const numbers = await visitor.json<{ supporters: number; byNetwork: unknown }>(`${chorus.url}/api/v1/public/campaigns/${slug}`);
    expect(numbers.body).toMatchObject({ supporters: 1, byNetwork: [{ network: 'linkedin', supporters: 1, reach: 0 }] });
  });

  it('lists each network with its limits for the preflight', async () => {
    const networks = await visitor.json<{ id: string; maxLength: number; canRepost: boolean; serverParameter?: string }[]>(
      `${chorus.url}/api/v1/public/networks`,
    );
    expect(networks.body).toEqual([
      { id: 'x', displayName: 'X', maxLength: 280, canRepost: true },
      {
        id: 'mastodon',
        displayName: 'Mastodon',
        maxLength: 500,
        canRepost: false,
        serverParameter: 'instance',
        instances: ['mastodon.social'],
      },
      { id: 'bluesky', displayName: 'Bluesky', maxLength: 300, canRepost: false, serverParameter: 'handle', instances: [] },
      { id: 'linkedin', displayName: 'LinkedIn', maxLength: 3000, canRepost: false },
    ]);
  });
});
