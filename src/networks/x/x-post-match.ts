import twitterText from 'twitter-text';

const linkPlaceholder = '\u0000';
const tcoLink = /https:\/\/t\.co\/[A-Za-z0-9]+/g;
const htmlEntities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * Whether a post read back from X is the text Chorus sent. X shows every link as a t.co link
 * and escapes &, < and >, so links are compared as placeholders and entities decoded.
 */
export function isSamePost(sentText: string, textOnX: string): boolean {
  return (
    normalise(withoutSentLinks(sentText)) ===
    normalise(textOnX.replace(/&(amp|lt|gt);/g, (entity) => htmlEntities[entity] ?? entity).replace(tcoLink, linkPlaceholder))
  );
}

function withoutSentLinks(text: string): string {
  let result = text;
  // From the end, so that earlier indices (UTF-16 offsets) stay valid.
  for (const { indices } of twitterText.extractUrlsWithIndices(text).reverse()) {
    result = `${result.slice(0, indices[0])}${linkPlaceholder}${result.slice(indices[1])}`;
  }
  return result;
}

function normalise(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}
