import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';
import { secretOfUri, totpCode } from '../../../support/totp-codes.ts';

interface Entry {
  id: string;
  at: string;
  organisationId: string | null;
  actorOrganiserId: string | null;
  action: string;
}
interface Page {
  entries: Entry[];
  nextBefore: string | null;
}

const password = 'correct horse battery staple';
const html = { accept: 'text/html' };

// The audit log's filters (organisation for operators, action, actor, UTC days) on the API, the CSV and the pages,
// and the CSV streamed a batch at a time: the log here holds more entries than one batch (1,000) of the export.
describe('audit log filters and the streamed CSV', () => {
  let chorus: TestChorus;
  let operator: InjectBrowser;
  const a = { browser: undefined as unknown as InjectBrowser, id: '', organisation: '' };
  const b = { browser: undefined as unknown as InjectBrowser, id: '', organisation: '' };
  /** The ids of the entries this test adds, by what each was, in the order they were recorded. */
  const added: { id: number; organisation: string | null; actor: string | null; action: string; day: string }[] = [];

  async function signUp(email: string) {
    const browser = new InjectBrowser(chorus.app);
    const answer = await browser.json<{ id: string }>('/api/v1/organisers', { json: { email, name: 'A charity', password } });
    expect(answer.status).toBe(201);
    const organisations = await browser.json<{ id: string }[]>('/api/v1/organisations');
    return { browser, id: answer.body.id, organisation: organisations.body[0]?.id ?? '' };
  }

  /** Every page of a query of the log, followed by nextBefore: the entries in the order the API gives them. */
  async function allPages(browser: InjectBrowser, path: string): Promise<Entry[]> {
    const entries: Entry[] = [];
    let before: string | null = null;
    do {
      const page: { status: number; body: Page } = await browser.json<Page>(
        `${path}&limit=200${before === null ? '' : `&before=${before}`}`,
      );
      expect(page.status).toBe(200);
      entries.push(...page.body.entries);
      before = page.body.nextBefore;
    } while (before !== null);
    return entries;
  }

  /** The ids of a CSV export's rows, in its order (the id is the first column). */
  async function csvIds(browser: InjectBrowser, path: string): Promise<number[]> {
    const answer = await browser.request(path);
    expect(answer.status, path).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const lines = (await answer.text()).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id,at,/);
    return lines.slice(1).map((line) => Number(line.split(',')[0]));
  }

  const newestFirst = (ids: number[]) => [...ids].sort((x, y) => y - x);

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false, env: { FIRST_ACCOUNT_OPERATOR: 'on' } });
    const first = await signUp('operator@example.org');
    operator = first.browser;
    const started = await operator.json<{ otpauthUri: string }>('/api/v1/me/two-factor', { method: 'POST' });
    const confirmed = await operator.json('/api/v1/me/two-factor/confirmation', {
      json: { code: totpCode(secretOfUri(started.body.otpauthUri)) },
    });
    expect(confirmed.status).toBe(200);
    Object.assign(a, await signUp('a@example.org'));
    Object.assign(b, await signUp('b@example.org'));

    // 2,570 entries recorded over two days, interleaved: A's edits and update posts, B's edits, the operator's settings.
    const rows: { organisation: string | null; actor: string; action: string; day: string }[] = [];
    for (let i = 0; i < 2570; i += 1) {
      const kind = i % 10 < 5 ? 'a-edit' : i % 10 < 9 ? 'a-update' : i % 20 === 9 ? 'b-edit' : 'instance';
      const [organisation, actor, action, day] =
        kind === 'a-edit'
          ? [a.organisation, a.id, 'campaign.edited', '2026-03-10']
          : kind === 'a-update'
            ? [a.organisation, a.id, 'campaign.update-posted', '2026-03-11']
            : kind === 'b-edit'
              ? [b.organisation, b.id, 'campaign.edited', '2026-03-10']
              : [null, first.id, 'instance.settings-changed', '2026-03-12'];
      rows.push({ organisation, actor, action, day });
    }
    const inserted = await chorus.ctx.db
      .insertInto('audit_entries')
      .values(
        rows.map((r) => ({
          at: new Date(`${r.day}T12:00:00Z`),
          organisation_id: r.organisation,
          actor_organiser_id: r.actor,
          action: r.action,
          changes: '{}',
          client_ip: '192.0.2.1',
        })),
      )
      .returning('id')
      .execute();
    inserted.forEach(({ id }, i) => {
      const row = rows[i];
      if (row !== undefined) added.push({ id, ...row });
    });
  });
  afterAll(async () => {
    await chorus.close();
  });

  const idsOf = (keep: (entry: (typeof added)[number]) => boolean) => newestFirst(added.filter(keep).map((e) => e.id));

  it('filters an organisation’s log for its owners by action, actor and days, never beyond their organisation', async () => {
    const api = `/api/v1/organisations/${a.organisation}/audit-log`;
    const updates = await allPages(a.browser, `${api}?action=campaign.update-posted`);
    expect(updates.map((e) => Number(e.id))).toEqual(idsOf((e) => e.action === 'campaign.update-posted'));
    expect(new Set(updates.map((e) => e.organisationId))).toEqual(new Set([a.organisation]));

    // B's id as the actor, on A's log: B acted only in B's organisation, which A's owners never see.
    expect((await a.browser.json<Page>(`${api}?actor=${b.id}`)).body.entries).toEqual([]);
    const byA = await a.browser.json<Page>(`${api}?actor=${a.id}&limit=200`);
    expect(byA.body.entries.every((e) => e.actorOrganiserId === a.id)).toBe(true);

    // A day range, both ends included, in UTC: the 10th holds the edits only.
    const tenth = await allPages(a.browser, `${api}?from=2026-03-10&to=2026-03-10`);
    expect(tenth.map((e) => Number(e.id))).toEqual(idsOf((e) => e.organisation === a.organisation && e.day === '2026-03-10'));
    const fromEleventh = await a.browser.json<Page>(`${api}?from=2026-03-11&action=campaign.edited`);
    expect(fromEleventh.body.entries).toEqual([]);

    // Bad values: 400 naming the parameter; the organisation filter is the operators' only.
    for (const [query, field] of [
      ['action=campaign.flew', 'action'],
      ['actor=someone', 'actor'],
      ['from=10-03-2026', 'from'],
      ['from=2026-02-30', 'from'],
      ['to=2026-03-09&from=2026-03-10', 'to'],
      [`organisation=${b.organisation}`, 'organisation'],
    ] as const) {
      const refused = await a.browser.json<{ field?: string }>(`${api}?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.field, query).toBe(field);
    }
    // A stranger gets the 404 of an organisation they are not in, filters or not.
    expect((await b.browser.json(`${api}?action=campaign.edited`)).status).toBe(404);
  });

  it('streams the owners’ CSV a batch at a time: every entry once, newest first, and the filters hold', async () => {
    const csv = `/api/v1/organisations/${a.organisation}/audit-log.csv`;
    // 1,285 edits: more than one batch of the export.
    const edits = await csvIds(a.browser, `${csv}?action=campaign.edited`);
    expect(edits).toEqual(idsOf((e) => e.organisation === a.organisation && e.action === 'campaign.edited'));
    expect(edits.length).toBeGreaterThan(1000);

    // Unfiltered: every entry of A's (its organisation.created from sign-up too), each once, in order, none of B's.
    const all = await csvIds(a.browser, csv);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(newestFirst(all));
    expect(all.filter((id) => added.some((e) => e.id === id))).toEqual(idsOf((e) => e.organisation === a.organisation));
    expect(all.length).toBe(idsOf((e) => e.organisation === a.organisation).length + 1);

    // The pages' CSV link takes the same filters.
    const page = await csvIds(a.browser, `/organiser/organisations/${a.organisation}/audit.csv?from=2026-03-11&to=2026-03-11`);
    expect(page).toEqual(idsOf((e) => e.organisation === a.organisation && e.day === '2026-03-11'));
    expect((await a.browser.request(`${csv}?actor=nobody`)).status).toBe(400);
  });

  it('filters the whole log for operators, one organisation too, on the API and the streamed CSV', async () => {
    const edits = await allPages(operator, `/api/v1/operator/audit-log?organisation=${b.organisation}&action=campaign.edited`);
    expect(edits.map((e) => Number(e.id))).toEqual(idsOf((e) => e.organisation === b.organisation));

    // Every organisation's edits, A's and B's interleaved, more than one batch.
    const csv = await csvIds(operator, '/api/v1/operator/audit-log.csv?action=campaign.edited');
    expect(csv).toEqual(idsOf((e) => e.action === 'campaign.edited'));
    const instance = await csvIds(operator, '/api/v1/operator/audit-log.csv?from=2026-03-12&to=2026-03-12');
    expect(instance).toEqual(idsOf((e) => e.organisation === null));
    // The pages' CSV link: B's entries, those added here and B's sign-up (their organisation created).
    const byB = await csvIds(operator, `/operator/audit-log.csv?actor=${b.id}`);
    expect(byB.filter((id) => added.some((e) => e.id === id))).toEqual(idsOf((e) => e.actor === b.id));
    expect(byB.length).toBe(idsOf((e) => e.actor === b.id).length + 1);

    const refused = await operator.json<{ field?: string }>('/api/v1/operator/audit-log.csv?organisation=B');
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('organisation');
  });

  it('has a filter form on the pages, keeps the filters on the older entries’ and the CSV’s links, and puts a bad value beside its field with no CSV link', async () => {
    const path = `/organiser/organisations/${a.organisation}/audit`;
    const first = await a.browser.request(`${path}?action=campaign.update-posted&to=2026-03-11`, { headers: html });
    expect(first.status).toBe(200);
    const firstPage = await first.text();
    expect(firstPage).toContain('<label for="actor">Who</label>');
    expect(firstPage).toMatch(/<option value="campaign.update-posted" selected>/);
    expect(firstPage).toContain('name="to" type="date" value="2026-03-11"');
    expect(firstPage).not.toContain('<td data-label="What">campaign.edited</td>');
    expect(firstPage.match(/<td data-label="What">campaign.update-posted<\/td>/g)?.length).toBe(50);
    expect(firstPage).toContain(`href="${path}.csv?action=campaign.update-posted&amp;to=2026-03-11"`);
    const older = /href="([^"]+)">Older entries/.exec(firstPage)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(older).toMatch(new RegExp(`^${path}\\?before=[0-9]+&action=campaign.update-posted&to=2026-03-11$`));
    const second = await (await a.browser.request(older, { headers: html })).text();
    expect(second.match(/<td data-label="What">campaign.update-posted<\/td>/g)?.length).toBe(50);
    expect(second).not.toContain('<td data-label="What">campaign.edited</td>');

    const refused = await a.browser.request(`${path}?actor=someone&action=campaign.edited`, { headers: html });
    expect(refused.status).toBe(400);
    const refusedPage = await refused.text();
    expect(refusedPage).toMatch(/class="field-error" id="actor-error">.*the id of the organiser/);
    expect(refusedPage).toContain('No entries.');
    // No CSV link carries the refused filter (following it would answer 400): a refused page offers none.
    expect(refusedPage).not.toContain(`${path}.csv`);
    expect(refusedPage).not.toContain('as CSV');

    const operatorPage = await operator.request(`/operator/audit-log?organisation=${b.organisation}`, { headers: html });
    expect(operatorPage.status).toBe(200);
    const operatorHtml = await operatorPage.text();
    expect(operatorHtml).toContain('<label for="organisation">Organisation</label>');
    expect(operatorHtml.match(/<td data-label="Organisation">([^<]+)<\/td>/g)?.every((cell) => cell.includes(b.organisation))).toBe(true);
    expect(operatorHtml).toContain(`href="/operator/audit-log.csv?organisation=${b.organisation}"`);
    const badDay = await operator.request('/operator/audit-log?from=2026-13-01', { headers: html });
    expect(badDay.status).toBe(400);
    const badDayPage = await badDay.text();
    expect(badDayPage).toContain('id="from-error"');
    expect(badDayPage).not.toContain('/operator/audit-log.csv');
  });
});
