import { RichText } from '@atproto/api';
import type { TextRules } from '../../domain/message-rules.ts';

/** Bluesky's limit on a post's text (app.bsky.feed.post `maxGraphemes`); links count in full. */
export const blueskyMaxGraphemes = 300;

/** A post's length as Bluesky counts it: grapheme clusters, as the library's rich text measures them. */
export const blueskyTextRules: TextRules = {
  maxLength: blueskyMaxGraphemes,
  measure: (text) => new RichText({ text }).graphemeLength,
};
