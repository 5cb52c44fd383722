import type { ChorusContext } from '../../chorus-context.ts';
import type { AuthorisedAccount } from '../../networks/social-network.ts';
import { saveCampaignAccount as storeCampaignAccount } from '../../storage/campaign-account.repository.ts';
import type { CampaignAccount } from '../../storage/database.ts';
import { auditEntryOf, type OrganiserActor } from '../organisations/audit-actor.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { sealedGrantOf } from '../pledges/pending-pledge.ts';
import { storableProfile } from '../pledges/storable-profile.ts';
import { conflict, done, type Outcome } from '../use-case-outcome.ts';

/**
 * Keeps the campaign's own X account, its grant sealed, until the campaign's one post; the caller must still be an
 * owner or editor (their role may have changed during the consent); a conflict once the launch has started.
 */
export async function saveCampaignAccount(
  ctx: ChorusContext,
  actor: OrganiserActor,
  campaignId: string,
  account: AuthorisedAccount,
): Promise<Outcome<CampaignAccount>> {
  const found = await findMemberCampaign(ctx.db, actor.organiserId, campaignId, 'edit-campaigns');
  if (found.kind !== 'done') return found;
  const campaign = found.value;
  const audit = auditEntryOf(actor, {
    action: 'campaign.account-connected',
    organisationId: campaign.organisation_id,
    campaignId,
    changes: { network: 'x' },
  });
  const profile = storableProfile('x', account.profile);
  if (profile.kind !== 'done') return profile;
  const saved = await storeCampaignAccount(ctx.db, campaignId, profile.value, sealedGrantOf(ctx, account.tokens), audit);
  return saved === undefined ? conflict('the campaign started launching meanwhile; its account can no longer change') : done(saved);
}
