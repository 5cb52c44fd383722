import { describe, expect, it } from 'vitest';
import { checkCampaignTexts, slugFromTitle, textForVariant } from '../../src/domain/campaign-message.ts';
import { blueskyTextRules } from '../../src/networks/bluesky/bluesky-text-rules.ts';
import { xTextRules } from '../../src/networks/x/x-text-rules.ts';

const link = 'https://www.skillsforhealth.org.uk/news/latest-news/item/713-celebrate-our-health-heroes';
const x = { displayName: 'X', textRules: xTextRules };
const bluesky = { displayName: 'Bluesky', textRules: blueskyTextRules };

describe('campaign texts', () => {
  it('accepts a message and variants that every network can post as written', () => {
    const texts = { message: `Thank you, support workers! ${link}`, variants: [`Celebrate our health heroes ${link}`], link };
    expect(checkCampaignTexts(texts, [x, bluesky])).toBeNull();
  });

  it('refuses a text that fits one network but not another, naming the network', () => {
    // X counts the link as 23 characters (220 + 1 + 23 = 244), Bluesky counts all 88 of them (220 + 1 + 88 = 309).
    const message = `${'a'.repeat(220)} ${link}`;
    expect(checkCampaignTexts({ message, variants: [], link }, [x])).toBeNull();
    expect(checkCampaignTexts({ message, variants: [], link }, [x, bluesky])).toEqual({
      field: 'message',
      message: 'message on Bluesky: the text is 309 characters as the network counts them; the limit is 300',
    });
  });

  it('names the main message before any variant when both break a rule', () => {
    expect(checkCampaignTexts({ message: '', variants: ['no link'], link }, [x])).toEqual({
      field: 'message',
      message: 'message on X: the text is empty',
    });
  });

  it('checks nothing against no networks', () => {
    expect(checkCampaignTexts({ message: '', variants: [], link }, [])).toBeNull();
  });
});

describe('text for a variant', () => {
  const texts = { message: 'main', variants: ['first', 'second'] };

  it('is the main message when no variant is chosen, and the chosen variant otherwise', () => {
    expect(textForVariant(texts, null)).toBe('main');
    expect(textForVariant(texts, 0)).toBe('first');
    expect(textForVariant(texts, 1)).toBe('second');
  });

  it('is nothing for a variant the campaign does not have', () => {
    expect(textForVariant(texts, 2)).toBeUndefined();
    expect(textForVariant(texts, -1)).toBeUndefined();
  });
});

describe('slug from a title', () => {
  it('lower-cases the words and joins them with hyphens', () => {
    expect(slugFromTitle('Our Health Heroes!')).toBe('our-health-heroes');
    expect(slugFromTitle('  Save   the -- Libraries 2026  ')).toBe('save-the-libraries-2026');
  });

  it('drops accents instead of whole letters', () => {
    expect(slugFromTitle('Café Crème Día')).toBe('cafe-creme-dia');
  });

  it('keeps at most 60 characters and never ends in a hyphen', () => {
    const slug = slugFromTitle(`${'a'.repeat(59)} bcd`);
    expect(slug).toBe('a'.repeat(59));
    expect(slugFromTitle('word '.repeat(30))).toHaveLength(59);
    expect(slugFromTitle('word '.repeat(30)).endsWith('-')).toBe(false);
  });

  it('falls back to "campaign" when no letter or digit is left', () => {
    expect(slugFromTitle('!!!')).toBe('campaign');
    expect(slugFromTitle('健康英雄')).toBe('campaign');
  });
});
