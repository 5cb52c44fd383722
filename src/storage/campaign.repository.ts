import { sql } from 'kysely';
import {
  campaignStatesMovingTo,
  canMoveCampaign,
  editableCampaignStates,
  privateCampaignStates,
  type CampaignState,
} from '../domain/campaign-state.ts';
import type { OrganisationRole } from '../domain/organisation-role.ts';
import type { OrganisationStanding } from '../domain/organisation-standing.ts';
import type { Campaign, CampaignTotals, CampaignUpdate, Db, NewCampaign } from './database.ts';
import { isUniqueViolation } from './organiser.repository.ts';

/**
 * A campaign's supporters and reach, summed from its tally stripes (migration 0007), as columns
 * of a query on `campaigns`: every read of a campaign carries its totals.
 */
const campaignTotals = [
  sql<number>`(select coalesce(sum(t.supporters), 0)::int from campaign_network_tallies t where t.campaign_id = campaigns.id)`.as(
    'supporter_count',
  ),
  sql<number>`(select coalesce(sum(t.reach), 0)::int8 from campaign_network_tallies t where t.campaign_id = campaigns.id)`.as('reach'),
] as const;

/** Campaigns, each with its totals: the start of every query that reads whole campaigns. */
export function campaignsWithTotals(db: Db) {
  return db.selectFrom('campaigns').selectAll('campaigns').select(campaignTotals);
}

/** A campaign's supporters and reach as of this statement (the launch reads them under its row lock). */
export function readCampaignTotals(db: Db, campaignId: string): Promise<CampaignTotals> {
  return db.selectFrom('campaigns').select(campaignTotals).where('id', '=', campaignId).executeTakeFirstOrThrow();
}

/** Adds a campaign; `slug-taken` when another campaign has the slug. */
export async function insertCampaign(db: Db, values: NewCampaign): Promise<Campaign | 'slug-taken'> {
  try {
    const campaign = await db.insertInto('campaigns').values(values).returningAll().executeTakeFirstOrThrow();
    return { ...campaign, supporter_count: 0, reach: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) return 'slug-taken';
    throw error;
  }
}

/**
 * A campaign of an organisation the organiser is a member of, with their role in it; undefined when they are in
 * none, so they cannot tell it exists. The one query behind every membership check on a campaign.
 */
export function findMemberCampaign(
  db: Db,
  organiserId: string,
  campaignId: string,
): Promise<(Campaign & { readonly member_role: OrganisationRole; readonly organisation_standing: OrganisationStanding }) | undefined> {
  return campaignsWithTotals(db)
    .innerJoin('organisation_members as m', (join) =>
      join.onRef('m.organisation_id', '=', 'campaigns.organisation_id').on('m.organiser_id', '=', organiserId),
    )
    .innerJoin('organisations as o', 'o.id', 'campaigns.organisation_id')
    .select(['m.role as member_role', 'o.standing as organisation_standing'])
    .where('campaigns.id', '=', campaignId)
    .executeTakeFirst();
}

/**
 * The campaigns of every organisation the organiser is a member of (or of one of them), soonest launch first; never
 * those of a suspended organisation.
 */
export function listMemberCampaigns(db: Db, organiserId: string, organisationId?: string): Promise<Campaign[]> {
  let query = campaignsWithTotals(db).where('campaigns.organisation_id', 'in', (eb) =>
    eb
      .selectFrom('organisation_members as m')
      .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
      .select('m.organisation_id')
      .where('m.organiser_id', '=', organiserId)
      .where('o.standing', '=', 'active'),
  );
  if (organisationId !== undefined) query = query.where('campaigns.organisation_id', '=', organisationId);
  return query.orderBy('launch_at').execute();
}

/** The campaign at a public slug, in any public state (drafts and campaigns in review are private to their organiser). */
export function findPublicCampaign(db: Db, slug: string): Promise<Campaign | undefined> {
  return campaignsWithTotals(db).where('slug', '=', slug).where('state', 'not in', privateCampaignStates).executeTakeFirst();
}

/** The campaign with this id. */
export function findCampaign(db: Db, campaignId: string): Promise<Campaign | undefined> {
  return campaignsWithTotals(db).where('id', '=', campaignId).executeTakeFirst();
}

/**
 * Changes an editable campaign (never its state); undefined when it no longer was editable
 * (another request or the launch moved it first).
 */
export function updateEditableCampaign(db: Db, campaignId: string, changes: Omit<CampaignUpdate, 'state'>): Promise<Campaign | undefined> {
  return updateCampaignInStates(db, campaignId, editableCampaignStates, changes);
}

/**
 * Moves a campaign to `to`, with `changes` written alongside, only from a state the domain's
 * transition table allows (src/domain/campaign-state.ts): every state change goes through here.
 * Undefined when the campaign was in none of those states (someone else moved it first).
 */
export function moveCampaign(
  db: Db,
  campaignId: string,
  to: CampaignState,
  changes: Omit<CampaignUpdate, 'state'> = {},
): Promise<Campaign | undefined> {
  const from = campaignStatesMovingTo(to);
  // No state leads to `to` (a campaign is only ever created a draft): nothing may move there.
  if (from.length === 0) return Promise.resolve(undefined);
  return updateCampaignInStates(db, campaignId, from, { ...changes, state: to });
}

/**
 * Moves a campaign from exactly `from` to `to` (a move the transition table allows), with `changes`: for moves that
 * depend on the state it was in (a suspension remembers it, lifting one goes back to it). Undefined when the campaign
 * was no longer in `from`.
 */
export function moveCampaignFrom(
  db: Db,
  campaignId: string,
  from: CampaignState,
  to: CampaignState,
  changes: Omit<CampaignUpdate, 'state'> = {},
): Promise<Campaign | undefined> {
  if (!canMoveCampaign(from, to)) return Promise.resolve(undefined);
  return updateCampaignInStates(db, campaignId, [from], { ...changes, state: to });
}

/** An organiser's campaigns in these states (an operator suspending or reinstating them), oldest first. */
export function listOrganiserCampaignsIn(db: Db, organiserId: string, states: readonly CampaignState[]): Promise<Campaign[]> {
  if (states.length === 0) return Promise.resolve([]);
  return campaignsWithTotals(db).where('organiser_id', '=', organiserId).where('state', 'in', states).orderBy('created_at').execute();
}

/** An organisation's campaigns in these states (an operator suspending or reinstating it), oldest first. */
export function listOrganisationCampaignsIn(db: Db, organisationId: string, states: readonly CampaignState[]): Promise<Campaign[]> {
  if (states.length === 0) return Promise.resolve([]);
  return campaignsWithTotals(db).where('organisation_id', '=', organisationId).where('state', 'in', states).orderBy('created_at').execute();
}

/**
 * Hands a campaign suspended with its organiser over to its organisation's suspension (the organiser is reinstated
 * while the organisation is not): lifting the organisation's then lifts it. False when it is no longer suspended.
 */
export async function passSuspensionToOrganisation(db: Db, campaignId: string): Promise<boolean> {
  const changed = await db
    .updateTable('campaigns')
    .set({ suspended_with_organiser: false, suspended_with_organisation: true })
    .where('id', '=', campaignId)
    .where('state', '=', 'suspended')
    .executeTakeFirst();
  return changed.numUpdatedRows > 0n;
}

/** A campaign on the operator's lists, with who runs it. */
export type OperatorCampaign = Campaign & { readonly organiser_name: string | null; readonly organiser_email: string | null };

/** Campaigns in a state, with their organisers (null: the creator's account is deleted), soonest launch first (the operator's lists). */
export function listCampaignsInState(db: Db, state: CampaignState, limit: number): Promise<OperatorCampaign[]> {
  return db
    .selectFrom('campaigns')
    .leftJoin('organisers', 'organisers.id', 'campaigns.organiser_id')
    .selectAll('campaigns')
    .select(campaignTotals)
    .select(['organisers.name as organiser_name', 'organisers.email as organiser_email'])
    .where('campaigns.state', '=', state)
    .orderBy('campaigns.launch_at')
    .limit(limit)
    .execute();
}

/** How many campaigns are in each state (states with none are left out). */
export async function countCampaignsByState(db: Db): Promise<Partial<Record<CampaignState, number>>> {
  const rows = await db
    .selectFrom('campaigns')
    .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('state')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
}

/** A launch ahead, with its X pledges: what the operator's budget check needs. */
export interface UpcomingLaunch {
  readonly id: string;
  readonly title: string;
  readonly slug: string;
  readonly state: CampaignState;
  readonly launch_at: Date;
  readonly time_zone: string;
  readonly networks: Campaign['networks'];
  readonly goal: number;
  readonly x_supporters: number;
  readonly organiser_name: string | null;
}

/** Campaigns collecting or in review whose launch falls between `from` and `until`, soonest first, with their X supporters. */
export function listUpcomingLaunches(db: Db, from: Date, until: Date): Promise<UpcomingLaunch[]> {
  return db
    .selectFrom('campaigns')
    .leftJoin('organisers', 'organisers.id', 'campaigns.organiser_id')
    .select([
      'campaigns.id',
      'campaigns.title',
      'campaigns.slug',
      'campaigns.state',
      'campaigns.launch_at',
      'campaigns.time_zone',
      'campaigns.networks',
      'campaigns.goal',
      'organisers.name as organiser_name',
      sql<number>`(select coalesce(sum(t.supporters), 0)::int from campaign_network_tallies t
        where t.campaign_id = campaigns.id and t.network = 'x')`.as('x_supporters'),
    ])
    .where('campaigns.state', 'in', ['collecting', 'in_review'])
    .where('campaigns.launch_at', '>', from)
    .where('campaigns.launch_at', '<=', until)
    .orderBy('campaigns.launch_at')
    .limit(1000)
    .execute();
}

function updateCampaignInStates(
  db: Db,
  campaignId: string,
  states: readonly CampaignState[],
  changes: CampaignUpdate,
): Promise<Campaign | undefined> {
  return db
    .updateTable('campaigns')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', campaignId)
    .where('state', 'in', states)
    .returningAll()
    .returning(campaignTotals)
    .executeTakeFirst();
}

/** Campaigns that still need a launch job: collecting ones, and launches that have not finished. */
export function listCampaignsAwaitingLaunch(db: Db): Promise<Pick<Campaign, 'id' | 'launch_at' | 'state'>[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'launch_at', 'state'])
    .where((eb) => eb.or([eb('state', '=', 'collecting'), eb.and([eb('state', '=', 'launching'), eb('release_enqueued_at', 'is', null)])]))
    .execute();
}

/** Collecting campaigns that launch between now and `until`: their networks are loaded and their supporters' tokens refreshed ahead of the launch. */
export function listCampaignsLaunchingBefore(db: Db, now: Date, until: Date): Promise<Pick<Campaign, 'id' | 'launch_at' | 'networks'>[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'launch_at', 'networks'])
    .where('state', '=', 'collecting')
    .where('launch_at', '>', now)
    .where('launch_at', '<=', until)
    .orderBy('launch_at')
    .execute();
}

/**
 * Campaigns whose launch job should exist by `until`: collecting ones due by then, and launches
 * that have not handed out every pledge. The recovery sweep re-adds their jobs if Redis lost them.
 */
export function listLaunchesDueBy(db: Db, until: Date): Promise<Pick<Campaign, 'id' | 'launch_at'>[]> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'launch_at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('state', '=', 'collecting'), eb('launch_at', '<=', until)]),
        eb.and([eb('state', '=', 'launching'), eb('release_enqueued_at', 'is', null)]),
      ]),
    )
    .execute();
}

/** Live campaigns (collecting or launching) whose organisers chose to list them on the home page, soonest launch first. */
export function listListedLiveCampaigns(db: Db, limit: number): Promise<Campaign[]> {
  // Matches the partial index campaigns_listed_live_idx (migration 0019).
  return campaignsWithTotals(db)
    .where('listed', '=', true)
    .where('state', 'in', ['collecting', 'launching'])
    .orderBy('launch_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
