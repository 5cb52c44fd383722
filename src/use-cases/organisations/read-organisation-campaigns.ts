import { listMemberCampaigns } from '../../storage/campaign.repository.ts';
import type { Campaign, Db } from '../../storage/database.ts';
import { listMemberships, type Membership } from '../../storage/organisation.repository.ts';
import { readOperatorContact } from '../operators/instance-policy.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/**
 * The pages' view of one organisation at a time: the organiser's organisations, the one chosen, and its campaigns;
 * or, for an organiser in none (they left their own and joined no other), just that, so the page can offer to create one.
 */
export type OrganisationCampaigns =
  | {
      readonly kind: 'member';
      readonly memberships: Membership[];
      readonly current: Membership;
      readonly campaigns: Campaign[];
      /** The operators' contact, for a suspended organisation's notice; null where none is given or it is not suspended. */
      readonly operatorContact: string | null;
    }
  | { readonly kind: 'no-organisation' };

/**
 * The campaigns of the organisation the organiser chose (by default the one they joined first, their own), with the
 * list of their organisations for the switcher; not-found for an organisation they are not in. A suspended one shows
 * none of its campaigns (`current.standing` says why), so the page can say so beside the switcher to the others.
 */
export async function readOrganisationCampaigns(db: Db, organiserId: string, chosen?: string): Promise<Outcome<OrganisationCampaigns>> {
  const memberships = await listMemberships(db, organiserId);
  if (memberships.length === 0 && chosen === undefined) return done({ kind: 'no-organisation' });
  const current = chosen === undefined ? memberships[0] : memberships.find((m) => m.organisation_id === chosen);
  if (current === undefined) return notFound('organisation');
  const suspended = current.standing === 'suspended';
  const campaigns = suspended ? [] : await listMemberCampaigns(db, organiserId, current.organisation_id);
  const operatorContact = suspended ? await readOperatorContact(db) : null;
  return done({ kind: 'member', memberships, current, campaigns, operatorContact });
}
