import { checkNewPassword } from '../../domain/password-rules.ts';
import { isStorableText } from '../../domain/storable-text.ts';
import { loadCommonPasswordCheck } from '../../security/common-passwords.ts';
import type { ChorusContext } from '../../chorus-context.ts';
import { hashSecretToken } from '../../security/secret-token.ts';
import type { Db, Organiser } from '../../storage/database.ts';
import { consumeOperatorSignInLink, findUsableSignInLink } from '../../storage/operator-sign-in-link.repository.ts';
import { findOrganiserById, setOrganiserPassword } from '../../storage/organiser.repository.ts';
import { done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';

const expired = 'this sign-in link has been used or has expired: run `npm run operator:create` again for a new one';

/** Whether a one-time operator link still works (the welcome page shows its form only then). */
export async function checkOperatorLink(db: Db, token: string, now: Date = new Date()): Promise<Outcome<Organiser>> {
  if (token === '' || !isStorableText(token)) return { ...notFound('sign-in link'), message: expired };
  const organiserId = await findUsableSignInLink(db, hashSecretToken(token), now);
  const organiser = organiserId === undefined ? undefined : await findOrganiserById(db, organiserId);
  return organiser === undefined ? { ...notFound('sign-in link'), message: expired } : done(organiser);
}

/**
 * Uses up an operator's one-time link: they choose their password (15 characters at least, as any new account),
 * every earlier session of theirs ends, and the caller signs them in. The link works once.
 */
export async function chooseOperatorPassword(
  ctx: Pick<ChorusContext, 'db' | 'passwords'>,
  token: string,
  password: string,
  now: Date = new Date(),
): Promise<Outcome<Organiser>> {
  const { db } = ctx;
  const found = await checkOperatorLink(db, token, now);
  if (found.kind !== 'done') return found;
  const organiser = found.value;
  const problem = checkNewPassword(password, {
    hasSecondFactor: false,
    isCommonPassword: await loadCommonPasswordCheck(),
    accountWords: [organiser.email, organiser.email.split('@')[0] ?? '', organiser.name],
  });
  if (problem !== undefined) return invalid(problem, 'password');
  const hash = await ctx.passwords.hash(password);
  const organiserId = await consumeOperatorSignInLink(db, hashSecretToken(token), now);
  if (organiserId === undefined) return { ...notFound('sign-in link'), message: expired };
  await setOrganiserPassword(db, organiserId, hash);
  return done(organiser);
}
