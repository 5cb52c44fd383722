import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { pledgeThroughConsent } from '../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

/** The page's text without tags or runs of white space, as a person reads it. */
function readable(page: string): string {
  return page
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<\/?(span|strong|a|time)\b[^>]*>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ');
}

describe('the public campaign page in each state, the launch calendar, the manage page after launch and the home page', () => {
  let chorus: TestChorus;
  let organiser: Browser;

  beforeAll(async () => {
    chorus = await startTestChorus();
    await chorus.startWorkers();
    organiser = await signUpOrganiser(chorus.url);
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function create(overrides: Record<string, unknown> = {}, secondsAhead = 3600) {
    const created = await organiser.json<{ id: string; slug: string; listed: boolean }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody(overrides, secondsAhead),
    });
    expect(created.status).toBe(201);
    return created.body;
  }
  const page = async (slug: string) => {
    const answer = await new Browser().request(`${chorus.url}/c/${slug}`, { headers: html });
    return { status: answer.status, html: await answer.text() };
  };
  const stateOf = async (slug: string) =>
    (await new Browser().json<{ state: string }>(`${chorus.url}/api/v1/public/campaigns/${slug}`)).body.state;

  it('collecting, then goal reached: big figures, the Support button, and only the supporters who chose to be named, with their initials', async () => {
    const campaign = await create({ goal: 2 });
    const open = await page(campaign.slug);
    expect(open.status).toBe(200);
    const before = readable(open.html);
    expect(before).toContain('Open for supporters');
    expect(before).toContain('2 more supporters needed before the launch');
    expect(before).toMatch(/0 of 2 supporters/);
    expect(before).toMatch(/Of goal supported 0%/);
    expect(before).toMatch(/Time left (59 mins, \d+ secs|1 hr)/);
    expect(open.html).toContain(`href="/c/${campaign.slug}/support/x"`);

    expect((await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'nurse_nia', followers: 4500, showName: true })).status).toBe(
      201,
    );
    expect((await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'quiet_quinn', followers: 90 })).status).toBe(201);
    // The page is worked out at most once a second.
    await expect.poll(async () => readable((await page(campaign.slug)).html), { timeout: 5000 }).toContain('Goal reached: launching in');
    const reached = await page(campaign.slug);
    const after = readable(reached.html);
    expect(after).toMatch(/2 of 2 supporters/);
    expect(after).toMatch(/Of goal supported 100%/);
    expect(after).toMatch(/Social reach 4,590 people/);
    expect(after).toContain('You can still join until then.');
    expect(reached.html).toContain(`href="/c/${campaign.slug}/support/x"`);
    // Named by choice: a face made of initials (nothing loaded from the network), the name, the handle and reach.
    expect(reached.html).toMatch(/<span class="avatar avatar-\d" aria-hidden="true">NN<\/span>/);
    expect(after).toContain('nurse_nia @nurse_nia 4,500 followers on X');
    expect(reached.html).not.toContain('quiet_quinn');
    expect(reached.html).not.toMatch(/<img[^>]+(pbs\.twimg|avatar)/);
  });

  it('launched: says so, with links to the posts of supporters who chose to be named, and the manage page says the post went out', async () => {
    const campaign = await create({ goal: 1 }, 4);
    const named = await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'porter_pat', followers: 300, showName: true });
    const unnamed = await pledgeThroughConsent(chorus.url, campaign.slug, { username: 'hidden_hal', followers: 50 });
    expect([named.status, unnamed.status]).toEqual([201, 201]);
    await expect.poll(() => stateOf(campaign.slug), { timeout: 30_000, interval: 250 }).toBe('launched');

    await expect.poll(async () => readable((await page(campaign.slug)).html), { timeout: 5000 }).toContain('Launched');
    const launched = await page(campaign.slug);
    const text = readable(launched.html);
    expect(text).toMatch(/This campaign launched on .* with 2 posts delivered\./);
    expect(text).toContain('Posts that went out');
    expect(launched.html).toMatch(/<a href="https:\/\/x\.com\/porter_pat\/status\/\w+" rel="noopener noreferrer">porter_pat on X<\/a>/);
    expect(launched.html).not.toContain('hidden_hal');
    expect(text).not.toContain('Support with X');
    expect(text).not.toContain('Time left');

    for (const [pledge, handle] of [
      [named, 'porter_pat'],
      [unnamed, 'hidden_hal'],
    ] as const) {
      const manage = await new Browser().request(
        `${chorus.url}/p/${pledge.body.id}?key=${encodeURIComponent(pledge.body.manageToken ?? '')}`,
        {
          headers: html,
        },
      );
      expect(manage.status).toBe(200);
      const body = await manage.text();
      expect(readable(body)).toContain(`Your post went out from @${handle}`);
      expect(body).toMatch(new RegExp(`href="https://x\\.com/${handle}/status/\\w+"[^>]*>See your post on X<`));
      expect(body).not.toContain(' will post ');
      expect(body).not.toContain('Withdraw my pledge');
    }
  }, 60_000);

  it('goal missed and cancelled are told apart, and neither offers to support; the manage page says nothing was posted', async () => {
    const missed = await create({ goal: 5 }, 4);
    const pledge = await pledgeThroughConsent(chorus.url, missed.slug, { username: 'lonely_lou', followers: 12 });
    expect(pledge.status).toBe(201);
    const cancelled = await create();
    expect((await organiser.json(`${chorus.url}/api/v1/campaigns/${cancelled.id}/cancel`, { method: 'POST' })).status).toBe(200);
    await expect.poll(() => stateOf(missed.slug), { timeout: 30_000, interval: 250 }).toBe('missed_goal');

    const missedText = readable((await page(missed.slug)).html);
    expect(missedText).toContain('Goal missed');
    expect(missedText).toContain('nothing was posted');
    expect(missedText).not.toContain('Support with X');
    const cancelledText = readable((await page(cancelled.slug)).html);
    expect(cancelledText).toContain('Cancelled');
    expect(cancelledText).toContain('cancelled by its organiser');
    expect(cancelledText).not.toContain('Support with X');

    const manage = await new Browser().request(
      `${chorus.url}/p/${pledge.body.id}?key=${encodeURIComponent(pledge.body.manageToken ?? '')}`,
      {
        headers: html,
      },
    );
    expect(readable(await manage.text())).toContain('The campaign ended without reaching its goal, so your post was not posted');
  }, 60_000);

  it('offers the launch as a calendar event, and refuses drafts and unknown campaigns', async () => {
    // A launch 30 days from now, whenever the test runs (the launch window is 60 days).
    const launch = new Date(Math.floor(Date.now() / 86_400_000 + 30) * 86_400_000 + (9 * 60 + 30) * 60_000);
    const campaign = await create({ title: 'Thank you, carers', launchAt: launch.toISOString() }, 0);
    const calendar = await new Browser().request(`${chorus.url}/c/${campaign.slug}/launch.ics`);
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(calendar.headers.get('content-disposition')).toBe(`attachment; filename="${campaign.slug}-launch.ics"`);
    const ics = await calendar.text();
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain(`\r\nDTSTART:${launch.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z\r\n`);
    expect(ics).toContain('\r\nSUMMARY:Launch: Thank you\\, carers\r\n');
    expect(ics).toContain(`\r\nUID:launch-${campaign.id}@127.0.0.1:`);
    expect(ics).toContain(`\r\nURL:${chorus.url}/c/${campaign.slug}\r\n`);

    const draft = await create({ publish: false });
    expect((await new Browser().request(`${chorus.url}/c/${draft.slug}/launch.ics`)).status).toBe(404);
    expect((await new Browser().request(`${chorus.url}/c/no-such-campaign/launch.ics`)).status).toBe(404);
  });

  it('lists on the home page only the live campaigns whose organisers chose to be listed, with their progress', async () => {
    const listed = await create({ title: 'Listed and open', listed: true, goal: 40 });
    expect(listed.listed).toBe(true);
    const unlisted = await create({ title: 'Open but not listed' });
    expect(unlisted.listed).toBe(false);
    await create({ title: 'Listed draft', listed: true, publish: false });
    const cancelled = await create({ title: 'Listed then cancelled', listed: true });
    expect((await organiser.json(`${chorus.url}/api/v1/campaigns/${cancelled.id}/cancel`, { method: 'POST' })).status).toBe(200);
    // Listing is changed like any other field.
    const later = await create({ title: 'Listed later' });
    const patched = await organiser.json<{ listed: boolean }>(`${chorus.url}/api/v1/campaigns/${later.id}`, {
      method: 'PATCH',
      json: { listed: true },
    });
    expect(patched).toMatchObject({ status: 200, body: { listed: true } });
    expect((await pledgeThroughConsent(chorus.url, listed.slug, { username: 'fan_fay', followers: 1200 })).status).toBe(201);

    // The list is read at most every few seconds.
    await expect
      .poll(async () => readable(await (await new Browser().request(`${chorus.url}/`, { headers: html })).text()), { timeout: 10_000 })
      .toContain('Listed later');
    const home = await (await new Browser().request(`${chorus.url}/`, { headers: html })).text();
    const text = readable(home);
    expect(home).toContain(`href="/c/${listed.slug}"`);
    expect(text).toMatch(/Listed and open .* 1 of 40 supporters · 2% of goal/);
    expect(text).toContain('Social reach 1,200');
    expect(text).not.toContain('Open but not listed');
    expect(text).not.toContain('Listed draft');
    expect(text).not.toContain('Listed then cancelled');
  }, 30_000);
});
