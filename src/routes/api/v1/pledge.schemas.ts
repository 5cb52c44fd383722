import Type, { type Static } from 'typebox';
import { formatLaunchTime } from '../../../domain/launch-time.ts';
import type { NetworkId } from '../../../networks/network-id.ts';
import type { Campaign, Pledge } from '../../../storage/database.ts';
import { AccessWarningSchema } from '../../../domain/access-warnings.ts';
import { NetworkIdSchema } from './campaign.schemas.ts';

export const PledgeView = Type.Object({
  id: Type.String(),
  campaign: Type.String({ description: "the campaign's slug" }),
  network: NetworkIdSchema,
  handle: Type.String(),
  reach: Type.Integer(),
  text: Type.String({ description: 'exactly what will be posted' }),
  variant: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.Enum(['active', 'withdrawn']),
  showName: Type.Boolean({
    description: "whether your handle and name appear on the campaign's public page (your choice; you are counted either way)",
  }),
  launchAt: Type.String({ format: 'date-time' }),
  launchAtLocal: Type.String(),
  promise: Type.String(),
  manageToken: Type.Optional(Type.String({ description: 'shown once: the key to change or withdraw this pledge' })),
});
export type PledgeView = Static<typeof PledgeView>;

/** What pledging answers: the pledge, and what may stop it being posted. */
export const PledgeAnswer = Type.Object({ ...PledgeView.properties, warnings: Type.Array(AccessWarningSchema) });

/** A pledge as its supporter sees it; `manageToken` only in the answer that created it. */
export function pledgeView(
  pledge: Pledge,
  campaign: Pick<Campaign, 'slug' | 'launch_at' | 'time_zone'>,
  account: { handle: string },
  network: NetworkId,
  manageToken?: string,
): PledgeView {
  const launchAtLocal = formatLaunchTime(campaign.launch_at, campaign.time_zone);
  return {
    id: pledge.id,
    campaign: campaign.slug,
    network,
    handle: account.handle,
    reach: pledge.followers,
    text: pledge.text,
    variant: pledge.variant_index,
    state: pledge.state,
    showName: pledge.shown_publicly,
    launchAt: campaign.launch_at.toISOString(),
    launchAtLocal,
    promise: `One post from @${account.handle}, at ${launchAtLocal} if the goal is met; then Chorus deletes its access to your account.`,
    ...(manageToken === undefined ? {} : { manageToken }),
  };
}
