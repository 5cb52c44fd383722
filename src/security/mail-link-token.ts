import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a link in a supporter's mail does: confirm the address, or unsubscribe it. */
export type MailLinkPurpose = 'confirm' | 'unsubscribe';

/** Makes and checks the tokens in supporters' mail links: a MAC of the address row's id, so that no secret is stored. */
export interface MailLinkSigner {
  tokenFor(purpose: MailLinkPurpose, addressId: string): string;
  verify(purpose: MailLinkPurpose, addressId: string, token: string): boolean;
}

/**
 * A signer keyed by a key derived (HKDF) from SESSION_SECRET, kept apart from the session's own use by its label:
 * changing SESSION_SECRET ends sessions and these links alike. A token is 32 bytes of HMAC-SHA-256, base64url.
 */
export function createMailLinkSigner(sessionSecret: string): MailLinkSigner {
  const key = Buffer.from(hkdfSync('sha256', sessionSecret, 'chorus', 'chorus supporter mail links v1', 32));
  const mac = (purpose: MailLinkPurpose, addressId: string) => createHmac('sha256', key).update(`${purpose}:${addressId}`).digest();
  return {
    tokenFor(purpose, addressId) {
      return mac(purpose, addressId).toString('base64url');
    },
    verify(purpose, addressId, token) {
      const given = Buffer.from(token, 'base64url');
      const expected = mac(purpose, addressId);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
