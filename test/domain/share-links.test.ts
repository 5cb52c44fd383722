import { describe, expect, it } from 'vitest';
import { shareLinks, textToShare } from '../../src/domain/share-links.ts';

const link = 'https://chorus.example.org/s/Ab3dEf';

describe('share links', () => {
  it('adds the link to a text that does not carry it, and leaves one that does', () => {
    expect(textToShare('  Thank you, porters! ', link)).toBe(`Thank you, porters! ${link}`);
    expect(textToShare(`See ${link} and share`, link)).toBe(`See ${link} and share`);
  });

  it('carries the whole text, encoded, to every network that takes one; Facebook gets the link', () => {
    const text = 'Healthcare support workers: 40% & rising #OurHealthHeroes';
    const byTarget = Object.fromEntries(shareLinks(text, link, 'Our Health Heroes').map((l) => [l.target, new URL(l.href)]));
    const full = `${text} ${link}`;
    expect(byTarget.x?.searchParams.get('text')).toBe(full);
    expect(byTarget.bluesky?.searchParams.get('text')).toBe(full);
    expect(byTarget.linkedin?.searchParams.get('text')).toBe(full);
    expect(byTarget.whatsapp?.searchParams.get('text')).toBe(full);
    expect(byTarget.facebook?.searchParams.get('u')).toBe(link);
    expect(byTarget.email?.searchParams.get('subject')).toBe('Our Health Heroes');
    expect(byTarget.email?.searchParams.get('body')).toBe(full);
    // Spaces as %20: some mail clients and share pages show a '+' as it is.
    for (const l of shareLinks(text, link, 'Our Health Heroes')) expect(l.href).not.toContain('+');
  });
});
