import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCampaign } from '../../src/storage/campaign.repository.ts';
import type { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

const pauseMessage = "X posting is paused: the instance's X credits ran out; posts will resume by themselves";

describe('a launch while X refuses posts for want of credits, through the real workers', () => {
  let chorus: TestChorus;
  let organiser: Browser;

  beforeAll(async () => {
    // Probes of a paused network 1 s, then 2 s apart (half of each fixed, half random).
    chorus = await startTestChorus({ env: { NETWORK_PAUSE_PROBE_SECONDS: '1', NETWORK_PAUSE_PROBE_MAX_SECONDS: '2' } });
    organiser = await signUpOrganiser(chorus.url);
  });
  afterAll(async () => {
    await chorus.close();
  });

  /** The first snapshot the dashboard's live stream sends. */
  async function liveSnapshot(campaignId: string): Promise<{ pauses: { message: string }[] }> {
    const response = await organiser.request(`${chorus.url}/organiser/campaigns/${campaignId}/events`);
    const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
    if (reader === undefined) throw new Error('the event stream has no body');
    let text = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the event stream ended before a snapshot: ${text}`);
        text += new TextDecoder().decode(value);
        const match = /event: snapshot\ndata: (.*)\n\n/.exec(text);
        if (match?.[1] !== undefined) return JSON.parse(match[1]) as { pauses: { message: string }[] };
      }
    } finally {
      await reader.cancel();
    }
  }

  it('holds every post instead of failing it, shows the pause, and posts each pledge once when X recovers', async () => {
    const pledges = 12;
    const created = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody({ goal: 1 }) });
    expect(created.status).toBe(201);
    const campaignId = created.body.id;
    const names = Array.from({ length: pledges }, (_, index) => `np${index}_${Date.now() % 100000}`);
    const supporters = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', names);
    const campaign = await findCampaign(chorus.ctx.db, campaignId);
    if (campaign === undefined) throw new Error('the campaign was not created');
    await seedPledges(chorus.ctx.db, chorus.ctx.cipher, campaign, supporters);

    // X refuses the launch's first posts and the first three probes with 402, then posts again.
    const faults = await fetch(new URL('__sandbox/faults', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 1, rules: [], outage: { fault: { kind: 'credits-depleted' }, requests: pledges + 3 } }),
    });
    expect(faults.status).toBe(200);
    // The launch comes in a second; the workers find it in Postgres, as after any restart.
    await chorus.ctx.db
      .updateTable('campaigns')
      .set({ launch_at: new Date(Date.now() + 1000) })
      .where('id', '=', campaignId)
      .execute();
    await chorus.startWorkers();

    // While X refuses, the network is paused and the organiser is told so: page, JSON and live stream.
    await waitFor(
      () => chorus.ctx.db.selectFrom('network_holds').selectAll().execute(),
      (holds) => holds.length === 1,
      20_000,
    );
    const page = await organiser.request(`${chorus.url}/organiser/campaigns/${campaignId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(pauseMessage.replace("'", '&#39;'));
    const detail = await organiser.json<{ pauses: { network: string; cause: string; message: string }[] }>(
      `${chorus.url}/api/v1/campaigns/${campaignId}`,
    );
    expect(detail.body.pauses).toEqual([expect.objectContaining({ network: 'x', cause: 'out-of-credits', message: pauseMessage })]);
    expect((await liveSnapshot(campaignId)).pauses.map((pause) => pause.message)).toEqual([pauseMessage]);
    // Nothing failed meanwhile, and nothing was posted.
    const during = await chorus.ctx.db.selectFrom('deliveries').select('state').where('campaign_id', '=', campaignId).execute();
    expect(during.filter((row) => row.state === 'failed' || row.state === 'sent')).toEqual([]);

    await waitFor(
      () => chorus.ctx.db.selectFrom('campaigns').select('state').where('id', '=', campaignId).executeTakeFirstOrThrow(),
      (row) => row.state === 'launched',
      30_000,
    );
    const deliveries = await chorus.ctx.db
      .selectFrom('deliveries')
      .select(['state', 'network_post_id', 'attempts'])
      .where('campaign_id', '=', campaignId)
      .execute();
    expect(deliveries.map((row) => row.state)).toEqual(Array.from({ length: pledges }, () => 'sent'));
    const authors = new Set(supporters.map((supporter) => supporter.id));
    const posts = (await sandboxPosts(chorus.sandbox.url)).filter((post) => authors.has(post.authorId));
    // Each pledge posted exactly once, and the post recorded is the one X holds.
    expect(posts).toHaveLength(pledges);
    expect(new Set(posts.map((post) => post.authorId)).size).toBe(pledges);
    expect(new Set(deliveries.map((row) => row.network_post_id))).toEqual(new Set(posts.map((post) => post.id)));
    // Not claimed while X was paused: once at the launch and once after the pause, all but the probe,
    // which was claimed at the launch and for each of its four probes (three refused, one posted).
    expect(deliveries.map((row) => row.attempts).sort()).toEqual([...Array.from({ length: pledges - 1 }, () => 2), 5]);

    // The pause ended with the probe's first post, and the dashboard no longer shows it.
    expect(await chorus.ctx.db.selectFrom('network_holds').selectAll().execute()).toEqual([]);
    const after = await organiser.request(`${chorus.url}/organiser/campaigns/${campaignId}`);
    expect(await after.text()).not.toContain('posting is paused');
  });
});
