import { checkNewPassword, passwordLimits } from './password-rules.ts';
import { checkStorableText, isStorableText } from './storable-text.ts';

/** The limits of an organiser's account fields: the API's schema and the sign-up use case both take them from here. */
export const organiserAccountLimits = {
  nameMaxLength: 120,
  emailMaxLength: 254,
  passwordMaxLength: passwordLimits.maxLength,
} as const;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What an organiser signs up with. */
export interface OrganiserSignUp {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/**
 * The sign-up fields that break their rules, each with a sentence for the form; empty when none do.
 * `isCommonPassword` is the shipped list of common and breached passwords (src/security/common-passwords.ts).
 */
export function checkOrganiserSignUp(input: OrganiserSignUp, isCommonPassword: (lowerCased: string) => boolean): Record<string, string> {
  const limits = organiserAccountLimits;
  const problems: Record<string, string> = {};
  const nameCharacters = checkStorableText('the name', input.name);
  if (input.name === '' || input.name.length > limits.nameMaxLength)
    problems.name = `Give your organisation's name (up to ${limits.nameMaxLength} characters); supporters see it.`;
  else if (nameCharacters !== null) problems.name = nameCharacters;
  if (!isEmailAddress(input.email)) problems.email = 'Give an email address, like name@example.org.';
  // A new account has no second factor yet, so the longer minimum applies.
  const password = checkNewPassword(input.password, {
    hasSecondFactor: false,
    isCommonPassword,
    accountWords: [input.email, input.email.split('@')[0] ?? '', input.name],
  });
  if (password !== undefined) problems.password = password;
  return problems;
}

/** Whether a string looks like an email address an organiser could sign in with (and holds nothing the text rule refuses). */
export function isEmailAddress(email: string): boolean {
  return emailPattern.test(email) && email.length <= organiserAccountLimits.emailMaxLength && isStorableText(email);
}
