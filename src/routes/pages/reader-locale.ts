import type { FastifyRequest } from 'fastify';

/** The locale used when a browser names none that Chorus's Intl knows. */
const FALLBACK_LOCALE = 'en-GB';

/**
 * The reader's locale for numbers and times, from the browser's Accept-Language (the first listed by preference
 * that Intl supports), so the page and its live updates write 1,450 or 1.450 as the reader does.
 */
export function readerLocale(request: FastifyRequest): string {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string' || header.length > 500) return FALLBACK_LOCALE;
  const ranked = header
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0 && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(entry.tag))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf(tag);
      if (supported !== undefined) return supported;
    } catch {
      // A tag Intl cannot parse: try the next.
    }
  }
  return FALLBACK_LOCALE;
}
