/** A supporter's face on the public page, drawn from their name: nothing is fetched from their network. */
export interface InitialsAvatar {
  /** One or two letters. */
  readonly initials: string;
  /** Which of the stylesheet's `avatar-0` … `avatar-7` colours it wears (each with white text at AA contrast). */
  readonly tone: number;
}

const TONES = 8;

/**
 * Initials from a display name (first letters of its first and last words), else from the handle; a tone
 * chosen by the handle, so one supporter keeps one colour. Network avatar images are not shown: loading them
 * would tell each network which people read the page (see docs/pages.md).
 */
export function initialsAvatar(displayName: string, handle: string): InitialsAvatar {
  const words = displayName
    .normalize('NFC')
    .split(/[\s\-_.@]+/u)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter((w) => w !== '');
  const picked = words.length === 0 ? [handle.replace(/^[^\p{L}\p{N}]+/u, '')] : words.length === 1 ? words : [words[0], words.at(-1)];
  const initials = picked.map((w) => firstLetter(w ?? '')).join('');
  let hash = 0;
  for (const ch of handle) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return { initials: initials.toLocaleUpperCase('en-GB') || '?', tone: hash % TONES };
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** A word's first character as a reader sees it (an accented letter or an emoji stays whole). */
function firstLetter(word: string): string {
  for (const { segment } of graphemes.segment(word)) return segment;
  return '';
}
