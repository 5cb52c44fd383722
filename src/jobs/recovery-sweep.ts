import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { ChorusContext } from '../chorus-context.ts';
import { listLaunchesDueBy } from '../storage/campaign.repository.ts';
import type { Db } from '../storage/database.ts';
import { listOverdueDeliveries } from '../storage/delivery.repository.ts';
import { fillProbeVacancies } from '../storage/network-hold.repository.ts';
import { scheduleLaunch } from './launch-schedule.ts';
import { runPeriodically, type PeriodicTask } from './periodic-task.ts';
import { putBackDeliveryJob } from './put-back-delivery-job.ts';
import type { DeliveryJobData, LaunchJobData } from './queues.ts';

export interface RecoverySweepContext {
  readonly db: Db;
  readonly launches: Queue<LaunchJobData>;
  readonly deliveries: Queue<DeliveryJobData>;
  /** How long past due a delivery must be before its job is looked for. */
  readonly graceMs: number;
  /** Launches due within this are made sure to have a job. */
  readonly horizonMs: number;
}

/** What a sweep put back. */
export interface RecoveryResult {
  readonly launches: number;
  readonly deliveries: number;
  /** Paused networks given a new probe (the last one ended without a verdict), or dropped with nothing left waiting. */
  readonly probes: number;
}

const deliveriesPerSweep = 500;

/**
 * Puts back the jobs Redis should hold but does not (emptied, restarted, or a job failed for
 * good): Postgres says what is unfinished, and stable job ids make re-adding harmless.
 */
export async function sweepForLostJobs(ctx: RecoverySweepContext, now: Date = new Date()): Promise<RecoveryResult> {
  const launches = await listLaunchesDueBy(ctx.db, new Date(now.getTime() + ctx.horizonMs));
  for (const campaign of launches) await scheduleLaunch(ctx.launches, campaign.id, campaign.launch_at);

  let restored = 0;
  for (const delivery of await listOverdueDeliveries(ctx.db, now, ctx.graceMs, deliveriesPerSweep)) {
    if ((await putBackDeliveryJob(ctx.deliveries, delivery.id, now)) === 'added') restored += 1;
  }
  // A paused network whose probe ended some other way (its supporter revoked access, say) gets another.
  const vacancies = await fillProbeVacancies(ctx.db, now, ctx.graceMs);
  for (const vacancy of vacancies) {
    switch (vacancy.kind) {
      case 'probe-chosen':
        await putBackDeliveryJob(ctx.deliveries, vacancy.deliveryId, vacancy.at > now ? vacancy.at : now);
        break;
      case 'dropped':
        break;
    }
  }
  return { launches: launches.length, deliveries: restored, probes: vacancies.length };
}

/** Sweeps every `sweepMs` for work whose jobs Redis lost, and puts them back. */
export function startRecoverySweep(ctx: ChorusContext, log: Logger, sweepMs: number): PeriodicTask {
  return runPeriodically(
    sweepMs,
    async () => {
      const recovered = await sweepForLostJobs({
        db: ctx.db,
        launches: ctx.queues.launches,
        deliveries: ctx.queues.deliveries,
        graceMs: sweepMs,
        horizonMs: 2 * sweepMs,
      });
      if (recovered.deliveries > 0) log.warn({ recovered }, 'put back delivery jobs that Redis had lost');
      if (recovered.probes > 0) log.info({ recovered }, 'gave paused networks a new probe');
    },
    (error) => {
      log.error({ err: error }, 'recovery sweep failed');
    },
  );
}
