import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideLaunch } from '../../src/launch/launch-decision.ts';
import { insertCampaignReport, closeCampaignReport } from '../../src/storage/campaign-report.repository.ts';
import { listCampaignsAwaitingLaunch, listLaunchesDueBy } from '../../src/storage/campaign.repository.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { eraseReportContacts } from '../../src/use-cases/operators/erase-report-contacts.ts';
import { insertCollectingCampaign } from '../support/seed-pledges.ts';
import { testDatabaseUrl } from '../support/test-database.ts';

const dayMs = 24 * 60 * 60 * 1000;

describe('what review and suspension keep from launching, and what reports keep', () => {
  let db: Db;
  beforeAll(() => {
    db = createDatabase(testDatabaseUrl(), { max: 2 });
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('never launches a campaign in review or suspended, even past its launch time, nor restores or sweeps its job', async () => {
    const past = new Date(Date.now() - 60_000);
    for (const state of ['in_review', 'suspended'] as const) {
      const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3_600_000));
      await db
        .updateTable('campaigns')
        .set({ state, launch_at: past, suspended_from: state === 'suspended' ? 'collecting' : null })
        .where('id', '=', campaign.id)
        .execute();
      expect(await decideLaunch(db, campaign.id, new Date())).toEqual({ kind: 'nothing-to-do', reason: `the campaign is ${state}` });
      const row = await db
        .selectFrom('campaigns')
        .select(['state', 'launch_started_at'])
        .where('id', '=', campaign.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state, launch_started_at: null });
      expect((await listCampaignsAwaitingLaunch(db)).map((c) => c.id)).not.toContain(campaign.id);
      expect((await listLaunchesDueBy(db, new Date())).map((c) => c.id)).not.toContain(campaign.id);
    }
  });

  it("erases a reporter's contact the stated time after the report is closed, and not before, nor while it is open", async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3_600_000));
    const open = await insertCampaignReport(db, { campaignId: campaign.id, reason: 'Open one.', contact: 'open@example.org' });
    const recent = await insertCampaignReport(db, { campaignId: campaign.id, reason: 'Closed lately.', contact: 'recent@example.org' });
    const old = await insertCampaignReport(db, { campaignId: campaign.id, reason: 'Closed long ago.', contact: 'old@example.org' });
    const now = new Date();
    const operator = await db.selectFrom('organisers').select('id').where('id', '=', campaign.organiser_id).executeTakeFirstOrThrow();
    await closeCampaignReport(db, recent.id, operator.id, new Date(now.getTime() - 10 * dayMs));
    await closeCampaignReport(db, old.id, operator.id, new Date(now.getTime() - 91 * dayMs));

    expect(await eraseReportContacts(db, 90, now)).toEqual({ kind: 'done', value: 1 });
    const contacts = await db
      .selectFrom('campaign_reports')
      .select(['id', 'contact', 'reason'])
      .where('campaign_id', '=', campaign.id)
      .orderBy('created_at')
      .execute();
    expect(contacts).toEqual([
      { id: open.id, contact: 'open@example.org', reason: 'Open one.' },
      { id: recent.id, contact: 'recent@example.org', reason: 'Closed lately.' },
      { id: old.id, contact: null, reason: 'Closed long ago.' },
    ]);
  });
});
