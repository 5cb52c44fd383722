import { randomBytes } from 'node:crypto';
import { sealTokens } from '../../src/security/sealed-tokens.ts';
import type { NetworkId } from '../../src/networks/network-id.ts';
import type { TokenCipher } from '../../src/security/token-cipher.ts';
import { insertCampaign } from '../../src/storage/campaign.repository.ts';
import type { Campaign, Db } from '../../src/storage/database.ts';
import { recordPledge } from '../../src/storage/pledge.repository.ts';
import { campaignBody } from './organiser.ts';
import { insertOrganisationWithOwner } from '../../src/storage/organisation.repository.ts';

/** A supporter minted by the sandbox, with the grant it issued. */
export interface MintedSupporter {
  readonly id: string;
  readonly username: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
}

/**
 * Creates sandbox accounts with fresh grants to `clientId`, without a consent page each; an account given as
 * `{ username, name }` answers that display name (else its username).
 */
export async function mintSupporters(
  sandboxUrl: string,
  clientId: string,
  usernames: readonly (string | { readonly username: string; readonly name: string })[],
  accessTokenTtlSeconds?: number,
): Promise<MintedSupporter[]> {
  const response = await fetch(new URL('__sandbox/users', sandboxUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId,
      users: usernames.map((account, index) =>
        typeof account === 'string' ? { username: account, followers: 10 + index } : { ...account, followers: 10 + index },
      ),
      accessTokenTtlSeconds,
    }),
  });
  if (!response.ok) throw new Error(`minting supporters failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { users: MintedSupporter[] }).users;
}

/** A collecting campaign owned by a fresh organiser, inserted straight into Postgres. */
export async function insertCollectingCampaign(db: Db, launchAt: Date, goal = 1, networks: NetworkId[] = ['x']): Promise<Campaign> {
  const organiser = await db
    .insertInto('organisers')
    .values({ email: `seed-${randomBytes(4).toString('hex')}@example.org`, name: 'Seeded organiser', password_hash: 'not-a-hash' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const organisation = await insertOrganisationWithOwner(db, 'Seeded organisation', organiser.id);
  const body = campaignBody({ goal });
  const campaign = await insertCampaign(db, {
    organiser_id: organiser.id,
    organisation_id: organisation.id,
    slug: body.slug as string,
    title: body.title as string,
    description: '',
    link: body.link as string,
    message: body.message as string,
    variants: body.variants as string[],
    goal,
    launch_at: launchAt,
    time_zone: 'Europe/London',
    networks,
    state: 'collecting',
  });
  if (campaign === 'slug-taken') throw new Error('slug taken');
  return campaign;
}

/**
 * Records a pledge for each minted supporter through the repository, as the consent callback
 * does, with a text of its own (X refuses identical posts across accounts). Returns pledge ids.
 */
export async function seedPledges(
  db: Db,
  cipher: TokenCipher,
  campaign: Campaign,
  supporters: readonly MintedSupporter[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const supporter of supporters) {
    const result = await recordPledge(db, {
      campaignId: campaign.id,
      network: 'x',
      profile: { networkUserId: supporter.id, handle: supporter.username, displayName: supporter.username, followers: 10 },
      text: `${campaign.message} from @${supporter.username}`,
      variantIndex: null,
      credentials: sealTokens(cipher, {
        accessToken: supporter.accessToken,
        refreshToken: supporter.refreshToken,
        expiresAt: new Date(Date.now() + supporter.expiresInSeconds * 1000),
        scopes: 'tweet.read tweet.write users.read offline.access',
      }),
      manageTokenHash: randomBytes(16).toString('hex'),
    });
    if (result.kind === 'not-collecting') throw new Error('the campaign stopped collecting while pledges were seeded');
    ids.push(result.pledge.id);
  }
  return ids;
}
