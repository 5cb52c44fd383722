import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectBrowser } from '../../../support/inject-browser.ts';
import { signedUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

interface EndpointAnswer {
  id: string;
  organisation_id: string;
  created_by: string | null;
  url: string;
  description: string;
  events: string[];
  secret?: string;
  previous_secret_expires_at: string | null;
}

const listed = 'http://127.0.0.1:9';

/** The organisation an organiser who just signed up owns. */
async function ownOrganisation(browser: InjectBrowser): Promise<string> {
  const listedOrganisations = await browser.json<{ id: string }[]>('/api/v1/organisations');
  return listedOrganisations.body[0]?.id ?? '';
}

// An organisation's webhook endpoints through the API and the pages (docs/webhooks.md): its owners manage them, its
// editors and viewers are refused (403), another organisation's members find nothing (404). Sending them is
// test/jobs/webhooks.test.ts.
describe("an organisation's webhook endpoints", () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let organiserId: string;
  let organisationId: string;
  let stranger: InjectBrowser;
  let strangerOrganisationId: string;
  let api: string;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false, env: { WEBHOOK_LOCAL_ORIGINS: listed } });
    ({ browser: organiser, id: organiserId } = await signedUpOrganiser(chorus.app));
    organisationId = await ownOrganisation(organiser);
    ({ browser: stranger } = await signedUpOrganiser(chorus.app));
    strangerOrganisationId = await ownOrganisation(stranger);
    api = `/api/v1/organisations/${organisationId}/webhook-endpoints`;
  });
  afterAll(async () => {
    await chorus.close();
  });

  async function register(body: Record<string, unknown> = { url: `${listed}/crm`, events: ['pledge.created'] }): Promise<EndpointAnswer> {
    const created = await organiser.inject('POST', api, { json: body });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    return created.json();
  }

  /** A member of the organiser's organisation with this role, through an invitation. */
  async function member(role: 'owner' | 'editor' | 'viewer'): Promise<InjectBrowser> {
    const invitation = await organiser.json<{ link: string }>(`/api/v1/organisations/${organisationId}/invitations`, {
      method: 'POST',
      json: { role },
    });
    expect(invitation.status).toBe(201);
    const { browser } = await signedUpOrganiser(chorus.app);
    const token = new URL(invitation.body.link).searchParams.get('token') ?? '';
    expect((await browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token } })).status).toBe(201);
    return browser;
  }

  const auditActions = async (subjectId: string) =>
    (
      await chorus.ctx.db
        .selectFrom('audit_entries')
        .select(['action', 'organisation_id', 'actor_organiser_id', 'changes'])
        .where('subject_id', '=', subjectId)
        .orderBy('id')
        .execute()
    ).map((entry) => ({ ...entry, changes: JSON.stringify(entry.changes) }));

  it('registers, lists, changes and deletes an endpoint; its secret is shown once and stored sealed', async () => {
    const created = await register({
      url: `${listed}/crm`,
      description: 'our CRM',
      events: ['pledge.created', 'pledge.created', 'delivery.sent'],
    });
    expect(created).toMatchObject({
      organisation_id: organisationId,
      created_by: organiserId,
      url: `${listed}/crm`,
      description: 'our CRM',
      events: ['pledge.created', 'delivery.sent'],
    });
    const secret = created.secret ?? '';
    expect(secret).toMatch(/^whsec_/);

    const list = await organiser.inject('GET', api);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret.slice(6, 20));
    expect(list.json<EndpointAnswer[]>().map((e) => e.id)).toContain(created.id);
    const row = await chorus.ctx.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.secret.toString('latin1')).not.toContain(secret.slice(6));

    const changed = await organiser.inject('PATCH', `${api}/${created.id}`, {
      json: { events: ['campaign.launched'] },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<EndpointAnswer>()).toMatchObject({ url: `${listed}/crm`, description: 'our CRM', events: ['campaign.launched'] });
    expect(changed.body).not.toContain('whsec_');

    expect((await organiser.inject('DELETE', `${api}/${created.id}`)).statusCode).toBe(204);
    expect((await organiser.inject('GET', `${api}/${created.id}`)).statusCode).toBe(404);

    // Each change is in the organisation's audit log, by whom, with the address's origin only (never a path or secret).
    const entries = await auditActions(created.id);
    expect(entries.map((entry) => entry.action)).toEqual(['webhook.registered', 'webhook.changed', 'webhook.deleted']);
    for (const entry of entries) {
      expect(entry).toMatchObject({ organisation_id: organisationId, actor_organiser_id: organiserId });
      expect(entry.changes).not.toContain('/crm');
      expect(entry.changes).not.toContain('whsec_');
    }
    expect(entries[0]?.changes).toContain(listed);
  });

  it("refuses the organisation's editors and viewers (403) and another organisation's members (404), changing nothing", async () => {
    const endpoint = await register({ url: `${listed}/kept`, description: 'kept', events: ['pledge.created'] });
    const operations = (organisation: string, id: string) =>
      [
        ['GET', `/api/v1/organisations/${organisation}/webhook-endpoints`, undefined],
        ['POST', `/api/v1/organisations/${organisation}/webhook-endpoints`, { url: `${listed}/theirs`, events: ['pledge.created'] }],
        ['GET', `/api/v1/organisations/${organisation}/webhook-endpoints/${id}`, undefined],
        ['PATCH', `/api/v1/organisations/${organisation}/webhook-endpoints/${id}`, { description: 'changed' }],
        ['POST', `/api/v1/organisations/${organisation}/webhook-endpoints/${id}/rotate-secret`, undefined],
        ['POST', `/api/v1/organisations/${organisation}/webhook-endpoints/${id}/test`, undefined],
        ['GET', `/api/v1/organisations/${organisation}/webhook-endpoints/${id}/deliveries`, undefined],
        ['DELETE', `/api/v1/organisations/${organisation}/webhook-endpoints/${id}`, undefined],
      ] as const;
    const before = await chorus.ctx.db.selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', organisationId).execute();
    const deliveries = () => chorus.ctx.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id).execute();

    for (const role of ['editor', 'viewer'] as const) {
      const browser = await member(role);
      for (const [method, url, json] of operations(organisationId, endpoint.id)) {
        const refused = await browser.inject(method, url, json === undefined ? {} : { json });
        expect(refused.statusCode, `${role} ${method} ${url}`).toBe(403);
        expect(refused.body, `${role} ${method} ${url}`).not.toContain(`${listed}/kept`);
      }
      // Their pages: refused too, and the organisation page offers them no link.
      for (const page of [
        `/organiser/organisations/${organisationId}/webhooks`,
        `/organiser/organisations/${organisationId}/webhooks/${endpoint.id}`,
      ])
        expect((await browser.inject('GET', page)).statusCode, `${role} ${page}`).toBe(403);
      const organisationPage = await browser.inject('GET', `/organiser/organisations/${organisationId}`);
      expect(organisationPage.body).not.toContain(`/organiser/organisations/${organisationId}/webhooks`);
    }

    // Another organisation's owner: the endpoint does not exist, whether asked through A or through their own B.
    for (const organisation of [organisationId, strangerOrganisationId])
      for (const [method, url, json] of operations(organisation, endpoint.id)) {
        if (organisation === strangerOrganisationId && url.endsWith('/webhook-endpoints')) continue;
        const hidden = await stranger.inject(method, url, json === undefined ? {} : { json });
        expect(hidden.statusCode, `stranger ${method} ${url}`).toBe(404);
      }
    // B's own list shows none of A's.
    const theirs = await stranger.inject('GET', `/api/v1/organisations/${strangerOrganisationId}/webhook-endpoints`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json()).toEqual([]);

    expect(await chorus.ctx.db.selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', organisationId).execute()).toEqual(
      before,
    );
    expect(await deliveries()).toEqual([]);

    // A second owner manages the same endpoints.
    const coOwner = await member('owner');
    const listedForCoOwner = await coOwner.inject('GET', api);
    expect(listedForCoOwner.json<EndpointAnswer[]>().map((e) => e.id)).toContain(endpoint.id);
    expect((await coOwner.inject('PATCH', `${api}/${endpoint.id}`, { json: { description: 'by the other owner' } })).statusCode).toBe(200);
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
      const refused = await organiser.inject('POST', api, { json: body });
      expect(refused.statusCode, JSON.stringify(body)).toBe(400);
      expect(refused.json<{ field: string }>().field.split('/')[0], JSON.stringify(body)).toBe(field);
    }
    expect(await chorus.ctx.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(before.length);
  });

  it('queues a test event that the delivery log shows, and rotates the secret with an overlap', async () => {
    const endpoint = await register();
    const test = await organiser.inject('POST', `${api}/${endpoint.id}/test`);
    expect(test.statusCode).toBe(202);
    const log = await organiser.inject('GET', `${api}/${endpoint.id}/deliveries?limit=5`);
    expect(log.statusCode).toBe(200);
    expect(log.json()).toEqual([
      expect.objectContaining({
        id: test.json<{ deliveryId: string }>().deliveryId,
        eventType: 'webhook.test',
        state: 'pending',
        attempts: 0,
      }),
    ]);

    const rotated = await organiser.inject('POST', `${api}/${endpoint.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const answer = rotated.json<EndpointAnswer>();
    expect(answer.secret).toMatch(/^whsec_/);
    expect(answer.secret).not.toBe(endpoint.secret);
    expect(answer.previous_secret_expires_at).not.toBeNull();
    const rotation = (await auditActions(endpoint.id)).find((entry) => entry.action === 'webhook.secret-rotated');
    expect(rotation?.changes).toContain('previousSecretUntil');
    expect(rotation?.changes).not.toContain('whsec_');
  });

  it('describes every operation in the OpenAPI document', async () => {
    const document = (await organiser.inject('GET', '/api/v1/openapi.json')).json<{
      paths: Record<string, Record<string, { tags?: string[] }>>;
    }>();
    const base = '/api/v1/organisations/{id}/webhook-endpoints';
    expect(Object.keys(document.paths[base] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths[`${base}/{endpointId}`] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    for (const path of ['rotate-secret', 'test', 'deliveries']) expect(document.paths[`${base}/{endpointId}/${path}`], path).toBeDefined();
    for (const [path, operations] of Object.entries(document.paths).filter(([path]) => path.includes('webhook')))
      for (const operation of Object.values(operations)) expect(operation.tags, path).toEqual(['webhooks']);
    // The old paths, of one organiser's endpoints, are gone.
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/v1/webhook-endpoints'))).toEqual([]);
  });

  it("offers the same on pages linked from the organisation's page: add (secret shown once), log, test, rotate, delete", async () => {
    const pages = `/organiser/organisations/${organisationId}/webhooks`;
    const organisationPage = await organiser.inject('GET', `/organiser/organisations/${organisationId}`);
    expect(organisationPage.body).toContain(`href="${pages}"`);

    const csrf = await organiser.csrfTokenFrom(pages);
    const refused = await organiser.inject('POST', pages, {
      form: { _csrf: csrf, url: 'https://10.0.0.1/hook', events: 'pledge.created' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/id="url-error"[^>]*>.*not reachable from Chorus/s);

    const added = await organiser.inject('POST', pages, {
      form: { _csrf: csrf, url: `${listed}/page`, description: 'chat', events: 'campaign.goal_reached' },
    });
    expect(added.statusCode).toBe(201);
    const secret = /id="new-secret">(whsec_[^<]+)</.exec(added.body)?.[1];
    expect(secret).toBeDefined();
    const id = new RegExp(`href="${pages}/([0-9a-f-]{36})">${listed}/page<`).exec(added.body)?.[1] ?? '';
    expect(id).not.toBe('');
    const list = await organiser.inject('GET', pages);
    expect(list.body).toContain(`${listed}/page`);
    expect(list.body).not.toContain(secret);

    const page = `${pages}/${id}`;
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
