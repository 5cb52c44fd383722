import { hashSecretToken } from '../../security/secret-token.ts';
import type { Db } from '../../storage/database.ts';
import { findPledgeByManageToken } from '../../storage/pledge.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** A pledge, with its campaign and the supporter's account, as its private key opens it. */
export type SupporterPledge = NonNullable<Awaited<ReturnType<typeof findPledgeByManageToken>>>;

/** The pledge a supporter's private key opens; not-found for a wrong key and a missing pledge alike. */
export async function findSupporterPledge(db: Db, pledgeId: string, manageToken: string): Promise<Outcome<SupporterPledge>> {
  const found = await findPledgeByManageToken(db, pledgeId, hashSecretToken(manageToken));
  return found === undefined ? notFound('pledge') : done(found);
}
