/**
 * The list of common and breached passwords new passwords are checked against (NIST SP 800-63B):
 * the 49,233 passwords of `@zxcvbn-ts/language-common` (MIT), which are every password seen more
 * than ten times in Mark Burnett's ten million passwords from public breaches, lower-cased, less
 * those zxcvbn's own patterns (keyboard runs, repeats, dates) would guess sooner than their rank.
 */
let commonPasswords: Promise<ReadonlySet<string>> | undefined;

/**
 * Whether-a-password-is-common, ready to use. The list is loaded on first use, not at start-up:
 * unpacking it takes about a tenth of a second and a few megabytes, which only sign-up needs.
 */
export async function loadCommonPasswordCheck(): Promise<(lowerCased: string) => boolean> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  const list = await commonPasswords;
  return (lowerCased) => list.has(lowerCased);
}
