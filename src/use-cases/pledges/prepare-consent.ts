import type { ChorusContext } from '../../chorus-context.ts';
import { textForVariant } from '../../domain/campaign-message.ts';
import { checkStorableText } from '../../domain/storable-text.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { Campaign } from '../../storage/database.ts';
import { conflict, done, invalid, type Outcome } from '../use-case-outcome.ts';

/** What a supporter picked before the consent page: a wording, and their server on networks of many servers. */
export interface ConsentChoice {
  readonly variantIndex: number | null;
  /** The supporter's server, checked (a Mastodon instance's origin, a Bluesky handle); absent for networks that are one service. */
  readonly server?: string;
}

/**
 * Checks what a supporter picked before they leave for the network's consent page: the campaign
 * must be collecting (a conflict otherwise), post to the network, have the wording, and, on a
 * network of many servers, the server they typed must be one Chorus may call (invalid on that
 * network's own field, `instance` or `handle`, otherwise).
 */
export async function prepareConsent(
  ctx: ChorusContext,
  campaign: Campaign,
  networkId: NetworkId,
  choice: { readonly variant?: number; readonly instance?: string; readonly handle?: string },
): Promise<Outcome<ConsentChoice>> {
  if (campaign.state !== 'collecting') return conflict(`this campaign is ${campaign.state} and takes no more pledges`);
  // The outline answers every check but the server's own; the module is loaded only for that one.
  const network = campaign.networks.includes(networkId) ? ctx.networks.outline(networkId) : undefined;
  if (network === undefined) return invalid(`this campaign does not post to ${networkId}`, 'network');
  const variantIndex = choice.variant ?? null;
  if (textForVariant(campaign, variantIndex) === undefined) return invalid(`this campaign has no variant ${variantIndex}`, 'variant');
  const chooser = network.serverChoice;
  if (chooser === undefined) return done({ variantIndex });
  const typed = choice[chooser.parameter];
  if (typed === undefined) {
    const example = chooser.suggested[0] ?? (chooser.parameter === 'handle' ? 'alice.bsky.social' : 'mastodon.social');
    return invalid(`name your ${network.displayName} ${chooser.parameter} (like ${example})`, chooser.parameter);
  }
  // Checked before any network module sees it: a name holding NUL or a control character is no server's.
  const characters = checkStorableText(`the ${chooser.parameter}`, typed);
  if (characters !== null) return invalid(characters, chooser.parameter);
  const servers = (await ctx.networks.load(networkId))?.serverChoice;
  if (servers === undefined) return invalid(`this campaign does not post to ${networkId}`, 'network');
  const checked = await servers.check(typed);
  switch (checked.kind) {
    case 'accepted':
      return done({ variantIndex, server: checked.server });
    case 'refused':
      return invalid(checked.reason, chooser.parameter);
  }
}
