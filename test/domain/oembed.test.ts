import { describe, expect, it } from 'vitest';
import { oembedTarget, thumbnailFits, widgetIframe, widgetSizeWithin } from '../../src/domain/oembed.ts';

describe('oEmbed rules', () => {
  it("reads a campaign page, its widget or a short link of this Chorus's own origin, and nothing else", () => {
    const own = 'https://chorus.example.org';
    expect(oembedTarget(`${own}/c/our-health-heroes`, own)).toEqual({ kind: 'campaign', slug: 'our-health-heroes' });
    expect(oembedTarget(`${own}/c/our-health-heroes/embed?x=1#top`, own)).toEqual({ kind: 'campaign', slug: 'our-health-heroes' });
    expect(oembedTarget(`${own}/s/Ab3dEf`, own)).toEqual({ kind: 'short-link', code: 'Ab3dEf' });
    expect(oembedTarget('https://chorus.example.org/base/c/x', 'https://chorus.example.org/base/')).toEqual({
      kind: 'campaign',
      slug: 'x',
    });
    for (const url of [
      'https://elsewhere.example/c/our-health-heroes',
      'http://chorus.example.org/c/our-health-heroes',
      `${own}/organiser/campaigns/1`,
      `${own}/c/a/review`,
      `${own}/s/short`,
      'not a url',
    ])
      expect(oembedTarget(url, own), url).toBeNull();
  });

  it('keeps the widget within the bounds, down to its smallest, and the thumbnail only when it fits', () => {
    expect(widgetSizeWithin(undefined, undefined)).toEqual({ width: 400, height: 260 });
    expect(widgetSizeWithin(300, 1000)).toEqual({ width: 300, height: 260 });
    expect(widgetSizeWithin(100, undefined)).toBeNull();
    expect(thumbnailFits(undefined, undefined)).toBe(true);
    expect(thumbnailFits(1200, 630)).toBe(true);
    expect(thumbnailFits(600, undefined)).toBe(false);
  });

  it('escapes the title in the iframe it hands out', () => {
    expect(widgetIframe('https://c.example/c/a/embed', 'Say "thanks" <now> & then', { width: 400, height: 260 })).toBe(
      '<iframe src="https://c.example/c/a/embed" title="Chorus campaign: Say &quot;thanks&quot; &lt;now&gt; &amp; then" width="400" height="260" style="border:0;max-width:100%" loading="lazy"></iframe>',
    );
  });
});
