import twitterText from 'twitter-text';
import type { TextRules } from '../../domain/message-rules.ts';

/** Mastodon's default limit; each instance may set its own (`configuration.statuses.max_characters`). */
export const defaultMastodonMaxCharacters = 500;

/** What Mastodon counts a link as, whatever its length (`characters_reserved_per_url`). */
const urlWeight = 23;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

// A remote mention counts only its local part: "@nia@example.social" weighs as "@nia".
const remoteMention = /(?<=^|[^\w/])@(\w+)@[\w.-]+\w/gu;

/**
 * Measures a status as Mastodon's StatusLengthValidator does: grapheme clusters, with every
 * http(s) link weighing 23 and remote mentions counted without their domain.
 */
export function measureMastodonStatus(text: string): number {
  let countable = '';
  let position = 0;
  for (const { url, indices } of twitterText.extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })) {
    if (!/^https?:\/\//i.test(url)) continue;
    countable += text.slice(position, indices[0]) + 'x'.repeat(urlWeight);
    position = indices[1];
  }
  countable += text.slice(position);
  countable = countable.replace(remoteMention, '@$1');
  return [...graphemes.segment(countable)].length;
}

/** The length rule of an instance whose limit is `maxCharacters`. */
export function mastodonTextRules(maxCharacters: number = defaultMastodonMaxCharacters): TextRules {
  return { maxLength: maxCharacters, measure: measureMastodonStatus };
}
