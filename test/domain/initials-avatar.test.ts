import { describe, expect, it } from 'vitest';
import { initialsAvatar } from '../../src/domain/initials-avatar.ts';

describe("a supporter's initials avatar", () => {
  it("takes the first letters of the name's first and last words, else the handle's first letter", () => {
    expect(initialsAvatar('Nia Okafor', 'nurse_nia').initials).toBe('NO');
    expect(initialsAvatar('nurse_nia', 'nurse_nia').initials).toBe('NN');
    expect(initialsAvatar('Åsa', 'asa@mastodon.example').initials).toBe('Å');
    expect(initialsAvatar('  ', '@porter_pat').initials).toBe('P');
    expect(initialsAvatar('🎉 Party People', 'party').initials).toBe('PP');
    expect(initialsAvatar('Émile Zola', 'ez').initials).toBe('ÉZ');
  });

  it('keeps one colour per handle, among the stylesheet tones', () => {
    const tone = initialsAvatar('Nia', 'nurse_nia').tone;
    expect(initialsAvatar('Someone else', 'nurse_nia').tone).toBe(tone);
    expect(tone).toBeGreaterThanOrEqual(0);
    expect(tone).toBeLessThan(8);
  });
});
