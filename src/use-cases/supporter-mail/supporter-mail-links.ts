import type { Config } from '../../../config/config.ts';
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
