import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { pledgeThroughConsent } from '../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

interface Snapshot {
  state: string;
  editable: boolean;
  timeZone: string;
  openedAt: string;
  launchAt: string;
  shortLinkVisits: number;
  reach: number;
  networks: { name: string; limit: string }[];
}

/** Reads a dashboard's event stream, one snapshot at a time. */
function snapshots(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  return async function next(): Promise<Snapshot> {
    for (;;) {
      const match = /event: snapshot\ndata: (.*)\n\n/.exec(buffered);
      if (match !== null) {
        buffered = buffered.slice(match.index + match[0].length);
        return JSON.parse(match[1] ?? '') as Snapshot;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffered += value;
    }
  };
}

describe('the reach dashboard', () => {
  let chorus: TestChorus;
  let organiser: Browser;
  let campaign: { id: string; slug: string };
  // 09:00 in Paris, a month ahead.
  const launch = DateTime.now().setZone('Europe/Paris').plus({ days: 30 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });

  beforeAll(async () => {
    // Over a socket: the supporters' consent goes through the sandbox's pages and back, and the event stream is one.
    chorus = await startTestChorus();
    organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 3, timeZone: 'Europe/Paris', launchAt: launch.toFormat("yyyy-MM-dd'T'HH:mm") }),
    });
    expect(created.status).toBe(201);
    campaign = created.body;
    for (const [username, followers] of [
      ['nurse_nia', 1200],
      ['porter_pat', 250],
    ] as const)
      expect((await pledgeThroughConsent(chorus.url, campaign.slug, { username, followers })).status).toBe(201);
  });
  afterAll(async () => {
    await chorus.close();
  });

  const dashboard = async (headers: Record<string, string> = {}) => {
    const response = await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}`, { headers: { ...html, ...headers } });
    expect(response.status).toBe(200);
    return response.text();
  };

  it("writes numbers in the reader's locale, from Accept-Language, and tells the page's script which", async () => {
    const german = await dashboard({ 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
    expect(german).toContain('<strong data-field="reach">1.450</strong>');
    expect(german).toContain('data-locale="de-DE"');
    expect(german).toContain('10.000 posts a day for the whole app');
    const british = await dashboard({ 'accept-language': 'en-GB' });
    expect(british).toContain('<strong data-field="reach">1,450</strong>');
    // Preference order counts, not the order written; a header Intl cannot read falls back to en-GB.
    expect(await dashboard({ 'accept-language': 'en;q=0.1, fr-FR;q=0.8' })).toContain('data-locale="fr-FR"');
    expect(await dashboard({ 'accept-language': '*;q=1, ###' })).toContain('data-locale="en-GB"');
    expect(await dashboard()).toContain('data-locale="en-GB"');
  });

  it("names the campaign's time zone with every time, and marks what edits the campaign and cards each table row", async () => {
    const page = await dashboard();
    expect(page).toContain('data-time-zone="Europe/Paris"');
    expect(page).toContain(
      `Launches <strong data-field="launchTime">${launch.toFormat('d LLL yyyy')}, 09:00 GMT+${launch.offset / 60}</strong> (Europe/Paris)`,
    );
    expect(page).toMatch(/<span data-while-editable> · <a href="\/organiser\/campaigns\/[^"]+\/edit">Edit<\/a><\/span>/);
    expect(page).toContain('<div class="columns" data-section="editable" data-while-editable>');
    // The results (hidden until the launch) come before the chart; every table turns into cards on a phone.
    expect(page.indexOf('data-section="delivery"')).toBeLessThan(page.indexOf('id="reach-chart"'));
    expect(page).not.toMatch(/<table>/);
    expect(page).toMatch(/<td class="num" data-label="Reach">1,450<\/td>/);
    // The chart's date adapter and its Luxon are served, and nothing else from those folders.
    for (const script of ['/vendor/luxon/luxon.min.js', '/vendor/chartjs-adapter-luxon/chartjs-adapter-luxon.umd.min.js']) {
      expect(page).toContain(`<script src="${script}" defer></script>`);
      expect((await organiser.request(`${chorus.url}${script}`)).status).toBe(200);
    }
    expect((await organiser.request(`${chorus.url}/vendor/luxon/luxon.js`)).status).toBe(404);
    expect((await organiser.request(`${chorus.url}/vendor/chartjs-adapter-luxon/chartjs-adapter-luxon.esm.js`)).status).toBe(404);
  });

  it('sends a short-link visit live, with the axis and the zone the chart needs, and says when the campaign can no longer be edited', async () => {
    const page = await dashboard();
    const shortLink = /href="(http:\/\/[^"]+\/s\/[A-Za-z0-9]{6})"/.exec(page)?.[1] ?? '';
    const abort = new AbortController();
    const stream = await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}/events`, {
      headers: { accept: 'text/event-stream', 'accept-language': 'de-DE' },
      signal: abort.signal,
    });
    try {
      expect(stream.status).toBe(200);
      const next = snapshots(stream.body ?? new ReadableStream());
      const first = await next();
      expect(first).toMatchObject({ state: 'collecting', editable: true, timeZone: 'Europe/Paris', shortLinkVisits: 0, reach: 1450 });
      expect(first.launchAt).toBe(launch.toJSDate().toISOString());
      expect(Date.parse(first.openedAt)).toBeLessThan(Date.now());
      expect(first.networks[0]?.limit).toBe('10.000 posts a day for the whole app');

      // A visit, and nothing else: the next snapshot carries it.
      const visit = await new Browser().request(`${chorus.url}${new URL(shortLink).pathname}`);
      expect(visit.status).toBe(302);
      expect((await next()).shortLinkVisits).toBe(1);

      expect((await organiser.json(`${chorus.url}/api/v1/campaigns/${campaign.id}/cancel`, { method: 'POST', json: {} })).status).toBe(200);
      expect(await next()).toMatchObject({ state: 'cancelled', editable: false });
    } finally {
      abort.abort();
    }
    const cancelled = await dashboard();
    expect(cancelled).not.toContain('data-while-editable');
    expect(cancelled).not.toContain('/edit">Edit</a>');
    const list = await (await organiser.request(`${chorus.url}/organiser/campaigns`, { headers: html })).text();
    expect(list).toContain(`href="/organiser/campaigns/${campaign.id}/preview"`);
    expect(list).not.toContain(`href="/organiser/campaigns/${campaign.id}/edit"`);
  });

  it('has an accessibility statement, linked from every page, recording the criteria checked by hand', async () => {
    const statement = await new Browser().request(`${chorus.url}/accessibility`, { headers: html });
    expect(statement.status).toBe(200);
    const text = await statement.text();
    for (const criterion of [
      '2.4.11 Focus not obscured',
      '2.5.7 Dragging movements',
      '3.2.6 Consistent help',
      '3.3.7 Redundant entry',
      '3.3.8 Accessible authentication',
    ])
      expect(text).toContain(criterion);
    expect(text).toContain('prefers-reduced-motion');
    for (const path of ['/', '/privacy', '/organiser/sign-in', `/c/${campaign.slug}`])
      expect(await (await new Browser().request(`${chorus.url}${path}`, { headers: html })).text()).toContain(
        '<a href="/accessibility">Accessibility statement</a>',
      );
    expect(await dashboard()).toContain('<a href="/accessibility">Accessibility statement</a>');
  });
});
