import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitConsent } from '../networks/x/x-sandbox-consent-driver.ts';
import type { BrowserRequestInit } from '../support/browser.ts';
import { countDatabaseWrites } from '../support/database-writes.ts';
import { htmlForms, type HtmlForm } from '../support/html-forms.ts';
import { InjectBrowser } from '../support/inject-browser.ts';
import { campaignBody } from '../support/organiser.ts';
import { registerSupporterAddress } from '../../src/use-cases/supporter-mail/register-supporter-address.ts';
import { supporterMailLinks } from '../../src/use-cases/supporter-mail/supporter-mail-links.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { secretOfUri, totpCode, wrongTotpCode } from '../support/totp-codes.ts';
import { createOperator } from '../../src/use-cases/operators/create-operator.ts';

// Every route of the OpenAPI document and every page form, sent the malformed input classes of
// docs/security/input.md: no answer may be a 5xx, and a refused request must write nothing to
// Postgres. Text fields under the text rule must answer 400 naming the field (the API) or with the
// message beside the field (the pages). The app answers through app.inject(): no socket.

/** One character of each kind the text rule refuses. JSON carries all of them; forms and URLs cannot carry a lone surrogate. */
const unstorable = { NUL: '\u0000', 'C1 NEL': '\u0085', noncharacter: '\uffff' } as const;
const loneSurrogate = '\ud800';
/** Longer than every field's limit, within the 1 MiB body limit. */
const huge = 'x'.repeat(200_000);
/**
 * Where a wrong code is counted toward the lock on the code step (src/use-cases/organisers/check-second-factor-code.ts):
 * the one write a refusal (a 401) is meant to make.
 */
const wrongCodeCounter = 'organiser_second_factors';
/** Values of the wrong type for a JSON field. */
const wrongTypes: readonly unknown[] = [-1, true, null, { $gt: '' }, ['a', {}]];
/** Query and form values that are not valid percent-encoded UTF-8. */
const brokenEncodings = ['%00', '%ED%A0%80', '%ZZ'];

interface SchemaNode {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: readonly { name: string; in: 'path' | 'query'; schema: SchemaNode }[];
  readonly body: SchemaNode | undefined;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema: SchemaNode }[];
        requestBody?: { content?: Record<string, { schema: SchemaNode }> };
      }
    >
  >;
}

/** How to send a valid request to an operation: the malformed ones are made from it. */
interface Fixture {
  readonly browser: InjectBrowser;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: Record<string, unknown>;
  /** Other valid bodies, for an operation that takes one of several (a pledge's words or its visibility): their fields are fuzzed too. */
  readonly otherBodies?: readonly Record<string, unknown>[];
  readonly headers?: Record<string, string>;
  /** Sent after the others: it may end the session or the thing the others work on. */
  readonly last?: boolean;
  /** Answers 503 when Chorus cannot launch (the health check, with no workers in this test): its honest answer. */
  readonly mayBeUnavailable?: boolean;
  /** Checks a two-factor code: a wrong one is counted, a 401 that writes to the counter. */
  readonly countsWrongCodes?: boolean;
}

/** What the answer must be besides not a 5xx: refused with 400 naming this field; or a 503 is the route's own answer. */
interface Expectation {
  readonly refusedField?: string;
  readonly mayBeUnavailable?: boolean;
  readonly countsWrongCodes?: boolean;
}

/** Whether a field falls under the text rule: the API's schemas mark it with the storable-text format. */
function isRuledText(schema: SchemaNode | undefined): boolean {
  if (schema === undefined) return false;
  if (schema.format === 'storable-text') return true;
  return schema.items !== undefined && isRuledText(schema.items);
}

/** A body property's schema, looking inside the branches of a union. */
function propertySchema(schema: SchemaNode | undefined, name: string): SchemaNode | undefined {
  if (schema === undefined) return undefined;
  return schema.properties?.[name] ?? schema.anyOf?.map((branch) => propertySchema(branch, name)).find((found) => found !== undefined);
}

/** Every string a request may carry, with where it is (`body.title`, `query.instance`, `body.variants[]`). */
function stringInputs(operation: Operation): { where: string; schema: SchemaNode }[] {
  const found: { where: string; schema: SchemaNode }[] = [];
  const walk = (where: string, schema: SchemaNode) => {
    if (schema.type === 'string') found.push({ where, schema });
    if (schema.items !== undefined) walk(`${where}[]`, schema.items);
    for (const [name, property] of Object.entries(schema.properties ?? {})) walk(`${where}.${name}`, property);
    for (const branch of schema.anyOf ?? []) walk(where, branch);
  };
  for (const parameter of operation.parameters) walk(`${parameter.in}.${parameter.name}`, parameter.schema);
  if (operation.body !== undefined) walk('body', operation.body);
  return found;
}

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: (operation.parameters ?? []).flatMap((p) =>
        p.in === 'path' || p.in === 'query' ? [p as Operation['parameters'][number]] : [],
      ),
      body: operation.requestBody?.content?.['application/json']?.schema,
    })),
  );
}

describe('malformed input on every route and page form', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let stranger: InjectBrowser;
  let visitor: InjectBrowser;
  let supporter: InjectBrowser;
  let writes: () => Promise<Record<string, number>>;
  let last: Record<string, number>;
  const campaign = { id: '', slug: '' };
  const spare = { campaignId: '', draftId: '', pageDraftId: '', tokenId: '', suggestedPostId: '', deletablePostId: '' };
  /** Webhook endpoints: one the routes and forms work on, one the API deletes. */
  const endpoint = { id: '', spareId: '' };
  // A listed origin where nothing listens: the endpoints are registered, and no worker runs here to call them.
  const webhookOrigin = 'http://127.0.0.1:9';
  const pledge = { id: '', key: '' };
  // The organiser's own organisation, a member to change and remove, an invitation to withdraw and one to accept.
  const organisation = { id: '', memberId: '', invitationId: '', token: '', pageToken: '' };
  let joiner: InjectBrowser;
  const pagePledge = { id: '', key: '' };
  /** The page pledge's mail address: the links in its mails open the confirm and unsubscribe pages. */
  const mailLinks = { addressId: '', confirm: '', unsubscribe: '' };
  /** A supporter for the organiser to erase through the API. */
  const erasable = { id: '', key: '' };
  // Organisers of their own for the account routes, so that ending sessions or changing a password spares the others:
  // `account` (sessions, password, starting two-factor set-up), `enrolling` (part-way through set-up, for the pages),
  // `guarded` (two-factor sign-in on); `pendingSignIn` and `codeVisitor` have given guarded's password and wait for a code.
  let account: InjectBrowser;
  let enrolling: InjectBrowser;
  let guarded: InjectBrowser;
  let pendingSignIn: InjectBrowser;
  let codeVisitor: InjectBrowser;
  let accountCode = '';
  let guardedCode = '';
  let signedIn: InjectBrowser;
  let leaving: InjectBrowser;
  // An operator (two-factor sign-in on), and what the operator's routes and forms act on: campaigns in review, collecting
  // (reported) and suspended, accounts waiting for approval and suspended, organisations of no member to trust, suspend
  // and reinstate (never the organisations the other fixtures work in), a report, and a new operator's link.
  let operator: InjectBrowser;
  let welcomeVisitor: InjectBrowser;
  let welcomeToken = '';
  const operated = {
    reviewId: '',
    apiReviewId: '',
    apiReturnId: '',
    reportedSlug: '',
    reportedId: '',
    apiSuspendId: '',
    suspendedId: '',
    apiSuspendedId: '',
    awaitingId: '',
    apiAwaitingId: '',
    suspendedAccountId: '',
    apiAccountId: '',
    reportId: '',
    apiTrustOrganisationId: '',
    apiSuspendOrganisationId: '',
    apiSuspendedOrganisationId: '',
  };
  const organiserEmail = 'fuzz-organiser@example.org';
  const password = 'correct horse battery staple';

  const serverErrors: string[] = [];
  const changedWhenRefused: string[] = [];
  const misanswered: string[] = [];
  let sent = 0;
  const forgetFindings = () => {
    for (const findings of [serverErrors, changedWhenRefused, misanswered]) findings.length = 0;
    sent = 0;
  };

  /** Sends one request, and notes a 5xx, a refusal that changed the database, or an answer that broke its expectation. */
  async function probe(label: string, browser: InjectBrowser, url: string, init: BrowserRequestInit, expectation: Expectation = {}) {
    sent += 1;
    const response = await browser.request(`${chorus.url}${url}`, init);
    const text = await response.text();
    if (response.status >= 500 && !(response.status === 503 && expectation.mayBeUnavailable === true))
      serverErrors.push(`${label}: ${response.status} ${text.slice(0, 300)}`);
    const now = await writes();
    if (response.status >= 400) {
      const counted = expectation.countsWrongCodes === true && response.status === 401;
      const written = Object.keys(now).filter((table) => now[table] !== last[table] && !(counted && table === wrongCodeCounter));
      if (written.length > 0) changedWhenRefused.push(`${label}: ${response.status} wrote to ${written.join(', ')}`);
    }
    last = now;
    if (expectation.refusedField !== undefined) {
      const field =
        response.headers.get('content-type')?.includes('json') === true ? (JSON.parse(text) as { field?: string }).field : undefined;
      if (response.status !== 400 || field?.split('/')[0] !== expectation.refusedField)
        misanswered.push(
          `${label}: ${response.status} field ${String(field)}, wanted 400 naming ${expectation.refusedField}: ${text.slice(0, 200)}`,
        );
    }
    return { status: response.status, text };
  }

  /** A page-origin consent for X in this browser, leaving a pending pledge for the review page. */
  async function consentFromPage(browser: InjectBrowser, username: string): Promise<void> {
    const connect = await browser.request(`${chorus.url}/c/${campaign.slug}/support/x`, { headers: { accept: 'text/html' } });
    expect(connect.status).toBe(302);
    const callback = await submitConsent(connect.headers.get('location') ?? '', { username, followers: '12' });
    const back = await browser.request(callback, { headers: { accept: 'text/html' } });
    expect(back.headers.get('location')).toBe(`/c/${campaign.slug}/review`);
  }

  beforeAll(async () => {
    // A mail server configured (none listens: no worker runs here), so that the review step offers the address field.
    chorus = await startTestChorus({ listen: false, env: { WEBHOOK_LOCAL_ORIGINS: webhookOrigin, SMTP_URL: 'smtp://127.0.0.1:9' } });
    organiser = new InjectBrowser(chorus.app);
    // The stranger calls the API (and may end up signed in by an accepted sign-up); the visitor opens the public pages.
    stranger = new InjectBrowser(chorus.app);
    visitor = new InjectBrowser(chorus.app);
    supporter = new InjectBrowser(chorus.app);
    const signedUp = await organiser.json(`${chorus.url}/api/v1/organisers`, { json: { email: organiserEmail, name: 'Fuzz', password } });
    expect(signedUp.status).toBe(201);
    const create = async (overrides: Record<string, unknown>) => {
      const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, {
        json: campaignBody({ networks: ['x', 'mastodon'], ...overrides }),
      });
      expect(created.status).toBe(201);
      return created.body;
    };
    Object.assign(campaign, await create({}));
    spare.campaignId = (await create({})).id;
    spare.draftId = (await create({ publish: false })).id;
    spare.pageDraftId = (await create({ publish: false })).id;
    // Suggested posts: one the API's fuzzing rewrites (and the share kit page's forms edit), one it deletes last.
    for (const key of ['suggestedPostId', 'deletablePostId'] as const) {
      const post = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns/${campaign.id}/suggested-posts`, {
        json: { text: `A post to share by hand (${key})` },
      });
      expect(post.status).toBe(201);
      spare[key] = post.body.id;
    }
    const token = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/api-tokens`, { json: { name: 'spare' } });
    spare.tokenId = token.body.id;
    // The same organiser signed in a second time, for the sign-out route.
    signedIn = new InjectBrowser(chorus.app);
    expect((await signedIn.json(`${chorus.url}/api/v1/session`, { json: { email: organiserEmail, password } })).status).toBe(200);
    // An organiser of their own, whose account the account deletion's fixture deletes last.
    leaving = new InjectBrowser(chorus.app);
    expect(
      (
        await leaving.json(`${chorus.url}/api/v1/organisers`, {
          json: { email: 'fuzz-leaving@example.org', name: 'Fuzz leaving', password },
        })
      ).status,
    ).toBe(201);

    // Two supporters' pledges through the API's consent flow: one for the pledge routes, one for the manage page.
    for (const [target, username] of [
      [pledge, 'fuzz_supporter'],
      [pagePledge, 'fuzz_page'],
      [erasable, 'fuzz_erasable'],
    ] as const) {
      const browser = new InjectBrowser(chorus.app);
      const started = await browser.request(`${chorus.url}/api/v1/public/campaigns/${campaign.slug}/connect/x`);
      expect(started.status).toBe(302);
      const callback = await submitConsent(started.headers.get('location') ?? '', { username, followers: '40' });
      const pledged = await browser.json<{ id: string; manageToken: string }>(callback);
      expect(pledged.status).toBe(201);
      Object.assign(target, { id: pledged.body.id, key: pledged.body.manageToken });
    }
    const found = await chorus.ctx.db.selectFrom('campaigns').selectAll().where('id', '=', campaign.id).executeTakeFirstOrThrow();
    const registered = await registerSupporterAddress(
      chorus.ctx,
      { ...found, supporter_count: 0, reach: 0 },
      pagePledge.id,
      pagePledge.key,
      {
        address: 'fuzz-page@example.net',
        followsUpdates: true,
      },
    );
    if (registered.kind !== 'done') throw new Error(registered.message);
    const links = supporterMailLinks(chorus.config);
    const pathOfLink = (url: string) => url.slice(new URL(url).origin.length);
    Object.assign(mailLinks, {
      addressId: registered.value.addressId,
      confirm: pathOfLink(links.link('confirm', registered.value.addressId)),
      unsubscribe: pathOfLink(links.link('unsubscribe', registered.value.addressId)),
    });
    // And one who came back from the consent page to the review step, where they confirm.
    await consentFromPage(supporter, 'fuzz_reviewer');

    const signUp = async (email: string) => {
      const browser = new InjectBrowser(chorus.app);
      const created = await browser.json(`${chorus.url}/api/v1/organisers`, { json: { email, name: 'Fuzz account', password } });
      expect(created.status).toBe(201);
      return browser;
    };
    const startEnrolment = async (browser: InjectBrowser) => {
      const started = await browser.json<{ otpauthUri: string }>(`${chorus.url}/api/v1/me/two-factor`, { method: 'POST' });
      expect(started.status).toBe(201);
      return secretOfUri(started.body.otpauthUri);
    };
    account = await signUp('fuzz-account@example.org');
    accountCode = wrongTotpCode(await startEnrolment(account));
    enrolling = await signUp('fuzz-enrolling@example.org');
    await startEnrolment(enrolling);
    guarded = await signUp('fuzz-guarded@example.org');
    const guardedSecret = await startEnrolment(guarded);
    const confirmed = await guarded.json(`${chorus.url}/api/v1/me/two-factor/confirmation`, { json: { code: totpCode(guardedSecret) } });
    expect(confirmed.status).toBe(200);
    guardedCode = wrongTotpCode(guardedSecret);
    pendingSignIn = new InjectBrowser(chorus.app);
    codeVisitor = new InjectBrowser(chorus.app);
    for (const browser of [pendingSignIn, codeVisitor]) {
      const first = await browser.json(`${chorus.url}/api/v1/session`, { json: { email: 'fuzz-guarded@example.org', password } });
      expect(first.status).toBe(202);
    }

    // The operator and what their routes act on, set up directly where the product has no shortcut.
    operator = await signUp('fuzz-operator@example.org');
    await chorus.ctx.db.updateTable('organisers').set({ role: 'operator' }).where('email', '=', 'fuzz-operator@example.org').execute();
    const operatorSecret = await startEnrolment(operator);
    expect(
      (await operator.json(`${chorus.url}/api/v1/me/two-factor/confirmation`, { json: { code: totpCode(operatorSecret) } })).status,
    ).toBe(200);
    const inState = async (state: 'in_review' | 'suspended') => {
      const id = (await create({})).id;
      await chorus.ctx.db
        .updateTable('campaigns')
        .set(state === 'suspended' ? { state, suspended_from: 'collecting' } : { state })
        .where('id', '=', id)
        .execute();
      return id;
    };
    operated.reviewId = await inState('in_review');
    operated.apiReviewId = await inState('in_review');
    operated.apiReturnId = await inState('in_review');
    operated.suspendedId = await inState('suspended');
    operated.apiSuspendedId = await inState('suspended');
    operated.apiSuspendId = (await create({})).id;
    const reported = await create({});
    operated.reportedId = reported.id;
    operated.reportedSlug = reported.slug;
    const report = await stranger.json<{ id: string }>(`${chorus.url}/api/v1/public/campaigns/${reported.slug}/reports`, {
      json: { reason: 'Misleading.' },
    });
    expect(report.status).toBe(201);
    operated.reportId = report.body.id;
    const accountIn = async (email: string, standing: 'awaiting_approval' | 'suspended' | 'active') => {
      await signUp(email);
      const row = await chorus.ctx.db
        .updateTable('organisers')
        .set({ standing })
        .where('email', '=', email)
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    operated.awaitingId = await accountIn('fuzz-awaiting@example.org', 'awaiting_approval');
    operated.apiAwaitingId = await accountIn('fuzz-api-awaiting@example.org', 'awaiting_approval');
    operated.suspendedAccountId = await accountIn('fuzz-suspended@example.org', 'suspended');
    operated.apiAccountId = await accountIn('fuzz-active@example.org', 'active');
    // The operator's list shows the suspended first, then the trusted: the page's forms act on these, not on the
    // organisations the other forms work in.
    const organisationIn = async (name: string, standing: 'active' | 'suspended', trusted = false) => {
      const row = await chorus.ctx.db
        .insertInto('organisations')
        .values({ name, standing, trusted, suspended_at: standing === 'suspended' ? new Date() : null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    await organisationIn('Fuzz page suspended', 'suspended');
    await organisationIn('Fuzz page trusted', 'active', true);
    operated.apiTrustOrganisationId = await organisationIn('Fuzz API trust', 'active');
    operated.apiSuspendOrganisationId = await organisationIn('Fuzz API suspend', 'active');
    operated.apiSuspendedOrganisationId = await organisationIn('Fuzz API suspended', 'suspended');
    const link = await createOperator(chorus.ctx.db, chorus.ctx.passwords, chorus.url, 'fuzz-welcome@example.org');
    if (link.kind !== 'done') throw new Error(link.message);
    welcomeToken = new URL(link.value.signInUrl).searchParams.get('token') ?? '';
    welcomeVisitor = new InjectBrowser(chorus.app);
    const organisations = await organiser.json<{ id: string }[]>(`${chorus.url}/api/v1/organisations`);
    organisation.id = organisations.body[0]?.id ?? '';
    for (const key of ['id', 'spareId'] as const) {
      const registered = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/organisations/${organisation.id}/webhook-endpoints`, {
        json: { url: `${webhookOrigin}/${key}`, events: ['pledge.created'] },
      });
      expect(registered.status).toBe(201);
      endpoint[key] = registered.body.id;
    }
    const invite = async () => {
      const created = await organiser.json<{ id: string; link: string }>(
        `${chorus.url}/api/v1/organisations/${organisation.id}/invitations`,
        {
          json: { role: 'viewer' },
        },
      );
      expect(created.status).toBe(201);
      return { id: created.body.id, token: new URL(created.body.link).searchParams.get('token') ?? '' };
    };
    // Members from the organisers already signed up (each sign-up costs an argon2 hash): `guarded` to change and
    // remove through the API, `account` for the organisation page to offer removing; `enrolling` opens invitations.
    const join = async (browser: InjectBrowser) => {
      const joined = await browser.json(`${chorus.url}/api/v1/invitations/acceptance`, { json: { token: (await invite()).token } });
      expect(joined.status).toBe(201);
      return (await browser.json<{ id: string }>(`${chorus.url}/api/v1/me`)).body.id;
    };
    organisation.memberId = await join(guarded);
    await join(account);
    organisation.invitationId = (await invite()).id;
    organisation.token = (await invite()).token;
    organisation.pageToken = (await invite()).token;
    joiner = enrolling;

    writes = await countDatabaseWrites(chorus.ctx.db);
    last = await writes();
  }, 120_000);
  afterAll(async () => {
    await chorus.close();
  });

  it('marks every string the API takes with the text rule, or with a stricter format, pattern or list', async () => {
    const document = (await stranger.json<OpenApiDocument>(`${chorus.url}/api/v1/openapi.json`)).body;
    // Passwords are hashed, never stored or posted; so are codes (a TOTP code or a recovery code), only compared with
    // what Chorus holds; a text to measure is only counted. Their own limits still bound them, and NUL is still sent.
    const exempt = new Set([
      'POST /api/v1/organisers body.password',
      'POST /api/v1/session body.password',
      'POST /api/v1/session/second-factor body.code',
      'PUT /api/v1/me/password body.currentPassword',
      'PUT /api/v1/me/password body.newPassword',
      'DELETE /api/v1/me/two-factor body.password',
      'DELETE /api/v1/me/two-factor body.code',
      'DELETE /api/v1/me body.password',
      'DELETE /api/v1/me body.code',
      'POST /api/v1/me/two-factor/confirmation body.code',
      'POST /api/v1/networks/{network}/measure body.text',
    ]);
    const unruled = operationsOf(document)
      .flatMap((operation) =>
        stringInputs(operation).map((input) => ({ ...input, name: `${operation.method} ${operation.path} ${input.where}` })),
      )
      .filter(
        ({ schema }) => !isRuledText(schema) && schema.pattern === undefined && schema.enum === undefined && schema.const === undefined,
      )
      .filter(({ schema }) => !['uuid', 'email', 'date-time'].includes(schema.format ?? ''))
      .map(({ name }) => name)
      .filter((name) => !exempt.has(name));
    expect(unruled).toEqual([]);
  });

  // Both sweeps take well under two minutes (about 49 s and 33 s on a 2-core machine at a load of 25, with the
  // organisations' operations and forms); the allowance is for a machine busy with the other test files at once.
  it('answers every operation of the OpenAPI document without a 5xx, and changes nothing when it refuses', async () => {
    forgetFindings();
    const document = (await stranger.json<OpenApiDocument>(`${chorus.url}/api/v1/openapi.json`)).body;
    const bearer = { authorization: `Bearer ${pledge.key}` };
    const fixtures: Record<string, Fixture> = {
      'GET /health': { browser: stranger, mayBeUnavailable: true },
      'GET /images/{name}': { browser: stranger, params: { name: `${'a'.repeat(64)}.png` } },
      'GET /api/v1/public/campaigns/{slug}': { browser: stranger, params: { slug: campaign.slug } },
      'GET /api/v1/public/campaigns/{slug}/connect/{network}': {
        browser: stranger,
        params: { slug: campaign.slug, network: 'mastodon' },
        query: { instance: chorus.mastodon.origin, variant: '0' },
      },
      'GET /auth/{network}/callback': { browser: stranger, params: { network: 'x' } },
      'GET /api/v1/campaigns/{id}/connect/x': { browser: organiser, params: { id: campaign.id } },
      'GET /auth/x/campaign-callback': { browser: organiser },
      'POST /api/v1/organisers': { browser: stranger, body: { email: 'fuzz-new@example.org', name: 'Fuzz two', password } },
      'POST /api/v1/session': { browser: stranger, body: { email: organiserEmail, password } },
      'DELETE /api/v1/session': { browser: signedIn, last: true },
      'POST /api/v1/session/second-factor': { browser: pendingSignIn, body: { code: guardedCode }, countsWrongCodes: true },
      'GET /api/v1/sessions': { browser: account },
      'DELETE /api/v1/sessions': { browser: account, last: true },
      'PUT /api/v1/me/password': {
        browser: account,
        body: { currentPassword: password, newPassword: 'another horse battery staple' },
      },
      'GET /api/v1/me/two-factor': { browser: account },
      'POST /api/v1/me/two-factor': { browser: account },
      'POST /api/v1/me/two-factor/confirmation': { browser: account, body: { code: accountCode } },
      'DELETE /api/v1/me/two-factor': { browser: guarded, body: { password, code: guardedCode }, countsWrongCodes: true },
      'GET /api/v1/me': { browser: organiser },
      'DELETE /api/v1/me': { browser: leaving, body: { password }, last: true },
      'GET /api/v1/me/mail-settings': { browser: organiser },
      'PUT /api/v1/me/mail-settings': { browser: organiser, body: { 'goal-reached': true, 'launch-report': true } },
      'POST /api/v1/api-tokens': { browser: organiser, body: { name: 'a script' } },
      'GET /api/v1/api-tokens': { browser: organiser },
      'DELETE /api/v1/api-tokens/{id}': { browser: organiser, params: { id: spare.tokenId }, last: true },
      'POST /api/v1/organisations/{id}/webhook-endpoints': {
        browser: organiser,
        params: { id: organisation.id },
        body: { url: `${webhookOrigin}/new`, description: 'our CRM', events: ['pledge.created', 'delivery.sent'] },
      },
      'GET /api/v1/organisations/{id}/webhook-endpoints': { browser: organiser, params: { id: organisation.id } },
      'GET /api/v1/organisations/{id}/webhook-endpoints/{endpointId}': {
        browser: organiser,
        params: { id: organisation.id, endpointId: endpoint.id },
      },
      'PATCH /api/v1/organisations/{id}/webhook-endpoints/{endpointId}': {
        browser: organiser,
        params: { id: organisation.id, endpointId: endpoint.id },
        body: { url: `${webhookOrigin}/changed`, description: 'our chat channel', events: ['campaign.launched'] },
      },
      'DELETE /api/v1/organisations/{id}/webhook-endpoints/{endpointId}': {
        browser: organiser,
        params: { id: organisation.id, endpointId: endpoint.spareId },
        last: true,
      },
      'POST /api/v1/organisations/{id}/webhook-endpoints/{endpointId}/rotate-secret': {
        browser: organiser,
        params: { id: organisation.id, endpointId: endpoint.id },
      },
      'POST /api/v1/organisations/{id}/webhook-endpoints/{endpointId}/test': {
        browser: organiser,
        params: { id: organisation.id, endpointId: endpoint.id },
      },
      'GET /api/v1/organisations/{id}/webhook-endpoints/{endpointId}/deliveries': {
        browser: organiser,
        params: { id: organisation.id, endpointId: endpoint.id },
        query: { limit: '10' },
      },
      'POST /api/v1/campaigns': { browser: organiser, body: campaignBody({ networks: ['x', 'mastodon'] }) },
      'GET /api/v1/campaigns': { browser: organiser },
      'GET /api/v1/campaigns/{id}': { browser: organiser, params: { id: campaign.id } },
      'PATCH /api/v1/campaigns/{id}': {
        browser: organiser,
        params: { id: campaign.id },
        body: {
          title: 'A new title',
          description: 'More about it.',
          message: campaignBody().message,
          variants: campaignBody().variants,
          goal: 4,
        },
      },
      'GET /api/v1/campaigns/{id}/supporters': { browser: organiser, params: { id: campaign.id }, query: { handle: 'fuzz' } },
      'DELETE /api/v1/campaigns/{id}/supporters/{pledgeId}': {
        browser: organiser,
        params: { id: campaign.id, pledgeId: erasable.id },
        last: true,
      },
      'POST /api/v1/campaigns/{id}/publish': { browser: organiser, params: { id: spare.draftId }, last: true },
      'POST /api/v1/campaigns/{id}/cancel': { browser: organiser, params: { id: spare.campaignId }, last: true },
      'GET /api/v1/campaigns/{id}/suggested-posts': { browser: organiser, params: { id: campaign.id } },
      'POST /api/v1/campaigns/{id}/suggested-posts': {
        browser: organiser,
        params: { id: campaign.id },
        body: { text: 'Share this, please' },
      },
      'PUT /api/v1/campaigns/{id}/suggested-posts/{postId}': {
        browser: organiser,
        params: { id: campaign.id, postId: spare.suggestedPostId },
        body: { text: 'Share this instead' },
      },
      'DELETE /api/v1/campaigns/{id}/suggested-posts/{postId}': {
        browser: organiser,
        params: { id: campaign.id, postId: spare.deletablePostId },
        last: true,
      },
      'GET /c/{slug}/share-image.png': { browser: stranger, params: { slug: campaign.slug } },
      'GET /oembed': { browser: stranger, query: { url: `${chorus.url}/c/${campaign.slug}`, format: 'json' } },
      'GET /api/v1/public/networks': { browser: stranger },
      'GET /api/v1/pledges/{id}': { browser: stranger, params: { id: pledge.id }, headers: bearer },
      'PATCH /api/v1/pledges/{id}': {
        browser: stranger,
        params: { id: pledge.id },
        headers: bearer,
        body: { text: `My own words. ${String(campaignBody().link)} #OurHealthHeroes` },
        otherBodies: [{ showName: false }],
      },
      'PUT /api/v1/pledges/{id}/email': {
        browser: stranger,
        params: { id: pledge.id },
        headers: bearer,
        body: { email: 'fuzz-supporter@example.org', followUpdates: true },
        otherBodies: [{ email: 'fuzz-supporter@example.org' }],
      },
      'DELETE /api/v1/pledges/{id}/email': { browser: stranger, params: { id: pledge.id }, headers: bearer },
      'DELETE /api/v1/pledges/{id}': { browser: stranger, params: { id: pledge.id }, headers: bearer, last: true },
      'POST /api/v1/networks/{network}/measure': { browser: stranger, params: { network: 'x' }, body: { text: 'How long is this?' } },
      'POST /api/v1/public/campaigns/{slug}/reports': {
        browser: stranger,
        params: { slug: operated.reportedSlug },
        body: { reason: 'It misleads people.', contact: 'someone@example.org' },
      },
      'GET /api/v1/operator/overview': { browser: operator },
      'GET /api/v1/operator/campaigns': { browser: operator, query: { state: 'in_review' } },
      'POST /api/v1/operator/campaigns/{id}/approve': { browser: operator, params: { id: operated.apiReviewId }, last: true },
      'POST /api/v1/operator/campaigns/{id}/return': {
        browser: operator,
        params: { id: operated.apiReturnId },
        body: { reason: 'Name the charity.' },
        last: true,
      },
      'POST /api/v1/operator/campaigns/{id}/suspend': { browser: operator, params: { id: operated.apiSuspendId }, last: true },
      'POST /api/v1/operator/campaigns/{id}/reinstate': { browser: operator, params: { id: operated.apiSuspendedId }, last: true },
      'GET /api/v1/operator/organisers': { browser: operator },
      'POST /api/v1/operator/organisers/{id}/approve': { browser: operator, params: { id: operated.apiAwaitingId }, last: true },
      'POST /api/v1/operator/organisers/{id}/suspend': { browser: operator, params: { id: operated.apiAccountId }, last: true },
      'POST /api/v1/operator/organisers/{id}/reinstate': { browser: operator, params: { id: operated.suspendedAccountId }, last: true },
      'GET /api/v1/operator/organisations': { browser: operator },
      'PUT /api/v1/operator/organisations/{id}/trust': {
        browser: operator,
        params: { id: operated.apiTrustOrganisationId },
        body: { trusted: true },
      },
      'POST /api/v1/operator/organisations/{id}/suspend': {
        browser: operator,
        params: { id: operated.apiSuspendOrganisationId },
        body: { reason: 'Fuzzing' },
        last: true,
      },
      'POST /api/v1/operator/organisations/{id}/reinstate': {
        browser: operator,
        params: { id: operated.apiSuspendedOrganisationId },
        last: true,
      },
      'GET /api/v1/operator/settings': { browser: operator },
      'PUT /api/v1/operator/settings': {
        browser: operator,
        body: { signUpMode: 'open', campaignReview: false, contactEmail: 'operators@example.org' },
      },
      'POST /api/v1/operator/invitations': { browser: operator, body: { expiresInDays: 2, email: 'invitee@example.org' } },
      'GET /api/v1/operator/reports': { browser: operator },
      'GET /api/v1/operator/audit-log': {
        browser: operator,
        query: {
          limit: '10',
          before: '999999',
          organisation: organisation.id,
          action: 'campaign.edited',
          from: '2026-01-01',
          to: '2026-12-31',
        },
      },
      'GET /api/v1/operator/audit-log.csv': { browser: operator, query: { action: 'campaign.edited', from: '2026-01-01' } },
      'POST /api/v1/operator/reports/{id}/close': { browser: operator, params: { id: operated.reportId }, last: true },
      'GET /api/v1/roles': { browser: organiser },
      'GET /api/v1/organisations': { browser: organiser },
      // Another account: an organisation it creates would add the organisation switcher to the fuzzed organiser's pages.
      'POST /api/v1/organisations': { browser: account, body: { name: 'Fuzz second organisation' } },
      'GET /api/v1/organisations/{id}': { browser: organiser, params: { id: organisation.id } },
      'PATCH /api/v1/organisations/{id}': { browser: organiser, params: { id: organisation.id }, body: { name: 'Fuzz organisation' } },
      'PATCH /api/v1/organisations/{id}/members/{organiserId}': {
        browser: organiser,
        params: { id: organisation.id, organiserId: organisation.memberId },
        body: { role: 'editor' },
      },
      'DELETE /api/v1/organisations/{id}/members/{organiserId}': {
        browser: organiser,
        params: { id: organisation.id, organiserId: organisation.memberId },
        last: true,
      },
      'GET /api/v1/organisations/{id}/invitations': { browser: organiser, params: { id: organisation.id } },
      'POST /api/v1/organisations/{id}/invitations': {
        browser: organiser,
        params: { id: organisation.id },
        body: { role: 'viewer', expiresInDays: 3, email: 'invitee@example.org' },
      },
      'DELETE /api/v1/organisations/{id}/invitations/{invitationId}': {
        browser: organiser,
        params: { id: organisation.id, invitationId: organisation.invitationId },
        last: true,
      },
      'POST /api/v1/invitations/acceptance': { browser: joiner, body: { token: organisation.token }, last: true },
      'GET /api/v1/organisations/{id}/audit-log': {
        browser: organiser,
        params: { id: organisation.id },
        query: { limit: '10', before: '999999', action: 'campaign.edited', from: '2026-01-01', to: '2026-12-31' },
      },
      'GET /api/v1/organisations/{id}/audit-log.csv': {
        browser: organiser,
        params: { id: organisation.id },
        query: { action: 'campaign.edited', to: '2026-12-31' },
      },
    };
    const operations = operationsOf(document);
    const undescribed = operations.map((o) => `${o.method} ${o.path}`).filter((name) => fixtures[name] === undefined);
    expect(undescribed, 'every operation needs a fixture here').toEqual([]);
    operations.sort(
      (a, b) => Number(fixtures[`${a.method} ${a.path}`]?.last === true) - Number(fixtures[`${b.method} ${b.path}`]?.last === true),
    );

    for (const operation of operations) {
      const name = `${operation.method} ${operation.path}`;
      const fixture = fixtures[name] as Fixture;
      const pathOf = (params: Record<string, string>) => operation.path.replaceAll(/\{(\w+)\}/g, (_, key: string) => params[key] ?? '');
      const queryOf = (query: Record<string, string | string[]>) => {
        const search = new URLSearchParams();
        for (const [key, value] of Object.entries(query)) for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
        return search.size === 0 ? '' : `?${search.toString()}`;
      };
      const validPath = pathOf(Object.fromEntries(Object.entries(fixture.params ?? {}).map(([k, v]) => [k, encodeURIComponent(v)])));
      const validQuery = queryOf(fixture.query ?? {});
      const send = (label: string, url: string, init: BrowserRequestInit = {}, expectation: Expectation = {}) =>
        probe(
          `${name} ${label}`,
          fixture.browser,
          url,
          { method: operation.method, ...init, headers: { ...fixture.headers, ...init.headers } },
          { ...expectation, mayBeUnavailable: fixture.mayBeUnavailable === true, countsWrongCodes: fixture.countsWrongCodes === true },
        );
      const sendJson = (label: string, body: unknown, expectation?: Expectation) =>
        send(
          label,
          `${validPath}${validQuery}`,
          { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
          expectation,
        );

      // Path parameters: not an id, NUL, broken encodings, far too long, a path of its own.
      for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
        for (const value of ['not-a-uuid', 'a%00b', ...brokenEncodings, 'x'.repeat(5000), '..%2F..%2Fhealth', '%F0%9F%98%80']) {
          const params = {
            ...Object.fromEntries(Object.entries(fixture.params ?? {}).map(([k, v]) => [k, encodeURIComponent(v)])),
            [parameter.name]: value,
          };
          await send(`path ${parameter.name}=${value.slice(0, 20)}`, `${pathOf(params)}${validQuery}`);
        }
      }

      // Query parameters: each refused character, far too long, repeated, the wrong type, broken encodings, one too many.
      for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
        const valid = fixture.query?.[parameter.name] ?? 'a';
        for (const [kind, character] of Object.entries(isRuledText(parameter.schema) ? unstorable : { NUL: unstorable.NUL })) {
          const expectation = isRuledText(parameter.schema) ? { refusedField: parameter.name } : {};
          await send(
            `query ${parameter.name} with ${kind}`,
            `${validPath}${queryOf({ ...fixture.query, [parameter.name]: `${valid}${character}` })}`,
            {},
            expectation,
          );
        }
        for (const value of [huge.slice(0, 20_000), [valid, valid], 'abc', '-1', '1e400', '']) {
          await send(
            `query ${parameter.name}=${String(value).slice(0, 20)}`,
            `${validPath}${queryOf({ ...fixture.query, [parameter.name]: value })}`,
          );
        }
        for (const raw of brokenEncodings) {
          const rest = queryOf(Object.fromEntries(Object.entries(fixture.query ?? {}).filter(([key]) => key !== parameter.name)));
          await send(`query ${parameter.name}=${raw}`, `${validPath}${rest === '' ? '?' : `${rest}&`}${parameter.name}=${raw}`);
        }
      }
      await send('query with an unknown parameter', `${validPath}${queryOf({ ...fixture.query, unexpected: 'a\u0000b' })}`);

      if (operation.method === 'GET') continue;

      // The body as a whole: not JSON, not an object, the wrong content type, too large, nested too deep.
      const body = JSON.stringify(fixture.body ?? {});
      const wholeBodies: [string, string | Uint8Array, string][] = [
        ['invalid JSON', '{"title": ', 'application/json'],
        ['an empty JSON body', '', 'application/json'],
        ['JSON null', 'null', 'application/json'],
        ['a JSON string', '"text"', 'application/json'],
        ['a JSON number', '42', 'application/json'],
        ['a JSON array', '[]', 'application/json'],
        ['the body in an array', `[${body}]`, 'application/json'],
        ['a prototype key', '{"__proto__": {"admin": true}}', 'application/json'],
        ['JSON nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'application/json'],
        ['JSON of 2 MB', JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }), 'application/json'],
        ['JSON with a NUL outside strings', `${body.slice(0, 1)}\u0000${body.slice(1)}`, 'application/json'],
        ['JSON as text/plain', body, 'text/plain'],
        ['JSON as XML', body, 'application/xml'],
        ['JSON in a charset nobody reads', body, 'application/json; charset=utf-7'],
        ['a form with NUL', 'name=a%00b&title=a%00b&text=a%00b', 'application/x-www-form-urlencoded'],
        ['multipart with no boundary', body, 'multipart/form-data'],
        ['multipart cut short', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nabc', 'multipart/form-data; boundary=b'],
        ['bytes that are not UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json'],
      ];
      for (const [label, raw, type] of wholeBodies)
        await send(label, `${validPath}${validQuery}`, { body: raw, headers: { 'content-type': type } });

      // Each field: each refused character, a lone surrogate, far too long, each wrong type, missing; and one field too many.
      for (const [base, field, valid] of [fixture.body ?? {}, ...(fixture.otherBodies ?? [])].flatMap((b) =>
        Object.entries(b).map(([f, v]) => [b, f, v] as const),
      )) {
        const schema = propertySchema(operation.body, field);
        const ruled = isRuledText(schema);
        const spoilt = (character: string) =>
          Array.isArray(valid) ? [...(valid as string[]), `a${character}`] : `${String(valid)}${character}`;
        // Fields outside the rule (a password, a number) get NUL only: the other characters test the rule itself.
        for (const [kind, character] of Object.entries(
          ruled ? { ...unstorable, 'lone surrogate': loneSurrogate } : { NUL: unstorable.NUL },
        )) {
          await sendJson(`${field} with ${kind}`, { ...base, [field]: spoilt(character) }, ruled ? { refusedField: field } : {});
        }
        await sendJson(`${field} far too long`, { ...base, [field]: Array.isArray(valid) ? [huge] : huge });
        for (const wrong of wrongTypes) await sendJson(`${field} as ${JSON.stringify(wrong)}`, { ...base, [field]: wrong });
        await sendJson(`${field} missing`, Object.fromEntries(Object.entries(base).filter(([key]) => key !== field)));
      }
      await sendJson('one field too many', { ...fixture.body, unexpected: 'a\u0000b' });
    }

    expect(serverErrors).toEqual([]);
    expect(changedWhenRefused).toEqual([]);
    expect(misanswered).toEqual([]);
    expect(sent).toBeGreaterThan(500);
  }, 240_000);

  it('answers every page form without a 5xx, puts refused text beside its field, and changes nothing when it refuses', async () => {
    forgetFindings();
    const html = { accept: 'text/html' };
    const pages: [InjectBrowser, string][] = [
      [visitor, '/organiser/sign-up'],
      [visitor, '/organiser/sign-in'],
      [visitor, `/c/${campaign.slug}`],
      [visitor, `/p/${pagePledge.id}?key=${encodeURIComponent(pagePledge.key)}`],
      [organiser, '/organiser/campaigns'],
      [organiser, '/organiser/campaigns/new'],
      [organiser, `/organiser/campaigns/${campaign.id}/edit`],
      // The draft's dashboard first: its forms (goal, publish, cancel, updates) are the ones sent malformed input.
      [organiser, `/organiser/campaigns/${spare.pageDraftId}`],
      [organiser, `/organiser/campaigns/${campaign.id}`],
      [organiser, `/organiser/campaigns/${campaign.id}/share-kit`],
      [supporter, `/c/${campaign.slug}/review`],
      [visitor, mailLinks.confirm],
      [visitor, mailLinks.unsubscribe],
      [organiser, '/organiser/account'],
      // Part-way through set-up: the confirm form and the start-again form; then with two-factor on: the off form.
      [enrolling, '/organiser/account/two-factor'],
      [guarded, '/organiser/account/two-factor'],
      [codeVisitor, '/organiser/sign-in/code'],
      [visitor, `/c/${campaign.slug}/report`],
      [welcomeVisitor, `/operator/welcome?token=${encodeURIComponent(welcomeToken)}`],
      [operator, '/operator'],
      [organiser, `/organiser/organisations/${organisation.id}`],
      // The audit logs' filter forms (GET), and the form that creates an organisation.
      [organiser, `/organiser/organisations/${organisation.id}/audit`],
      [operator, '/operator/audit-log'],
      [organiser, '/organiser/organisations/new'],
      [organiser, `/organiser/organisations/${organisation.id}/webhooks`],
      [organiser, `/organiser/organisations/${organisation.id}/webhooks/${endpoint.id}`],
      [joiner, `/organiser/invitation?token=${organisation.pageToken}`],
    ];
    // One of each form, by its route.
    const route = (action: string) =>
      (action.split(/[?#]/)[0] ?? '')
        // Every organisation on the operator's list has its forms, the fuzz organiser's among them: one route.
        .replaceAll(/\/operator\/organisations\/[0-9a-f-]{36}\//g, '/operator/organisations/:id/')
        .replaceAll(organisation.id, ':org')
        .replaceAll(/\/(supporters|api-tokens|campaigns|organisers|reports|members|invitations)\/[0-9a-f-]{36}\//g, '/$1/:id/')
        .replaceAll(/\/share-kit\/[0-9a-f-]{36}/g, '/share-kit/:id')
        .replaceAll(campaign.id, ':id')
        .replaceAll(spare.pageDraftId, ':id')
        .replaceAll(pagePledge.id, ':id')
        .replaceAll(endpoint.id, ':id')
        .replaceAll(mailLinks.addressId, ':id')
        .replaceAll(campaign.slug, ':slug');
    const forms = new Map<string, { browser: InjectBrowser; form: HtmlForm }>();
    for (const [browser, page] of pages) {
      const response = await browser.request(`${chorus.url}${page}`, { headers: html });
      expect(response.status, page).toBe(200);
      for (const form of htmlForms(await response.text())) {
        const key = `${form.method} ${route(form.action)}`;
        if (!forms.has(key)) forms.set(key, { browser, form });
      }
    }
    expect([...forms.keys()].sort()).toEqual(
      [
        'POST /organiser/sign-up',
        'POST /organiser/sign-in',
        'POST /organiser/sign-out',
        'GET /c/:slug/support/mastodon',
        'POST /p/:id/withdraw',
        'POST /organiser/campaigns',
        'POST /organiser/campaigns/:id/edit',
        'POST /organiser/campaigns/:id/image',
        'POST /organiser/campaigns/:id/goal',
        'POST /organiser/campaigns/:id/cancel',
        'POST /organiser/campaigns/:id/updates',
        'POST /organiser/campaigns/:id/publish',
        'POST /c/:slug/review',
        'POST /p/:id/visibility',
        'POST /mail/confirm/:id',
        'POST /mail/unsubscribe/:id',
        'GET /organiser/campaigns/:id',
        'POST /organiser/campaigns/:id/supporters/:id/erase',
        'POST /organiser/account/sign-out-everywhere',
        'POST /organiser/account/password',
        'POST /organiser/account/mail-settings',
        'POST /organiser/account/api-tokens',
        'POST /organiser/account/api-tokens/:id/revoke',
        'POST /organiser/account/delete',
        'POST /organiser/account/two-factor',
        'POST /organiser/account/two-factor/confirm',
        'POST /organiser/account/two-factor/off',
        'POST /organiser/sign-in/code',
        'POST /c/:slug/report',
        'POST /operator/welcome',
        'POST /operator/campaigns/:id/approve',
        'POST /operator/campaigns/:id/return',
        'POST /operator/campaigns/:id/suspend',
        'POST /operator/campaigns/:id/reinstate',
        'POST /operator/organisers/:id/approve',
        'POST /operator/organisers/:id/suspend',
        'POST /operator/organisers/:id/reinstate',
        'POST /operator/organisations/:id/trust',
        'POST /operator/organisations/:id/suspend',
        'POST /operator/organisations/:id/reinstate',
        'POST /operator/settings',
        'POST /operator/invitations',
        'POST /operator/reports/:id/close',
        'POST /organiser/campaigns/:id/share-kit',
        'POST /organiser/campaigns/:id/share-kit/:id',
        'POST /organiser/campaigns/:id/share-kit/:id/delete',
        'POST /organiser/organisations/:org/name',
        'POST /organiser/organisations/:org/members/:id/role',
        'POST /organiser/organisations/:org/members/:id/remove',
        'POST /organiser/organisations/:org/invitations',
        'POST /organiser/organisations/:org/invitations/:id/withdraw',
        'POST /organiser/organisations/:org/webhooks',
        'POST /organiser/organisations/:org/webhooks/:id',
        'POST /organiser/organisations/:org/webhooks/:id/rotate',
        'POST /organiser/organisations/:org/webhooks/:id/test',
        'POST /organiser/organisations/:org/webhooks/:id/delete',
        'POST /organiser/invitations/accept',
        'GET /organiser/organisations/:org/audit',
        'GET /operator/audit-log',
        'POST /organiser/organisations',
      ].sort(),
    );

    // Opening the pages wrote (a dashboard makes its short link on first view): refusals are counted from here.
    last = await writes();

    // The review form posts the supporter's own words only when that choice is made.
    const together: Record<string, Record<string, string[]>> = { text: { choice: ['own'] } };
    // Fields a person types that are not text Chorus keeps: a password is only hashed, a code only compared, a search
    // for a supporter only looked for (refused with NUL, as the API's `handle` is; otherwise it finds nobody).
    const untested = new Set(['password', 'currentPassword', 'newPassword', 'code', 'supporter']);
    // Forms that check a code of a second factor that is on: a wrong code is counted (see wrongCodeCounter).
    const codeForms = new Set(['POST /organiser/sign-in/code', 'POST /organiser/account/two-factor/off']);
    // A multipart form's fields as a browser sends them (the image upload's own test sends it broken files).
    const multipartBody = (fields: Record<string, string[]>) =>
      `${Object.entries(fields)
        .flatMap(([name, values]) => values.map((v) => `--fuzz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`))
        .join('')}--fuzz--\r\n`;
    for (const [key, { browser, form }] of forms) {
      if (key === 'POST /organiser/campaigns/:id/image') continue;
      // A GET form's fields go in the query, before any fragment (the supporter search's `#supporters`).
      const getAction = form.action.split('#')[0] ?? '';
      const expectation = { countsWrongCodes: codeForms.has(key) };
      const submit = (label: string, fields: Record<string, string[]>, raw?: string) => {
        const encoded =
          raw ??
          new URLSearchParams(Object.entries(fields).flatMap(([n, values]) => values.map((v): [string, string] => [n, v]))).toString();
        return form.method === 'GET'
          ? probe(
              `${key} ${label}`,
              browser,
              `${getAction}${getAction.includes('?') ? '&' : '?'}${encoded}`,
              { headers: html },
              expectation,
            )
          : form.multipart
            ? probe(
                `${key} ${label}`,
                browser,
                form.action,
                { method: 'POST', body: multipartBody(fields), headers: { ...html, 'content-type': 'multipart/form-data; boundary=fuzz' } },
                expectation,
              )
            : probe(
                `${key} ${label}`,
                browser,
                form.action,
                { method: 'POST', body: encoded, headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' } },
                expectation,
              );
      };
      for (const [field, values] of Object.entries(form.fields)) {
        const typed = form.typed.includes(field) && !untested.has(field);
        const first = values[0] ?? '';
        for (const [kind, character] of Object.entries(typed ? unstorable : { NUL: unstorable.NUL })) {
          const fields = { ...form.fields, ...together[field], [field]: [`${first === '' ? 'a' : first}${character}`, ...values.slice(1)] };
          const answer = await submit(`${field} with ${kind}`, fields);
          if (typed && !(answer.status === 400 && new RegExp(`class="field-error" id="${field}[^"]*-error"`).test(answer.text)))
            misanswered.push(`${key} ${field} with ${kind}: ${answer.status}, no message beside the field`);
        }
        await submit(`${field} far too long`, { ...form.fields, ...together[field], [field]: [huge] });
        await submit(`${field} repeated`, { ...form.fields, [field]: [first, first, 'a\u0000'] });
        // Percent-encodings belong to urlencoded forms; a multipart part carries its bytes as they are.
        for (const rawValue of form.multipart ? [] : brokenEncodings) {
          const others = new URLSearchParams(
            Object.entries(form.fields).flatMap(([n, vs]) => (n === field ? [] : vs.map((v): [string, string] => [n, v]))),
          );
          await submit(`${field}=${rawValue}`, {}, `${others.toString()}&${encodeURIComponent(field)}=${rawValue}`);
        }
      }
      await submit('with every field missing', {});
      if (form.method === 'GET') continue;
      // Bodies a form never sends. None carries the form's token in a shape Chorus reads (a JSON body would be
      // accepted as the form: this test would sign itself out or cancel the campaign it works on).
      const token = form.fields._csrf?.[0] ?? '';
      for (const [label, raw, type] of [
        ['an empty form', '', 'application/x-www-form-urlencoded'],
        ['JSON', JSON.stringify({ text: 'a\u0000b' }), 'application/json'],
        ['invalid JSON', '{"_csrf": ', 'application/json'],
        ['text/plain', `_csrf=${token}`, 'text/plain'],
        ['multipart with no boundary', `_csrf=${token}`, 'multipart/form-data'],
        ['multipart cut short', `--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}`, 'multipart/form-data; boundary=b'],
        ['a form of 2 MB', `_csrf=${token}&body=${'x'.repeat(2 * 1024 * 1024)}`, 'application/x-www-form-urlencoded'],
      ] as const) {
        await probe(
          `${key} ${label}`,
          browser,
          form.action,
          { method: 'POST', body: raw, headers: { ...html, 'content-type': type } },
          expectation,
        );
      }
    }

    expect(serverErrors).toEqual([]);
    expect(changedWhenRefused).toEqual([]);
    expect(misanswered).toEqual([]);
  }, 240_000);

  it('answers malformed uploads on the image form with a 400 or a 413 beside the file field, and changes nothing', async () => {
    forgetFindings();
    const edit = await (
      await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}/edit`, { headers: { accept: 'text/html' } })
    ).text();
    const form = htmlForms(edit).find((f) => f.multipart);
    // Counted from here: what the other tests' pages wrote (a dashboard's short link) is not this test's.
    last = await writes();
    expect(form?.action).toMatch(/\/image\?_csrf=/);
    const action = form?.action ?? '';
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const part = (name: string, value: string | Buffer, filename?: string) =>
      Buffer.concat([
        Buffer.from(
          `--b\r\nContent-Disposition: form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"\r\nContent-Type: image/png`}\r\n\r\n`,
        ),
        Buffer.from(value),
        Buffer.from('\r\n'),
      ]);
    const whole = (...parts: Buffer[]) => Buffer.concat([...parts, Buffer.from('--b--\r\n')]);
    const cases: [string, Buffer | string, string, number, string][] = [
      ['no boundary', whole(part('imageAlt', 'Nurses'), part('image', png, 'a.png')), 'multipart/form-data', 400, 'image'],
      ['a body cut short', part('imageAlt', 'Nurses').subarray(0, 30), 'multipart/form-data; boundary=b', 400, 'image'],
      [
        'the file cut short',
        Buffer.concat([part('imageAlt', 'Nurses'), part('image', png, 'a.png').subarray(0, 120)]),
        'multipart/form-data; boundary=b',
        400,
        'image',
      ],
      [
        'a malformed part header',
        Buffer.from('--b\r\nContent-Disposition\r\n\r\nabc\r\n--b--\r\n'),
        'multipart/form-data; boundary=b',
        400,
        'image',
      ],
      [
        'another boundary in the body',
        whole(part('image', png, 'a.png'))
          .toString()
          .replaceAll('--b', '--c'),
        'multipart/form-data; boundary=b',
        400,
        'image',
      ],
      ['no parts at all', '--b--\r\n', 'multipart/form-data; boundary=b', 400, 'image'],
      [
        'more fields than the form has',
        whole(...Array.from({ length: 12 }, (_, i) => part(`f${i}`, 'x')), part('image', png, 'a.png')),
        'multipart/form-data; boundary=b',
        400,
        'image',
      ],
      [
        'a file over the limit',
        whole(part('imageAlt', 'Nurses'), part('image', Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]), 'a.png')),
        'multipart/form-data; boundary=b',
        413,
        'image',
      ],
      [
        'a description with NUL',
        whole(part('imageAlt', 'Nurses\u0000 waving'), part('image', png, 'a.png')),
        'multipart/form-data; boundary=b',
        400,
        'imageAlt',
      ],
      [
        'a description with a noncharacter',
        whole(part('imageAlt', 'Nurses\uffff waving'), part('image', png, 'a.png')),
        'multipart/form-data; boundary=b',
        400,
        'imageAlt',
      ],
    ];
    for (const [label, body, type, status, field] of cases) {
      const answer = await probe(`upload with ${label}`, organiser, action, {
        method: 'POST',
        body,
        headers: { accept: 'text/html', 'content-type': type },
      });
      if (answer.status !== status || !answer.text.includes(`id="${field}-error"`))
        misanswered.push(`upload with ${label}: ${answer.status}, wanted ${status} with a message beside ${field}`);
    }
    // Not a multipart form at all: refused before any part is read.
    for (const [label, body, type] of [
      ['JSON', '{"imageAlt": "Nurses"}', 'application/json'],
      ['text', 'imageAlt=Nurses', 'text/plain'],
      ['a form', 'imageAlt=Nurses%00', 'application/x-www-form-urlencoded'],
    ] as const) {
      const answer = await probe(`upload as ${label}`, organiser, action, {
        method: 'POST',
        body,
        headers: { accept: 'text/html', 'content-type': type },
      });
      if (answer.status !== 400 && answer.status !== 415) misanswered.push(`upload as ${label}: ${answer.status}, wanted 400 or 415`);
    }

    expect(serverErrors).toEqual([]);
    expect(changedWhenRefused).toEqual([]);
    expect(misanswered).toEqual([]);
    const image = await chorus.ctx.db
      .selectFrom('campaign_images')
      .select('campaign_id')
      .where('campaign_id', '=', campaign.id)
      .executeTakeFirst();
    expect(image).toBeUndefined();
  });
});
