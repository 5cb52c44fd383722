import { describe, expect, it } from 'vitest';
import { checkOrganiserSignUp, isEmailAddress, organiserAccountLimits } from '../../src/domain/organiser-account.ts';

const valid = { name: 'Skills for Health', email: 'team@skillsforhealth.org.uk', password: 'correct horse' };

describe('organiser sign-up', () => {
  it('accepts a name, an email address and a long enough password', () => {
    expect(checkOrganiserSignUp(valid)).toEqual({});
  });

  it('names every field at fault at once, each with its sentence', () => {
    expect(checkOrganiserSignUp({ name: '', email: 'nobody', password: 'short' })).toEqual({
      name: "Give your organisation's name (up to 120 characters); supporters see it.",
      email: 'Give an email address, like name@example.org.',
      password: 'Choose a password of 10 to 200 characters.',
    });
  });

  it('takes a name of up to 120 characters', () => {
    expect(organiserAccountLimits.nameMaxLength).toBe(120);
    expect(checkOrganiserSignUp({ ...valid, name: 'n'.repeat(120) })).toEqual({});
    expect(Object.keys(checkOrganiserSignUp({ ...valid, name: 'n'.repeat(121) }))).toEqual(['name']);
  });

  it('refuses a name holding a character the text rule refuses, saying which', () => {
    expect(checkOrganiserSignUp({ ...valid, name: 'Skills\u0000 for Health' }).name).toMatch(
      /^the name holds a character .*\(U\+0000, character 7\)/,
    );
  });

  it('takes a password of 10 to 200 characters', () => {
    expect(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(10) })).toEqual({});
    expect(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(200) })).toEqual({});
    expect(Object.keys(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(9) }))).toEqual(['password']);
    expect(Object.keys(checkOrganiserSignUp({ ...valid, password: 'p'.repeat(201) }))).toEqual(['password']);
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
