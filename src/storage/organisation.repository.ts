import { sql } from 'kysely';
import type { OrganisationRole } from '../domain/organisation-role.ts';
import type { OrganisationStanding } from '../domain/organisation-standing.ts';
import type { Db, Organisation, OrganisationInvitation } from './database.ts';

/** One of an organiser's organisations, with their role in it. */
export interface Membership {
  readonly organisation_id: string;
  readonly name: string;
  readonly role: OrganisationRole;
  readonly joined_at: Date;
  readonly standing: OrganisationStanding;
}

/** An organisation as the operators list it: its owners, how many campaigns, its trust and standing. */
export type OperatorOrganisation = Organisation & { readonly owners: string[]; readonly campaign_count: number };

/** A member as their organisation's other members see them. */
export interface MemberView {
  readonly organiser_id: string;
  readonly name: string;
  readonly email: string;
  readonly role: OrganisationRole;
  readonly joined_at: Date;
}

/** An invitation as the owners see it: never its token or the token's digest. */
export type InvitationView = Omit<OrganisationInvitation, 'token_hash'>;

/** Adds an organisation with its first owner. */
export async function insertOrganisationWithOwner(db: Db, name: string, ownerId: string): Promise<Organisation> {
  const organisation = await db.insertInto('organisations').values({ name }).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('organisation_members').values({ organisation_id: organisation.id, organiser_id: ownerId, role: 'owner' }).execute();
  return organisation;
}

/** The organisation with this id; never one being deleted (its only member deleted their account). */
export function findOrganisation(db: Db, organisationId: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', organisationId).where('deleting_since', 'is', null).executeTakeFirst();
}

/** An organiser's role in an organisation; undefined when they are not a member. */
export async function findMemberRole(db: Db, organisationId: string, organiserId: string): Promise<OrganisationRole | undefined> {
  const row = await db
    .selectFrom('organisation_members')
    .select('role')
    .where('organisation_id', '=', organisationId)
    .where('organiser_id', '=', organiserId)
    .executeTakeFirst();
  return row?.role;
}

/** An organiser's role in an organisation and the organisation's standing; undefined when they are not a member. */
export function findMembership(
  db: Db,
  organisationId: string,
  organiserId: string,
): Promise<{ readonly role: OrganisationRole; readonly standing: OrganisationStanding } | undefined> {
  return db
    .selectFrom('organisation_members as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.role', 'o.standing'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.organiser_id', '=', organiserId)
    .executeTakeFirst();
}

/** Every organisation an organiser is a member of, the one they joined first (their own, from sign-up) first. */
export function listMemberships(db: Db, organiserId: string): Promise<Membership[]> {
  return db
    .selectFrom('organisation_members as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.organisation_id', 'o.name', 'm.role', 'm.created_at as joined_at', 'o.standing'])
    .where('m.organiser_id', '=', organiserId)
    .orderBy('m.created_at')
    .orderBy('m.organisation_id')
    .execute();
}

/** Renames an organisation; answers the row as it now is. */
export function renameOrganisation(db: Db, organisationId: string, name: string): Promise<Organisation | undefined> {
  return db
    .updateTable('organisations')
    .set({ name })
    .where('id', '=', organisationId)
    .where('deleting_since', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Locks an organisation's row until the transaction ends: changes to its members take turns, so two cannot both remove the last owner. */
export async function lockOrganisation(db: Db, organisationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('organisations')
    .select('id')
    .where('id', '=', organisationId)
    .where('deleting_since', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** An organisation's members, owners first, then by when they joined. */
export function listMembers(db: Db, organisationId: string): Promise<MemberView[]> {
  return db
    .selectFrom('organisation_members as m')
    .innerJoin('organisers as o', 'o.id', 'm.organiser_id')
    .select(['m.organiser_id', 'o.name', 'o.email', 'm.role', 'm.created_at as joined_at'])
    .where('m.organisation_id', '=', organisationId)
    .orderBy((eb) => eb.case().when('m.role', '=', 'owner').then(0).when('m.role', '=', 'editor').then(1).else(2).end())
    .orderBy('m.created_at')
    .execute();
}

/** An organisation's owners whose accounts are active (not suspended, not awaiting approval): who is told of its standing. */
export function listActiveOwners(db: Db, organisationId: string): Promise<Pick<MemberView, 'organiser_id' | 'name' | 'email'>[]> {
  return db
    .selectFrom('organisation_members as m')
    .innerJoin('organisers as o', 'o.id', 'm.organiser_id')
    .select(['m.organiser_id', 'o.name', 'o.email'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.role', '=', 'owner')
    .where('o.standing', '=', 'active')
    .orderBy('m.created_at')
    .execute();
}

/** How many owners an organisation has. */
export async function countOwners(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('organisation_members')
    .select((eb) => eb.fn.countAll<string>().as('owners'))
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.owners);
}

/** Changes a member's role. */
export async function updateMemberRole(db: Db, organisationId: string, organiserId: string, role: OrganisationRole): Promise<void> {
  await db
    .updateTable('organisation_members')
    .set({ role })
    .where('organisation_id', '=', organisationId)
    .where('organiser_id', '=', organiserId)
    .execute();
}

/** Takes a member out of an organisation. */
export async function deleteMember(db: Db, organisationId: string, organiserId: string): Promise<void> {
  await db
    .deleteFrom('organisation_members')
    .where('organisation_id', '=', organisationId)
    .where('organiser_id', '=', organiserId)
    .execute();
}

/** Adds a member; false when they already were one (their role stays). */
export async function insertMember(db: Db, organisationId: string, organiserId: string, role: OrganisationRole): Promise<boolean> {
  const added = await db
    .insertInto('organisation_members')
    .values({ organisation_id: organisationId, organiser_id: organiserId, role })
    .onConflict((oc) => oc.columns(['organisation_id', 'organiser_id']).doNothing())
    .returning('organiser_id')
    .executeTakeFirst();
  return added !== undefined;
}

/** Keeps an invitation (its token's digest only). */
export function insertInvitation(
  db: Db,
  values: { organisationId: string; role: OrganisationRole; tokenHash: string; invitedBy: string; expiresAt: Date },
): Promise<InvitationView> {
  return db
    .insertInto('organisation_invitations')
    .values({
      organisation_id: values.organisationId,
      role: values.role,
      token_hash: values.tokenHash,
      invited_by: values.invitedBy,
      expires_at: values.expiresAt,
    })
    .returning(['id', 'organisation_id', 'role', 'invited_by', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** An organisation's invitations not yet used nor expired, newest first. */
export function listInvitations(db: Db, organisationId: string, now: Date): Promise<InvitationView[]> {
  return db
    .selectFrom('organisation_invitations')
    .select(['id', 'organisation_id', 'role', 'invited_by', 'created_at', 'expires_at'])
    .where('organisation_id', '=', organisationId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Withdraws an invitation; false when the organisation has no such invitation. */
export async function deleteInvitation(db: Db, organisationId: string, invitationId: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('organisation_invitations')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', invitationId)
    .executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}

/** The invitation a token opens, with its organisation's name, while it has not expired. */
export function findInvitationByTokenHash(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<(InvitationView & { readonly organisation_name: string; readonly organisation_standing: OrganisationStanding }) | undefined> {
  return db
    .selectFrom('organisation_invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select([
      'i.id',
      'i.organisation_id',
      'i.role',
      'i.invited_by',
      'i.created_at',
      'i.expires_at',
      'o.name as organisation_name',
      'o.standing as organisation_standing',
    ])
    .where('i.token_hash', '=', tokenHash)
    .where('i.expires_at', '>', now)
    .executeTakeFirst();
}

/** Uses up an invitation: deletes it and answers it, or undefined when it was used (or withdrawn) meanwhile. Only one use wins. */
export function consumeInvitation(db: Db, invitationId: string): Promise<InvitationView | undefined> {
  return db
    .deleteFrom('organisation_invitations')
    .where('id', '=', invitationId)
    .returning(['id', 'organisation_id', 'role', 'invited_by', 'created_at', 'expires_at'])
    .executeTakeFirst();
}

/** Deletes invitations that expired before `before` (the workers' sweep): an unused link says nothing after its end. */
export async function deleteExpiredInvitations(db: Db, before: Date): Promise<number> {
  const deleted = await db.deleteFrom('organisation_invitations').where('expires_at', '<=', before).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Trusts an organisation (its campaigns skip review) or stops; answers the row as it now is. */
export function setOrganisationTrusted(db: Db, organisationId: string, trusted: boolean): Promise<Organisation | undefined> {
  return db
    .updateTable('organisations')
    .set({ trusted })
    .where('id', '=', organisationId)
    .where('deleting_since', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Suspends an active organisation; undefined when there is none or it already was suspended. */
export function suspendOrganisationRow(
  db: Db,
  organisationId: string,
  suspension: { by: string; reason: string; at: Date },
): Promise<Organisation | undefined> {
  return db
    .updateTable('organisations')
    .set({ standing: 'suspended', suspended_at: suspension.at, suspended_by: suspension.by, suspension_reason: suspension.reason })
    .where('id', '=', organisationId)
    .where('standing', '=', 'active')
    .where('deleting_since', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Lifts an organisation's suspension; undefined when there is none or it was not suspended. */
export function reinstateOrganisationRow(db: Db, organisationId: string): Promise<Organisation | undefined> {
  return db
    .updateTable('organisations')
    .set({ standing: 'active', suspended_at: null, suspended_by: null, suspension_reason: null })
    .where('id', '=', organisationId)
    .where('standing', '=', 'suspended')
    .where('deleting_since', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Organisations for the operator's view: suspended first, then trusted, then the newest; with owners' emails and campaign counts. */
export function listOperatorOrganisations(db: Db, limit: number): Promise<OperatorOrganisation[]> {
  return (
    db
      .selectFrom('organisations as o')
      .selectAll('o')
      .select([
        sql<string[]>`array(select r.email::text from organisation_members m join organisers r on r.id = m.organiser_id
        where m.organisation_id = o.id and m.role = 'owner' order by m.created_at)`.as('owners'),
        sql<number>`(select count(*)::int from campaigns c where c.organisation_id = o.id)`.as('campaign_count'),
      ])
      // One being deleted has no member left and nothing an operator could act on: it is gone for them already.
      .where('o.deleting_since', 'is', null)
      .orderBy(sql`o.standing = 'suspended'`, 'desc')
      .orderBy('o.trusted', 'desc')
      .orderBy('o.created_at', 'desc')
      .limit(limit)
      .execute()
  );
}
