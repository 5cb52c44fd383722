import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchJobId } from '../../../../src/jobs/queues.ts';
import { Browser } from '../../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

interface CampaignAnswer {
  id: string;
  slug: string;
  state: string;
  goal: number;
  launchAt: string;
  launchAtLocal: string;
  timeZone: string;
  message?: string;
  field?: string;
}

describe('campaigns API', () => {
  let chorus: TestChorus;
  let organiser: Browser;
  let api: string;

  beforeAll(async () => {
    chorus = await startTestChorus();
    organiser = await signUpOrganiser(chorus.url);
    api = `${chorus.url}/api/v1`;
  });
  afterAll(async () => {
    await chorus.close();
  });

  const campaignCount = async () =>
    (
      await chorus.ctx.db
        .selectFrom('campaigns')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  async function expectRefused(body: Record<string, unknown>, status: number, message: RegExp) {
    const before = await campaignCount();
    const answer = await organiser.json<CampaignAnswer>(`${api}/campaigns`, { json: body });
    expect(answer.status).toBe(status);
    expect(answer.body.message).toMatch(message);
    expect(await campaignCount()).toBe(before);
    return answer.body;
  }

  /** A day 20 days from now as YYYY-MM-DD (within the 60-day window whenever the test runs). */
  const dayAhead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('creates a campaign from a local time and a zone, and shows the time back in that zone', async () => {
    // Tokyo keeps no summer time: 09:00 there is 00:00 UTC on any day of the year.
    const day = dayAhead(20);
    const { status, body } = await organiser.json<CampaignAnswer>(`${api}/campaigns`, {
      json: campaignBody({ launchAt: `${day}T09:00`, timeZone: 'Asia/Tokyo', publish: false }),
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ state: 'draft', launchAt: `${day}T00:00:00.000Z`, timeZone: 'Asia/Tokyo' });
    expect(body.launchAtLocal).toMatch(/09:00 GMT\+9/);
  });

  it("keeps the campaign's time zone when a new launch time comes without one", async () => {
    const created = await organiser.json<CampaignAnswer>(`${api}/campaigns`, {
      json: campaignBody({ launchAt: `${dayAhead(20)}T09:00`, timeZone: 'Asia/Tokyo', publish: false }),
    });
    // An instant with an offset: moved, still shown in Tokyo.
    const day = dayAhead(21);
    const byOffset = await organiser.json<CampaignAnswer>(`${api}/campaigns/${created.body.id}`, {
      method: 'PATCH',
      json: { launchAt: `${day}T03:00:00Z` },
    });
    expect(byOffset.status).toBe(200);
    expect(byOffset.body).toMatchObject({ launchAt: `${day}T03:00:00.000Z`, timeZone: 'Asia/Tokyo' });
    expect(byOffset.body.launchAtLocal).toMatch(/12:00 GMT\+9/);
    // A wall-clock time: read in the campaign's zone, not refused for want of one.
    const byLocal = await organiser.json<CampaignAnswer>(`${api}/campaigns/${created.body.id}`, {
      method: 'PATCH',
      json: { launchAt: `${day}T10:30` },
    });
    expect(byLocal.status).toBe(200);
    expect(byLocal.body).toMatchObject({ launchAt: `${day}T01:30:00.000Z`, timeZone: 'Asia/Tokyo' });
  });

  it('refuses unknown fields', async () => {
    await expectRefused(campaignBody({ colour: 'red' }), 400, /additional properties/);
  });

  it('refuses a launch time in the past, or more than 60 days away', async () => {
    const past = await expectRefused(campaignBody({ launchAt: new Date(Date.now() - 60_000).toISOString() }), 400, /future/);
    expect(past.field).toBe('launchAt');
    await expectRefused(campaignBody({ launchAt: new Date(Date.now() + 61 * 86_400_000).toISOString() }), 400, /60 days/);
    await expectRefused(campaignBody({ launchAt: '2026-12-20T09:00' }), 400, /offset|timeZone/);
  });

  it('refuses a 400-character message, counted as X counts it', async () => {
    const link = 'https://example.org/ourhealthheroes';
    const body = await expectRefused(campaignBody({ link, message: `${'a'.repeat(400)} ${link}` }), 400, /limit is 280/);
    expect(body.field).toBe('message');
  });

  it('refuses a message or variant without the campaign link, and more than 10 variants', async () => {
    await expectRefused(campaignBody({ message: 'Thank you, support workers!' }), 400, /must include the campaign link/);
    const link = 'https://example.org/ourhealthheroes';
    await expectRefused(
      campaignBody({ link, message: `Thanks ${link}`, variants: Array.from({ length: 11 }, (_, i) => `Thanks ${i} ${link}`) }),
      400,
      /variants/,
    );
  });

  it('refuses a slug that is taken, and a malformed slug', async () => {
    const first = await organiser.json<CampaignAnswer>(`${api}/campaigns`, { json: campaignBody() });
    await expectRefused(campaignBody({ slug: first.body.slug }), 409, /taken/);
    await expectRefused(campaignBody({ slug: 'Not A Slug' }), 400, /slug/);
  });

  it('answers 401 without a session or token', async () => {
    const anonymous = new Browser();
    const answer = await anonymous.json(`${api}/campaigns`, { json: campaignBody() });
    expect(answer.status).toBe(401);
  });

  it("hides one organiser's campaign from another (404) and changes nothing", async () => {
    const mine = await organiser.json<CampaignAnswer>(`${api}/campaigns`, { json: campaignBody({ goal: 5 }) });
    const stranger = await signUpOrganiser(chorus.url, 'Another charity');
    const id = mine.body.id;
    expect((await stranger.json(`${api}/campaigns/${id}`)).status).toBe(404);
    expect((await stranger.json(`${api}/campaigns/${id}`, { method: 'PATCH', json: { goal: 50 } })).status).toBe(404);
    expect((await stranger.json(`${api}/campaigns/${id}/cancel`, { method: 'POST' })).status).toBe(404);
    expect((await stranger.json<CampaignAnswer[]>(`${api}/campaigns`)).body).toEqual([]);
    const unchanged = await organiser.json<CampaignAnswer>(`${api}/campaigns/${id}`);
    expect(unchanged.body).toMatchObject({ goal: 5, state: 'collecting' });
  });

  it('raises the goal while collecting, but never lowers it', async () => {
    const { body } = await organiser.json<CampaignAnswer>(`${api}/campaigns`, { json: campaignBody({ goal: 10 }) });
    const raised = await organiser.json<CampaignAnswer>(`${api}/campaigns/${body.id}`, { method: 'PATCH', json: { goal: 25 } });
    expect(raised.body.goal).toBe(25);
    const lowered = await organiser.json<CampaignAnswer>(`${api}/campaigns/${body.id}`, { method: 'PATCH', json: { goal: 5 } });
    expect(lowered.status).toBe(400);
    expect(lowered.body.message).toMatch(/only be raised/);
    expect((await organiser.json<CampaignAnswer>(`${api}/campaigns/${body.id}`)).body.goal).toBe(25);
  });

  it('moves the launch job when the launch time moves', async () => {
    const { body } = await organiser.json<CampaignAnswer>(`${api}/campaigns`, { json: campaignBody({}, 3600) });
    const firstJob = await chorus.ctx.queues.launches.getJob(launchJobId(body.id));
    expect(firstJob?.timestamp !== undefined && firstJob.timestamp + firstJob.delay).toBeCloseTo(Date.parse(body.launchAt), -4);

    const later = new Date(Date.now() + 7200_000).toISOString();
    const moved = await organiser.json<CampaignAnswer>(`${api}/campaigns/${body.id}`, { method: 'PATCH', json: { launchAt: later } });
    expect(moved.status).toBe(200);
    const job = await chorus.ctx.queues.launches.getJob(launchJobId(body.id));
    expect(await job?.isDelayed()).toBe(true);
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThan(Date.parse(later) - 5_000);
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeLessThan(Date.parse(later) + 5_000);
  });

  it('cancels a campaign: its launch job goes, and it can no longer be edited', async () => {
    const { body } = await organiser.json<CampaignAnswer>(`${api}/campaigns`, { json: campaignBody() });
    const cancelled = await organiser.json<CampaignAnswer>(`${api}/campaigns/${body.id}/cancel`, { method: 'POST' });
    expect(cancelled.body.state).toBe('cancelled');
    expect(await chorus.ctx.queues.launches.getJob(launchJobId(body.id))).toBeUndefined();
    const edit = await organiser.json<CampaignAnswer>(`${api}/campaigns/${body.id}`, { method: 'PATCH', json: { goal: 99 } });
    expect(edit.status).toBe(409);
  });

  it('publishes a draft, which then takes pledges', async () => {
    const { body } = await organiser.json<CampaignAnswer>(`${api}/campaigns`, { json: campaignBody({ publish: false }) });
    const hidden = await new Browser().json(`${api}/public/campaigns/${body.slug}`);
    expect(hidden.status).toBe(404);
    const published = await organiser.json<CampaignAnswer>(`${api}/campaigns/${body.id}/publish`, { method: 'POST' });
    expect(published.body.state).toBe('collecting');
    expect((await new Browser().json(`${api}/public/campaigns/${body.slug}`)).status).toBe(200);
  });

  it('lets scripts act with an API token until it is revoked', async () => {
    const created = await organiser.json<{ id: string; token: string }>(`${api}/api-tokens`, { json: { name: 'nightly report' } });
    expect(created.status).toBe(201);
    const script = new Browser();
    const headers = { authorization: `Bearer ${created.body.token}` };
    const listed = await script.json<CampaignAnswer[]>(`${api}/campaigns`, { headers });
    expect(listed.status).toBe(200);
    expect(listed.body.length).toBeGreaterThan(0);
    expect((await organiser.request(`${api}/api-tokens/${created.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await script.json(`${api}/campaigns`, { headers })).status).toBe(401);
  });
});
