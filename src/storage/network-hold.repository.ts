import { sql, type Selectable } from 'kysely';
import { deliveryStates, isDeliveryFinal } from '../domain/delivery-state.ts';
import type { NetworkPauseCause } from '../domain/network-pause.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { Db, NetworkHoldsTable } from './database.ts';

/** A paused network as the delivery decisions see it: why, since when, and who probes next, when. */
export interface NetworkHold {
  readonly network: NetworkId;
  readonly cause: NetworkPauseCause;
  /** The network's own words, for the operator's logs (never shown to organisers: it may name the operator's account). */
  readonly reason: string;
  readonly since: Date;
  readonly nextProbeAt: Date;
  /** Probes that met the pause again since it began. */
  readonly probes: number;
  /** The one delivery that may be claimed while the pause lasts; none while no delivery probes. */
  readonly probeDeliveryId: string | null;
}

const unfinishedStates = deliveryStates.filter((state) => !isDeliveryFinal(state));
// A delivery a paused network keeps waiting: not finished, and not in a worker's hands.
const waitingStates = unfinishedStates.filter((state) => state !== 'claimed');

/** Every paused network (a handful of rows at most). */
export async function listNetworkHolds(db: Db): Promise<NetworkHold[]> {
  const rows = await db.selectFrom('network_holds').selectAll().orderBy('network').execute();
  return rows.map(holdOf);
}

/**
 * Reads the network's pause under a transaction-scoped lock of its own, lets `decide` say what
 * it becomes, and stores that (`store: null` leaves it as it was). Deliveries that meet a pause
 * at the same moment decide one after the other, so only one of them becomes the probe.
 */
export function changeNetworkHold<T>(
  db: Db,
  network: NetworkId,
  decide: (current: NetworkHold | undefined) => { store: NetworkHold | null; result: T },
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`chorus-network-hold:${network}`}))`.execute(trx);
    const row = await trx.selectFrom('network_holds').selectAll().where('network', '=', network).executeTakeFirst();
    const { store, result } = decide(row === undefined ? undefined : holdOf(row));
    if (store !== null) {
      const values = {
        network: store.network,
        cause: store.cause,
        reason: store.reason,
        since: store.since,
        next_probe_at: store.nextProbeAt,
        probes: store.probes,
        probe_delivery_id: store.probeDeliveryId,
        updated_at: new Date(),
      };
      await trx
        .insertInto('network_holds')
        .values(values)
        .onConflict((oc) => oc.column('network').doUpdateSet(values))
        .execute();
    }
    return result;
  });
}

/**
 * Ends the network's pause because its probe's post went out: only while that delivery is still
 * the probe. Answers the pause that ended, or undefined when there was none to end.
 */
export async function endNetworkHold(db: Db, network: NetworkId, probeDeliveryId: string): Promise<NetworkHold | undefined> {
  const row = await db
    .deleteFrom('network_holds')
    .where('network', '=', network)
    .where('probe_delivery_id', '=', probeDeliveryId)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : holdOf(row);
}

/**
 * A page of the deliveries a network's pause kept waiting in one launching campaign, due now,
 * by id after `afterId`: handed out again once the pause ends.
 */
export async function listDeliveriesWaitingOn(
  db: Db,
  network: NetworkId,
  campaignId: string,
  afterId: string | null,
  limit: number,
  now: Date,
): Promise<string[]> {
  let query = db
    .selectFrom('deliveries')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('network', '=', network)
    // A claim whose lease ran out was left by a worker that died: it waits too (and is looked for before posting).
    .where((eb) => eb.or([eb('state', 'in', waitingStates), eb.and([eb('state', '=', 'claimed'), eb('lease_expires_at', '<=', now)])]))
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now), eb('state', '=', 'claimed')]))
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return (await query.execute()).map((row) => row.id);
}

/** The launching campaigns that post to `network`: the only ones a pause can keep waiting. */
export async function listLaunchingCampaignsOn(db: Db, network: NetworkId): Promise<string[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('state', '=', 'launching')
    .where(sql<boolean>`${network} = any(networks)`)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** What the recovery sweep did for a pause whose probe's place was empty. */
export type ProbeVacancy =
  | { readonly kind: 'probe-chosen'; readonly network: NetworkId; readonly deliveryId: string; readonly at: Date }
  /** Nothing waits on the network any more: the pause is dropped, and the next post finds out for itself. */
  | { readonly kind: 'dropped'; readonly network: NetworkId };

/**
 * Gives each pause that is due for a probe, and has none that can still run, a new probe: a
 * waiting delivery of the network, due now. A pause nothing waits on, past due by `graceMs`
 * (its prober, the campaign's own post, would have come back by then), is dropped.
 */
export async function fillProbeVacancies(db: Db, now: Date, graceMs: number): Promise<ProbeVacancy[]> {
  const vacant = await db
    .selectFrom('network_holds as h')
    .selectAll('h')
    .where('h.next_probe_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('h.probe_delivery_id', 'is', null),
        eb.not(
          eb.exists(
            eb
              .selectFrom('deliveries as d')
              .select(sql.lit(1).as('one'))
              .whereRef('d.id', '=', 'h.probe_delivery_id')
              .where('d.state', 'in', unfinishedStates),
          ),
        ),
      ]),
    )
    .execute();
  const filled: ProbeVacancy[] = [];
  for (const hold of vacant) {
    const candidate = await firstWaitingDelivery(db, hold.network, now);
    if (candidate !== undefined) {
      const chosen = await db
        .updateTable('network_holds')
        .set({ probe_delivery_id: candidate, updated_at: now })
        .where('network', '=', hold.network)
        .where((eb) =>
          hold.probe_delivery_id === null ? eb('probe_delivery_id', 'is', null) : eb('probe_delivery_id', '=', hold.probe_delivery_id),
        )
        .executeTakeFirst();
      if (chosen.numUpdatedRows > 0n)
        filled.push({ kind: 'probe-chosen', network: hold.network, deliveryId: candidate, at: hold.next_probe_at });
    } else if (hold.next_probe_at.getTime() < now.getTime() - graceMs) {
      const dropped = await db
        .deleteFrom('network_holds')
        .where('network', '=', hold.network)
        .where('next_probe_at', '=', hold.next_probe_at)
        .executeTakeFirst();
      if (dropped.numDeletedRows > 0n) filled.push({ kind: 'dropped', network: hold.network });
    }
  }
  return filled;
}

async function firstWaitingDelivery(db: Db, network: NetworkId, now: Date): Promise<string | undefined> {
  for (const campaignId of await listLaunchingCampaignsOn(db, network)) {
    const [id] = await listDeliveriesWaitingOn(db, network, campaignId, null, 1, now);
    if (id !== undefined) return id;
  }
  return undefined;
}

function holdOf(row: Selectable<NetworkHoldsTable>): NetworkHold {
  return {
    network: row.network,
    cause: row.cause,
    reason: row.reason,
    since: row.since,
    nextProbeAt: row.next_probe_at,
    probes: row.probes,
    probeDeliveryId: row.probe_delivery_id,
  };
}
