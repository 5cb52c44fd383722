// The one rule for text Chorus stores or posts (docs/security/input.md). Refused:
// - control characters (Unicode's Cc: C0, DEL and C1) other than tab, line feed and carriage return: Postgres
//   refuses NUL in text, and the others are invisible, mean nothing in a post and are not safe to hand on (XML 1.0
//   refuses the C0 ones);
// - unpaired surrogates: they have no UTF-8 form, so Postgres would silently store U+FFFD instead;
// - noncharacters (U+FFFE, U+FFFF and the 64 others Unicode keeps for programs' internal use): XML refuses
//   U+FFFE and U+FFFF, twitter-text calls a post holding them invalid, and no person types them;
// - U+FEFF, the byte order mark (as a character, a deprecated zero-width no-break space): twitter-text calls a
//   post holding it invalid too, and it comes only with pasted text.
// With the `u` flag, \p{Cs} matches only a surrogate that is not half of a pair.
const refused = /(?![\t\n\r])[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\uFEFF]/u;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The name of the string format that carries the rule in the API's schemas (and so in its OpenAPI document). */
export const STORABLE_TEXT_FORMAT = 'storable-text';

/** A character the rule refuses: its code point as people look it up ("U+0000") and where it is (1 for the first character, counted as people see them). */
export interface UnstorableCharacter {
  readonly codePoint: string;
  readonly position: number;
}

/** Whether Chorus may store and post this text. */
export function isStorableText(text: string): boolean {
  return !refused.test(text);
}

/** The first character of the text the rule refuses, or null when there is none. */
export function findUnstorableCharacter(text: string): UnstorableCharacter | null {
  const match = refused.exec(text);
  if (match === null) return null;
  const codePoint = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  // Counted in graphemes: an emoji, with its skin tone or family joiners, is one character to the person who typed it.
  const before = [...graphemes.segment(text.slice(0, match.index))].length;
  return { codePoint: `U+${codePoint}`, position: before + 1 };
}

/** Why a text was refused, after what it is ("the title"): a sentence's worth, without its capital and full stop. */
export function describeUnstorableText(subject: string, found: UnstorableCharacter | null): string {
  const which = found === null ? '' : ` (${found.codePoint}, character ${found.position})`;
  return `${subject} holds a character that cannot be stored or posted${which}: remove it (control characters other than tab and line breaks, unpaired surrogates, noncharacters and byte order marks are refused; they often come with pasted text)`;
}

/** The problem with a text as a sentence's worth after its subject, or null when the rule allows it. */
export function checkStorableText(subject: string, text: string): string | null {
  const found = findUnstorableCharacter(text);
  return found === null ? null : describeUnstorableText(subject, found);
}
