import { listOpenReports as listOpen, type OpenReport } from '../../storage/campaign-report.repository.ts';
import type { Db } from '../../storage/database.ts';
import { done, type Outcome } from '../use-case-outcome.ts';

/** Reports no operator has closed yet, oldest first, with the campaign each is about. */
export async function listOpenReports(db: Db): Promise<Outcome<OpenReport[]>> {
  return done(await listOpen(db));
}
