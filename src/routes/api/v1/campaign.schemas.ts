import Type, { type Static } from 'typebox';
import { campaignStates } from '../../../domain/campaign-state.ts';
import { formatLaunchTime } from '../../../domain/launch-time.ts';
import { networkIds } from '../../../networks/network-id.ts';
import { xModes } from '../../../networks/x/x-mode.ts';
import type { Campaign } from '../../../storage/database.ts';

export const NetworkIdSchema = Type.Enum(networkIds);
export const CampaignStateSchema = Type.Enum(campaignStates);
const Text = Type.String({ minLength: 1, maxLength: 2000 });

const editable = {
  title: Type.String({ minLength: 1, maxLength: 140 }),
  description: Type.String({ maxLength: 10_000 }),
  message: Type.String({ ...Text, description: 'the post as it will go out; it must include the campaign link' }),
  variants: Type.Array(Text, { maxItems: 10, description: 'other wordings a supporter may pick (up to 10)' }),
  goal: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'supporters needed; all or nothing' }),
  launchAt: Type.String({
    maxLength: 40,
    description: 'ISO 8601 with an offset (2026-12-01T09:00:00+01:00), or a local time (2026-12-01T09:00) with timeZone',
  }),
  timeZone: Type.String({ maxLength: 64, description: 'IANA time zone name, e.g. Europe/London' }),
  xMode: Type.Enum(xModes, {
    description:
      "post: every X supporter posts the text; repost: the campaign's own X account (connect it at /api/v1/campaigns/:id/connect/x) posts it once and X supporters repost it",
  }),
};

export const CampaignCreateBody = Type.Object(
  {
    ...editable,
    description: Type.Optional(editable.description),
    variants: Type.Optional(editable.variants),
    timeZone: Type.Optional(editable.timeZone),
    slug: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 })),
    link: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500, description: 'the campaign link every post carries' }),
    networks: Type.Array(NetworkIdSchema, { minItems: 1, uniqueItems: true }),
    xMode: Type.Optional(editable.xMode),
    publish: Type.Optional(Type.Boolean({ description: 'open the campaign to supporters at once (otherwise it stays a draft)' })),
  },
  { additionalProperties: false },
);
export type CampaignCreateBody = Static<typeof CampaignCreateBody>;

export const CampaignPatchBody = Type.Object(
  {
    title: Type.Optional(editable.title),
    description: Type.Optional(editable.description),
    message: Type.Optional(editable.message),
    variants: Type.Optional(editable.variants),
    goal: Type.Optional(editable.goal),
    launchAt: Type.Optional(editable.launchAt),
    timeZone: Type.Optional(editable.timeZone),
    xMode: Type.Optional(editable.xMode),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CampaignPatchBody = Static<typeof CampaignPatchBody>;

export const CampaignIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CampaignView = Type.Object({
  id: Type.String(),
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
  xMode: editable.xMode,
  state: CampaignStateSchema,
  supporters: Type.Integer(),
  reach: Type.Integer(),
  publicUrl: Type.String(),
});
export type CampaignView = Static<typeof CampaignView>;

/** A campaign as the organiser's API shows it. */
export function campaignView(campaign: Campaign, publicUrl: string): CampaignView {
  return {
    id: campaign.id,
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
    state: campaign.state,
    supporters: campaign.supporter_count,
    reach: campaign.reach,
    publicUrl: new URL(`c/${campaign.slug}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).toString(),
  };
}
