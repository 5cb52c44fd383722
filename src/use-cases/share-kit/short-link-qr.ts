import { Resvg } from '@resvg/resvg-js';
import { renderSVG } from 'uqr';
import type { Db } from '../../storage/database.ts';
import { ensureShortLink } from '../../storage/short-link.repository.ts';
import { findMemberCampaign } from '../organisations/organisation-access.ts';
import { done, type Outcome } from '../use-case-outcome.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

/** The formats a QR code is offered in: SVG scales to any poster; PNG is for tools that take no SVG. */
export type QrFormat = 'svg' | 'png';

/** A QR code of the campaign's short link, ready to download. */
export interface ShortLinkQr {
  readonly contentType: 'image/svg+xml' | 'image/png';
  readonly bytes: Buffer;
  readonly filename: string;
}

// Medium error correction survives a crease or a smudge on a poster; the quiet zone of four modules is the standard's.
const qrOptions = { ecc: 'M', border: 4, pixelSize: 16 } as const;
const PNG_WIDTH = 1024;

/** A campaign's short link as a QR code, in SVG or as a 1024-pixel PNG (any member of its organisation). */
export async function shortLinkQr(
  db: Db,
  organiserId: string,
  campaignId: string,
  publicUrl: string,
  format: QrFormat,
): Promise<Outcome<ShortLinkQr>> {
  const found = await findMemberCampaign(db, organiserId, campaignId, 'read-campaigns');
  if (found.kind !== 'done') return found;
  const campaign = found.value;
  const code = await ensureShortLink(db, campaign.id);
  const shortUrl = new URL(`s/${code}`, withTrailingSlash(publicUrl)).toString();
  const svg = renderSVG(shortUrl, qrOptions);
  const filename = `chorus-${campaign.slug}-qr.${format}`;
  switch (format) {
    case 'svg':
      return done({ contentType: 'image/svg+xml', bytes: Buffer.from(svg), filename });
    case 'png':
      return done({
        contentType: 'image/png',
        bytes: new Resvg(svg, { fitTo: { mode: 'width', value: PNG_WIDTH }, shapeRendering: 1, font: { loadSystemFonts: false } })
          .render()
          .asPng(),
        filename,
      });
  }
}
