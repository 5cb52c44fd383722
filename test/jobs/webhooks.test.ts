import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenCipher } from '../../src/security/token-cipher.ts';
import { sealWebhookSecret, generateWebhookSecret } from '../../src/security/webhook-secret.ts';
import { insertWebhookEndpoint } from '../../src/storage/webhook-endpoint.repository.ts';
import { insertTestWebhookEvent } from '../../src/storage/webhook-delivery.repository.ts';
import { Browser } from '../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver.ts';

interface Endpoint {
  id: string;
  secret: string;
}

interface DeliveryLine {
  eventType: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  responseExcerpt: string | null;
}

const everyEvent = [
  'pledge.created',
  'pledge.withdrawn',
  'campaign.goal_reached',
  'campaign.launched',
  'campaign.missed_goal',
  'delivery.sent',
  'delivery.failed',
];

/** The event a request carried, once its signature is verified with `secret` by the Standard Webhooks library. */
function verified(request: ReceivedWebhook, secret: string): { type: string; timestamp: string; data: Record<string, unknown> } {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  return new Webhook(secret).verify(request.body, headers) as { type: string; timestamp: string; data: Record<string, unknown> };
}

describe('webhooks, signed and sent from the outbox to a real receiver', () => {
  let chorus: TestChorus;
  let receiver: WebhookReceiver;
  let organiser: Browser;
  let organiserId: string;
  let organisationId: string;
  let api: string;
  let endpointsApi: string;

  beforeAll(async () => {
    // /flaky answers 500 three times, then 200.
    receiver = await startWebhookReceiver((path, nth) => (path === '/flaky' && nth <= 3 ? 500 : 200));
    // Its own database: the launches post to the sandbox X, whose app budget the other files share.
    chorus = await startTestChorus({
      ownDatabase: true,
      env: {
        WEBHOOK_LOCAL_ORIGINS: receiver.origin,
        // Backoff from a tenth of a second (not 30 s): the setting, not a mock.
        WEBHOOK_RETRY_BASE_SECONDS: '0.1',
        WEBHOOK_DISPATCH_SECONDS: '0.2',
        RECOVERY_SWEEP_SECONDS: '1',
      },
    });
    api = `${chorus.url}/api/v1`;
    organiser = await signUpOrganiser(chorus.url);
    organiserId = (await organiser.json<{ id: string }>(`${api}/me`)).body.id;
    organisationId = await ownOrganisation(organiser);
    endpointsApi = `${api}/organisations/${organisationId}/webhook-endpoints`;
    await chorus.startWorkers();
  });
  afterAll(async () => {
    await chorus.close();
    await receiver.close();
  });

  async function ownOrganisation(browser: Browser): Promise<string> {
    return (await browser.json<{ id: string }[]>(`${api}/organisations`)).body[0]?.id ?? '';
  }

  async function register(path: string, events: string[] = everyEvent, by = organiser, organisation = organisationId): Promise<Endpoint> {
    const answer = await by.json<Endpoint>(`${api}/organisations/${organisation}/webhook-endpoints`, {
      json: { url: `${receiver.origin}${path}`, events },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    return answer.body;
  }

  const deliveryLog = async (endpoint: Endpoint) =>
    (await organiser.json<DeliveryLine[]>(`${endpointsApi}/${endpoint.id}/deliveries`)).body;

  it('reports pledges, a withdrawal, the goal and the launch from the real use cases, each request signed', async () => {
    const endpoint = await register('/all');
    const created = await organiser.json<{ id: string; slug: string }>(`${api}/campaigns`, { json: campaignBody({ goal: 2 }, 15) });
    expect(created.status).toBe(201);
    const { id: campaignId, slug } = created.body;

    const supporters = ['wh_porter_pat', 'wh_nurse_nia', 'wh_cleaner_cal'];
    const pledge = (username: string) => pledgeThroughConsent(chorus.url, slug, { username, followers: 100, showName: true });
    const pledges = await Promise.all(supporters.slice(0, 2).map(pledge));
    // The goal is reached; the sweep reports it (within RECOVERY_SWEEP_SECONDS) before the third supporter comes and goes.
    await waitFor(
      async () => receiver.at('/all').filter((request) => request.body.includes('campaign.goal_reached')),
      (requests) => requests.length > 0,
      8_000,
    );
    pledges.push(await pledge(supporters[2] ?? ''));
    for (const answer of pledges) expect(answer.status).toBe(201);
    const withdrawn = pledges[2]?.body;
    const withdrawal = await new Browser().request(`${api}/pledges/${withdrawn?.id ?? ''}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${withdrawn?.manageToken ?? ''}` },
    });
    expect(withdrawal.status).toBe(204);

    const events = () => receiver.at('/all').map((request) => verified(request, endpoint.secret));
    await waitFor(
      async () => events().map((event) => event.type),
      (types) => types.includes('campaign.launched'),
      40_000,
    );
    const received = events();
    const ofType = (type: string) => received.filter((event) => event.type === type).map((event) => event.data);

    expect(
      ofType('pledge.created')
        .map((data) => data.pledgeId)
        .sort(),
    ).toEqual(pledges.map((p) => p.body.id).sort());
    for (const data of ofType('pledge.created')) expect(data).toMatchObject({ campaignId, network: 'x' });
    expect(ofType('pledge.withdrawn')).toEqual([expect.objectContaining({ campaignId, pledgeId: withdrawn?.id, network: 'x' })]);
    expect(ofType('campaign.goal_reached')).toEqual([{ campaignId, slug, goal: 2, supporters: 2 }]);
    const sent = ofType('delivery.sent').flatMap((data) => data.deliveries as { pledgeId: string }[]);
    expect(sent.map((delivery) => delivery.pledgeId).sort()).toEqual([pledges[0]?.body.id, pledges[1]?.body.id].sort());
    expect(ofType('campaign.launched')).toEqual([expect.objectContaining({ campaignId, slug, deliveries: { sent: 2, failed: 0 } })]);
    expect(ofType('delivery.failed')).toEqual([]);

    // Ids and public facts only: no handle, name, text or token, although these supporters chose to be named.
    const bodies = receiver
      .at('/all')
      .map((request) => request.body)
      .join('\n');
    for (const username of supporters) expect(bodies).not.toContain(username);
    expect(bodies).not.toMatch(/chorus_pledge_|OurHealthHeroes|accessToken/);
    // One webhook-id per event, as Standard Webhooks asks: `msg_` and the event's id.
    const ids = receiver.at('/all').map((request) => request.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-f-]{36}$/);

    const log = await deliveryLog(endpoint);
    expect(log).toHaveLength(received.length);
    for (const line of log) expect(line).toMatchObject({ state: 'sent', attempts: 1, lastStatus: 200, responseExcerpt: 'thanks' });
  });

  it('reports a missed goal', async () => {
    const endpoint = await register('/missed', ['campaign.missed_goal']);
    const created = await organiser.json<{ id: string; slug: string }>(`${api}/campaigns`, { json: campaignBody({ goal: 5 }, 3) });
    const pledge = await pledgeThroughConsent(chorus.url, created.body.slug, { username: 'wh_lonely_lou', followers: 10 });
    expect(pledge.status).toBe(201);
    await waitFor(
      async () => receiver.at('/missed').length,
      (count) => count > 0,
      30_000,
    );
    const [event, ...more] = receiver.at('/missed').map((request) => verified(request, endpoint.secret));
    expect(more).toEqual([]);
    expect(event).toMatchObject({ type: 'campaign.missed_goal', data: { campaignId: created.body.id, goal: 5, supporters: 1 } });
  });

  it("reports an organiser's erasure of a supporter before the launch as a withdrawal, naming no one", async () => {
    const endpoint = await register('/erased', ['pledge.withdrawn']);
    const created = await organiser.json<{ id: string; slug: string }>(`${api}/campaigns`, { json: campaignBody({ goal: 5 }) });
    const pledge = await pledgeThroughConsent(chorus.url, created.body.slug, { username: 'wh_erase_me', followers: 10 });
    expect(pledge.status).toBe(201);
    const erased = await organiser.request(`${api}/campaigns/${created.body.id}/supporters/${pledge.body.id ?? ''}`, { method: 'DELETE' });
    expect(erased.status).toBe(200);
    const [request] = await waitFor(
      async () => receiver.at('/erased'),
      (requests) => requests.length > 0,
      20_000,
    );
    if (request === undefined) throw new Error('no request');
    expect(verified(request, endpoint.secret)).toMatchObject({
      type: 'pledge.withdrawn',
      data: { campaignId: created.body.id, pledgeId: pledge.body.id, network: 'x' },
    });
    expect(request.body).not.toContain('wh_erase_me');
  });

  it("sends an event of an organisation's campaign, whichever member made it, to that organisation's endpoints only", async () => {
    // Organisation A (the organiser's) with an editor who creates the campaign; organisation B, another organiser's.
    const invitation = await organiser.json<{ link: string }>(`${api}/organisations/${organisationId}/invitations`, {
      json: { role: 'editor' },
    });
    expect(invitation.status).toBe(201);
    const editor = await signUpOrganiser(chorus.url, 'Editor of A');
    const token = new URL(invitation.body.link).searchParams.get('token') ?? '';
    expect((await editor.json(`${api}/invitations/acceptance`, { json: { token } })).status).toBe(201);
    const other = await signUpOrganiser(chorus.url, 'Organisation B');
    const otherOrganisationId = await ownOrganisation(other);

    const endpointA = await register('/org-a', ['pledge.created']);
    const endpointB = await register('/org-b', ['pledge.created'], other, otherOrganisationId);
    const campaignA = await editor.json<{ id: string; slug: string }>(`${api}/campaigns`, {
      json: campaignBody({ organisationId, goal: 5 }),
    });
    expect(campaignA.status).toBe(201);
    const campaignB = await other.json<{ id: string; slug: string }>(`${api}/campaigns`, { json: campaignBody({ goal: 5 }) });
    expect(campaignB.status).toBe(201);

    const pledgeA = await pledgeThroughConsent(chorus.url, campaignA.body.slug, { username: 'wh_org_a', followers: 10 });
    expect(pledgeA.status).toBe(201);
    const pledgeB = await pledgeThroughConsent(chorus.url, campaignB.body.slug, { username: 'wh_org_b', followers: 10 });
    expect(pledgeB.status).toBe(201);
    // Each endpoint gets, and verifies with its own secret, its own organisation's event.
    const campaignsAt = async (path: string, secret: string) =>
      receiver.at(path).map((request) => verified(request, secret).data.campaignId);
    await waitFor(
      () => campaignsAt('/org-a', endpointA.secret),
      (campaigns) => campaigns.includes(campaignA.body.id),
      20_000,
    );
    await waitFor(
      () => campaignsAt('/org-b', endpointB.secret),
      (campaigns) => campaigns.includes(campaignB.body.id),
      20_000,
    );
    expect(await campaignsAt('/org-a', endpointA.secret)).not.toContain(campaignB.body.id);
    expect(await campaignsAt('/org-b', endpointB.secret)).toEqual([campaignB.body.id]);
    // And nothing else is on its way: the deliveries are written with the pledge, so all of them exist by now.
    const queuedFor = (endpointId: string) =>
      chorus.ctx.db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
        .select(['e.campaign_id', 'e.organisation_id'])
        .where('d.endpoint_id', '=', endpointId)
        .execute();
    expect(await queuedFor(endpointB.id)).toEqual([{ campaign_id: campaignB.body.id, organisation_id: otherOrganisationId }]);
    expect((await queuedFor(endpointA.id)).map((event) => event.campaign_id)).not.toContain(campaignB.body.id);
  });

  it('keeps trying an endpoint that answers 500 three times, which receives the event once it recovers', async () => {
    const endpoint = await register('/flaky', ['pledge.created']);
    const test = await organiser.json<{ deliveryId: string }>(`${endpointsApi}/${endpoint.id}/test`, { method: 'POST' });
    expect(test.status).toBe(202);
    const log = await waitFor(
      () => deliveryLog(endpoint),
      (lines) => lines[0]?.state === 'sent',
      30_000,
    );
    expect(log).toEqual([expect.objectContaining({ eventType: 'webhook.test', state: 'sent', attempts: 4, lastStatus: 200 })]);
    const requests = receiver.at('/flaky');
    expect(requests.map((request) => request.status)).toEqual([500, 500, 500, 200]);
    // The same message each time, so a receiver can tell a retry from a new event; each signed anew.
    expect(new Set(requests.map((request) => request.headers['webhook-id'])).size).toBe(1);
    for (const request of requests) expect(verified(request, endpoint.secret).type).toBe('webhook.test');
  });

  it('signs with the old and the new secret after a rotation, so a receiver knowing either accepts', async () => {
    const endpoint = await register('/rotated', ['pledge.created']);
    const rotated = await organiser.json<Endpoint & { previous_secret_expires_at: string }>(
      `${endpointsApi}/${endpoint.id}/rotate-secret`,
      { method: 'POST' },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const overlap = new Date(rotated.body.previous_secret_expires_at).getTime() - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3600_000);
    expect(overlap).toBeLessThanOrEqual(24 * 3600_000);

    await organiser.json(`${endpointsApi}/${endpoint.id}/test`, { method: 'POST' });
    const [request] = await waitFor(
      async () => receiver.at('/rotated'),
      (requests) => requests.length > 0,
      20_000,
    );
    if (request === undefined) throw new Error('no request');
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(request, rotated.body.secret).type).toBe('webhook.test');
    expect(verified(request, endpoint.secret).type).toBe('webhook.test');
    expect(() => verified(request, generateWebhookSecret())).toThrow(/signature/i);
  });

  it('sends a delivery whose job was lost (marked as handed to the queue, but Redis never got it) once the sweep finds it', async () => {
    const endpoint = await register('/lost', ['pledge.created']);
    // Written and marked in one transaction, so the relay never sees it unmarked: as if its job was added, then lost.
    const deliveryId = await chorus.ctx.db.transaction().execute(async (trx) => {
      const id = await insertTestWebhookEvent(trx, organisationId, endpoint.id, 'webhook.test', { lost: true });
      await sql`update webhook_deliveries set enqueued_at = now() - interval '10 minutes', next_attempt_at = now() - interval '10 minutes'
                where id = ${id}::uuid`.execute(trx);
      return id;
    });
    const [request] = await waitFor(
      async () => receiver.at('/lost'),
      (requests) => requests.length > 0,
      20_000,
    );
    if (request === undefined) throw new Error('no request');
    expect(verified(request, endpoint.secret)).toMatchObject({ type: 'webhook.test', data: { lost: true } });
    // The row is marked sent once the receiver's answer is in, a moment after the request arrived.
    const row = await waitFor(
      () => chorus.ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow(),
      (delivery) => delivery.state !== 'pending',
    );
    expect(row).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('fails a delivery at once, saying why, when its secret was sealed with a key no longer configured', async () => {
    const retired = createTokenCipher({ gone: randomBytes(32).toString('base64') }, 'gone');
    const stored = await insertWebhookEndpoint(chorus.ctx.db, {
      organisationId,
      createdBy: organiserId,
      url: `${receiver.origin}/unsigned`,
      description: '',
      events: ['pledge.created'],
      secret: sealWebhookSecret(retired, generateWebhookSecret()),
    });
    expect((await organiser.json(`${endpointsApi}/${stored.id}/test`, { method: 'POST' })).status).toBe(202);
    const log = await waitFor(
      () => deliveryLog({ id: stored.id, secret: '' }),
      (lines) => lines[0]?.state === 'failed',
      20_000,
    );
    expect(log[0]?.lastError).toMatch(/retired key/);
    expect(receiver.at('/unsigned')).toEqual([]);
  });

  it('refuses a private address when it is registered, and when a request would go to one', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.1.2.3/hook',
      'https://[::1]/hook',
      'https://0x7f000001/hook',
      'http://example.org/hook',
    ]) {
      const refused = await organiser.json<{ field: string; message: string }>(endpointsApi, {
        json: { url, events: ['pledge.created'] },
      });
      expect(refused.status, url).toBe(400);
      expect(refused.body.field, url).toBe('url');
    }

    // An endpoint already stored whose address is now inside (as a name that moved would be): a counting TCP server.
    let connections = 0;
    const inside: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.2', resolve));
    try {
      const { port } = inside.address() as AddressInfo;
      const stored = await insertWebhookEndpoint(chorus.ctx.db, {
        organisationId,
        createdBy: organiserId,
        url: `http://127.0.0.2:${port}/hook`,
        description: '',
        events: ['pledge.created'],
        secret: sealWebhookSecret(chorus.ctx.cipher, generateWebhookSecret()),
      });
      const test = await organiser.json(`${endpointsApi}/${stored.id}/test`, { method: 'POST' });
      expect(test.status).toBe(202);
      const log = await waitFor(
        () => deliveryLog({ id: stored.id, secret: '' }),
        (lines) => lines[0]?.state === 'failed',
        20_000,
      );
      // Failed at once (it would be refused every time), with no connection made.
      expect(log).toEqual([
        expect.objectContaining({ state: 'failed', attempts: 1, lastStatus: null, lastError: 'that server is not reachable from Chorus' }),
      ]);
      expect(connections).toBe(0);
    } finally {
      await new Promise<void>((resolve) => {
        inside.close(() => {
          resolve();
        });
      });
    }
  });
});
