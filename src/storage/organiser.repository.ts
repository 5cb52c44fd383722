import { sql } from 'kysely';
import type { OrganiserRole, OrganiserStanding } from '../domain/organiser-role.ts';
import type { Db, Organiser } from './database.ts';

const uniqueViolation = '23505';

/** What a new account starts as; `firstAccountOperator`: the first account of the instance becomes an operator instead. */
export interface NewOrganiserStanding {
  readonly role: OrganiserRole;
  readonly standing: OrganiserStanding;
  readonly firstAccountOperator?: boolean;
  /**
   * Sign-up needs an invitation: the hash of the token given (null: none was), used up in the same transaction. The
   * instance's first account, made an operator, needs none.
   */
  readonly invitation?: { readonly tokenHash: string | null };
}

/**
 * Adds an organiser; `email-taken` when the address (any case) already has an account, `invitation-needed` when an
 * invitation is needed and none was given, `invitation-unusable` when the invitation given was used, has expired or
 * never existed (nothing is written then).
 */
export async function insertOrganiser(
  db: Db,
  values: { email: string; name: string; passwordHash: string },
  standing: NewOrganiserStanding = { role: 'organiser', standing: 'active' },
  now: Date = new Date(),
): Promise<Organiser | 'email-taken' | 'invitation-needed' | 'invitation-unusable'> {
  // Inside the caller's transaction when given one (sign-up adds the organiser's organisation in the same one).
  const inTransaction = <T>(work: (trx: Db) => Promise<T>): Promise<T> => (db.isTransaction ? work(db) : db.transaction().execute(work));
  try {
    return await inTransaction(async (trx) => {
      let role = standing.role;
      let accountStanding = standing.standing;
      if (standing.firstAccountOperator === true) {
        // Two first sign-ups at once: one waits for the other, which then is not the first.
        await sql`select pg_advisory_xact_lock(hashtext('chorus-first-account'))`.execute(trx);
        const any = await trx.selectFrom('organisers').select('id').limit(1).executeTakeFirst();
        if (any === undefined) {
          role = 'operator';
          accountStanding = 'active';
        }
      }
      let invitationId: string | undefined;
      if (standing.invitation !== undefined && role !== 'operator') {
        if (standing.invitation.tokenHash === null) return 'invitation-needed' as const;
        const used = await trx
          .updateTable('invitations')
          .set({ used_at: now })
          .where('token_hash', '=', standing.invitation.tokenHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .returning('id')
          .executeTakeFirst();
        if (used === undefined) return 'invitation-unusable' as const;
        invitationId = used.id;
      }
      const organiser = await trx
        .insertInto('organisers')
        .values({ email: values.email, name: values.name, password_hash: values.passwordHash, role, standing: accountStanding })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (invitationId !== undefined)
        await trx.updateTable('invitations').set({ used_by: organiser.id }).where('id', '=', invitationId).execute();
      return organiser;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'email-taken';
    throw error;
  }
}

/** Makes an account an operator (an account that exists already, named to `npm run operator:create`). */
export async function makeOperator(db: Db, organiserId: string): Promise<void> {
  await db.updateTable('organisers').set({ role: 'operator', standing: 'active' }).where('id', '=', organiserId).execute();
}

/** Sets an organiser's standing; ending a suspension or an approval wait. Undefined when no such organiser. */
export function setOrganiserStanding(db: Db, organiserId: string, standing: OrganiserStanding): Promise<Organiser | undefined> {
  return db.updateTable('organisers').set({ standing }).where('id', '=', organiserId).returningAll().executeTakeFirst();
}

/** Accounts an operator has marked or must act on: waiting for approval, suspended, or operators; newest first. */
export function listNotableOrganisers(db: Db): Promise<Organiser[]> {
  return db
    .selectFrom('organisers')
    .selectAll()
    .where((eb) => eb.or([eb('standing', '<>', 'active'), eb('role', '=', 'operator')]))
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}

/** Replaces an organiser's password hash and ends all their sessions (a new operator choosing theirs from a sign-in link). */
export function setOrganiserPassword(db: Db, organiserId: string, passwordHash: string): Promise<void> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('organisers').set({ password_hash: passwordHash }).where('id', '=', organiserId).execute();
    await trx.deleteFrom('organiser_sessions').where('organiser_id', '=', organiserId).execute();
  });
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
