import type { CampaignState } from '../../domain/campaign-state.ts';
import { moveCampaign, moveCampaignFrom } from '../../storage/campaign.repository.ts';
import type { Campaign, CampaignUpdate, Db } from '../../storage/database.ts';
import { recordAudit, type AuditActor, type AuditedChange } from '../organisations/audit-actor.ts';

/** A state change: to a state, from any the transition table allows or from the one named, with the columns that change with it. */
export interface CampaignMove {
  readonly to: CampaignState;
  readonly from?: CampaignState;
  readonly changes?: Omit<CampaignUpdate, 'state'>;
}

/**
 * Moves the campaign and records the move in the audit log (the action, the new state and `details`) in one
 * transaction, so both are kept or neither; undefined when someone else moved the campaign first.
 */
export function moveCampaignAudited(
  db: Db,
  actor: AuditActor,
  campaign: Campaign,
  move: CampaignMove,
  action: AuditedChange['action'],
  details: Readonly<Record<string, unknown>> = {},
): Promise<Campaign | undefined> {
  return db.transaction().execute(async (trx) => {
    const moved =
      move.from === undefined
        ? await moveCampaign(trx, campaign.id, move.to, move.changes)
        : await moveCampaignFrom(trx, campaign.id, move.from, move.to, move.changes);
    if (moved !== undefined)
      await recordAudit(trx, actor, {
        action,
        organisationId: campaign.organisation_id,
        campaignId: campaign.id,
        changes: { state: moved.state, ...details },
      });
    return moved;
  });
}
