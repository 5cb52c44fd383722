import type { ChorusContext } from '../../chorus-context.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import { listOrganisationCampaignsIn } from '../../storage/campaign.repository.ts';
import type { Organisation } from '../../storage/database.ts';
import { findOrganisation, reinstateOrganisationRow } from '../../storage/organisation.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { conflict, done, notFound, type Outcome } from '../use-case-outcome.ts';
import { writeOrganisationStandingMails } from './organisation-standing-mail.ts';
import { reinstateCampaign } from './reinstate-campaign.ts';

/** A reinstated organisation, and how many of the campaigns suspended with it came back (those still before launch). */
export interface ReinstatedOrganisation {
  readonly organisation: Organisation;
  readonly campaignsReinstated: number;
}

/**
 * An operator lifts an organisation's suspension: its members may act on it again, and the campaigns suspended with
 * it go back where they were, each only while its launch time is still ahead. Campaigns an operator suspended on
 * their own, or with their organiser, stay suspended. Its active owners are mailed, in the reinstatement's transaction.
 */
export async function reinstateOrganisation(
  ctx: ChorusContext,
  actor: OrganiserActor,
  organisationId: string,
): Promise<Outcome<ReinstatedOrganisation>> {
  const found = await findOrganisation(ctx.db, organisationId);
  if (found === undefined) return notFound('organisation');
  if (found.standing !== 'suspended') return conflict(`the organisation is ${found.standing}, not suspended`);
  const { organisation, mailIds } = await ctx.db.transaction().execute(async (trx) => {
    const changed = await reinstateOrganisationRow(trx, organisationId);
    if (changed === undefined) return { organisation: undefined, mailIds: [] };
    await recordAudit(trx, actor, { action: 'organisation.reinstated', organisationId, changes: { standing: changed.standing } });
    // The suspension lifted is named by its start, read before the row forgot it: each suspension's end is told once.
    const ids = await writeOrganisationStandingMails(trx, ctx.config, changed, {
      kind: 'organisation-reinstated',
      suspendedAt: found.suspended_at ?? new Date(0),
    });
    return { organisation: changed, mailIds: ids };
  });
  if (organisation === undefined) return conflict('the organisation changed meanwhile; reload it');
  await enqueueMails(ctx.queues.mail, mailIds);
  let campaignsReinstated = 0;
  for (const campaign of await listOrganisationCampaignsIn(ctx.db, organisationId, ['suspended'])) {
    if (campaign.suspended_with_organisation && (await reinstateCampaign(ctx, actor, campaign.id)).kind === 'done')
      campaignsReinstated += 1;
  }
  return done({ organisation, campaignsReinstated });
}
