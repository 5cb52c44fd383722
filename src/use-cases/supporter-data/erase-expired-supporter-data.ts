import type { Db } from '../../storage/database.ts';
import { deleteExpiredPendingPledges } from '../../storage/pending-pledge.repository.ts';
import { eraseCampaignPledges, finishCampaignErasure, listCampaignsDueForErasure } from '../../storage/supporter-erasure.repository.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** What one run of the retention erasure removed. */
export interface RetentionErasure {
  /** Campaigns whose supporters' data is now fully erased. */
  readonly campaigns: number;
  readonly pledges: number;
  readonly accounts: number;
  /** Pending pledges past their expiry, or left for campaigns now erased. */
  readonly pendingPledges: number;
}

export interface RetentionSettings {
  readonly db: Db;
  /** SUPPORTER_DATA_RETENTION_DAYS: how long after its end a campaign's supporters' data is kept. */
  readonly retentionDays: number;
  /** True once the worker is shutting down: the run stops between batches, and the next one carries on. */
  readonly stopping: () => boolean;
}

const campaignsPerRun = 20;
const pledgesPerBatch = 1000;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * Erases the personal data of the supporters of every campaign that ended more than the retention time ago
 * (handles, names, follower counts, pledge texts, grants, post ids), leaving the campaign's anonymous totals,
 * and deletes pending pledges past their expiry. Batches of pledges, each committed on its own; a campaign is
 * marked erased only once none of its pledges is left, so a run cut short is finished by the next.
 */
export async function eraseExpiredSupporterData(settings: RetentionSettings, now: Date = new Date()): Promise<Outcome<RetentionErasure>> {
  const { db } = settings;
  let pendingPledges = await deleteExpiredPendingPledges(db, now);
  let campaigns = 0;
  let pledges = 0;
  let accounts = 0;
  const due = await listCampaignsDueForErasure(db, new Date(now.getTime() - settings.retentionDays * dayMs), campaignsPerRun);
  for (const campaign of due) {
    for (;;) {
      if (settings.stopping()) return done({ campaigns, pledges, accounts, pendingPledges });
      const erased = await eraseCampaignPledges(db, campaign.id, pledgesPerBatch);
      pledges += erased.pledges;
      accounts += erased.accounts;
      if (erased.pledges === 0) break;
    }
    pendingPledges += (await finishCampaignErasure(db, campaign.id, now)).pendingPledges;
    campaigns += 1;
  }
  return done({ campaigns, pledges, accounts, pendingPledges });
}
