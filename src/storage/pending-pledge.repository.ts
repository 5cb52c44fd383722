import type { Insertable } from 'kysely';
import type { Db, PendingPledge, PendingPledgesTable } from './database.ts';

/** Keeps a grant until the supporter confirms, replacing the one this browser held before (if any); answers its id. */
export async function insertPendingPledge(db: Db, values: Insertable<PendingPledgesTable>, replacing: string | undefined): Promise<string> {
  return db.transaction().execute(async (trx) => {
    if (replacing !== undefined) await trx.deleteFrom('pending_pledges').where('id', '=', replacing).execute();
    const row = await trx.insertInto('pending_pledges').values(values).returning('id').executeTakeFirstOrThrow();
    return row.id;
  });
}

/** The pending pledge with this id for this campaign, unless it has expired. */
export function findPendingPledge(db: Db, id: string, campaignId: string): Promise<PendingPledge | undefined> {
  return db
    .selectFrom('pending_pledges')
    .selectAll()
    .where('id', '=', id)
    .where('campaign_id', '=', campaignId)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/**
 * Takes the pending pledge out of the table and answers it: of two confirmations of one pending pledge, only
 * one gets it (the other waits on the row lock and then finds nothing). Undefined when gone or expired.
 */
export function consumePendingPledge(db: Db, id: string, campaignId: string): Promise<PendingPledge | undefined> {
  return db
    .deleteFrom('pending_pledges')
    .where('id', '=', id)
    .where('campaign_id', '=', campaignId)
    .where('expires_at', '>', new Date())
    .returningAll()
    .executeTakeFirst();
}

/** Forgets a pending pledge (the supporter cancelled, or it can no longer be confirmed). */
export async function deletePendingPledge(db: Db, id: string): Promise<void> {
  await db.deleteFrom('pending_pledges').where('id', '=', id).execute();
}

/** Deletes the pending pledges past their expiry; answers how many. */
export async function deleteExpiredPendingPledges(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('pending_pledges').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes every pending pledge of a campaign (it stopped collecting: an operator suspended it); answers how many. */
export async function deleteCampaignPendingPledges(db: Db, campaignId: string): Promise<number> {
  const deleted = await db.deleteFrom('pending_pledges').where('campaign_id', '=', campaignId).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
