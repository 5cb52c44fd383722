import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { deleteExpiredMails } from '../use-cases/mail/delete-expired-mails.ts';
import { listUnsentMails } from '../use-cases/mail/list-unsent-mails.ts';
import { writeOrganiserMails } from '../use-cases/mail/write-organiser-mails.ts';
import { writeSupporterMailsDue } from '../use-cases/supporter-mail/write-supporter-mails.ts';
import { enqueueMails } from './enqueue-mails.ts';
import { runPeriodically, type PeriodicTask } from './periodic-task.ts';

/**
 * Every MAIL_SWEEP_SECONDS: writes the organisers' and the supporters' mails that fell due (and deletes addresses
 * left unconfirmed too long), hands every pending outbox row to the
 * `mail` queue (a row whose job Redis lost gets a new one; one with a job is left alone), and deletes the mails
 * finished more than MAIL_RETENTION_DAYS ago. Every worker runs it: each step is idempotent.
 */
export function startMailSweep(ctx: ChorusContext, log: Logger): PeriodicTask {
  const { config } = ctx;
  return runPeriodically(
    config.MAIL_SWEEP_SECONDS * 1000,
    async () => {
      const now = new Date();
      const written = await writeOrganiserMails({ db: ctx.db, networks: ctx.networks, now });
      if (written.kind === 'done' && written.value.length > 0) {
        await enqueueMails(ctx.queues.mail, written.value);
        log.info({ mails: written.value.length }, "organisers' mails written");
      }
      const supporters = await writeSupporterMailsDue({
        db: ctx.db,
        networks: ctx.networks,
        queue: ctx.queues.mail,
        publicUrl: config.PUBLIC_URL,
        now,
      });
      if (supporters.kind === 'done' && supporters.value > 0) log.info({ mails: supporters.value }, "supporters' mails written");
      const unsent = await listUnsentMails(ctx.db, now);
      if (unsent.kind === 'done') await enqueueMails(ctx.queues.mail, unsent.value);
      const deleted = await deleteExpiredMails(ctx.db, now, config.MAIL_RETENTION_DAYS);
      if (deleted.kind === 'done' && deleted.value > 0) log.info({ deleted: deleted.value }, 'finished mails deleted from the outbox');
    },
    (error) => {
      log.error({ err: error }, 'mail sweep failed');
    },
  );
}
