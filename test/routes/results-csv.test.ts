import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealTokens } from '../../src/security/sealed-tokens.ts';
import { recordPledge } from '../../src/storage/pledge.repository.ts';
import { InjectBrowser } from '../support/inject-browser.ts';
import { campaignBody, signUpIn } from '../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

// The organiser's CSV export holds what supporters' accounts and the networks wrote (handles, failure reasons):
// a spreadsheet must read none of it as a formula, and each cell must stay one cell (docs/security/input.md).
describe('the results CSV export', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let campaignId: string;

  /** A supporter's pledge and its failed delivery, with this handle and failure reason as stored. */
  async function failedDelivery(handle: string, reason: string): Promise<void> {
    const recorded = await recordPledge(chorus.ctx.db, {
      campaignId,
      network: 'x',
      profile: { networkUserId: randomBytes(6).toString('hex'), handle, displayName: handle, followers: 7 },
      text: `Thank you! ${String(campaignBody().link)} #OurHealthHeroes ${randomBytes(3).toString('hex')}`,
      variantIndex: null,
      credentials: sealTokens(chorus.ctx.cipher, {
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: new Date(Date.now() + 3_600_000),
        scopes: 'tweet.write',
      }),
      manageTokenHash: randomBytes(16).toString('hex'),
    });
    if (recorded.kind === 'not-collecting') throw new Error('the campaign is not collecting');
    await chorus.ctx.db
      .insertInto('deliveries')
      .values({ pledge_id: recorded.pledge.id, campaign_id: campaignId, network: 'x', state: 'failed', failure_reason: reason })
      .execute();
  }

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    organiser = await signUpIn(new InjectBrowser(chorus.app), chorus.url);
    const created = await organiser.json<{ id: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    expect(created.status).toBe(201);
    campaignId = created.body.id;
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('neutralises formulas after leading spaces and control characters, and quotes cells that hold a separator, a quote or a line break', async () => {
    const cases: [string, string, string][] = [
      // handle as stored, failure reason, the line the export must write (network, reach and state between)
      ['=1+1', '@SUM(A1:A2)', `'=1+1,X,7,failed,,'@SUM(A1:A2),`],
      [' =1+1', '  -2+3', `' =1+1,X,7,failed,,'  -2+3,`],
      ['\t=1+1', '\r=HYPERLINK("https://evil.example")', `"'\t=1+1",X,7,failed,,"'\r=HYPERLINK(""https://evil.example"")",`],
      [';=1+1', 'refused; =cmd|" /C calc"!A0', `";=1+1",X,7,failed,,"refused; =cmd|"" /C calc""!A0",`],
      ['\u0007+1', 'a,b', `'\u0007+1,X,7,failed,,"a,b",`],
      ['plain_name', 'two\nlines', `plain_name,X,7,failed,,"two\nlines",`],
    ];
    for (const [handle, reason] of cases) await failedDelivery(handle, reason);

    const response = await organiser.request(`${chorus.url}/organiser/campaigns/${campaignId}/results.csv`, {
      headers: { accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = await response.text();
    expect(csv.startsWith('handle,network,reach,state,post_url,reason,sent_at\n')).toBe(true);
    for (const [, , line] of cases) expect(csv).toContain(`\n${line}\n`);
  });
});
