import { randomInt } from 'node:crypto';
import type { Db, ShortLink } from './database.ts';
import { isUniqueViolation } from './organiser.repository.ts';

// No 0/O or 1/l/I: the code is read aloud and copied by hand from posters.
const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A new random 6-character code. */
export function newShortCode(): string {
  return Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The campaign's short code, made on first use (a code that collides is drawn again). */
export async function ensureShortLink(db: Db, campaignId: string): Promise<string> {
  return (await ensureShortLinkRow(db, campaignId)).code;
}

/** The campaign's short code and how many times it was followed, the code made on first use. */
export async function ensureShortLinkRow(db: Db, campaignId: string): Promise<Pick<ShortLink, 'code' | 'visits'>> {
  for (;;) {
    const existing = await db.selectFrom('short_links').select(['code', 'visits']).where('campaign_id', '=', campaignId).executeTakeFirst();
    if (existing !== undefined) return existing;
    try {
      await db
        .insertInto('short_links')
        .values({ code: newShortCode(), campaign_id: campaignId })
        .onConflict((oc) => oc.column('campaign_id').doNothing())
        .execute();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

/** Counts a visit to a short link and returns its campaign's slug; undefined for an unknown code. */
export async function visitShortLink(db: Db, code: string): Promise<string | undefined> {
  const row = await db
    .updateTable('short_links')
    .set((eb) => ({ visits: eb('visits', '+', 1) }))
    .from('campaigns')
    .whereRef('campaigns.id', '=', 'short_links.campaign_id')
    .where('short_links.code', '=', code)
    .returning('campaigns.slug')
    .executeTakeFirst();
  return row?.slug;
}

/** How many times a campaign's short link was followed. */
export async function shortLinkVisits(db: Db, campaignId: string): Promise<number> {
  const row = await db.selectFrom('short_links').select('visits').where('campaign_id', '=', campaignId).executeTakeFirst();
  return row?.visits ?? 0;
}

/** The slug of the campaign a short code leads to, without counting a visit (an oEmbed lookup is not a visit). */
export async function findShortLinkSlug(db: Db, code: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('short_links')
    .innerJoin('campaigns', 'campaigns.id', 'short_links.campaign_id')
    .select('campaigns.slug')
    .where('short_links.code', '=', code)
    .executeTakeFirst();
  return row?.slug;
}
