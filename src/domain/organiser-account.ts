import { checkStorableText, isStorableText } from './storable-text.ts';

/** The limits of an organiser's account fields: the API's schema and the sign-up use case both take them from here. */
export const organiserAccountLimits = {
  nameMaxLength: 120,
  emailMaxLength: 254,
  passwordMinLength: 10,
  passwordMaxLength: 200,
} as const;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What an organiser signs up with. */
export interface OrganiserSignUp {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** The sign-up fields that break their rules, each with a sentence for the form; empty when none do. */
export function checkOrganiserSignUp(input: OrganiserSignUp): Record<string, string> {
  const limits = organiserAccountLimits;
  const problems: Record<string, string> = {};
  const nameCharacters = checkStorableText('the name', input.name);
  if (input.name === '' || input.name.length > limits.nameMaxLength)
    problems.name = `Give your organisation's name (up to ${limits.nameMaxLength} characters); supporters see it.`;
  else if (nameCharacters !== null) problems.name = nameCharacters;
  if (!isEmailAddress(input.email)) problems.email = 'Give an email address, like name@example.org.';
  if (input.password.length < limits.passwordMinLength || input.password.length > limits.passwordMaxLength)
    problems.password = `Choose a password of ${limits.passwordMinLength} to ${limits.passwordMaxLength} characters.`;
  return problems;
}

/** Whether a string looks like an email address an organiser could sign in with (and holds nothing the text rule refuses). */
export function isEmailAddress(email: string): boolean {
  return emailPattern.test(email) && email.length <= organiserAccountLimits.emailMaxLength && isStorableText(email);
}
