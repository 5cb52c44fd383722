import type { Db } from '../../storage/database.ts';
import { deleteApiToken } from '../../storage/api-token.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';

/** Revokes one of an organiser's API tokens; not-found when it is not theirs or does not exist. */
export async function revokeApiToken(db: Db, organiserId: string, tokenId: string): Promise<Outcome<null>> {
  return (await deleteApiToken(db, organiserId, tokenId)) ? done(null) : notFound('API token');
}
