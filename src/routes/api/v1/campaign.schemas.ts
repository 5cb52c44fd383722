import Type, { type Static } from 'typebox';
import { campaignStates } from '../../../domain/campaign-state.ts';
import { formatLaunchTime } from '../../../domain/launch-time.ts';
import type { Campaign } from '../../../storage/database.ts';
import { CampaignChanges, NetworkIdSchema, NewCampaignInput, XModeSchema } from '../../../use-cases/campaigns/campaign-input.ts';
import { withTrailingSlash } from '../../../domain/public-url.ts';

export { NetworkIdSchema };
export const CampaignStateSchema = Type.Enum(campaignStates);

/** The API's bodies are the use cases' inputs: one schema for both. */
export const CampaignCreateBody = NewCampaignInput;
export type CampaignCreateBody = NewCampaignInput;
export const CampaignPatchBody = CampaignChanges;
export type CampaignPatchBody = CampaignChanges;

export const CampaignIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CampaignView = Type.Object({
  id: Type.String(),
  organisationId: Type.String({ format: 'uuid', description: 'the organisation the campaign belongs to' }),
  createdBy: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
    description: 'the organiser who created it; null once their account is deleted',
  }),
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  link: Type.String(),
  message: Type.String(),
  variants: Type.Array(Type.String()),
  goal: Type.Integer(),
  launchAt: Type.String({ format: 'date-time' }),
  timeZone: Type.String(),
  launchAtLocal: Type.String({ description: "the launch time in the campaign's time zone" }),
  networks: Type.Array(NetworkIdSchema),
  xMode: XModeSchema,
  listed: Type.Boolean({ description: "listed on this Chorus's home page while open or launching" }),
  state: CampaignStateSchema,
  reviewNote: Type.Union([Type.String(), Type.Null()], {
    description: 'why an operator returned it from review (until it is published again); null when none did',
  }),
  supporters: Type.Integer(),
  reach: Type.Integer(),
  publicUrl: Type.String(),
});
export type CampaignView = Static<typeof CampaignView>;

/** A campaign as the organiser's API shows it. */
export function campaignView(campaign: Campaign, publicUrl: string): CampaignView {
  return {
    id: campaign.id,
    organisationId: campaign.organisation_id,
    createdBy: campaign.organiser_id,
    slug: campaign.slug,
    title: campaign.title,
    description: campaign.description,
    link: campaign.link,
    message: campaign.message,
    variants: campaign.variants,
    goal: campaign.goal,
    launchAt: campaign.launch_at.toISOString(),
    timeZone: campaign.time_zone,
    launchAtLocal: formatLaunchTime(campaign.launch_at, campaign.time_zone),
    networks: campaign.networks,
    xMode: campaign.x_mode,
    listed: campaign.listed,
    state: campaign.state,
    reviewNote: campaign.review_note,
    supporters: campaign.supporter_count,
    reach: campaign.reach,
    publicUrl: new URL(`c/${campaign.slug}`, withTrailingSlash(publicUrl)).toString(),
  };
}
