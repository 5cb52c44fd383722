import { describe, expect, it } from 'vitest';
import { checkOrganiserSignUp, isEmailAddress, organiserAccountLimits } from '../../src/domain/organiser-account.ts';

const valid = { name: 'Skills for Health', email: 'team@skillsforhealth.org.uk', password: 'correct horse battery' };
const nothingIsCommon = () => false;

describe('organiser sign-up', () => {
  it('accepts a name, an email address and a long enough password', () => {
    expect(checkOrganiserSignUp(valid, nothingIsCommon)).toEqual({});
  });

  it('names every field at fault at once, each with its sentence', () => {
    expect(checkOrganiserSignUp({ name: '', email: 'nobody', password: 'short' }, nothingIsCommon)).toEqual({
      name: "Give your organisation's name (up to 120 characters); supporters see it.",
      email: 'Give an email address, like name@example.org.',
      password:
        'Choose a password of at least 15 characters: a few unrelated words make a good one, spaces and any characters are welcome.',
    });
  });

  it('takes a name of up to 120 characters', () => {
    expect(organiserAccountLimits.nameMaxLength).toBe(120);
    expect(checkOrganiserSignUp({ ...valid, name: 'n'.repeat(120) }, nothingIsCommon)).toEqual({});
    expect(Object.keys(checkOrganiserSignUp({ ...valid, name: 'n'.repeat(121) }, nothingIsCommon))).toEqual(['name']);
  });

  it('refuses a name holding a character the text rule refuses, saying which', () => {
    expect(checkOrganiserSignUp({ ...valid, name: 'Skills\u0000 for Health' }, nothingIsCommon).name).toMatch(
      /^the name holds a character .*\(U\+0000, character 7\)/,
    );
  });

  it('takes a password of 15 to 200 characters: a new account has no second factor yet', () => {
    expect(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(15) }, nothingIsCommon)).toEqual({});
    expect(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(200) }, nothingIsCommon)).toEqual({});
    expect(Object.keys(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(14) }, nothingIsCommon))).toEqual(['password']);
    expect(Object.keys(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(201) }, nothingIsCommon))).toEqual(['password']);
  });

  it('refuses a password on the common list, and one that is the email or the name', () => {
    const common = (lowerCased: string) => lowerCased === 'passwordpassword';
    expect(checkOrganiserSignUp({ ...valid, password: 'PasswordPassword' }, common).password).toMatch(/common and breached passwords/);
    expect(checkOrganiserSignUp({ ...valid, password: valid.email.toUpperCase() }, nothingIsCommon).password).toMatch(/email/);
    const named = { ...valid, name: 'Skills for Health UK' };
    expect(checkOrganiserSignUp({ ...named, password: 'skills for health uk' }, nothingIsCommon).password).toMatch(/name/);
  });
});

describe('email address', () => {
  it('refuses one holding a control character or a noncharacter', () => {
    expect(isEmailAddress('name\u0000@example.org')).toBe(false);
    expect(isEmailAddress('name@example.org\uFFFF')).toBe(false);
  });

  it('takes an ordinary address, subdomains and plus tags included', () => {
    expect(isEmailAddress('name@example.org')).toBe(true);
    expect(isEmailAddress('nia+chorus@mail.example.co.uk')).toBe(true);
  });

  it('refuses text with no @, no domain dot, spaces or two @', () => {
    for (const email of [
      '',
      'name',
      'name@example',
      '@example.org',
      'name@.org',
      'na me@example.org',
      'name@exa mple.org',
      'a@b@example.org',
    ]) {
      expect(isEmailAddress(email), email).toBe(false);
    }
  });

  it('takes an address of up to 254 characters', () => {
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(185)}.org`;
    expect(at254).toHaveLength(254);
    expect(isEmailAddress(at254)).toBe(true);
    expect(isEmailAddress(`a${at254}`)).toBe(false);
  });
});
