import Type, { type Static } from 'typebox';
import { MAX_GOAL } from '../../domain/goal.ts';
import { networkIds } from '../../networks/network-id.ts';
import { xModes } from '../../networks/x/x-mode.ts';
import { StorableText } from '../storable-text-schema.ts';

// What an organiser gives to create or change a campaign: one schema, which the API's routes take
// as their bodies and the pages' forms are checked against, so that the shapes are written once.

/** A network's id, as input and answers name it. */
export const NetworkIdSchema = Type.Enum(networkIds);
const Text = StorableText({ minLength: 1, maxLength: 2000 });

const editable = {
  title: StorableText({ minLength: 1, maxLength: 140 }),
  description: StorableText({ maxLength: 10_000 }),
  message: StorableText({ minLength: 1, maxLength: 2000, description: 'the post as it will go out; it must include the campaign link' }),
  variants: Type.Array(Text, { maxItems: 10, description: 'other wordings a supporter may pick (up to 10)' }),
  goal: Type.Integer({ minimum: 1, maximum: MAX_GOAL, description: 'supporters needed; all or nothing' }),
  launchAt: StorableText({
    maxLength: 40,
    description: 'ISO 8601 with an offset (2026-12-01T09:00:00+01:00), or a local time (2026-12-01T09:00) with timeZone',
  }),
  timeZone: StorableText({ maxLength: 64, description: 'IANA time zone name, e.g. Europe/London' }),
  xMode: Type.Enum(xModes, {
    description:
      "post: every X supporter posts the text; repost: the campaign's own X account (connect it at /api/v1/campaigns/:id/connect/x) posts it once and X supporters repost it",
  }),
  listed: Type.Boolean({
    description: "list the campaign on this Chorus's home page while it is open or launching (off unless chosen)",
  }),
};

/** A new campaign. */
export const NewCampaignInput = Type.Object(
  {
    ...editable,
    description: Type.Optional(editable.description),
    variants: Type.Optional(editable.variants),
    timeZone: Type.Optional(editable.timeZone),
    slug: Type.Optional(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 })),
    link: StorableText({ pattern: '^https?://[^\\s]+$', maxLength: 500, description: 'the campaign link every post carries' }),
    networks: Type.Array(NetworkIdSchema, { minItems: 1, uniqueItems: true }),
    xMode: Type.Optional(editable.xMode),
    listed: Type.Optional(editable.listed),
    publish: Type.Optional(Type.Boolean({ description: 'open the campaign to supporters at once (otherwise it stays a draft)' })),
    organisationId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'the organisation it belongs to (you must be an owner or editor there); default: the one you joined first, your own',
      }),
    ),
  },
  { additionalProperties: false },
);
export type NewCampaignInput = Static<typeof NewCampaignInput>;

/** Changes to a campaign before launch. */
export const CampaignChanges = Type.Object(
  {
    title: Type.Optional(editable.title),
    description: Type.Optional(editable.description),
    message: Type.Optional(editable.message),
    variants: Type.Optional(editable.variants),
    goal: Type.Optional(editable.goal),
    launchAt: Type.Optional(editable.launchAt),
    timeZone: Type.Optional(editable.timeZone),
    xMode: Type.Optional(editable.xMode),
    listed: Type.Optional(editable.listed),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CampaignChanges = Static<typeof CampaignChanges>;

/** The xMode field's schema, for views that show it. */
export const XModeSchema = editable.xMode;
