import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/test-database.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { prepared } from '../../src/storage/prepared-statement.ts';

describe('statements marked to be prepared', () => {
  let db: Db;

  beforeAll(() => {
    // One connection, so what it has prepared can be read back on it.
    db = createDatabase(testDatabaseUrl(), { max: 1 });
  });
  afterAll(async () => {
    await db.destroy();
  });

  const preparedOnConnection = async () =>
    (
      await sql<{ statement: string }>`select statement from pg_prepared_statements where statement like '%chorus-prepared-test%'`.execute(
        db,
      )
    ).rows;

  it('are parsed once per connection and answer each run with its own values', async () => {
    const doubled = (n: number) =>
      db.executeQuery(prepared(sql<{ doubled: number }>`select ${n}::int * 2 as doubled, 'chorus-prepared-test-a' as tag`.compile(db)));
    expect((await doubled(2)).rows[0]?.doubled).toBe(4);
    expect((await doubled(21)).rows[0]?.doubled).toBe(42);
    expect(await preparedOnConnection()).toHaveLength(1);

    // Another text gets a statement of its own rather than clashing with the first.
    const tripled = await db.executeQuery(
      prepared(sql<{ tripled: number }>`select ${5}::int * 3 as tripled, 'chorus-prepared-test-b' as tag`.compile(db)),
    );
    expect(tripled.rows[0]?.tripled).toBe(15);
    expect(await preparedOnConnection()).toHaveLength(2);
  });

  it('leaves unmarked statements unprepared', async () => {
    const before = (await preparedOnConnection()).length;
    const plain = await sql<{ n: number }>`select ${7}::int as n, 'chorus-prepared-test-c' as tag`.execute(db);
    expect(plain.rows[0]?.n).toBe(7);
    expect(await preparedOnConnection()).toHaveLength(before);
  });

  it('keep working when a migration changes the shape of their rows while they are prepared', async () => {
    await sql`create table prepared_shape_test (id int primary key)`.execute(db);
    try {
      await sql`insert into prepared_shape_test values (1)`.execute(db);
      const everything = () => db.executeQuery(prepared(sql<Record<string, unknown>>`select * from prepared_shape_test`.compile(db)));
      expect((await everything()).rows).toEqual([{ id: 1 }]);
      await sql`alter table prepared_shape_test add column label text not null default 'new'`.execute(db);
      expect((await everything()).rows).toEqual([{ id: 1, label: 'new' }]);
    } finally {
      await sql`drop table prepared_shape_test`.execute(db);
    }
  });
});
