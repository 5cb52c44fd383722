import { describe, expect, it } from 'vitest';
import { checkCampaignTexts } from '../../src/domain/campaign-message.ts';
import { checkPersonalText, checkPostText } from '../../src/domain/message-rules.ts';
import { xTextRules } from '../../src/networks/x/x-text-rules.ts';

const link = 'https://www.skillsforhealth.org.uk/news/latest-news/item/713-celebrate-our-health-heroes';

describe('post text rules on X', () => {
  it('counts any link as 23 characters, as X does', () => {
    const text = `${'a'.repeat(256)} ${link}`;
    expect(text.length).toBeGreaterThan(280);
    expect(checkPostText(text, link, xTextRules)).toBeNull();
  });

  it('refuses text over 280 weighted characters, and CJK counts double', () => {
    expect(checkPostText(`${'a'.repeat(257)} ${link}`, link, xTextRules)).toEqual({ kind: 'too-long', length: 281, maxLength: 280 });
    expect(checkPostText(`${'感'.repeat(129)} ${link}`, link, xTextRules)).toMatchObject({ kind: 'too-long', length: 282 });
  });

  it('keeps the campaign link in every text', () => {
    expect(checkPostText('Thank you, support workers! #OurHealthHeroes', link, xTextRules)).toEqual({ kind: 'missing-link', link });
    expect(checkPostText('   ', link, xTextRules)).toEqual({ kind: 'empty' });
  });

  it('names the variant at fault in a campaign', () => {
    const x = { displayName: 'X', textRules: xTextRules };
    expect(checkCampaignTexts({ message: `Hi ${link}`, variants: [`ok ${link}`, 'no link'], link }, [x])).toEqual({
      field: 'variants/1',
      message: `variants/1 on X: the text must include the campaign link ${link}`,
    });
  });
});

describe("a supporter's own wording", () => {
  it('is refused, before any other rule, when it holds a character the text rule refuses', () => {
    const campaign = { link, hashtags: ['ourhealthheroes'] };
    expect(checkPersonalText(`Thank you ${link} #OurHealthHeroes`, campaign, xTextRules)).toBeNull();
    expect(checkPersonalText(`Thank you\u0000 ${link} #OurHealthHeroes`, campaign, xTextRules)).toMatch(
      /^your text holds a character that cannot be stored or posted \(U\+0000, character 10\)/,
    );
  });
});
