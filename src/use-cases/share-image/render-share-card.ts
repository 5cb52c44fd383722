import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import type { ShareCard } from '../../domain/share-card.ts';

/** The size link previews ask for (Open Graph's and X's large image card): 1.91 to 1. */
export const shareImageSize = { width: 1200, height: 630 } as const;

/** A campaign image the card can show: satori and resvg decode PNG and JPEG (resvg has no WebP decoder). */
export interface CardPhoto {
  readonly contentType: 'image/png' | 'image/jpeg';
  readonly bytes: Buffer;
}

type Font = { name: string; data: Buffer; weight: 400 | 700; style: 'normal' };

// Inter from @fontsource (npm), Latin and Latin Extended: read once, never fetched at runtime.
let fonts: Promise<Font[]> | undefined;
function loadFonts(): Promise<Font[]> {
  fonts ??= Promise.all(
    (['latin', 'latin-ext'] as const).flatMap((subset) =>
      ([400, 700] as const).map(async (weight) => ({
        name: 'Inter',
        data: await readFile(fileURLToPath(import.meta.resolve(`@fontsource/inter/files/inter-${subset}-${weight}-normal.woff`))),
        weight,
        style: 'normal' as const,
      })),
    ),
  );
  return fonts;
}

// Emoji and pictographs have no glyph in the bundled fonts (satori would draw a "no glyph" box): the card leaves them out.
const withoutPictographs = (text: string) => text.replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, '').trim();

type Node = {
  type: string;
  props: { style?: Record<string, unknown>; children?: Node | string | (Node | string)[]; [k: string]: unknown };
};
const el = (
  type: string,
  style: Record<string, unknown>,
  children?: Node['props']['children'],
  extra: Record<string, unknown> = {},
): Node => ({
  type,
  props: { style, ...(children === undefined ? {} : { children }), ...extra },
});

/** Renders the card as a 1200 × 630 PNG: the campaign's image on the left (when it has one the renderer can decode), its figures on the right. */
export async function renderShareCard(card: ShareCard, photo: CardPhoto | null, link: string): Promise<Buffer> {
  const ink = '#1b1f24';
  const accent = '#0b5cad';
  const text = el('div', { display: 'flex', flexDirection: 'column', flexGrow: 1, padding: '44px 56px', justifyContent: 'space-between' }, [
    el('div', { display: 'flex', flexDirection: 'column' }, [
      el('div', { fontSize: 24, color: '#4a5562', marginBottom: 12 }, withoutPictographs(`A Chorus campaign by ${card.organiser}`)),
      el(
        'div',
        { fontSize: photo === null ? 60 : 50, fontWeight: 700, lineHeight: 1.1, color: ink, lineClamp: 3, display: 'block' },
        withoutPictographs(card.title),
      ),
    ]),
    el('div', { display: 'flex', flexDirection: 'column' }, [
      el('div', { display: 'flex', alignItems: 'baseline' }, [
        el('div', { fontSize: 88, fontWeight: 700, color: ink, lineHeight: 1 }, card.supporters),
        el('div', { fontSize: 34, color: '#333c46', marginLeft: 16 }, `of ${card.goal} supporters`),
      ]),
      el('div', { display: 'flex', width: '100%', height: 26, borderRadius: 13, backgroundColor: '#dde3ea', marginTop: 20 }, [
        el('div', { display: 'flex', width: `${Math.max(card.barPercent, 2)}%`, height: 26, borderRadius: 13, backgroundColor: accent }),
      ]),
      el('div', { display: 'flex', fontSize: 28, color: '#333c46', marginTop: 16 }, `${card.percentLabel} · ${card.reach}`),
      el('div', { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', marginTop: 20 }, [
        el(
          'div',
          { display: 'flex', fontSize: 28, fontWeight: 700, color: '#ffffff', backgroundColor: ink, padding: '8px 18px', borderRadius: 8 },
          card.status,
        ),
        el('div', { display: 'flex', fontSize: 24, color: accent, marginTop: 14 }, link),
      ]),
    ]),
  ]);
  const children: Node[] = [];
  if (photo !== null)
    children.push(
      el('img', { width: 400, height: shareImageSize.height, objectFit: 'cover', flexShrink: 0 }, undefined, {
        src: `data:${photo.contentType};base64,${photo.bytes.toString('base64')}`,
        width: 400,
        height: shareImageSize.height,
      }),
    );
  children.push(text);
  const svg = await satori(
    el('div', { display: 'flex', width: '100%', height: '100%', backgroundColor: '#f6f8fa', fontFamily: 'Inter' }, children),
    {
      ...shareImageSize,
      fonts: await loadFonts(),
    },
  );
  return new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } }).render().asPng();
}
