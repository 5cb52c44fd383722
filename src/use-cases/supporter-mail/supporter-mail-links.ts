import type { Config } from '../../../config/config.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { NetworkRegistry } from '../../networks/network-registry.ts';
import { createMailLinkSigner, type MailLinkPurpose } from '../../security/mail-link-token.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** The addresses of the pages a supporter's mail links to, each with its token. */
export interface SupporterMailLinks {
  link(purpose: MailLinkPurpose, addressId: string): string;
  verify(purpose: MailLinkPurpose, addressId: string, token: string): boolean;
}

/** Links under PUBLIC_URL: `/mail/confirm/<address id>?token=…` and `/mail/unsubscribe/<address id>?token=…` (the token in the query, which logs leave out). */
export function supporterMailLinks(config: Pick<Config, 'PUBLIC_URL' | 'SESSION_SECRET'>): SupporterMailLinks {
  const signer = createMailLinkSigner(config.SESSION_SECRET);
  const base = withTrailingSlash(config.PUBLIC_URL);
  return {
    link(purpose, addressId) {
      const url = new URL(`mail/${purpose}/${addressId}`, base);
      url.searchParams.set('token', signer.tokenFor(purpose, addressId));
      return url.toString();
    },
    verify: (purpose, addressId, token) => signer.verify(purpose, addressId, token),
  };
}

/**
 * The link that authorises a pledge's account again and keeps the pledge and its wording:
 * `/c/:slug/support/:network?variant=…`, with the server where the network has many.
 */
export function renewGrantUrl(
  publicUrl: string,
  networks: Pick<NetworkRegistry, 'outline'>,
  pledge: {
    readonly campaignSlug: string;
    readonly network: NetworkId;
    readonly variantIndex: number | null;
    readonly server: string | null;
  },
): string {
  const renew = new URL(`c/${pledge.campaignSlug}/support/${pledge.network}`, withTrailingSlash(publicUrl));
  if (pledge.variantIndex !== null) renew.searchParams.set('variant', String(pledge.variantIndex));
  const parameter = networks.outline(pledge.network)?.serverChoice?.parameter;
  if (parameter !== undefined && pledge.server !== null) renew.searchParams.set(parameter, pledge.server);
  return renew.toString();
}
