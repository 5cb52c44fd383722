import type { Db, SuggestedPost } from './database.ts';

/** A campaign's suggested posts, in the order the organiser added them. */
export function listSuggestedPosts(db: Db, campaignId: string, limit: number): Promise<SuggestedPost[]> {
  return db
    .selectFrom('suggested_posts')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Adds a suggested post unless the campaign has `max` already; undefined when it is full. The campaign row is
 * locked first, so two additions at once cannot both pass the count.
 */
export async function addSuggestedPost(db: Db, campaignId: string, body: string, max: number): Promise<SuggestedPost | undefined> {
  // Inside the caller's transaction when given one (the share kit records its audit entry in the same one).
  const inTransaction = <T>(work: (trx: Db) => Promise<T>): Promise<T> => (db.isTransaction ? work(db) : db.transaction().execute(work));
  return inTransaction(async (trx) => {
    await trx.selectFrom('campaigns').select('id').where('id', '=', campaignId).forUpdate().executeTakeFirst();
    const { count } = await trx
      .selectFrom('suggested_posts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    if (count >= max) return undefined;
    return trx.insertInto('suggested_posts').values({ campaign_id: campaignId, body }).returningAll().executeTakeFirstOrThrow();
  });
}

/** Rewrites one of a campaign's suggested posts; undefined when the campaign has no such post. */
export function changeSuggestedPost(db: Db, campaignId: string, postId: string, body: string): Promise<SuggestedPost | undefined> {
  return db
    .updateTable('suggested_posts')
    .set({ body, updated_at: new Date() })
    .where('id', '=', postId)
    .where('campaign_id', '=', campaignId)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes one of a campaign's suggested posts; false when the campaign has no such post. */
export async function deleteSuggestedPost(db: Db, campaignId: string, postId: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('suggested_posts')
    .where('id', '=', postId)
    .where('campaign_id', '=', campaignId)
    .returning('id')
    .executeTakeFirst();
  return deleted !== undefined;
}
