import type { Db } from '../../storage/database.ts';
import { visitShortLink as recordShortLinkVisit } from '../../storage/short-link.repository.ts';

/** Counts a visit to a short link; the slug of the campaign it leads to, or undefined for an unknown code. */
export function visitShortLink(db: Db, code: string): Promise<string | undefined> {
  return recordShortLinkVisit(db, code);
}
