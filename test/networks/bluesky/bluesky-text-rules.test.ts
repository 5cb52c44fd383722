import { RichText } from '@atproto/api';
import { describe, expect, it } from 'vitest';
import { blueskyTextRules } from '../../../src/networks/bluesky/bluesky-text-rules.ts';

// Chorus counts graphemes itself so that checking a text does not load the AT Protocol libraries;
// the count must stay the one Bluesky's own library (and so its servers) make.
describe('Bluesky text rules', () => {
  it.each([
    ['plain text with a link', 'Thank you, support workers! https://example.org/ourhealthheroes #OurHealthHeroes'],
    ['combining accents', 'cafe\u0301 cre\u0300me bru\u0302le\u0301e'],
    ['joined, toned and flag emoji', '👨‍👩‍👧‍👦 👍🏽 🇬🇧🇺🇦 ❤️‍🔥 🏳️‍🌈'],
    ['scripts whose letters combine', 'नमस्ते दुनिया, 한국어 각, ภาษาไทย'],
    ['line breaks', 'one\r\ntwo\nthree'],
  ])('counts %s as @atproto/api does', (_, text) => {
    expect(blueskyTextRules.measure(text)).toBe(new RichText({ text }).graphemeLength);
  });
});
