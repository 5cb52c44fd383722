import type { TextRules } from '../../domain/message-rules.ts';
import type { SocialNetwork } from '../../networks/social-network.ts';

/**
 * The length rule a supporter's own account posts under: the one its consent flow brought back
 * where there is one, else its server's (networks of many servers, where an instance may allow
 * less than the network's usual limit), else the network's.
 */
export async function textRulesForAccount(
  network: SocialNetwork,
  account: { readonly server?: string | null; readonly textRules?: TextRules },
): Promise<TextRules> {
  if (account.textRules !== undefined) return account.textRules;
  const server = account.server ?? undefined;
  return network.serverChoice !== undefined && server !== undefined ? network.serverChoice.textRules(server) : network.textRules;
}
