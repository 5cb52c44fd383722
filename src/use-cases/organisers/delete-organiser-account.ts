import type { ChorusContext } from '../../chorus-context.ts';
import { canMoveCampaign } from '../../domain/campaign-state.ts';
import {
  countOperators,
  deleteOrganiserRow,
  listDeletingMemberships,
  listOrganisationCampaignStates,
  lockSoleMemberOrganisation,
  markOrganisationDeleting,
  type DeletingMembership,
} from '../../storage/account-deletion.repository.ts';
import { cancelCampaign } from '../campaigns/cancel-campaign.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, invalid, isProblem, type Outcome } from '../use-case-outcome.ts';
import { checkSecondFactorCode } from './check-second-factor-code.ts';
import { hasSecondFactor } from './has-second-factor.ts';
import type { OrganiserCaller } from './organiser-caller.ts';

/** What the organiser types to delete their account: the password, and a code when two-factor sign-in is on. */
export interface AccountDeletionProof {
  readonly password: string;
  readonly code?: string | undefined;
}

/** What went with the account. */
export interface DeletedAccount {
  /** The organisations it was the only member of: marked for deletion with their campaigns, gone within a day. */
  readonly organisationsDeleted: string[];
  /** The organisations it left, which stay. */
  readonly organisationsLeft: string[];
}

/**
 * Deletes the caller's account (docs/organisations.md, "Deleting an account"). Only a signed-in session may, with the
 * password (and a code when two-factor sign-in is on): a stolen API token or an unattended browser must not erase an
 * account. Refused while the caller is the last owner of an organisation with other members, the only member of a
 * suspended one or of one whose campaign is launching, or the instance's last operator. An organisation of which the
 * caller is the only member goes with them: its campaigns not launched yet are cancelled through the cancel path
 * first (the launch job removed, the supporters' grants erased), then it is marked for deletion: nobody reaches it, and
 * the workers delete it with everything of it once its supporters are told (within a day).
 */
export async function deleteOrganiserAccount(
  ctx: ChorusContext,
  caller: OrganiserCaller,
  clientIp: string,
  proof: AccountDeletionProof,
  now = new Date(),
): Promise<Outcome<DeletedAccount>> {
  const { db } = ctx;
  const organiser = caller.organiser;
  if (caller.credential.kind !== 'session')
    return { kind: 'forbidden', message: 'an API token cannot delete the account; sign in and delete it there' };
  if (!(await ctx.passwords.verify(organiser.password_hash, proof.password)))
    return { kind: 'unauthenticated', message: 'that is not your password', field: 'password' };
  if (await hasSecondFactor(db, organiser.id)) {
    if (proof.code === undefined || proof.code.trim() === '')
      return invalid('two-factor sign-in is on: type the code your app shows, or a recovery code', 'code');
    const checked = await checkSecondFactorCode(db, ctx.cipher, organiser.id, proof.code, now);
    if (isProblem(checked)) return checked;
  }
  if (organiser.role === 'operator' && (await countOperators(db)) <= 1)
    return conflict('you are the last operator of this Chorus: make another account an operator before you delete yours');

  const memberships = await listDeletingMemberships(db, organiser.id);
  const refused = refusal(memberships);
  if (refused !== undefined) return refused;
  const sole = memberships.filter((m) => m.members === 1);
  const left = memberships.filter((m) => m.members > 1);

  const actor: OrganiserActor = { kind: 'organiser', organiserId: organiser.id, clientIp };
  const campaignsOf = await Promise.all(
    sole.map(async (organisation) => ({ organisation, campaigns: await listOrganisationCampaignStates(db, organisation.organisation_id) })),
  );
  // Every launch is looked for before anything is cancelled: a refusal changes nothing.
  const launching = campaignsOf.find(({ campaigns }) => campaigns.some((campaign) => campaign.state === 'launching'));
  if (launching !== undefined) return launchingConflict(launching.organisation);
  for (const { campaigns } of campaignsOf) {
    for (const campaign of campaigns) {
      if (!canMoveCampaign(campaign.state, 'cancelled')) continue;
      // A campaign that moved meanwhile (launched, suspended) is no longer cancellable: it is deleted below all the same.
      await cancelCampaign(ctx, actor, campaign.id);
    }
  }

  return db.transaction().execute(async (trx): Promise<Outcome<DeletedAccount>> => {
    for (const organisation of sole)
      if (!(await lockSoleMemberOrganisation(trx, organisation.organisation_id, organiser.id)))
        return conflict(
          `someone joined ${organisation.name}, or one of its campaigns started launching, while the account was being deleted: try again`,
        );
    // Marked, not deleted: the supporters' "campaign cancelled" mails are written from its pledges and addresses a
    // moment later; the workers delete it once they are sent (deleteMarkedOrganisations).
    for (const organisation of sole) await markOrganisationDeleting(trx, organisation.organisation_id, now);
    // Entries name the account by its id only (which no longer resolves once the row is gone), never its email.
    for (const organisation of left)
      await recordAudit(trx, actor, {
        action: 'account.deleted',
        organisationId: organisation.organisation_id,
        subjectId: organiser.id,
        changes: { role: organisation.role },
      });
    await recordAudit(trx, actor, {
      action: 'account.deleted',
      organisationId: null,
      subjectId: organiser.id,
      changes: {
        role: organiser.role,
        organisationsDeleted: sole.map((m) => m.organisation_id),
        organisationsLeft: left.map((m) => m.organisation_id),
      },
    });
    await deleteOrganiserRow(trx, organiser.id);
    return done({
      organisationsDeleted: sole.map((m) => m.organisation_id),
      organisationsLeft: left.map((m) => m.organisation_id),
    });
  });
}

/** Why the memberships keep the account, if they do: the last owner of a team, or the only member of a suspended organisation. */
function refusal(memberships: readonly DeletingMembership[]): Outcome<never> | undefined {
  const lastOwnerOf = memberships.filter((m) => m.role === 'owner' && m.owners === 1 && m.members > 1).map((m) => m.name);
  if (lastOwnerOf.length > 0)
    return conflict(
      `you are the last owner of ${lastOwnerOf.join(', ')}: make another member an owner there first, then delete your account`,
    );
  const suspended = memberships.filter((m) => m.members === 1 && m.standing === 'suspended').map((m) => m.name);
  if (suspended.length > 0)
    return conflict(
      `${suspended.join(', ')} is suspended by this Chorus's operators and cannot be deleted with your account: ask them to lift the suspension`,
    );
  return undefined;
}

function launchingConflict(organisation: DeletingMembership): Outcome<never> {
  return conflict(`a campaign of ${organisation.name} is launching: delete your account once the launch is over`);
}
