import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Worker } from 'bullmq';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMails } from '../../src/jobs/enqueue-mails.ts';
import { startMailSweep } from '../../src/jobs/mail-sweep-task.ts';
import { startMailWorker } from '../../src/jobs/mail-worker.ts';
import type { PeriodicTask } from '../../src/jobs/periodic-task.ts';
import { startMailSandbox, type RunningMailSandbox } from '../../src/mail/sandbox/mail-sandbox-server.ts';
import { createSmtpTransport, type MailTransport } from '../../src/mail/mail-transport.ts';
import type { Db } from '../../src/storage/database.ts';
import { writeOutboxMails } from '../../src/storage/mail-outbox.repository.ts';
import { createMailTemplates } from '../../src/mail/mail-templates.ts';
import { supporterMailLinks } from '../../src/use-cases/supporter-mail/supporter-mail-links.ts';
import { sendOutboxMail } from '../../src/use-cases/mail/send-outbox-mail.ts';
import { freePort } from '../support/free-port.ts';
import { startTestChorus, testEnvironment, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

const quiet = pino({ level: 'silent' });

describe('the mail outbox, sent through the mail queue over real SMTP', () => {
  let mail: RunningMailSandbox;
  let chorus: TestChorus;
  let db: Db;
  const running: { workers: Worker[]; transports: MailTransport[]; tasks: PeriodicTask[] } = { workers: [], transports: [], tasks: [] };
  let written = 0;
  /** The environment of this file's Chorus, for a worker process of its own beside it. */
  let env: Record<string, string>;

  beforeAll(async () => {
    mail = await startMailSandbox();
    // A worker that stops without a word hands its jobs on after JOB_LOCK_SECONDS.
    env = testEnvironment({ SMTP_URL: mail.smtpUrl, MAIL_RETRY_DELAY_SECONDS: '1', MAIL_SWEEP_SECONDS: '1', JOB_LOCK_SECONDS: '2' });
    chorus = await startTestChorus({ listen: false, env });
    db = chorus.ctx.db;
  });
  afterEach(async () => {
    await Promise.all(running.tasks.splice(0).map((task) => task.stop()));
    await Promise.all(running.workers.splice(0).map((worker) => worker.close(true)));
    for (const transport of running.transports.splice(0)) transport.close();
    mail.slowDown(0);
    mail.refuseNext({ code: 250, message: '', times: 0 });
  });
  afterAll(async () => {
    await chorus.close();
    await mail.close();
  });

  function startWorker(): Worker {
    const transport = createSmtpTransport(mail.smtpUrl);
    const worker = startMailWorker(chorus.ctx, quiet, transport);
    running.transports.push(transport);
    running.workers.push(worker);
    return worker;
  }

  async function writeMails(count: number): Promise<string[]> {
    const mails = Array.from({ length: count }, () => {
      written += 1;
      return {
        kind: 'goal-reached',
        recipient: `organiser-${written}@example.org`,
        dedupeKey: `test:${written}`,
        templateData: {
          organiserName: `Organiser ${written}`,
          title: `Campaign ${written}`,
          goal: 10,
          supporters: 10,
          reach: 100,
          launchAt: '3 Dec 2026, 09:00 GMT',
          dashboardPath: '/organiser/campaigns/x',
          settingsPath: '/organiser/account#mail-settings',
        },
      };
    });
    return writeOutboxMails(db, mails);
  }

  function rowsOf(ids: readonly string[]) {
    return db.selectFrom('mail_outbox').selectAll().where('id', 'in', ids).execute();
  }

  function receivedFor(id: string) {
    return mail.mails().filter((m) => m.messageId === `<${id}@127.0.0.1>`);
  }

  it('writes a mail once however often it is written, by its dedupe key', async () => {
    const [first] = await writeMails(1);
    const again = await writeOutboxMails(db, [
      { kind: 'goal-reached', recipient: 'x@example.org', dedupeKey: `test:${written}`, templateData: {} },
    ]);
    expect(first).toBeDefined();
    expect(again).toEqual([]);
    expect(await db.selectFrom('mail_outbox').select('recipient').where('dedupe_key', '=', `test:${written}`).execute()).toEqual([
      { recipient: `organiser-${written}@example.org` },
    ]);
  });

  it('loses no mail when the worker stops mid-batch and Redis loses the jobs: a new worker and the sweep send each, with its Message-ID', async () => {
    mail.slowDown(150);
    const ids = await writeMails(24);
    await enqueueMails(chorus.ctx.queues.mail, ids);
    const first = startWorker();
    await waitFor(
      async () => mail.mails().filter((m) => ids.some((id) => m.messageId === `<${id}@127.0.0.1>`)).length,
      (n) => n >= 4,
    );
    // Stop without waiting for the mails in hand (as a crash does), and lose every job still in Redis.
    await first.close(true);
    const sentBefore = (await rowsOf(ids)).filter((row) => row.state === 'sent').length;
    expect(sentBefore).toBeLessThan(ids.length);
    await chorus.ctx.queues.mail.obliterate({ force: true });

    mail.slowDown(0);
    startWorker();
    running.tasks.push(startMailSweep(chorus.ctx, quiet));
    const rows = await waitFor(
      () => rowsOf(ids),
      (found) => found.every((row) => row.state === 'sent'),
      30_000,
    );
    expect(rows).toHaveLength(ids.length);
    for (const id of ids) {
      const received = receivedFor(id);
      // At least once; a mail in hand when the worker stopped may come twice, as the same message.
      expect(received.length).toBeGreaterThanOrEqual(1);
      expect(received.length).toBeLessThanOrEqual(2);
      expect(new Set(received.map((m) => m.text)).size).toBe(1);
    }
    const twice = ids.filter((id) => receivedFor(id).length > 1).length;
    expect(twice).toBeLessThanOrEqual(4);
  });

  it('loses no mail when a worker process is killed mid-batch (SIGKILL): another takes its jobs back and sends each', async () => {
    mail.slowDown(300);
    const ids = await writeMails(16);
    await enqueueMails(chorus.ctx.queues.mail, ids);
    const child = spawn(process.execPath, ['workers/worker.ts'], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, stdio: 'ignore' });
    try {
      await waitFor(
        async () => ids.filter((id) => receivedFor(id).length > 0).length,
        (n) => n >= 2,
        30_000,
      );
    } finally {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
    expect((await rowsOf(ids)).filter((row) => row.state === 'sent').length).toBeLessThan(ids.length);

    mail.slowDown(0);
    startWorker();
    const rows = await waitFor(
      () => rowsOf(ids),
      (found) => found.every((row) => row.state === 'sent'),
      30_000,
    );
    expect(rows).toHaveLength(ids.length);
    for (const id of ids) expect(receivedFor(id).length).toBeGreaterThanOrEqual(1);
    // Only the mails in the killed worker's hands (4 at a time) may have gone twice, as the same message.
    expect(ids.filter((id) => receivedFor(id).length > 1).length).toBeLessThanOrEqual(4);
  });

  it('sends a mail the server deferred (451) twice once it accepts, on the third attempt', async () => {
    mail.refuseNext({ code: 451, message: '4.3.0 Try again later', times: 2 });
    const refusedBefore = mail.refusals();
    const ids = await writeMails(1);
    const id = ids[0] ?? '';
    await enqueueMails(chorus.ctx.queues.mail, ids);
    startWorker();
    const [row] = await waitFor(
      () => rowsOf(ids),
      (found) => found[0]?.state === 'sent',
    );
    expect(row).toMatchObject({ state: 'sent', attempts: 3, failure_reason: null });
    expect(mail.refusals() - refusedBefore).toBe(2);
    expect(receivedFor(id)).toHaveLength(1);
    expect(receivedFor(id)[0]?.to).toEqual([row?.recipient]);
  });

  it('records a permanent refusal (550) on the row as failed, with the reason, and does not try again', async () => {
    mail.refuseNext({ code: 550, message: '5.1.1 No such mailbox here', times: 1 });
    const ids = await writeMails(1);
    const id = ids[0] ?? '';
    await enqueueMails(chorus.ctx.queues.mail, ids);
    startWorker();
    const [row] = await waitFor(
      () => rowsOf(ids),
      (found) => found[0]?.state === 'failed',
    );
    expect(row?.attempts).toBe(1);
    expect(row?.failure_reason).toMatch(/^the mail server refused it: 550 5\.1\.1 No such mailbox here/);
    expect(row?.failed_at).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receivedFor(id)).toEqual([]);
    expect((await rowsOf(ids))[0]?.attempts).toBe(1);
  });

  it('records a mail as failed when the server stays unreachable through the last attempt, or its kind has no template', async () => {
    const [unreachable, unknownKind] = await writeMails(2);
    await db
      .updateTable('mail_outbox')
      .set({ kind: 'no-such-kind' })
      .where('id', '=', unknownKind ?? '')
      .execute();
    // Nothing listens on this port: the connection is refused.
    const closed = createSmtpTransport(`smtp://127.0.0.1:${await freePort()}`);
    running.transports.push(closed);
    const sending = {
      db,
      transport: closed,
      templates: createMailTemplates(),
      from: 'Chorus <chorus@example.org>',
      messageIdHost: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      cipher: chorus.ctx.cipher,
      links: supporterMailLinks(chorus.config),
    };
    const notYet = await sendOutboxMail(sending, unreachable ?? '', false);
    expect(notYet).toMatchObject({ kind: 'done', value: { kind: 'retry' } });
    const last = await sendOutboxMail(sending, unreachable ?? '', true);
    expect(last).toMatchObject({ kind: 'done', value: { kind: 'failed' } });
    const noTemplate = await sendOutboxMail(sending, unknownKind ?? '', false);
    expect(noTemplate).toEqual({ kind: 'done', value: { kind: 'failed', reason: 'no template for mail kind no-such-kind' } });
    const rows = await rowsOf([unreachable ?? '', unknownKind ?? '']);
    expect(rows.find((row) => row.id === unreachable)).toMatchObject({
      state: 'failed',
      attempts: 2,
      failure_reason: expect.stringMatching(/^gave up after 2 attempts: the mail server could not be reached: /) as unknown,
    });
    expect(rows.find((row) => row.id === unknownKind)).toMatchObject({ state: 'failed', attempts: 0 });
    // A finished mail is not sent again.
    expect(await sendOutboxMail(sending, unreachable ?? '', true)).toEqual({ kind: 'done', value: { kind: 'finished' } });
  });

  it('deletes sent and failed mails past the retention time, and keeps the pending ones', async () => {
    const ids = await writeMails(3);
    const [old, recent, pending] = ids as [string, string, string];
    const longAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    await db.updateTable('mail_outbox').set({ state: 'sent', sent_at: longAgo }).where('id', '=', old).execute();
    await db
      .updateTable('mail_outbox')
      .set({ state: 'failed', failed_at: new Date(), failure_reason: 'refused' })
      .where('id', '=', recent)
      .execute();
    running.tasks.push(startMailSweep(chorus.ctx, quiet));
    await waitFor(
      async () => (await rowsOf(ids)).map((row) => row.id),
      (left) => !left.includes(old),
    );
    const left = (await rowsOf(ids)).map((row) => row.id);
    expect(left).toEqual(expect.arrayContaining([recent, pending]));
  });
});
