import { createHash } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';

// The hot statements (a pledge, a delivery's claim and outcome) are long CTEs: parsing and
// planning them took as long as running them. Marked ones are prepared once per connection and
// then only bound and run, and Postgres settles on one generic plan for them after a few runs.
// Only marked statements are prepared, so the set each connection holds stays small and known.
const marker = '/* prepared */ ';

/** Marks a statement's SQL to be prepared once per connection (see `PreparingClient`). */
export function preparedSql(text: string): string {
  return marker + text;
}

/** The same compiled Kysely query, marked to be prepared once per connection. */
export function prepared<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  return { ...query, sql: preparedSql(query.sql) };
}

const names = new Map<string, string>();

/**
 * A pg client that runs a marked statement as a named prepared statement, named after its
 * text: the same text is parsed once per connection, and two texts never share a name.
 */
export class PreparingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && text.startsWith(marker) && (values === undefined || Array.isArray(values)) && args.length <= 2) {
      let name = names.get(text);
      if (name === undefined) {
        name = `chorus_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
        names.set(text, name);
      }
      return super.query({ name, text, values }) as never;
    }
    return (super.query as (...a: unknown[]) => unknown)(...args) as never;
  }
}
