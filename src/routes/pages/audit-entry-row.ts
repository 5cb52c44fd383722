import { formatLaunchTime } from '../../domain/launch-time.ts';
import type { AuditEntry } from '../../storage/database.ts';

/** Where a row's campaign links: the owners' page links to the campaign, the operators' shows its id (no organiser page of theirs). */
export type CampaignLink = 'organiser-page' | 'id-only';

/** One audit entry as the audit log pages' table (views/partials/audit-entries.eta) shows it. */
export function auditEntryRow(entry: AuditEntry, campaignLink: CampaignLink) {
  return {
    at: formatLaunchTime(entry.at, 'UTC'),
    organisationId: entry.organisation_id ?? '',
    actor: entry.actor_organiser_id ?? 'system',
    action: entry.action,
    campaignId: entry.campaign_id,
    campaignHref: campaignHrefOf(entry.campaign_id, campaignLink),
    subjectId: entry.subject_id,
    changes: JSON.stringify(entry.changes),
    clientIp: entry.client_ip ?? '',
  };
}

function campaignHrefOf(campaignId: string | null, campaignLink: CampaignLink): string | null {
  if (campaignId === null) return null;
  switch (campaignLink) {
    case 'organiser-page':
      return `/organiser/campaigns/${campaignId}`;
    case 'id-only':
      return null;
  }
}
