import type { TextRules } from '../../domain/message-rules.ts';

/** Bluesky's limit on a post's text (app.bsky.feed.post `maxGraphemes`); links count in full. */
export const blueskyMaxGraphemes = 300;

// The AT Protocol libraries count graphemes with Intl.Segmenter where it exists (@atproto/lex-data's
// graphemeLen, behind RichText's graphemeLength); counting the same way here spares every process
// that only checks texts from loading them.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A post's length as Bluesky counts it: grapheme clusters. */
export const blueskyTextRules: TextRules = {
  maxLength: blueskyMaxGraphemes,
  measure: (text) => [...graphemes.segment(text)].length,
};
