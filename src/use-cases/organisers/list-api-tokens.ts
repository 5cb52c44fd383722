import type { Db } from '../../storage/database.ts';
import { listApiTokens } from '../../storage/api-token.repository.ts';

/** An organiser's API tokens, newest first; never their secrets. */
export function listOrganiserApiTokens(db: Db, organiserId: string) {
  return listApiTokens(db, organiserId);
}
