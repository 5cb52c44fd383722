import { describe, expect, it } from 'vitest';
import { checkStorableText, describeUnstorableText, findUnstorableCharacter, isStorableText } from '../../src/domain/storable-text.ts';

describe('the text rule', () => {
  it('takes what people write: any script, emoji, tabs and line breaks', () => {
    for (const text of [
      '',
      'Support workers keep our health service going.',
      'Diolch i chi! Merci ! ¡Gracias! 谢谢 شكرا धन्यवाद',
      'Thank you \u{1F44F}\u{1F3FD} #OurHealthHeroes',
      'Family: \u{1F468}\u200D\u{1F469}\u200D\u{1F467}',
      'first line\nsecond line\r\nthird\tcolumn',
      '\u00A0non-breaking space, \u00AD soft hyphen, \u2060 word joiner, \u200B zero-width space',
      '\u{10FFFD} the last private-use character',
    ]) {
      expect(isStorableText(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('refuses NUL and every other control character but tab, line feed and carriage return', () => {
    for (const code of [0x00, 0x01, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x9f]) {
      expect(isStorableText(`a${String.fromCharCode(code)}b`), code.toString(16)).toBe(false);
    }
  });

  it('refuses an unpaired surrogate, first or second half, but not a pair', () => {
    expect(isStorableText('a\uD83Db')).toBe(false);
    expect(isStorableText('a\uDE00b')).toBe(false);
    expect(isStorableText('\uDE00\uD83D')).toBe(false);
    expect(isStorableText('\uD83D\uDE00')).toBe(true);
  });

  it('refuses noncharacters: U+FFFE, U+FFFF, U+FDD0 to U+FDEF, and the last two of every plane', () => {
    for (const text of ['\uFFFE', '\uFFFF', '\uFDD0', '\uFDEF', '\u{1FFFE}', '\u{10FFFF}']) {
      expect(isStorableText(`a${text}`), JSON.stringify(text)).toBe(false);
    }
    expect(isStorableText('\uFDCF\uFDF0')).toBe(true);
  });

  it('refuses a byte order mark, which X calls invalid in a post', () => {
    expect(isStorableText('\uFEFFThank you')).toBe(false);
    expect(findUnstorableCharacter('\uFEFFThank you')).toEqual({ codePoint: 'U+FEFF', position: 1 });
  });

  it('says which character and where, counting characters as people do', () => {
    expect(findUnstorableCharacter('fine')).toBeNull();
    expect(findUnstorableCharacter('ab\u0000c')).toEqual({ codePoint: 'U+0000', position: 3 });
    // An emoji before it, skin tone and all, is one character, not two or four UTF-16 units.
    expect(findUnstorableCharacter('\u{1F44F}\u{1F3FD}\u{10FFFF}')).toEqual({ codePoint: 'U+10FFFF', position: 2 });
    expect(findUnstorableCharacter('x\uD800')).toEqual({ codePoint: 'U+D800', position: 2 });
    expect(checkStorableText('the title', 'Our\u001b heroes')).toBe(
      'the title holds a character that cannot be stored or posted (U+001B, character 4): remove it (control characters other than tab and line breaks, unpaired surrogates, noncharacters and byte order marks are refused; they often come with pasted text)',
    );
    expect(checkStorableText('the title', 'Our heroes')).toBeNull();
    expect(describeUnstorableText('The description', null)).toMatch(
      /^The description holds a character that cannot be stored or posted: remove it/,
    );
  });
});
