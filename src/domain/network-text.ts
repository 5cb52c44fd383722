// Text a social network sends about an account or a post (display names, error words) is shown on the organiser's
// dashboard, in the CSV export, in mails and webhook payloads. Chorus cannot refuse it (a supporter cannot change
// their name at our request), so it is cleaned instead (docs/security/input.md, "Text from the networks"):
// - tab, line feed, carriage return and NEL become a space: a name on two lines is still two words;
// - every other control character (Cc: C0, DEL, C1) is dropped;
// - the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are dropped: a right-to-left
//   override makes "gnp.exe" read as "exe.png"; the marks (LRM, RLM, ALM) stay, right-to-left names need them;
// - zero-width space, word joiner and the invisible operators (U+200B, U+2060–U+2064), the byte order mark and
//   noncharacters are dropped: they only hide or pad a name; ZWJ and ZWNJ stay (emoji sequences, Persian, Indic);
// - an unpaired surrogate becomes U+FFFD, as Postgres would have stored it anyway.
// Emoji, variation selectors, skin tones, tag sequences (flags of England or Scotland) and every script are kept.
const spacing = /[\t\n\r\u0085]/gu;
const dropped = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200B\u2060-\u2064\uFEFF\p{Noncharacter_Code_Point}]/gu;
const loneSurrogate = /\p{Cs}/gu;
const anyToClean = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069\u200B\u2060-\u2064\uFEFF\p{Noncharacter_Code_Point}]/u;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The longest display name Chorus keeps, in UTF-16 code units (every network's own limit is far below: X 50, Mastodon 30, Bluesky 64). */
export const NETWORK_NAME_MAX_LENGTH = 200;

/** The longest network error text kept as a delivery's failure reason (the dashboard, the CSV and the mails show it). */
export const NETWORK_REASON_MAX_LENGTH = 1000;

/** The longest id, handle or server name Chorus keeps as a network sent it (a Bluesky DID may reach 2 KB, an AT URI 8 KB). */
export const NETWORK_ID_MAX_LENGTH = 8192;

/**
 * Network text made storable and safe to show, never refused: the controls, bidirectional overrides and invisible
 * padding above dropped, unpaired surrogates replaced, trimmed, and capped at `maxLength` UTF-16 code units without
 * cutting a character (an emoji with its joiners is kept whole or left out).
 */
export function storableNetworkText(text: string, maxLength: number): string {
  // Nearly every name is clean and short: no copy, no segmenting.
  if (text.length <= maxLength && !anyToClean.test(text) && text.trim() === text) return text;
  const cleaned = text.replace(spacing, ' ').replace(dropped, '').replace(loneSurrogate, '\uFFFD').trim();
  return capLength(cleaned, maxLength).trim();
}

/**
 * An id, handle or server name that must stay exactly as the network sent it (Chorus posts, looks up or links with
 * it): kept whole when the storable-text rule allows it and it fits, else null, since an altered one would name
 * someone else or nothing.
 */
export function exactNetworkText(text: string): string | null {
  return text.length > 0 && text.length <= NETWORK_ID_MAX_LENGTH && !anyToClean.test(text) ? text : null;
}

function capLength(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let end = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (end + segment.length > maxLength) break;
    end += segment.length;
  }
  if (end > 0) return text.slice(0, end);
  // One grapheme longer than the cap (a letter under thousands of combining marks): cut between code points.
  let kept = '';
  for (const codePoint of text) {
    if (kept.length + codePoint.length > maxLength) break;
    kept += codePoint;
  }
  return kept;
}

/**
 * A post's id as the network answered it, stored once the post is made: exactly as sent when the rule allows it
 * (reposts, look-ups and links use it); otherwise cleaned, since a post that went out must be recorded as sent (an
 * id Postgres refuses would leave the delivery to be posted again), even if its link then leads nowhere.
 */
export function storablePostId(postId: string): string {
  return (
    exactNetworkText(postId) ?? (storableNetworkText(postId, NETWORK_ID_MAX_LENGTH) || '(an id the network sent that could not be kept)')
  );
}

/** Why a network refused or failed, as a delivery's or a pledge's reason: its words cleaned and capped at `maxLength`. */
export function storableNetworkReason(reason: string, maxLength: number = NETWORK_REASON_MAX_LENGTH): string {
  return storableNetworkText(reason, maxLength) || 'the network gave no reason';
}
