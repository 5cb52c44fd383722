import { createEvent } from 'ics';
import type { Db } from '../../storage/database.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** A calendar file (RFC 5545) holding the campaign's launch, for supporters to add to their calendar. */
export interface LaunchCalendar {
  readonly fileName: string;
  readonly body: string;
}

/**
 * The campaign's launch as an iCalendar event (made by the `ics` library): a quarter of an hour from the launch time,
 * in UTC (each calendar shows it in its owner's zone), with a stable UID so that adding it twice updates one event.
 * Drafts are not found, as on the public page.
 */
export async function launchCalendar(db: Db, slug: string, base: string): Promise<Outcome<LaunchCalendar>> {
  const campaign = await findPublicCampaign(db, slug);
  if (campaign === undefined) return notFound('campaign');
  const url = new URL(`c/${campaign.slug}`, base).toString();
  const made = createEvent({
    uid: `launch-${campaign.id}@${new URL(base).host}`,
    productId: 'chorus/launch',
    start: campaign.launch_at.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: 15 },
    title: `Launch: ${campaign.title}`,
    description: `${campaign.title} launches: if the goal is met, every supporter's post goes out together.\n\n${url}`,
    url,
    status: 'CONFIRMED',
    busyStatus: 'FREE',
  });
  // The library refuses only malformed events; every field here is made by Chorus, so a refusal is a bug.
  if (made.error !== null || typeof made.value !== 'string') throw made.error ?? new Error('ics made no calendar');
  return done({ fileName: `${campaign.slug}-launch.ics`, body: made.value });
}
