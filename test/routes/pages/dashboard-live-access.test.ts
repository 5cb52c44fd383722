import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suspendOrganisation } from '../../../src/use-cases/operators/suspend-organisation.ts';
import { Browser } from '../../support/browser.ts';
import { campaignBody } from '../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

// A dashboard's live stream checks its viewer's access again while it is open (every second here, through
// DASHBOARD_ACCESS_RECHECK_SECONDS): removed from the organisation or suspended, the stream says why and ends.

type LiveEvent = { readonly event: string; readonly data: Record<string, unknown> } | { readonly event: 'ended' };

/** Reads a dashboard's event stream one event at a time (comments skipped); 'ended' once the server closes it. */
function events(body: ReadableStream<Uint8Array>) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  return async function next(): Promise<LiveEvent> {
    for (;;) {
      const match = /event: (\w+)\ndata: (.*)\n\n/.exec(buffered);
      if (match !== null) {
        buffered = buffered.slice(match.index + match[0].length);
        return { event: match[1] ?? '', data: JSON.parse(match[2] ?? '{}') as Record<string, unknown> };
      }
      const { value, done } = await reader.read();
      if (done) return { event: 'ended' };
      buffered += value;
    }
  };
}

describe("a dashboard's live stream", () => {
  let chorus: TestChorus;
  let owner: Browser;
  let ownerId: string;
  let organisationId: string;
  let campaignId: string;

  async function signUp(): Promise<{ browser: Browser; id: string }> {
    const browser = new Browser();
    const email = `organiser-${randomBytes(4).toString('hex')}@example.org`;
    const created = await browser.json<{ id: string }>(`${chorus.url}/api/v1/organisers`, {
      json: { email, name: 'Skills for Health', password: 'correct horse battery' },
    });
    expect(created.status).toBe(201);
    return { browser, id: created.body.id };
  }

  async function join(role: 'viewer' | 'editor'): Promise<{ browser: Browser; id: string }> {
    const member = await signUp();
    const invitation = await owner.json<{ link: string }>(`${chorus.url}/api/v1/organisations/${organisationId}/invitations`, {
      json: { role },
    });
    expect(invitation.status).toBe(201);
    const token = new URL(invitation.body.link).searchParams.get('token') ?? '';
    expect((await member.browser.json(`${chorus.url}/api/v1/invitations/acceptance`, { json: { token } })).status).toBe(201);
    return member;
  }

  async function openStream(browser: Browser, abort: AbortController) {
    const stream = await browser.request(`${chorus.url}/organiser/campaigns/${campaignId}/events`, {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    const next = events(stream.body ?? new ReadableStream());
    expect((await next()).event).toBe('snapshot');
    return next;
  }

  beforeAll(async () => {
    chorus = await startTestChorus({ env: { DASHBOARD_ACCESS_RECHECK_SECONDS: '1' } });
    ({ browser: owner, id: ownerId } = await signUp());
    const organisations = await owner.json<{ id: string }[]>(`${chorus.url}/api/v1/organisations`);
    organisationId = organisations.body[0]?.id ?? '';
    const created = await owner.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ timeZone: 'Europe/Paris' }, 86_400),
    });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('ends, saying why, within the re-check interval once its viewer is removed from the organisation', async () => {
    const viewer = await join('viewer');
    const abort = new AbortController();
    try {
      const next = await openStream(viewer.browser, abort);
      const removed = await owner.request(`${chorus.url}/api/v1/organisations/${organisationId}/members/${viewer.id}`, {
        method: 'DELETE',
      });
      expect(removed.status).toBe(204);
      const removedAt = Date.now();
      expect(await next()).toEqual({
        event: 'refused',
        data: { message: "Live updates stopped: you are no longer a member of this campaign's organisation." },
      });
      expect(await next()).toEqual({ event: 'ended' });
      // One second's re-check on top of the one-second poll, with room for a loaded machine.
      expect(Date.now() - removedAt).toBeLessThan(5000);
    } finally {
      abort.abort();
    }
    // Reconnecting is refused as opening is.
    const again = await viewer.browser.request(`${chorus.url}/organiser/campaigns/${campaignId}/events`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(again.status).toBe(404);
  });

  it('carries the moved launch time, as the page\'s "Launches …" line writes it', async () => {
    const abort = new AbortController();
    try {
      const next = await openStream(owner, abort);
      const launch = DateTime.now().setZone('Europe/Paris').plus({ days: 3 }).set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
      const edited = await owner.json(`${chorus.url}/api/v1/campaigns/${campaignId}`, {
        method: 'PATCH',
        json: { launchAt: launch.toJSDate().toISOString(), timeZone: 'Europe/Paris' },
      });
      expect(edited.status).toBe(200);
      const launchTime = `${launch.toFormat('d LLL yyyy')}, 09:30 GMT+${launch.offset / 60}`;
      expect(await next()).toMatchObject({
        event: 'snapshot',
        data: { launchAt: launch.toJSDate().toISOString(), launchTime, supportersVersion: '0:0:collecting:' },
      });
      // The page renders the same line, marked for the live script.
      const page = await (
        await owner.request(`${chorus.url}/organiser/campaigns/${campaignId}`, { headers: { accept: 'text/html' } })
      ).text();
      expect(page).toContain(`Launches <strong data-field="launchTime">${launchTime}</strong>`);
      expect(page).toContain('data-supporters-version="0:0:collecting:"');
    } finally {
      abort.abort();
    }
  });

  it('ends once its session is signed out everywhere (from another tab)', async () => {
    const editor = await join('editor');
    const abort = new AbortController();
    try {
      const next = await openStream(editor.browser, abort);
      expect((await editor.browser.request(`${chorus.url}/api/v1/sessions`, { method: 'DELETE' })).status).toBe(204);
      expect(await next()).toEqual({ event: 'refused', data: { message: 'Live updates stopped: this session has ended; sign in again.' } });
      expect(await next()).toEqual({ event: 'ended' });
    } finally {
      abort.abort();
    }
  });

  it('ends, saying why, once an operator suspends the organisation', async () => {
    const abort = new AbortController();
    try {
      const next = await openStream(owner, abort);
      const suspended = await suspendOrganisation(
        chorus.ctx,
        { kind: 'organiser', organiserId: ownerId, clientIp: '127.0.0.1' },
        organisationId,
        'Reported for misleading campaigns.',
      );
      expect(suspended.kind).toBe('done');
      let refused: LiveEvent;
      // The campaign is suspended with it: a snapshot saying so may come first.
      do refused = await next();
      while (refused.event === 'snapshot');
      expect(refused).toMatchObject({
        event: 'refused',
        data: { message: expect.stringMatching(/^Live updates stopped: this organisation has been suspended/) as string },
      });
      expect(await next()).toEqual({ event: 'ended' });
    } finally {
      abort.abort();
    }
  });
});
