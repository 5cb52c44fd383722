import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/storage/database.ts';
import { insertOrganisationWithOwner } from '../../src/storage/organisation.repository.ts';

/** Makes an organiser and a collecting campaign with `pledges` supporters, in bulk SQL (seconds per million). */
export async function seedCampaign(
  db: Db,
  options: { pledges: number; launchAt: Date; goal?: number },
): Promise<{ campaignId: string; slug: string }> {
  const tag = randomBytes(3).toString('hex');
  const link = 'https://example.org/ourhealthheroes';
  const organiser = await db
    .insertInto('organisers')
    .values({ email: `bench-${tag}@example.org`, name: 'Bench', password_hash: 'not-a-real-hash' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const organisation = await insertOrganisationWithOwner(db, 'Seeded organisation', organiser.id);
  const slug = `bench-${tag}`;
  const campaign = await db
    .insertInto('campaigns')
    .values({
      organiser_id: organiser.id,
      organisation_id: organisation.id,
      slug,
      title: 'Bench campaign',
      link,
      message: `Thank you, support workers! ${link} #OurHealthHeroes`,
      goal: options.goal ?? Math.max(1, options.pledges),
      launch_at: options.launchAt,
      time_zone: 'Europe/London',
      networks: ['x'],
      state: 'collecting',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const batch = 100_000;
  for (let start = 0; start < options.pledges; start += batch) {
    const end = Math.min(options.pledges, start + batch);
    await sql`
      with accounts as (
        insert into social_accounts (network, network_user_id, handle, display_name, followers)
        select 'x', ${tag} || '-' || g, 'bench_' || ${tag} || '_' || g, 'Bench ' || g, ((g::bigint * 7919) % 5000)::int
        from generate_series(${start + 1}::int, ${end}::int) g
        returning id, followers, network_user_id
      )
      -- One supporter in ten chose to be named: the public lists still read ten rows each, as a real campaign's do.
      insert into pledges (campaign_id, social_account_id, text, followers, manage_token_hash, shown_publicly)
      select ${campaign.id}::uuid, id, 'Thank you, support workers! ' || ${link} || ' #OurHealthHeroes ' || network_user_id, followers, md5(id::text),
             right(network_user_id, 1) = '0'
      from accounts`.execute(db);
  }
  await sql`analyze`.execute(db);
  return { campaignId: campaign.id, slug };
}
