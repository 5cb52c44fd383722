import { startMailSandbox, type RunningMailSandbox, type SandboxMail } from '../../src/mail/sandbox/mail-sandbox-server.ts';
import { startTestChorus, type TestChorus } from './test-chorus.ts';
import { waitFor } from './wait-for.ts';

/** A test Chorus whose mail goes over real SMTP to a sandbox mail server of its own, and what the mail tests read there. */
export interface MailedChorus {
  readonly mail: RunningMailSandbox;
  readonly chorus: TestChorus;
  /** Every mail the sandbox received for `address`, oldest first. */
  mailsTo(address: string): SandboxMail[];
  /** The first mail to `address` with `subject`, once it has arrived (fails after waitFor's time-out). */
  mailWithSubject(address: string, subject: string): Promise<SandboxMail>;
  close(): Promise<void>;
}

/**
 * Starts the sandbox mail server and a Chorus sending to it, its workers running (unless `workers: false`), the mail
 * sweep, retries and recovery sweep every second (`env` overrides these and adds to them).
 */
export async function startMailedChorus(
  options: { env?: Record<string, string>; ownDatabase?: boolean; listen?: boolean; workers?: boolean } = {},
): Promise<MailedChorus> {
  const mail = await startMailSandbox();
  const chorus = await startTestChorus({
    ...(options.ownDatabase === undefined ? {} : { ownDatabase: options.ownDatabase }),
    ...(options.listen === undefined ? {} : { listen: options.listen }),
    env: {
      SMTP_URL: mail.smtpUrl,
      MAIL_FROM: 'Chorus <chorus@example.org>',
      MAIL_SWEEP_SECONDS: '1',
      MAIL_RETRY_DELAY_SECONDS: '1',
      RECOVERY_SWEEP_SECONDS: '1',
      ...options.env,
    },
  });
  if (options.workers !== false) await chorus.startWorkers();
  const mailsTo = (address: string) => mail.mails().filter((m) => m.to.includes(address));
  return {
    mail,
    chorus,
    mailsTo,
    mailWithSubject: async (address, subject) => {
      const [first] = await waitFor(
        async () => mailsTo(address).filter((m) => m.subject === subject),
        (mails) => mails.length > 0,
      );
      return first as SandboxMail;
    },
    close: async () => {
      await chorus.close();
      await mail.close();
    },
  };
}
