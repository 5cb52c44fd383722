import { describe, expect, it } from 'vitest';
import { checkNewPassword, minimumPasswordLength, passwordLength, passwordLimits } from '../../src/domain/password-rules.ts';
import { loadCommonPasswordCheck } from '../../src/security/common-passwords.ts';

const alone = { hasSecondFactor: false, isCommonPassword: () => false, accountWords: [] };
const withTotp = { ...alone, hasSecondFactor: true };

describe('new passwords (NIST SP 800-63B)', () => {
  it('asks for 15 characters without a second factor and 8 with one', () => {
    expect(minimumPasswordLength(false)).toBe(15);
    expect(minimumPasswordLength(true)).toBe(8);
    expect(checkNewPassword('p'.repeat(14), alone)).toMatch(/at least 15 characters/);
    expect(checkNewPassword('p'.repeat(15), alone)).toBeUndefined();
    expect(checkNewPassword('p'.repeat(7), withTotp)).toBe('Choose a password of at least 8 characters (two-factor sign-in is on).');
    expect(checkNewPassword('p'.repeat(8), withTotp)).toBeUndefined();
  });

  it('allows at least 64 characters, up to 200', () => {
    expect(passwordLimits.maxLength).toBeGreaterThanOrEqual(64);
    expect(checkNewPassword('p'.repeat(200), alone)).toBeUndefined();
    expect(checkNewPassword('p'.repeat(201), alone)).toBe('Choose a password of at most 200 characters.');
  });

  it('has no composition rules: only letters, only digits, only spaces and words all pass on length', () => {
    for (const password of ['abcdefghijklmnopq', '739184620573918462', 'the cat sat on a mat', 'ÆØÅ æøå ÆØÅ æøå!!']) {
      expect(checkNewPassword(password, alone), password).toBeUndefined();
    }
  });

  it('counts each Unicode character once, an emoji or an accented letter included', () => {
    expect(passwordLength('🦊🦊🦊')).toBe(3);
    expect('🦊'.repeat(8).length).toBe(16);
    expect(checkNewPassword('🦊'.repeat(8), alone)).toMatch(/at least 15/);
    expect(checkNewPassword('🦊'.repeat(15), alone)).toBeUndefined();
  });

  it('refuses what is on the shipped list of common and breached passwords, whatever its case', async () => {
    const isCommonPassword = await loadCommonPasswordCheck();
    // Long ones are on the list too: a length rule alone lets these through.
    for (const password of ['passwordpassword', '1qaz2wsx3edc4rfv', 'Q1W2E3R4T5Y6U7I8']) {
      expect(checkNewPassword(password, { ...alone, isCommonPassword }), password).toMatch(/common and breached passwords/);
    }
    for (const password of ['password', 'iloveyou', 'baseball']) {
      expect(checkNewPassword(password, { ...withTotp, isCommonPassword }), password).toMatch(/common and breached passwords/);
    }
    expect(checkNewPassword('correct horse battery staple', { ...alone, isCommonPassword })).toBeUndefined();
  });
});
