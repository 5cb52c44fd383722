import type { ChorusContext } from '../../chorus-context.ts';
import type { AuthorisedAccount } from '../../networks/social-network.ts';
import { saveCampaignAccount as storeCampaignAccount } from '../../storage/campaign-account.repository.ts';
import type { CampaignAccount } from '../../storage/database.ts';
import { sealedGrantOf } from '../pledges/pending-pledge.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';

/** Keeps the campaign's own X account, its grant sealed, until the campaign's one post; a conflict once the launch has started. */
export async function saveCampaignAccount(
  ctx: ChorusContext,
  campaignId: string,
  account: AuthorisedAccount,
): Promise<Outcome<CampaignAccount>> {
  const saved = await storeCampaignAccount(ctx.db, campaignId, account.profile, sealedGrantOf(ctx, account.tokens));
  return saved === undefined ? conflict('the campaign started launching meanwhile; its account can no longer change') : done(saved);
}
