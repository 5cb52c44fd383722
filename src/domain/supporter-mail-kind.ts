/**
 * The mails Chorus sends a supporter who left an address (docs/mail.md). `supporter-address-confirm` asks them to
 * confirm it and is the only one sent before they do; every other kind needs a confirmed address.
 */
export const supporterMailKinds = [
  'supporter-address-confirm',
  'supporter-pledge-confirmed',
  'supporter-access-reminder',
  'supporter-refresh-failed',
  'supporter-post-out',
  'supporter-post-failed',
  'supporter-goal-missed',
  'supporter-campaign-cancelled',
  'supporter-campaign-update',
] as const;

export type SupporterMailKind = (typeof supporterMailKinds)[number];

/** Whether an outbox mail's kind is a supporter's (and so carries unsubscribe links and needs the address still held). */
export function isSupporterMailKind(kind: string): kind is SupporterMailKind {
  return (supporterMailKinds as readonly string[]).includes(kind);
}

/** What a supporter's address must be in for a mail of `kind` to go: only the request to confirm goes to an unconfirmed one. */
export function addressStateNeededFor(kind: SupporterMailKind): 'unconfirmed' | 'confirmed' {
  switch (kind) {
    case 'supporter-address-confirm':
      return 'unconfirmed';
    case 'supporter-pledge-confirmed':
    case 'supporter-access-reminder':
    case 'supporter-refresh-failed':
    case 'supporter-post-out':
    case 'supporter-post-failed':
    case 'supporter-goal-missed':
    case 'supporter-campaign-cancelled':
    case 'supporter-campaign-update':
      return 'confirmed';
  }
}

/** How long an address nobody confirmed is kept (with the sealed manage link): then it is deleted, and nothing more is sent. */
export const UNCONFIRMED_ADDRESS_LIFETIME_MS = 72 * 3600 * 1000;
