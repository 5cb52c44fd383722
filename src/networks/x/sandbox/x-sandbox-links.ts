import { randomBytes } from 'node:crypto';
import twitterText from 'twitter-text';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function shortCode(): string {
  return [...randomBytes(10)].map((byte) => base62[byte % 62]).join('');
}

/**
 * Replaces every link with a t.co link, as X does in the text it returns and shows.
 * Reading a post back therefore never gives the submitted text when it had a link,
 * which is what a check of "did my post go out?" must cope with on the real X.
 */
export function wrapLinks(text: string): string {
  const urls = twitterText.extractUrlsWithIndices(text);
  let wrapped = text;
  // From the end, so that earlier indices (UTF-16 offsets) stay valid.
  for (const { indices } of urls.reverse()) {
    wrapped = `${wrapped.slice(0, indices[0])}https://t.co/${shortCode()}${wrapped.slice(indices[1])}`;
  }
  return wrapped;
}
