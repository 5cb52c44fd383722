import { describe, expect, it } from 'vitest';
import {
  NETWORK_NAME_MAX_LENGTH,
  exactNetworkText,
  storableNetworkReason,
  storableNetworkText,
  storablePostId,
} from '../../src/domain/network-text.ts';
import { isStorableText } from '../../src/domain/storable-text.ts';

const clean = (text: string) => storableNetworkText(text, NETWORK_NAME_MAX_LENGTH);

describe('text from the networks, made storable', () => {
  it('drops a right-to-left override, so a name cannot read backwards on the dashboard', () => {
    expect(clean('Ann\u202Egnp.exe')).toBe('Anngnp.exe');
    expect(clean('\u202AEmbedded\u202C \u202BRTL\u202C \u202DLTR\u202C')).toBe('Embedded RTL LTR');
    expect(clean('\u2066isolated\u2069 \u2067and\u2069 \u2068first\u2069')).toBe('isolated and first');
  });

  it('keeps emoji whole: a ZWJ family, skin tones, variation selectors and tag-sequence flags', () => {
    for (const name of [
      'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}',
      'Clap \u{1F44F}\u{1F3FD}',
      'Heart \u2764\uFE0F and keycap 1\uFE0F\u20E3',
      'England \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
      'Rainbow flag \u{1F3F3}\uFE0F\u200D\u{1F308}',
    ]) {
      expect(clean(name), JSON.stringify(name)).toBe(name);
    }
  });

  it('leaves every script untouched: Arabic with its marks, Devanagari, Persian with ZWNJ, Hebrew, CJK', () => {
    for (const name of [
      'محمد عبد الله',
      'مرحبا\u200F بالعالم',
      'देवनागरी नमस्ते क्षत्रिय',
      'می\u200Cخواهم',
      'שלום עולם',
      '山田 太郎',
      'Zoë Ångström-Łukasiewicz',
    ]) {
      expect(clean(name), JSON.stringify(name)).toBe(name);
    }
  });

  it('replaces an unpaired surrogate with U+FFFD, and keeps paired ones', () => {
    expect(clean('Bad \uD83D name')).toBe('Bad \uFFFD name');
    expect(clean('tail \uDC00')).toBe('tail \uFFFD');
    expect(clean('pair \u{1F600}')).toBe('pair \u{1F600}');
  });

  it('drops controls and invisible padding, turns line breaks and tabs into spaces, and trims', () => {
    expect(clean('  Ann\u0000 \u0007Lee\u009F  ')).toBe('Ann Lee');
    expect(clean('Ann\nLee\tSmith\r\u0085Jones')).toBe('Ann Lee Smith  Jones');
    expect(clean('\u200B\u2060\uFEFFAnn\u200B\uFFFE')).toBe('Ann');
    expect(clean('\u202E\u200B')).toBe('');
  });

  it('caps a 10,000-character name at the kept length without cutting an emoji in half', () => {
    const capped = clean('A'.repeat(10_000));
    expect(capped).toBe('A'.repeat(NETWORK_NAME_MAX_LENGTH));

    const emoji = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'; // 8 code units
    const cut = clean('x'.repeat(NETWORK_NAME_MAX_LENGTH - 5) + emoji.repeat(100));
    expect(cut).toBe('x'.repeat(NETWORK_NAME_MAX_LENGTH - 5));
    expect(isStorableText(cut)).toBe(true);

    const zalgo = clean('a' + '\u0301'.repeat(10_000));
    expect(zalgo.length).toBe(NETWORK_NAME_MAX_LENGTH);
    expect(zalgo.startsWith('a\u0301')).toBe(true);
  });

  it('always answers a text the storable-text rule takes', () => {
    const nasty = ['\u0000', '\uD800', '\uFFFF', '\uFEFF', '\u202E', '\u0085', '\u{10FFFF}', 'a\uDBFF'].join('x');
    expect(isStorableText(clean(nasty))).toBe(true);
    expect(isStorableText(storableNetworkReason(`refused: ${nasty}`))).toBe(true);
  });

  it('returns a clean short name as it is', () => {
    const name = 'Sam Example';
    expect(clean(name)).toBe(name);
  });
});

describe('ids, handles and servers, kept exactly or not at all', () => {
  it('keeps an id the rule takes exactly as the network sent it', () => {
    expect(exactNetworkText('1234567890')).toBe('1234567890');
    expect(exactNetworkText('did:plc:abcdefghijklmnopqrstuvwx')).toBe('did:plc:abcdefghijklmnopqrstuvwx');
    expect(exactNetworkText('alice@mastodon.example')).toBe('alice@mastodon.example');
  });

  it('refuses one that would have to be altered to be stored or shown safely', () => {
    for (const id of ['', 'a\u0000b', 'user\u202Eevil', '\uD800', 'x'.repeat(8193)]) {
      expect(exactNetworkText(id), JSON.stringify(id.slice(0, 20))).toBeNull();
    }
  });

  it('records a post that went out even when its id cannot be kept exactly', () => {
    expect(storablePostId('1850000000000000000')).toBe('1850000000000000000');
    expect(storablePostId('12\u000034')).toBe('1234');
    expect(storablePostId('\u0000')).not.toBe('');
  });
});
