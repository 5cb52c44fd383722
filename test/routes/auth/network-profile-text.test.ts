import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitConsent } from '../../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from '../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { mintSupporters } from '../../support/seed-pledges.ts';
import { pledgeThroughConsent } from '../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };
const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';

// A display name is the supporter's, and X sends whatever they chose: a right-to-left override in it would make the
// organiser's dashboard, the export and the mails read it backwards. It is cleaned, never refused (docs/security/input.md).
describe('a display name from the network, with a right-to-left override in it', () => {
  let chorus: TestChorus;
  let organiser: Browser;
  let campaign: { id: string; slug: string };

  beforeAll(async () => {
    chorus = await startTestChorus();
    organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 10 }),
    });
    expect(created.status).toBe(201);
    campaign = created.body;
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function storedAccount(handle: string) {
    return chorus.ctx.db
      .selectFrom('social_accounts')
      .select(['handle', 'display_name'])
      .where('handle', '=', handle)
      .executeTakeFirstOrThrow();
  }

  it('pledges through the API, and the organiser and the public page see the name cleaned, emoji and all', async () => {
    await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [
      { username: 'rlo_supporter', name: `\u202AAnn \u202Egnp.exe\u202C\u200B ${family}\u0007` },
    ]);
    const pledged = await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'rlo_supporter', followers: 42, showName: true });
    expect(pledged.status).toBe(201);

    // The handle is X's, exactly: Chorus links to the account with it.
    expect(await storedAccount('rlo_supporter')).toEqual({ handle: 'rlo_supporter', display_name: `Ann gnp.exe ${family}` });

    const supporters = await organiser.json<{ handle: string; displayName: string }[]>(
      `${chorus.url}/api/v1/campaigns/${campaign.id}/supporters`,
    );
    expect(supporters.status).toBe(200);
    expect(supporters.body).toContainEqual(expect.objectContaining({ handle: 'rlo_supporter', displayName: `Ann gnp.exe ${family}` }));

    const page = await (await new Browser().request(`${chorus.url}/c/${campaign.slug}`, { headers: html })).text();
    expect(page).toContain(`Ann gnp.exe ${family}`);
    expect(page).not.toContain('\u202E');
  });

  it('keeps the cleaned name through the review step, and a name of nothing but controls reads as the handle', async () => {
    await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [
      { username: 'only_controls', name: '\u202E\u2066\u200B\u0000\u2069' },
    ]);
    const browser = new Browser();
    const connect = await browser.request(`${chorus.url}/c/${campaign.slug}/support/x`, { headers: html });
    expect(connect.status).toBe(302);
    const back = await submitConsent(connect.headers.get('location') ?? '', { username: 'only_controls', followers: '5' });
    expect((await browser.request(back, { headers: html })).headers.get('location')).toBe(`/c/${campaign.slug}/review`);

    const pending = await chorus.ctx.db
      .selectFrom('pending_pledges')
      .select('display_name')
      .where('handle', '=', 'only_controls')
      .executeTakeFirstOrThrow();
    expect(pending.display_name).toBe('only_controls');

    const review = await (await browser.request(`${chorus.url}/c/${campaign.slug}/review`, { headers: html })).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(review)?.[1] ?? '';
    const confirmed = await browser.request(`${chorus.url}/c/${campaign.slug}/review`, {
      headers: html,
      form: { _csrf: token, choice: 'message', text: '' },
    });
    expect(confirmed.status).toBe(201);
    expect(await storedAccount('only_controls')).toEqual({ handle: 'only_controls', display_name: 'only_controls' });
  });
});
