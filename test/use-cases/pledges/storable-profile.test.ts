import { describe, expect, it } from 'vitest';
import { storableProfile } from '../../../src/use-cases/pledges/storable-profile.ts';

const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';

describe('the account as Chorus keeps it', () => {
  it('cleans the display name and keeps the id, handle and server exactly', () => {
    const kept = storableProfile('mastodon', {
      networkUserId: '109@social.example',
      handle: 'ann@social.example',
      displayName: `Ann\u202E ${family}\n`,
      followers: 3,
      server: 'https://social.example',
    });
    expect(kept).toEqual({
      kind: 'done',
      value: {
        networkUserId: '109@social.example',
        handle: 'ann@social.example',
        displayName: `Ann ${family}`,
        followers: 3,
        server: 'https://social.example',
      },
    });
  });

  it("cleans LinkedIn's handle, which is the member's name", () => {
    const kept = storableProfile('linkedin', {
      networkUserId: 'sbx01',
      handle: '\u202EAnn Lee',
      displayName: '\u202EAnn Lee',
      followers: 0,
    });
    expect(kept).toEqual({ kind: 'done', value: { networkUserId: 'sbx01', handle: 'Ann Lee', displayName: 'Ann Lee', followers: 0 } });
  });

  it('refuses an account whose id, handle or server could only be stored altered, rather than store someone else', () => {
    const account = { networkUserId: '1', handle: 'ann', displayName: 'Ann', followers: 0 };
    for (const profile of [
      { ...account, handle: 'ann\u202Egpj' },
      { ...account, networkUserId: '1\u0000' },
      { ...account, server: 'https://pds.example\uD800' },
    ]) {
      expect(storableProfile('x', profile).kind, JSON.stringify(profile)).toBe('invalid');
    }
  });
});
