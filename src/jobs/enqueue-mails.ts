import type { Queue } from 'bullmq';
import { mailJobId, type MailJobData } from './queues.ts';

/**
 * Hands outbox rows to the `mail` queue, one job each under the row's own job id: a row that already has a job
 * waiting, delayed or running is not given a second. Call it after the transaction that wrote the rows commits;
 * if the process dies first, the mail sweep finds the rows.
 */
export async function enqueueMails(queue: Queue<MailJobData>, outboxIds: readonly string[]): Promise<void> {
  if (outboxIds.length === 0) return;
  await queue.addBulk(outboxIds.map((outboxId) => ({ name: 'send', data: { outboxId }, opts: { jobId: mailJobId(outboxId) } })));
}
