// Every action the audit log records, as `subject.verb`: the one list, so that the log's filters offer exactly what can
// be found and a new kind of entry cannot be recorded without being named here first (recordAuditEntry takes only these).

/** What an audit entry says was done. */
export const auditActions = [
  'organisation.created',
  'organisation.renamed',
  'organisation.trusted',
  'organisation.suspended',
  'organisation.reinstated',
  'member.joined',
  'member.role-changed',
  'member.removed',
  'member.left',
  'invitation.created',
  'invitation.withdrawn',
  'webhook.registered',
  'webhook.changed',
  'webhook.secret-rotated',
  'webhook.deleted',
  'campaign.created',
  'campaign.edited',
  'campaign.published',
  'campaign.cancelled',
  'campaign.image-changed',
  'campaign.update-posted',
  'campaign.supporter-erased',
  'campaign.account-connected',
  'campaign.suggested-post-added',
  'campaign.suggested-post-changed',
  'campaign.suggested-post-deleted',
  'campaign.approved',
  'campaign.returned',
  'campaign.suspended',
  'campaign.reinstated',
  'organiser.approved',
  'organiser.suspended',
  'organiser.reinstated',
  // Recorded before trust moved to organisations (migration 0023); kept so the filters still find those entries.
  'organiser.trusted',
  'instance.settings-changed',
  'instance.invitation-created',
  'report.closed',
  // An organiser deleted their account: in each organisation they left, and once with no organisation (for operators).
  'account.deleted',
] as const;

/** One of the recorded actions. */
export type AuditAction = (typeof auditActions)[number];
