import type { ChorusContext } from '../../chorus-context.ts';
import { textForVariant } from '../../domain/campaign-message.ts';
import { campaignHashtags, checkPersonalText } from '../../domain/message-rules.ts';
import { updatePledgeText } from '../../storage/pledge.repository.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';
import { findSupporterPledge, type SupporterPledge } from './find-supporter-pledge.ts';
import { textRulesForAccount } from './text-rules-for-account.ts';

/** Another of the campaign's wordings (null: the main message), or the supporter's own text. */
export type PledgeTextChange = { readonly variant: number | null } | { readonly text: string };

/** Changes what a pledge will post, checked against the supporter's own account; only while the campaign is collecting. */
export async function changePledgeText(
  ctx: ChorusContext,
  pledgeId: string,
  manageToken: string,
  change: PledgeTextChange,
): Promise<Outcome<SupporterPledge>> {
  const found = await findSupporterPledge(ctx.db, pledgeId, manageToken);
  if (found.kind !== 'done') return found;
  const { pledge, campaign, account } = found.value;
  const variantIndex = 'variant' in change ? change.variant : null;
  const text = 'text' in change ? change.text : textForVariant(campaign, variantIndex);
  if (text === undefined) return invalid(`this campaign has no variant ${variantIndex}`, 'variant');
  const network = await ctx.networks.load(account.network);
  if (network === undefined) return conflict(`${account.network} is no longer configured on this Chorus`);
  const rules = await textRulesForAccount(network, account);
  // Personal wording keeps the campaign's hashtags, as on the page (every variant has them already).
  const problem = checkPersonalText(text, { link: campaign.link, hashtags: campaignHashtags(campaign) }, rules);
  if (problem !== null) return invalid(problem, 'text');
  const updated = await updatePledgeText(ctx.db, pledge.id, text, 'text' in change ? null : variantIndex);
  if (updated === undefined) return conflict('this pledge can no longer be changed (withdrawn, or the campaign is launching or over)');
  return done({ ...found.value, pledge: updated });
}
