/** The widget's size when the consumer sets no bounds, and the smallest it is offered at. */
export const widgetSize = { width: 400, height: 260, minWidth: 240, minHeight: 200 } as const;

/** The share image's size (1200 × 630), offered as the oEmbed thumbnail when it fits the consumer's bounds. */
export const thumbnailSize = { width: 1200, height: 630 } as const;

/** What an oEmbed request asks for: a campaign's address, and the consumer's bounds. */
export type OEmbedTarget = { readonly kind: 'campaign'; readonly slug: string } | { readonly kind: 'short-link'; readonly code: string };

/**
 * The campaign an oEmbed `url` names: `/c/:slug` (or its widget, `/c/:slug/embed`) or `/s/:code` on this Chorus's own
 * origin; null for anything else (another site, another page).
 */
export function oembedTarget(url: string, publicUrl: string): OEmbedTarget | null {
  let parsed: URL;
  let own: URL;
  try {
    parsed = new URL(url);
    own = new URL(publicUrl);
  } catch {
    return null;
  }
  if (parsed.origin !== own.origin) return null;
  const base = own.pathname.replace(/\/$/, '');
  if (!parsed.pathname.startsWith(`${base}/`)) return null;
  const path = parsed.pathname.slice(base.length);
  const campaign = /^\/c\/([^/]+)(?:\/embed)?\/?$/.exec(path);
  if (campaign?.[1] !== undefined) return { kind: 'campaign', slug: decodeURIComponent(campaign[1]) };
  const short = /^\/s\/([A-Za-z0-9]{6})\/?$/.exec(path);
  if (short?.[1] !== undefined) return { kind: 'short-link', code: short[1] };
  return null;
}

/** The widget's size within the consumer's bounds (oEmbed's maxwidth and maxheight); null when it cannot fit them. */
export function widgetSizeWithin(maxWidth: number | undefined, maxHeight: number | undefined): { width: number; height: number } | null {
  const width = Math.min(widgetSize.width, maxWidth ?? widgetSize.width);
  const height = Math.min(widgetSize.height, maxHeight ?? widgetSize.height);
  return width < widgetSize.minWidth || height < widgetSize.minHeight ? null : { width, height };
}

/** Whether the thumbnail fits the consumer's bounds (oEmbed: a thumbnail that does not fit must be left out). */
export function thumbnailFits(maxWidth: number | undefined, maxHeight: number | undefined): boolean {
  return (maxWidth ?? Infinity) >= thumbnailSize.width && (maxHeight ?? Infinity) >= thumbnailSize.height;
}

/** The iframe HTML a site pastes (or an oEmbed consumer inserts): the widget, framed, with a title for screen readers. */
export function widgetIframe(embedUrl: string, title: string, size: { width: number; height: number }): string {
  return `<iframe src="${escapeAttribute(embedUrl)}" title="${escapeAttribute(`Chorus campaign: ${title}`)}" width="${size.width}" height="${size.height}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
