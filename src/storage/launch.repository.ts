import { sql } from 'kysely';
import { readCampaignTotals } from './campaign.repository.ts';
import type { Campaign, Db } from './database.ts';
import { moveCampaign } from './campaign.repository.ts';
import { writeWebhookEvents } from './webhook-outbox.ts';

/** The campaign as the launch decides on it, read under its row lock. */
export type LaunchRow = Pick<Campaign, 'state' | 'launch_at' | 'goal' | 'release_cursor' | 'release_enqueued_at' | 'x_mode'>;

/** What the launch may do with the locked campaign, each inside the lock's transaction. */
export interface LockedLaunch {
  /** The campaign, or undefined once it no longer exists. */
  readonly campaign: LaunchRow | undefined;
  /** Supporters counted after the lock, in a statement of its own: it sees every pledge that held the row. */
  readonly countSupporters: () => Promise<number>;
  /** Moves the campaign from collecting to launching. */
  readonly startLaunch: (now: Date) => Promise<void>;
  /** Moves the campaign from collecting to missed_goal. */
  readonly missGoal: (now: Date) => Promise<void>;
}

/**
 * Runs `decide` with the campaign's row locked FOR UPDATE, which waits for every pledge and
 * withdrawal holding its share lock, so the count checked is the count released.
 */
export function lockCampaignForLaunch<T>(db: Db, campaignId: string, decide: (locked: LockedLaunch) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const campaign = await trx
      .selectFrom('campaigns')
      .select(['state', 'launch_at', 'goal', 'release_cursor', 'release_enqueued_at', 'x_mode'])
      .where('id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    return decide({
      campaign,
      countSupporters: async () => (await readCampaignTotals(trx, campaignId)).supporter_count,
      startLaunch: async (now) => {
        await moveCampaign(trx, campaignId, 'launching', { launch_started_at: now });
      },
      missGoal: async (now) => {
        await moveCampaign(trx, campaignId, 'missed_goal', { ended_at: now });
        await writeWebhookEvents(
          trx,
          sql`select c.organisation_id, c.id as campaign_id, 'campaign.missed_goal'::text as type, 'campaign.missed_goal:' || c.id as dedupe_key,
                     jsonb_build_object('campaignId', c.id, 'slug', c.slug, 'goal', c.goal, 'endedAt', c.ended_at,
                       'supporters', (select coalesce(sum(t.supporters), 0)::int from campaign_network_tallies t where t.campaign_id = c.id)) as payload
              from campaigns c where c.id = ${campaignId}::uuid and c.state = 'missed_goal'`,
        );
      },
    });
  });
}

/** Saves how far the fan-out got: the last pledge whose delivery was handed out. */
export async function saveReleaseCursor(db: Db, campaignId: string, cursor: string | null): Promise<void> {
  await db.updateTable('campaigns').set({ release_cursor: cursor }).where('id', '=', campaignId).execute();
}

/** Records that every pledge's delivery was handed out. */
export async function markReleaseHandedOut(db: Db, campaignId: string, at: Date): Promise<void> {
  await db.updateTable('campaigns').set({ release_enqueued_at: at }).where('id', '=', campaignId).execute();
}
