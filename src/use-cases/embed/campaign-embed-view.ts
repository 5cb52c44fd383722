import { percentOfGoal } from '../../domain/goal.ts';
import { shareCard } from '../../domain/share-card.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { Db } from '../../storage/database.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** What the embeddable widget shows: progress, where the campaign stands, and where the Support button leads. */
export interface CampaignEmbedView {
  readonly title: string;
  readonly slug: string;
  readonly supporters: string;
  readonly goal: string;
  readonly goalValue: number;
  readonly progressValue: number;
  readonly percent: number;
  readonly status: string;
  readonly open: boolean;
  readonly campaignUrl: string;
}

const wholeNumber = new Intl.NumberFormat('en-GB');

/** The widget's view of a public campaign (exact figures; the status line is the share card's). */
export async function campaignEmbedView(db: Db, slug: string, publicUrl: string, now = new Date()): Promise<Outcome<CampaignEmbedView>> {
  const campaign = await findPublicCampaign(db, slug);
  if (campaign === undefined) return notFound('campaign');
  const card = shareCard(
    {
      title: campaign.title,
      organiser: '',
      state: campaign.state,
      supporters: campaign.supporter_count,
      goal: campaign.goal,
      reach: campaign.reach,
      launchAt: campaign.launch_at,
    },
    now,
  );
  return done({
    title: campaign.title,
    slug: campaign.slug,
    supporters: wholeNumber.format(campaign.supporter_count),
    goal: wholeNumber.format(campaign.goal),
    goalValue: campaign.goal,
    progressValue: Math.min(campaign.supporter_count, campaign.goal),
    percent: percentOfGoal(campaign.supporter_count, campaign.goal),
    status: card.status,
    open: campaign.state === 'collecting',
    campaignUrl: new URL(`c/${encodeURIComponent(campaign.slug)}`, withTrailingSlash(publicUrl)).toString(),
  });
}
