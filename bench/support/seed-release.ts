import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { sealTokens } from '../../src/security/sealed-tokens.ts';
import type { TokenCipher } from '../../src/security/token-cipher.ts';
import type { Db } from '../../src/storage/database.ts';
import { mintSupporters, type MintedSupporter } from '../../test/support/seed-pledges.ts';
import { seedCampaign } from './seed-campaign.ts';

const mintBatch = 5000;

/**
 * A collecting campaign with `pledges` X supporters whose grants the sandbox really issued,
 * written in bulk SQL (a few seconds per 100,000), each with a text of its own.
 */
export async function seedReleasableCampaign(
  db: Db,
  cipher: TokenCipher,
  options: { pledges: number; sandboxUrl: string; clientId: string; launchAt: Date },
): Promise<{ campaignId: string; supporters: MintedSupporter[] }> {
  const { campaignId } = await seedCampaign(db, { pledges: 0, goal: options.pledges, launchAt: options.launchAt });
  const campaign = await db.selectFrom('campaigns').select('message').where('id', '=', campaignId).executeTakeFirstOrThrow();
  const tag = randomBytes(2).toString('hex');
  const supporters: MintedSupporter[] = [];
  for (let start = 0; start < options.pledges; start += mintBatch) {
    const names = Array.from({ length: Math.min(mintBatch, options.pledges - start) }, (_, i) => `r${tag}_${start + i}`);
    const minted = await mintSupporters(options.sandboxUrl, options.clientId, names);
    supporters.push(...minted);
    const sealed = minted.map((s) =>
      sealTokens(cipher, {
        accessToken: s.accessToken,
        refreshToken: s.refreshToken,
        expiresAt: new Date(Date.now() + s.expiresInSeconds * 1000),
        scopes: 'tweet.read tweet.write users.read offline.access',
      }),
    );
    await sql`
      with supporter as (
        select * from unnest(${minted.map((s) => s.id)}::text[], ${minted.map((s) => s.username)}::text[], ${sealed.map((s) => s.accessToken)}::bytea[],
          ${sealed.map((s) => s.refreshToken)}::bytea[]) as t(user_id, username, access_token, refresh_token)
      ),
      account as (
        insert into social_accounts (network, network_user_id, handle, display_name, followers)
        select 'x', user_id, username, username, 10 from supporter
        returning id, network_user_id
      ),
      pledge as (
        insert into pledges (campaign_id, social_account_id, text, followers, manage_token_hash)
        select ${campaignId}::uuid, account.id, ${campaign.message} || ' from @' || supporter.username, 10, md5(account.id::text)
        from account join supporter on supporter.user_id = account.network_user_id
        returning id, social_account_id
      )
      insert into pledge_credentials (pledge_id, key_id, access_token, refresh_token, access_expires_at, scopes)
      select pledge.id, ${cipher.keyId}, supporter.access_token, supporter.refresh_token, now() + interval '2 hours', 'tweet.read tweet.write users.read offline.access'
      from pledge join account on account.id = pledge.social_account_id join supporter on supporter.user_id = account.network_user_id`.execute(
      db,
    );
  }
  await sql`analyze`.execute(db);
  return { campaignId, supporters };
}
