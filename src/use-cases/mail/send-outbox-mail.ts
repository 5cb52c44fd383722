import { classifySmtpError, type SmtpErrorFacts } from '../../domain/smtp-refusal.ts';
import { isInvitationMailKind } from '../../domain/invitation-mail-kind.ts';
import { isOrganiserMailKind } from '../../domain/organiser-mail-kind.ts';
import { organiserMailRecipientRoles } from '../../domain/organiser-mail-recipient.ts';
import { isSupporterMailKind } from '../../domain/supporter-mail-kind.ts';
import type { MailTemplates } from '../../mail/mail-templates.ts';
import type { MailAttachment, MailTransport } from '../../mail/mail-transport.ts';
import type { TokenCipher } from '../../security/token-cipher.ts';
import type { Db, OutboxMailRow } from '../../storage/database.ts';
import { countMailAttempt, findOutboxMail, mailStatusOf, recordMailFailed, recordMailSent } from '../../storage/mail-outbox.repository.ts';
import { isOrganiserMailRecipient } from '../../storage/organiser-mail-events.repository.ts';
import { dropSealedManageToken } from '../../storage/supporter-mail-address.repository.ts';
import { openInvitationLink } from './invitation-mail.ts';
import { supporterMailExtras } from '../supporter-mail/supporter-mail-extras.ts';
import type { SupporterMailLinks } from '../supporter-mail/supporter-mail-links.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** What sending one outbox mail needs. */
export interface MailSending {
  readonly db: Db;
  readonly transport: MailTransport;
  readonly templates: MailTemplates;
  /** MAIL_FROM. */
  readonly from: string;
  /** The host part of every Message-ID (PUBLIC_URL's host). */
  readonly messageIdHost: string;
  /** PUBLIC_URL, for the links in the mails. */
  readonly publicUrl: string;
  /** Opens the manage token sealed for a supporter's confirmation mail. */
  readonly cipher: TokenCipher;
  /** The confirm and unsubscribe links of supporters' mails. */
  readonly links: SupporterMailLinks;
}

/**
 * What became of one attempt: `sent`; `finished` (sent or failed before: nothing to do); `missing` (the row was
 * deleted); `retry` (a temporary problem: the queue tries again after a backoff); `failed` (recorded on the row).
 */
export type MailAttempt =
  | { readonly kind: 'sent' }
  | { readonly kind: 'finished' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

/** The Message-ID of an outbox row's mail: the same for every attempt, so a mail sent twice is one message. */
export function outboxMessageId(outboxId: string, host: string): string {
  return `<${outboxId}@${host}>`;
}

/**
 * Sends one outbox mail, at least once: the row is marked sent only after the server accepted it, so a crash
 * in between sends it again (with the same Message-ID). A permanent refusal (5xx), a mail whose kind has no
 * template, or a temporary problem on the `lastAttempt` is recorded as failed with the reason.
 */
export async function sendOutboxMail(sending: MailSending, outboxId: string, lastAttempt: boolean): Promise<Outcome<MailAttempt>> {
  const row = await findOutboxMail(sending.db, outboxId);
  if (row === undefined) return done({ kind: 'missing' });
  const status = mailStatusOf(row);
  switch (status.state) {
    case 'sent':
    case 'failed':
      return done({ kind: 'finished' });
    case 'pending':
      break;
  }
  if (!sending.templates.has(row.kind)) {
    const reason = `no template for mail kind ${row.kind}`;
    await recordMailFailed(sending.db, row.id, reason);
    return done({ kind: 'failed', reason });
  }
  let extraData: Readonly<Record<string, unknown>> = {};
  let headers: Readonly<Record<string, string>> = {};
  let attachments: readonly MailAttachment[] = [];
  if (isSupporterMailKind(row.kind)) {
    const extras = await supporterMailExtras(sending, row.kind, row);
    switch (extras.kind) {
      case 'dropped':
        await recordMailFailed(sending.db, row.id, `not sent: ${extras.reason}`);
        return done({ kind: 'failed', reason: extras.reason });
      case 'ready':
        ({ templateData: extraData, headers, attachments } = extras);
        break;
    }
  }
  if (isInvitationMailKind(row.kind)) {
    const link = openInvitationLink(sending.cipher, row.template_data);
    if (link === undefined) {
      const reason = 'the invitation link could not be opened';
      await recordMailFailed(sending.db, row.id, `not sent: ${reason}`);
      return done({ kind: 'failed', reason });
    }
    extraData = { link };
  }
  if (isOrganiserMailKind(row.kind) && !(await stillOrganiserMailRecipient(sending.db, row))) {
    const reason = 'the recipient is no longer an active member of the campaign’s organisation';
    await recordMailFailed(sending.db, row.id, `not sent: ${reason}`);
    return done({ kind: 'failed', reason });
  }
  const rendered = sending.templates.render(row.kind, { ...row.template_data, ...extraData, publicUrl: sending.publicUrl });
  await countMailAttempt(sending.db, row.id);
  try {
    await sending.transport.send({
      from: sending.from,
      to: row.recipient,
      ...rendered,
      messageId: outboxMessageId(row.id, sending.messageIdHost),
      headers,
      attachments,
    });
  } catch (error) {
    const refusal = classifySmtpError(smtpErrorFacts(error));
    switch (refusal.kind) {
      case 'permanent':
        await recordMailFailed(sending.db, row.id, refusal.reason);
        await forgetSealedManageToken(sending.db, row);
        return done({ kind: 'failed', reason: refusal.reason });
      case 'temporary':
        if (!lastAttempt) return done({ kind: 'retry', reason: refusal.reason });
        await recordMailFailed(sending.db, row.id, `gave up after ${status.attempts + 1} attempts: ${refusal.reason}`);
        await forgetSealedManageToken(sending.db, row);
        return done({ kind: 'failed', reason: refusal.reason });
    }
  }
  await recordMailSent(sending.db, row.id);
  await forgetSealedManageToken(sending.db, row);
  return done({ kind: 'sent' });
}

// A mail about a campaign written to a member who has since left, been removed or been suspended is dropped: it may
// wait in the outbox for hours of retries, and they are to get nothing more.
async function stillOrganiserMailRecipient(db: Db, row: Pick<OutboxMailRow, 'organiser_id' | 'campaign_id'>): Promise<boolean> {
  if (row.organiser_id === null || row.campaign_id === null) return true;
  return isOrganiserMailRecipient(db, row.organiser_id, row.campaign_id, organiserMailRecipientRoles);
}

/** Once the pledge's confirmation (which carries the manage link) is sent or given up on, its sealed copy of the token has done its job. */
async function forgetSealedManageToken(db: Db, row: Pick<OutboxMailRow, 'kind' | 'pledge_id'>): Promise<void> {
  if (row.kind === 'supporter-pledge-confirmed' && row.pledge_id !== null) await dropSealedManageToken(db, row.pledge_id);
}

/** What a transport's error says about the server's answer (nodemailer sets `responseCode`, `response` and `code`). */
function smtpErrorFacts(error: unknown): SmtpErrorFacts {
  if (!(error instanceof Error)) return { message: String(error) };
  const said = error as Error & { responseCode?: unknown; response?: unknown; code?: unknown };
  return {
    message: error.message,
    responseCode: typeof said.responseCode === 'number' ? said.responseCode : undefined,
    response: typeof said.response === 'string' ? said.response : undefined,
    code: typeof said.code === 'string' ? said.code : undefined,
  };
}
