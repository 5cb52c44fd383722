/**
 * What a new password must be, after NIST SP 800-63B: long enough, not too long to hash, and not a
 * password people are known to use. No composition rules (no "a digit and a symbol"): they make
 * passwords harder to remember without making them harder to guess.
 */
export const passwordLimits = {
  /** Without a second factor the password is the only thing between an attacker and the account. */
  minLengthAlone: 15,
  /** With TOTP on, a password of 8 is enough (the minimum NIST sets when it is one of two factors). */
  minLengthWithSecondFactor: 8,
  /** NIST asks for at least 64; argon2 takes any length, the cap only keeps a request's work bounded. */
  maxLength: 200,
} as const;

/** What a new password is checked against besides its length. */
export interface NewPasswordContext {
  /** Whether the organiser has a confirmed second factor (a new account never has). */
  readonly hasSecondFactor: boolean;
  /** Whether a password, lower-cased, is on the shipped list of common and breached passwords. */
  readonly isCommonPassword: (lowerCased: string) => boolean;
  /** Words the account itself gives away (its email, its name): a password equal to one is refused. */
  readonly accountWords: readonly string[];
}

/** The length of a password as a person counts it: each Unicode code point is one character (an emoji is one, not two). */
export function passwordLength(password: string): number {
  return Array.from(password).length;
}

/** The shortest password allowed for a new choice. */
export function minimumPasswordLength(hasSecondFactor: boolean): number {
  return hasSecondFactor ? passwordLimits.minLengthWithSecondFactor : passwordLimits.minLengthAlone;
}

/** Why a new password is refused, as a sentence for beside the field; undefined when it is accepted. */
export function checkNewPassword(password: string, context: NewPasswordContext): string | undefined {
  const length = passwordLength(password);
  const minimum = minimumPasswordLength(context.hasSecondFactor);
  if (length < minimum)
    return context.hasSecondFactor
      ? `Choose a password of at least ${minimum} characters (two-factor sign-in is on).`
      : `Choose a password of at least ${minimum} characters: a few unrelated words make a good one, spaces and any characters are welcome.`;
  if (length > passwordLimits.maxLength) return `Choose a password of at most ${passwordLimits.maxLength} characters.`;
  const lowerCased = password.toLowerCase();
  if (context.isCommonPassword(lowerCased))
    return 'This password is on a list of common and breached passwords, so it would be among the first guessed: choose another.';
  if (context.accountWords.some((word) => word !== '' && word.toLowerCase() === lowerCased))
    return 'Choose a password that is not your email address or your name.';
  return undefined;
}
