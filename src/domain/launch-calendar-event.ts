import { createEvent } from 'ics';

/** A calendar file (RFC 5545) holding a campaign's launch. */
export interface LaunchCalendarFile {
  readonly fileName: string;
  readonly body: string;
}

/**
 * The campaign's launch as an iCalendar event (made by the `ics` library): a quarter of an hour from the launch time,
 * in UTC (each calendar shows it in its owner's zone), with a stable UID so that adding it twice updates one event.
 */
export function launchCalendarEvent(
  campaign: { readonly id: string; readonly slug: string; readonly title: string; readonly launchAt: Date },
  base: string,
): LaunchCalendarFile {
  const url = new URL(`c/${campaign.slug}`, base).toString();
  const made = createEvent({
    uid: `launch-${campaign.id}@${new URL(base).host}`,
    productId: 'chorus/launch',
    start: campaign.launchAt.getTime(),
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
  return { fileName: `${campaign.slug}-launch.ics`, body: made.value };
}
