import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PreparingClient } from '../../../src/storage/prepared-statement.ts';
import { InjectBrowser } from '../../support/inject-browser.ts';
import { campaignBody, signUpIn } from '../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

const html = { accept: 'text/html' };

/** Every SQL statement this process sends to Postgres while `run` runs (each Chorus connection is a PreparingClient). */
async function statementsDuring(run: () => Promise<void>): Promise<string[]> {
  // A spy calls through: the statements run as ever, and the spy keeps their texts.
  const spy = vi.spyOn(PreparingClient.prototype, 'query');
  try {
    await run();
    return spy.mock.calls.map(([text]) => (typeof text === 'string' ? text : ((text as { text?: string } | undefined)?.text ?? '')));
  } finally {
    spy.mockRestore();
  }
}

const reading = (table: string) => (statements: readonly string[]) =>
  statements.filter((sql) => new RegExp(`^select .* from "${table}"`, 's').test(sql.replace(/^\/\* prepared \*\/ /, '')));
const shortLinkReads = reading('short_links');
const organisationReads = reading('organisations');

// A page a campaign is shared on is read by many: each render reads each row it needs once, not once per part of the page.
describe('what the public page, oEmbed and the dashboard read per render', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let visitor: InjectBrowser;
  let campaign: { id: string; slug: string };

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    organiser = await signUpIn(new InjectBrowser(chorus.app), chorus.url, 'Skills for Health');
    visitor = new InjectBrowser(chorus.app);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    expect(created.status).toBe(201);
    campaign = created.body;
    // The short link exists from here on: every count below is of reads, none of the first one's insert.
    expect((await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}/ready`, { headers: html })).status).toBe(200);
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('the campaign page reads its short link and its organisation once', async () => {
    let page = '';
    const statements = await statementsDuring(async () => {
      const response = await visitor.request(`${chorus.url}/c/${campaign.slug}`, { headers: html });
      expect(response.status).toBe(200);
      page = await response.text();
    });
    expect(page).toContain('Skills for Health');
    expect(page).toMatch(/\/s\/[A-Za-z0-9]{6}/);
    console.info(
      `campaign page: ${statements.length} statements, short link ${shortLinkReads(statements).length}, organisation ${organisationReads(statements).length}`,
    );
    expect(shortLinkReads(statements)).toHaveLength(1);
    expect(organisationReads(statements)).toHaveLength(1);
  });

  it('oEmbed reads the organisation once', async () => {
    let answer: Record<string, unknown> = {};
    const statements = await statementsDuring(async () => {
      const url = `${chorus.url}/oembed?${new URLSearchParams({ url: `${chorus.url}/c/${campaign.slug}` }).toString()}`;
      const response = await visitor.json(url);
      expect(response.status).toBe(200);
      answer = response.body;
    });
    expect(answer.author_name).toBe('Skills for Health');
    console.info(
      `oEmbed: ${statements.length} statements, short link ${shortLinkReads(statements).length}, organisation ${organisationReads(statements).length}`,
    );
    expect(organisationReads(statements)).toHaveLength(1);
    expect(shortLinkReads(statements)).toHaveLength(1);
  });

  it('the dashboard reads its short link once', async () => {
    let page = '';
    const statements = await statementsDuring(async () => {
      const response = await organiser.request(`${chorus.url}/organiser/campaigns/${campaign.id}`, { headers: html });
      expect(response.status).toBe(200);
      page = await response.text();
    });
    expect(page).toMatch(/visits so far: <span data-field="shortLinkVisits">0<\/span>/);
    console.info(
      `dashboard: ${statements.length} statements, short link ${shortLinkReads(statements).length}, organisation ${organisationReads(statements).length}`,
    );
    expect(shortLinkReads(statements)).toHaveLength(1);
  });
});
