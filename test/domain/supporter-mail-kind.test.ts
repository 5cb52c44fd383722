import { describe, expect, it } from 'vitest';
import { addressStateNeededFor, isSupporterMailKind, supporterMailKinds } from '../../src/domain/supporter-mail-kind.ts';
import { createMailLinkSigner } from '../../src/security/mail-link-token.ts';

describe("supporters' mail kinds and their links", () => {
  it('sends only the request to confirm to an unconfirmed address, every other kind to a confirmed one', () => {
    expect(supporterMailKinds.filter((kind) => addressStateNeededFor(kind) === 'unconfirmed')).toEqual(['supporter-address-confirm']);
    expect(isSupporterMailKind('supporter-post-out')).toBe(true);
    expect(isSupporterMailKind('goal-reached')).toBe(false);
  });

  it('checks a link token against its purpose, its address and the secret, and refuses anything else', () => {
    const signer = createMailLinkSigner('a session secret of at least thirty-two characters');
    const id = '5b7c9d1e-0000-4000-8000-000000000001';
    const token = signer.tokenFor('unsubscribe', id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signer.verify('unsubscribe', id, token)).toBe(true);
    expect(signer.verify('confirm', id, token)).toBe(false);
    expect(signer.verify('unsubscribe', '5b7c9d1e-0000-4000-8000-000000000002', token)).toBe(false);
    expect(signer.verify('unsubscribe', id, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(signer.verify('unsubscribe', id, '')).toBe(false);
    expect(createMailLinkSigner('another session secret, also thirty-two characters long').verify('unsubscribe', id, token)).toBe(false);
  });
});
