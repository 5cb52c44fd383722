import type { CampaignUpdateNote, Db } from './database.ts';

/** Adds a dated update to a campaign's public page. */
export function addCampaignUpdate(db: Db, campaignId: string, body: string): Promise<CampaignUpdateNote> {
  return db.insertInto('campaign_updates').values({ campaign_id: campaignId, body }).returningAll().executeTakeFirstOrThrow();
}

/** A campaign's updates, newest first. */
export function listCampaignUpdates(db: Db, campaignId: string, limit = 50): Promise<CampaignUpdateNote[]> {
  return db
    .selectFrom('campaign_updates')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
