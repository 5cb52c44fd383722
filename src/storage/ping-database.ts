import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';

/** Whether Postgres answers a trivial query on this pool. */
export async function pingDatabase(db: Kysely<Database>): Promise<boolean> {
  return sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
}
