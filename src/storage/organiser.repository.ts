import type { Db, Organiser } from './database.ts';

const uniqueViolation = '23505';

/** Adds an organiser; `email-taken` when the address (any case) already has an account. */
export async function insertOrganiser(
  db: Db,
  values: { email: string; name: string; passwordHash: string },
): Promise<Organiser | 'email-taken'> {
  try {
    return await db
      .insertInto('organisers')
      .values({ email: values.email, name: values.name, password_hash: values.passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) return 'email-taken';
    throw error;
  }
}

/** The organiser with this email (matched without regard to case). */
export function findOrganiserByEmail(db: Db, email: string): Promise<Organiser | undefined> {
  return db.selectFrom('organisers').selectAll().where('email', '=', email).executeTakeFirst();
}

/** The organiser with this id. */
export function findOrganiserById(db: Db, id: string): Promise<Organiser | undefined> {
  return db.selectFrom('organisers').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Replaces an organiser's password hash and, in the same transaction, ends every session of theirs
 * but `keepSessionId` (the one that changed it); answers how many sessions ended.
 */
export function replaceOrganiserPassword(db: Db, organiserId: string, passwordHash: string, keepSessionId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('organisers').set({ password_hash: passwordHash }).where('id', '=', organiserId).execute();
    const ended = await trx
      .deleteFrom('organiser_sessions')
      .where('organiser_id', '=', organiserId)
      .where('id', '<>', keepSessionId)
      .executeTakeFirst();
    return Number(ended.numDeletedRows);
  });
}

/** Whether a database error is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === uniqueViolation;
}
