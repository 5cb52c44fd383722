import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectBrowser } from '../../../support/inject-browser.ts';
import { signedUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

interface EndpointAnswer {
  id: string;
  url: string;
  description: string;
  events: string[];
  secret?: string;
  previous_secret_expires_at: string | null;
}

const listed = 'http://127.0.0.1:9';

// Webhook endpoints through the API and the pages (docs/webhooks.md); sending them is test/jobs/webhooks.test.ts.
describe('webhook endpoints', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let stranger: InjectBrowser;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false, env: { WEBHOOK_LOCAL_ORIGINS: listed } });
    ({ browser: organiser } = await signedUpOrganiser(chorus.app));
    ({ browser: stranger } = await signedUpOrganiser(chorus.app));
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function register(body: Record<string, unknown> = { url: `${listed}/crm`, events: ['pledge.created'] }): Promise<EndpointAnswer> {
    const created = await organiser.inject('POST', '/api/v1/webhook-endpoints', { json: body });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    return created.json();
  }

  it('registers, lists, changes and deletes an endpoint; its secret is shown once and stored sealed', async () => {
    const created = await register({
      url: `${listed}/crm`,
      description: 'our CRM',
      events: ['pledge.created', 'pledge.created', 'delivery.sent'],
    });
    expect(created).toMatchObject({ url: `${listed}/crm`, description: 'our CRM', events: ['pledge.created', 'delivery.sent'] });
    const secret = created.secret ?? '';
    expect(secret).toMatch(/^whsec_/);

    const list = await organiser.inject('GET', '/api/v1/webhook-endpoints');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret.slice(6, 20));
    expect(list.json<EndpointAnswer[]>().map((e) => e.id)).toContain(created.id);
    const row = await chorus.ctx.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.secret.toString('latin1')).not.toContain(secret.slice(6));

    const changed = await organiser.inject('PATCH', `/api/v1/webhook-endpoints/${created.id}`, {
      json: { events: ['campaign.launched'] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<EndpointAnswer>()).toMatchObject({ url: `${listed}/crm`, description: 'our CRM', events: ['campaign.launched'] });
    expect(changed.body).not.toContain('whsec_');

    // Another organiser's endpoint does not exist for them.
    for (const [method, url] of [
      ['GET', `/api/v1/webhook-endpoints/${created.id}`],
      ['DELETE', `/api/v1/webhook-endpoints/${created.id}`],
      ['POST', `/api/v1/webhook-endpoints/${created.id}/rotate-secret`],
      ['POST', `/api/v1/webhook-endpoints/${created.id}/test`],
      ['GET', `/api/v1/webhook-endpoints/${created.id}/deliveries`],
    ] as const)
      expect((await stranger.inject(method, url)).statusCode, `${method} ${url}`).toBe(404);

    expect((await organiser.inject('DELETE', `/api/v1/webhook-endpoints/${created.id}`)).statusCode).toBe(204);
    expect((await organiser.inject('GET', `/api/v1/webhook-endpoints/${created.id}`)).statusCode).toBe(404);
  });

  it('refuses an endpoint without events, an unknown event, plain http, or credentials in the address, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: `${listed}/a`, events: [] }, 'events'],
      [{ url: `${listed}/a`, events: ['pledge.made'] }, 'events'],
      [{ url: 'http://example.org/hook', events: ['pledge.created'] }, 'url'],
      [{ url: 'https://user:pass@example.org/hook', events: ['pledge.created'] }, 'url'],
      [{ url: 'not an address', events: ['pledge.created'] }, 'url'],
      [{ url: 'https://192.168.1.10/hook', events: ['pledge.created'] }, 'url'],
      [{ url: 'https://169.254.169.254/latest/meta-data', events: ['pledge.created'] }, 'url'],
      [{ url: 'https://[::ffff:127.0.0.1]/hook', events: ['pledge.created'] }, 'url'],
    ];
    const before = await chorus.ctx.db.selectFrom('webhook_endpoints').select('id').execute();
    for (const [body, field] of cases) {
      const refused = await organiser.inject('POST', '/api/v1/webhook-endpoints', { json: body });
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json<{ field: string }>().field.split('/')[0], JSON.stringify(body)).toBe(field);
    }
    expect(await chorus.ctx.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(before.length);
  });

  it('queues a test event that the delivery log shows, and rotates the secret with an overlap', async () => {
    const endpoint = await register();
    const test = await organiser.inject('POST', `/api/v1/webhook-endpoints/${endpoint.id}/test`);
    expect(test.statusCode).toBe(202);
    const log = await organiser.inject('GET', `/api/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=5`);
    expect(log.statusCode).toBe(200);
    expect(log.json()).toEqual([
      expect.objectContaining({
        id: test.json<{ deliveryId: string }>().deliveryId,
        eventType: 'webhook.test',
        state: 'pending',
        attempts: 0,
      }),
    ]);

    const rotated = await organiser.inject('POST', `/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const answer = rotated.json<EndpointAnswer>();
    expect(answer.secret).toMatch(/^whsec_/);
    expect(answer.secret).not.toBe(endpoint.secret);
    expect(answer.previous_secret_expires_at).not.toBeNull();
  });

  it('describes every operation in the OpenAPI document', async () => {
    const document = (await organiser.inject('GET', '/api/v1/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(Object.keys(document.paths['/api/v1/webhook-endpoints'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/api/v1/webhook-endpoints/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    for (const path of ['rotate-secret', 'test', 'deliveries'])
      expect(document.paths[`/api/v1/webhook-endpoints/{id}/${path}`], path).toBeDefined();
  });

  it('offers the same on pages linked from the account page: add (secret shown once), log, test, rotate, delete', async () => {
    const account = await organiser.inject('GET', '/organiser/account');
    expect(account.body).toContain('href="/organiser/account/webhooks"');

    const csrf = await organiser.csrfTokenFrom('/organiser/account/webhooks');
    const refused = await organiser.inject('POST', '/organiser/account/webhooks', {
      form: { _csrf: csrf, url: 'https://10.0.0.1/hook', events: 'pledge.created' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/id="url-error"[^>]*>.*not reachable from Chorus/s);

    const added = await organiser.inject('POST', '/organiser/account/webhooks', {
      form: { _csrf: csrf, url: `${listed}/page`, description: 'chat', events: 'campaign.goal_reached' },
    });
    expect(added.statusCode).toBe(201);
    const secret = /id="new-secret">(whsec_[^<]+)</.exec(added.body)?.[1];
    expect(secret).toBeDefined();
    const id = new RegExp(`href="/organiser/account/webhooks/([0-9a-f-]{36})">${listed}/page<`).exec(added.body)?.[1] ?? '';
    expect(id).not.toBe('');
    const list = await organiser.inject('GET', '/organiser/account/webhooks');
    expect(list.body).toContain(`${listed}/page`);
    expect(list.body).not.toContain(secret);

    const page = `/organiser/account/webhooks/${id}`;
    const token = await organiser.csrfTokenFrom(page);
    const tested = await organiser.inject('POST', `${page}/test`, { form: { _csrf: token } });
    expect(tested.statusCode).toBe(202);
    expect(tested.body).toMatch(/<code>webhook\.test<\/code><\/th>\s*<td data-label="Status">Pending/);

    const rotated = await organiser.inject('POST', `${page}/rotate`, { form: { _csrf: token } });
    expect(rotated.statusCode).toBe(200);
    const newSecret = /id="new-secret">(whsec_[^<]+)</.exec(rotated.body)?.[1];
    expect(newSecret).toBeDefined();
    expect(newSecret).not.toBe(secret);
    expect(rotated.body).toContain('signed with the new secret and the previous one until');

    const deleted = await organiser.inject('POST', `${page}/delete`, { form: { _csrf: token } });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.body).not.toContain(`${listed}/page`);
    expect((await organiser.inject('GET', page)).statusCode).toBe(404);
  });
});
