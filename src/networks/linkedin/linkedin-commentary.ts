import type { TextRules } from '../../domain/message-rules.ts';

// Characters with a meaning in LinkedIn's "little text" format: left bare, they can cut a post short.
const reserved = /[\\|{}@[\]()<>#*_~]/g;
const hashtag = /(^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]+)/gu;

/**
 * Writes a post's text as a Posts API `commentary`: reserved characters escaped, and each
 * hashtag as LinkedIn's hashtag template so that it shows as a hashtag.
 */
export function toLinkedInCommentary(text: string): string {
  let result = '';
  let position = 0;
  for (const match of text.matchAll(hashtag)) {
    const [whole, before = '', tag = ''] = match;
    result += escape(text.slice(position, match.index) + before) + `{hashtag|\\#|${escape(tag)}}`;
    position = match.index + whole.length;
  }
  return result + escape(text.slice(position));
}

/** The text a reader sees for a commentary (the sandbox shows posts this way). */
export function fromLinkedInCommentary(commentary: string): string {
  return commentary.replace(/\{hashtag\|\\#\|([^}]*)\}/g, '#$1').replace(/\\(.)/g, '$1');
}

function escape(text: string): string {
  return text.replace(reserved, (character) => `\\${character}`);
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Characters as a reader counts them (an emoji is one). */
export function countCharacters(text: string): number {
  return Array.from(graphemes.segment(text)).length;
}

/** LinkedIn allows 3,000 characters of commentary, counted as the reader sees them. */
export const linkedInTextRules: TextRules = { maxLength: 3000, measure: countCharacters };
