import { createHash } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import pg from 'pg';

// The hot statements (a pledge, a delivery's claim and outcome) are long CTEs: parsing and
// planning them took as long as running them. Marked ones are prepared once per connection and
// then only bound and run, and Postgres settles on one generic plan for them after a few runs.
// Only marked statements are prepared, so the set each connection holds stays small and known.
const marker = '/* prepared */ ';

/** The same compiled Kysely query, marked to be prepared once per connection (see `PreparingClient`). */
export function prepared<R>(query: CompiledQuery<R>): CompiledQuery<R> {
  return { ...query, sql: marker + query.sql };
}

const names = new Map<string, string>();

/** The statement's name: a hash of its text, so two texts never share a name. */
function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `chorus_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

// Postgres keeps a prepared statement's plan valid across schema changes, except when the rows it
// returns change shape (a `select *` or `returning *` from a table that gained a column).
function isResultTypeChanged(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === '0A000' &&
    error.message.includes('cached plan must not change result type')
  );
}

/**
 * A pg client that runs a marked statement as a named prepared statement: the same text is
 * parsed once per connection. When a migration changed the shape of a statement's rows while
 * this connection held it prepared, it is prepared again under a new name and run once more.
 */
export class PreparingClient extends pg.Client {
  #generation = 0;

  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && text.startsWith(marker) && (values === undefined || Array.isArray(values)) && args.length <= 2) {
      const run = (): Promise<unknown> => super.query({ name: `${nameOf(text)}_${this.#generation}`, text, values }) as Promise<unknown>;
      return run().catch((error: unknown) => {
        if (!isResultTypeChanged(error)) throw error;
        this.#generation += 1;
        return run();
      }) as never;
    }
    return (super.query as (...a: unknown[]) => unknown)(...args) as never;
  }
}
