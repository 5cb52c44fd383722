import type { ChorusContext } from '../../chorus-context.ts';
import { campaignStatesMovingTo } from '../../domain/campaign-state.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import { organisationSuspensionLimits } from '../../domain/organisation-standing.ts';
import { checkStorableText } from '../../domain/storable-text.ts';
import { listOrganisationCampaignsIn } from '../../storage/campaign.repository.ts';
import type { Organisation } from '../../storage/database.ts';
import { findOrganisation, suspendOrganisationRow } from '../../storage/organisation.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';
import { writeOrganisationStandingMails } from './organisation-standing-mail.ts';
import { suspendCampaign } from './suspend-campaign.ts';

/** A suspended organisation, and how many of its campaigns were suspended with it. */
export interface SuspendedOrganisation {
  readonly organisation: Organisation;
  readonly campaignsSuspended: number;
}

/**
 * An operator suspends an organisation: from then every request acting on it is refused (organisation-access.ts),
 * whoever makes it and however, and each of its campaigns not yet launching is suspended with it, its supporters'
 * grants erased (suspend-campaign.ts). Its members' accounts, sessions and other organisations are untouched. Its
 * active owners are mailed, in the suspension's transaction.
 */
export async function suspendOrganisation(
  ctx: ChorusContext,
  actor: OrganiserActor,
  organisationId: string,
  typedReason: string,
  now: Date = new Date(),
): Promise<Outcome<SuspendedOrganisation>> {
  const reason = typedReason.trim();
  if (reason === '' || reason.length > organisationSuspensionLimits.reasonMaxLength)
    return invalid(`say why the organisation is suspended (up to ${organisationSuspensionLimits.reasonMaxLength} characters)`, 'reason');
  const characters = checkStorableText('the reason', reason);
  if (characters !== null) return invalid(characters, 'reason');
  const found = await findOrganisation(ctx.db, organisationId);
  if (found === undefined) return notFound('organisation');
  if (found.standing === 'suspended') return conflict('the organisation is already suspended');
  const { organisation, mailIds } = await ctx.db.transaction().execute(async (trx) => {
    const changed = await suspendOrganisationRow(trx, organisationId, { by: actor.organiserId, reason, at: now });
    if (changed === undefined) return { organisation: undefined, mailIds: [] };
    // The reason is the operators' record of why; its owners read it in their log once the suspension is lifted.
    await recordAudit(trx, actor, {
      action: 'organisation.suspended',
      organisationId,
      changes: { standing: changed.standing, reason: reason.slice(0, 500) },
    });
    const ids = await writeOrganisationStandingMails(trx, ctx.config, changed, { kind: 'organisation-suspended', suspendedAt: now });
    return { organisation: changed, mailIds: ids };
  });
  if (organisation === undefined) return conflict('the organisation changed meanwhile; reload it');
  await enqueueMails(ctx.queues.mail, mailIds);
  let campaignsSuspended = 0;
  for (const campaign of await listOrganisationCampaignsIn(ctx.db, organisationId, campaignStatesMovingTo('suspended'))) {
    if ((await suspendCampaign(ctx, actor, campaign.id, 'organisation')).kind === 'done') campaignsSuspended += 1;
  }
  return done({ organisation, campaignsSuspended });
}
