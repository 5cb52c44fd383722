import { launchCalendarEvent, type LaunchCalendarFile } from '../../domain/launch-calendar-event.ts';
import type { Db } from '../../storage/database.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** The campaign's launch as a calendar file, for supporters to add to their calendar; drafts are not found, as on the public page. */
export async function launchCalendar(db: Db, slug: string, base: string): Promise<Outcome<LaunchCalendarFile>> {
  const campaign = await findPublicCampaign(db, slug);
  if (campaign === undefined) return notFound('campaign');
  return done(launchCalendarEvent({ id: campaign.id, slug: campaign.slug, title: campaign.title, launchAt: campaign.launch_at }, base));
}
