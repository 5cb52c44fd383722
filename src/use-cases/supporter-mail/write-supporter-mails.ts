import type { Queue } from 'bullmq';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { UNCONFIRMED_ADDRESS_LIFETIME_MS } from '../../domain/supporter-mail-kind.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import type { MailJobData } from '../../jobs/queues.ts';
import type { NetworkRegistry } from '../../networks/network-registry.ts';
import type { Db } from '../../storage/database.ts';
import type { NewOutboxMail } from '../../storage/mail-outbox.repository.ts';
import { deleteUnconfirmedAddresses } from '../../storage/supporter-mail-address.repository.ts';
import {
  listAccessReminderTargets,
  listEndedCampaignTargets,
  listPostFailedTargets,
  listPostOutTargets,
  listUpdateTargets,
  writeSupporterMails,
  type SupporterMailMark,
  type SupporterMailTarget,
} from '../../storage/supporter-mail-events.repository.ts';
import { postUrl } from '../campaign-views/post-url.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { renewGrantUrl } from './supporter-mail-links.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** Mails written per statement: a campaign of a million supporters goes through in batches, none holding a lock for long. */
const BATCH = 1000;

/** What writing supporters' mails needs. */
export interface SupporterMailWriting {
  readonly db: Db;
  readonly networks: Pick<NetworkRegistry, 'outline'>;
  readonly queue: Queue<MailJobData>;
  /** PUBLIC_URL. */
  readonly publicUrl: string;
  readonly now: Date;
}

type Mail = NewOutboxMail & { readonly addressId: string };

/**
 * Writes to the outbox the supporters' mails whose event has happened, for confirmed addresses only: the post is out
 * or could not be made (after the launch), the goal was missed, the campaign was cancelled, the grant will lapse before the launch, and
 * each update to those who follow the campaign. Each batch sets its addresses' mark in the same transaction, so every
 * mail is written once however long the outbox keeps it, and hands its rows to the queue. Deletes addresses left
 * unconfirmed past their lifetime. Answers how many mails were written.
 */
export async function writeSupporterMailsDue(writing: SupporterMailWriting): Promise<Outcome<number>> {
  const { db, now } = writing;
  const base = withTrailingSlash(writing.publicUrl);
  const campaignUrl = (target: SupporterMailTarget) => new URL(`c/${target.campaignSlug}`, base).toString();
  const mailOf = (target: SupporterMailTarget, kind: string, dedupeKey: string, data: Record<string, unknown>): Mail => ({
    kind,
    recipient: target.address,
    dedupeKey,
    campaignId: target.campaignId,
    pledgeId: target.pledgeId,
    addressId: target.addressId,
    templateData: { campaignTitle: target.campaignTitle, campaignUrl: campaignUrl(target), ...data },
  });
  let written = 0;
  const drain = async <T extends SupporterMailTarget>(
    list: () => Promise<T[]>,
    toMail: (target: T) => Mail,
    mark: (targets: readonly T[]) => SupporterMailMark,
  ) => {
    for (;;) {
      const targets = await list();
      const ids = await writeSupporterMails(db, targets.map(toMail), mark(targets), now);
      await enqueueMails(writing.queue, ids);
      written += ids.length;
      if (targets.length < BATCH) return;
    }
  };
  const outcome = () => ({ kind: 'outcome' }) as const;

  await deleteUnconfirmedAddresses(db, new Date(now.getTime() - UNCONFIRMED_ADDRESS_LIFETIME_MS), BATCH);
  await drain(
    () => listPostOutTargets(db, now, BATCH),
    (t) =>
      mailOf(t, 'supporter-post-out', `supporter-post-out:${t.pledgeId}`, {
        network: writing.networks.outline(t.network)?.displayName ?? t.network,
        postUrl: postUrl(t.network, t, t.postId),
      }),
    outcome,
  );
  await drain(
    () => listPostFailedTargets(db, now, BATCH),
    (t) =>
      mailOf(t, 'supporter-post-failed', `supporter-post-failed:${t.pledgeId}`, {
        network: writing.networks.outline(t.network)?.displayName ?? t.network,
        // Already cleaned text (no tokens, no addresses): the same words the organiser's launch report counts.
        reason: t.failureReason ?? 'the network refused it',
      }),
    outcome,
  );
  await drain(
    () => listEndedCampaignTargets(db, 'missed_goal', BATCH),
    (t) => mailOf(t, 'supporter-goal-missed', `supporter-goal-missed:${t.pledgeId}`, {}),
    outcome,
  );
  await drain(
    () => listEndedCampaignTargets(db, 'cancelled', BATCH),
    (t) => mailOf(t, 'supporter-campaign-cancelled', `supporter-campaign-cancelled:${t.pledgeId}`, {}),
    outcome,
  );
  await drain(
    () => listAccessReminderTargets(db, now, BATCH),
    (t) =>
      mailOf(t, 'supporter-access-reminder', `supporter-access-reminder:${t.pledgeId}`, {
        network: writing.networks.outline(t.network)?.displayName ?? t.network,
        expiresAt: formatLaunchTime(t.accessExpiresAt, t.timeZone),
        launchAt: formatLaunchTime(t.launchAt, t.timeZone),
        renewUrl: renewGrantUrl(writing.publicUrl, writing.networks, t),
      }),
    () => ({ kind: 'reminder' }),
  );
  await drain(
    () => listUpdateTargets(db, BATCH),
    (t) =>
      mailOf(t, 'supporter-campaign-update', `supporter-campaign-update:${t.updateId}:${t.pledgeId}`, {
        body: t.body,
        postedAt: t.postedAt.toISOString().slice(0, 10),
      }),
    (targets) => {
      const mailed = new Map<string, string[]>();
      for (const t of targets) mailed.set(t.addressId, [...(mailed.get(t.addressId) ?? []), t.updateId]);
      return { kind: 'updates', mailed };
    },
  );
  return done(written);
}
