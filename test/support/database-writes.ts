import { sql } from 'kysely';
import type { Db } from '../../src/storage/database.ts';

/**
 * Counts the rows written to each of Chorus's tables (inserted, updated or deleted, in committed transactions),
 * by triggers added to this test file's own copy of the database; returns a reader of the counts, by table. A
 * request that wrote nothing leaves them as they were, and reading them is one small query, so a test can read
 * them after each of hundreds of requests. Only for a test file's own database: every write pays for a trigger.
 */
// Columns a signed-in request updates as bookkeeping (last use, noted at most once a minute), not as a change it made:
// an update of only these is not counted.
const lastUseColumns: Readonly<Record<string, string>> = { organiser_sessions: 'last_seen_at', organiser_api_tokens: 'last_used_at' };

export async function countDatabaseWrites(db: Db): Promise<() => Promise<Record<string, number>>> {
  await sql`create table test_row_writes (table_name text primary key, n bigint not null)`.execute(db);
  await sql`
    create function test_count_row_write() returns trigger language plpgsql as $$
    begin
      insert into test_row_writes as w values (tg_table_name, 1) on conflict (table_name) do update set n = w.n + 1;
      return null;
    end $$`.execute(db);
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%' and table_name <> 'test_row_writes'`.execute(
    db,
  );
  for (const { name } of rows) {
    const lastUse = lastUseColumns[name];
    if (lastUse === undefined) {
      await sql`create trigger test_count_row_write after insert or update or delete on ${sql.table(name)}
        for each row execute function test_count_row_write()`.execute(db);
      continue;
    }
    await sql`create trigger test_count_row_write after insert or delete on ${sql.table(name)}
      for each row execute function test_count_row_write()`.execute(db);
    await sql`create trigger test_count_row_update after update on ${sql.table(name)}
      for each row when ((to_jsonb(old) - ${sql.lit(lastUse)}) is distinct from (to_jsonb(new) - ${sql.lit(lastUse)}))
      execute function test_count_row_write()`.execute(db);
  }
  return async () => {
    const counts = await sql<{ table_name: string; n: string }>`select table_name, n from test_row_writes`.execute(db);
    return Object.fromEntries(counts.rows.map((row) => [row.table_name, Number(row.n)]));
  };
}
