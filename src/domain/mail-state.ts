/** The states of an outbox mail, as stored: waiting to be sent, sent, or given up on. */
export const mailStates = ['pending', 'sent', 'failed'] as const;

export type MailState = (typeof mailStates)[number];

/** An outbox mail's state with what belongs to it: a sent mail's time, a failed mail's reason. */
export type MailStatus =
  | { readonly state: 'pending'; readonly attempts: number }
  | { readonly state: 'sent'; readonly sentAt: Date; readonly attempts: number }
  | { readonly state: 'failed'; readonly reason: string; readonly failedAt: Date; readonly attempts: number };
