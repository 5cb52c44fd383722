import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { createMailTemplates } from '../mail/mail-templates.ts';
import type { MailTransport } from '../mail/mail-transport.ts';
import { sendOutboxMail, type MailSending } from '../use-cases/mail/send-outbox-mail.ts';
import { supporterMailLinks } from '../use-cases/supporter-mail/supporter-mail-links.ts';
import { MAIL_QUEUE, MAIL_SEND_ATTEMPTS, type MailJobData } from './queues.ts';
import { workerOptions } from './worker-options.ts';

/** Mails one worker process sends at once. */
const MAIL_CONCURRENCY = 4;

/** A server's reply may quote the recipient's address: logs name the outbox row instead, which the row's reason keeps whole. */
function withoutAddresses(reason: string): string {
  return reason.replace(/[^\s<>@"']+@[^\s<>@"']+/g, '<address>');
}

/** Raised for a temporary refusal, so that BullMQ tries the job again after its backoff. */
class MailDeferred extends Error {
  override name = 'MailDeferred';
}

/**
 * Starts the worker of the `mail` queue: each job sends one outbox row (sendOutboxMail). A temporary problem fails
 * the attempt, and BullMQ retries it with exponential backoff; the last attempt records the mail as failed.
 */
export function startMailWorker(ctx: ChorusContext, log: Logger, transport: MailTransport): Worker<MailJobData> {
  const sending: MailSending = {
    db: ctx.db,
    transport,
    templates: createMailTemplates(),
    from: ctx.config.MAIL_FROM,
    messageIdHost: new URL(ctx.config.PUBLIC_URL).hostname,
    publicUrl: ctx.config.PUBLIC_URL.replace(/\/$/, ''),
    cipher: ctx.cipher,
    links: supporterMailLinks(ctx.config),
  };
  return new Worker<MailJobData>(
    MAIL_QUEUE,
    async (job) => {
      const attempts = job.opts.attempts ?? MAIL_SEND_ATTEMPTS;
      const outcome = await sendOutboxMail(sending, job.data.outboxId, job.attemptsMade + 1 >= attempts);
      if (outcome.kind !== 'done') return;
      const attempt = outcome.value;
      switch (attempt.kind) {
        case 'sent':
        case 'finished':
        case 'missing':
          return;
        case 'failed':
          log.warn({ outboxId: job.data.outboxId, reason: withoutAddresses(attempt.reason) }, 'mail failed for good');
          return;
        case 'retry':
          throw new MailDeferred(withoutAddresses(attempt.reason));
      }
    },
    { ...workerOptions(ctx.config), concurrency: MAIL_CONCURRENCY },
  );
}
