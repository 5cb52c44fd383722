import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliverPledge, type DeliveryContext } from '../../src/delivery/deliver-pledge.ts';
import { decideOnPause } from '../../src/delivery/network-pause-decision.ts';
import type { NetworkPauseAnswer } from '../../src/domain/network-pause.ts';
import type { PostBudget } from '../../src/domain/post-budget.ts';
import type { NetworkId } from '../../src/networks/network-id.ts';
import type { PublishOutcome } from '../../src/networks/publish-outcome.ts';
import { createTokenCipher } from '../../src/security/token-cipher.ts';
import type { Db } from '../../src/storage/database.ts';
import type { ClaimedDelivery } from '../../src/storage/delivery.repository.ts';
import type { NetworkHold } from '../../src/storage/network-hold.repository.ts';
import type { BudgetReservation } from '../../src/storage/post-budget.repository.ts';
import { scriptedDeliveryStore, type ScriptedDeliveryStore } from '../support/scripted-delivery-store.ts';
import { scriptedNetwork, type ScriptedNetwork } from '../support/scripted-network.ts';

// What an app-wide quota answer (X's 402: the credits ran out) does to a delivery and to its network's
// pause, with the network scripted and the store in memory: nothing here reaches Postgres.
const noDatabase = new Proxy<object>(
  {},
  {
    get() {
      throw new Error('a unit test has no database');
    },
  },
) as Db;

const now = new Date('2026-06-01T12:00:00Z');
const second = 1000;
const minute = 60 * second;
const probePolicy = { baseMs: 30 * second, capMs: 10 * minute };
const cipher = createTokenCipher({ unit: randomBytes(32).toString('base64') }, 'unit');
const outOfCredits: NetworkPauseAnswer = { cause: 'out-of-credits', resumesAt: null, reason: 'X answered 402' };
const paused: PublishOutcome = { kind: 'network-paused', pause: outOfCredits };
const at = (ms: number) => new Date(now.getTime() + ms);

function claimed(id: string, overrides: Partial<ClaimedDelivery> = {}): ClaimedDelivery {
  return {
    id,
    claimId: `claim-${id}`,
    campaignId: 'campaign-1',
    pledgeId: `pledge-${id}`,
    network: 'x',
    networkUserId: `user-${id}`,
    text: `Stand with us, from ${id} https://example.org`,
    attempts: 1,
    mustCheck: false,
    leaseExpiresAt: at(2 * minute),
    retryDeadline: null,
    createdAt: at(-minute),
    server: null,
    xMode: 'post',
    credentials: {
      pledge_id: `pledge-${id}`,
      key_id: cipher.keyId,
      access_token: cipher.encrypt(`access-${id}`),
      refresh_token: null,
      access_expires_at: at(60 * minute),
      scopes: 'tweet.write',
      updated_at: now,
    },
    accessRefusedReason: null,
    probe: false,
    ...overrides,
  };
}

function hold(overrides: Partial<NetworkHold> = {}): NetworkHold {
  return {
    network: 'x',
    cause: 'out-of-credits',
    reason: 'X answered 402',
    since: at(-5 * minute),
    nextProbeAt: now,
    probes: 0,
    probeDeliveryId: 'delivery-1',
    ...overrides,
  };
}

function context(store: ScriptedDeliveryStore, network: ScriptedNetwork, budget?: PostBudget): DeliveryContext {
  return {
    db: noDatabase,
    store,
    cipher,
    networks: { load: async (id: NetworkId) => (id === network.id ? network : undefined) },
    policy: {
      leaseMs: 2 * minute,
      retryWindowMs: 10 * minute,
      budgets: new Map<NetworkId, PostBudget>(budget === undefined ? [] : [[network.id, budget]]),
      pauseProbe: probePolicy,
    },
    random: () => 0,
    // No campaign has its own post here (repost mode finds nothing to repost).
    campaignPosts: async () => undefined,
  };
}

/** Delivers `delivery` through a store that starts with `holds`, and answers what came of it. */
async function deliver(
  delivery: ClaimedDelivery,
  network: ScriptedNetwork,
  options: { holds?: NetworkHold[]; budget?: PostBudget; reservations?: BudgetReservation[] } = {},
) {
  const store = scriptedDeliveryStore(
    { kind: 'claimed', delivery },
    options.reservations,
    new Map((options.holds ?? []).map((h) => [h.network, h])),
  );
  const step = await deliverPledge(context(store, network, options.budget), delivery.id);
  return { step, store };
}

describe("deciding what a pause answer does to its network's hold", () => {
  it('starts a pause at the first answer: whoever met it probes first, after the first backoff step', () => {
    const decision = decideOnPause(undefined, { network: 'x', deliveryId: 'delivery-1', answer: outOfCredits }, now, probePolicy, 1);
    expect(decision).toEqual({
      kind: 'started',
      hold: {
        network: 'x',
        cause: 'out-of-credits',
        reason: 'X answered 402',
        since: now,
        nextProbeAt: at(30 * second),
        probes: 0,
        probeDeliveryId: 'delivery-1',
      },
    });
  });

  it('lets only one delivery probe: another that meets the pause waits, and the pause is unchanged', () => {
    const current = hold({ nextProbeAt: at(20 * second) });
    expect(decideOnPause(current, { network: 'x', deliveryId: 'delivery-2', answer: outOfCredits }, now, probePolicy, 1)).toEqual({
      kind: 'joined',
      hold: current,
    });
  });

  it('puts each probe that meets the pause again twice as far off, up to the cap', () => {
    const waits: number[] = [];
    let current: NetworkHold | undefined;
    for (let probe = 0; probe < 7; probe += 1) {
      const decision = decideOnPause(current, { network: 'x', deliveryId: 'delivery-1', answer: outOfCredits }, now, probePolicy, 1);
      waits.push((decision.hold.nextProbeAt.getTime() - now.getTime()) / second);
      current = decision.hold;
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 600, 600]);
    expect(current).toMatchObject({ probes: 6, since: now, probeDeliveryId: 'delivery-1' });
  });

  it("waits for a 24-hour cap's own reset, with a little jitter, rather than probing before it", () => {
    const resumesAt = at(7 * 60 * minute);
    const decision = decideOnPause(
      undefined,
      { network: 'x', deliveryId: 'delivery-1', answer: { cause: 'app-daily-cap', resumesAt, reason: 'cap' } },
      now,
      probePolicy,
      0,
    );
    expect(decision.hold.nextProbeAt).toEqual(new Date(resumesAt.getTime() + 250));
  });

  it('probes on the backoff when the reset given is past or beyond a day', () => {
    for (const resumesAt of [at(-minute), at(26 * 60 * minute)]) {
      const decision = decideOnPause(
        undefined,
        { network: 'x', deliveryId: 'delivery-1', answer: { cause: 'app-daily-cap', resumesAt, reason: 'cap' } },
        now,
        probePolicy,
        1,
      );
      expect(decision.hold.nextProbeAt).toEqual(at(30 * second));
    }
  });

  it("gives an empty probe's place to the next delivery that meets the pause, and never to the campaign's own post", () => {
    const vacant = hold({ probeDeliveryId: null, probes: 2 });
    expect(decideOnPause(vacant, { network: 'x', deliveryId: 'delivery-7', answer: outOfCredits }, now, probePolicy, 1)).toMatchObject({
      kind: 'extended',
      hold: { probeDeliveryId: 'delivery-7', probes: 3, nextProbeAt: at(240 * second) },
    });
    expect(decideOnPause(hold(), { network: 'x', deliveryId: null, answer: outOfCredits }, now, probePolicy, 1)).toEqual({
      kind: 'joined',
      hold: hold(),
    });
  });
});

describe('a delivery that meets a paused network', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is held, not failed, when X refuses for want of credits: it starts the pause and probes at its first step', async () => {
    const x = scriptedNetwork('x');
    x.willPublish(paused);
    const { step, store } = await deliver(claimed('delivery-1'), x);
    // random() = 0: half the first step of 30 s.
    expect(store.recorded).toEqual([{ state: 'held', nextAttemptAt: at(15 * second) }]);
    expect(step).toMatchObject({ kind: 'done', pause: { kind: 'started' } });
    expect(store.holds.get('x')).toMatchObject({ probeDeliveryId: 'delivery-1', nextProbeAt: at(15 * second), probes: 0 });
    // Nothing is final, so the launch is not checked for completion.
    expect(store.completed).toEqual([]);
  });

  it('waits with no time of its own when another delivery is the probe, and leaves the pause as it was', async () => {
    const x = scriptedNetwork('x');
    x.willPublish(paused);
    const current = hold({ nextProbeAt: at(40 * second) });
    const { step, store } = await deliver(claimed('delivery-2'), x, { holds: [current] });
    expect(store.recorded).toEqual([{ state: 'held', nextAttemptAt: null }]);
    expect(step).toMatchObject({ kind: 'done', pause: { kind: 'joined' } });
    expect(store.holds.get('x')).toEqual(current);
  });

  it('as the probe, meets the pause again and comes back later', async () => {
    const x = scriptedNetwork('x');
    x.willPublish(paused);
    const { store } = await deliver(claimed('delivery-1', { probe: true, attempts: 4 }), x, { holds: [hold({ probes: 2 })] });
    // The fourth probe: a step of 240 s, half of it fixed.
    expect(store.recorded).toEqual([{ state: 'held', nextAttemptAt: at(120 * second) }]);
    expect(store.holds.get('x')).toMatchObject({ probes: 3, nextProbeAt: at(120 * second), probeDeliveryId: 'delivery-1' });
  });

  it('as the probe whose post goes out, ends the pause: it is posted once and recorded sent', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'sent', postId: 'post-1' });
    const { step, store } = await deliver(claimed('delivery-1', { probe: true }), x, { holds: [hold()] });
    expect(store.recorded).toEqual([{ state: 'sent', postId: 'post-1' }]);
    expect(step).toEqual({ kind: 'done', record: { state: 'sent', postId: 'post-1' }, pause: { kind: 'ended', hold: hold() } });
    expect(store.holds.size).toBe(0);
    expect(x.calls.filter((call) => call.method === 'publish')).toHaveLength(1);
  });

  it('leaves the pause to its probe when another delivery, claimed before the pause began, gets its post out', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'sent', postId: 'post-2' });
    const { step, store } = await deliver(claimed('delivery-2'), x, { holds: [hold()] });
    expect(step).toEqual({ kind: 'done', record: { state: 'sent', postId: 'post-2' } });
    expect(store.holds.get('x')).toEqual(hold());
  });

  it('as the probe, fails for its own reasons without ending the pause (the sweep finds another probe)', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'failed', reason: "X no longer accepts this supporter's authorisation" });
    const { step, store } = await deliver(claimed('delivery-1', { probe: true }), x, { holds: [hold()] });
    expect(step).toEqual({ kind: 'done', record: { state: 'failed', reason: "X no longer accepts this supporter's authorisation" } });
    expect(store.holds.get('x')).toEqual(hold());
  });

  it('is held when looking for an earlier post meets the pause, and keeps the pause as the probe', async () => {
    const x = scriptedNetwork('x');
    x.willLookUp({ kind: 'network-paused', pause: outOfCredits });
    const { store } = await deliver(claimed('delivery-1', { probe: true, mustCheck: true }), x, { holds: [hold()] });
    expect(store.recorded).toEqual([{ state: 'held', nextAttemptAt: at(30 * second) }]);
    expect(x.calls.map((call) => call.method)).toEqual(['lookForPost']);
  });

  it('is not posted at all when its claim finds the network paused', async () => {
    const x = scriptedNetwork('x');
    const store = scriptedDeliveryStore({ kind: 'paused', network: 'x' });
    expect(await deliverPledge(context(store, x), 'delivery-3')).toEqual({ kind: 'paused' });
    expect(store.recorded).toEqual([]);
    expect(x.calls).toEqual([]);
  });

  it("waits for its account's own 24-hour cap to reset, past its retry deadline, instead of failing", async () => {
    const x = scriptedNetwork('x');
    const resetsAt = at(9 * 60 * minute);
    x.willPublish({ kind: 'account-capped', resetsAt, reason: "X's 24-hour post cap for this account is reached" });
    const { store } = await deliver(claimed('delivery-1', { retryDeadline: at(minute) }), x);
    expect(store.recorded).toEqual([{ state: 'held', nextAttemptAt: new Date(resetsAt.getTime() + 250) }]);
    expect(store.holds.size).toBe(0);
  });

  it('leaves every pledge of a launch posted once and none failed when X refuses the first posts and then recovers', async () => {
    // Three deliveries at once meet 402; the first becomes the probe. Its first probe meets 402 again,
    // its second is posted, and the two that waited are posted when they are handed out again.
    const x = scriptedNetwork('x');
    const holds = new Map<NetworkId, NetworkHold>();
    const ids = ['delivery-1', 'delivery-2', 'delivery-3'];
    const run = async (id: string, probe: boolean) => {
      const store = scriptedDeliveryStore({ kind: 'claimed', delivery: claimed(id, { probe }) }, [], holds);
      const step = await deliverPledge(context(store, x), id);
      return step.kind === 'done' ? step.record.state : step.kind;
    };
    x.willPublish(paused, paused, paused);
    expect([await run('delivery-1', false), await run('delivery-2', false), await run('delivery-3', false)]).toEqual([
      'held',
      'held',
      'held',
    ]);
    x.willPublish(paused);
    expect(await run('delivery-1', true)).toBe('held');
    x.willPublish({ kind: 'sent', postId: 'post-1' }, { kind: 'sent', postId: 'post-2' }, { kind: 'sent', postId: 'post-3' });
    expect(await run('delivery-1', true)).toBe('sent');
    expect(holds.size).toBe(0);
    expect([await run('delivery-2', false), await run('delivery-3', false)]).toEqual(['sent', 'sent']);
    const published = x.calls.flatMap((call) => (call.method === 'publish' ? [call.context.idempotencyKey] : []));
    // Every attempt refused was refused before anything was posted; each delivery's post went out once.
    expect(published.slice(-3)).toEqual(ids.map((id) => `chorus-delivery-${id}`));
  });
});
