import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PostBudget } from '../../src/domain/post-budget.ts';
import { deliverPledge, type DeliveryContext } from '../../src/delivery/deliver-pledge.ts';
import type { DeliveryStore } from '../../src/delivery/delivery-store.ts';
import type { NetworkId } from '../../src/networks/network-id.ts';
import type { PublishOutcome } from '../../src/networks/publish-outcome.ts';
import { createTokenCipher } from '../../src/security/token-cipher.ts';
import type { Db } from '../../src/storage/database.ts';
import type { ClaimedDelivery } from '../../src/storage/delivery.repository.ts';
import type { BudgetReservation } from '../../src/storage/post-budget.repository.ts';
import { scriptedDeliveryStore } from '../support/scripted-delivery-store.ts';
import { scriptedNetwork, type ScriptedNetwork } from '../support/scripted-network.ts';

// The delivery decision table with no database: the claim, reservations and outcomes go through a
// DeliveryStore kept in memory, and the network is scripted. A db that refuses every use proves that
// none of these decisions reaches for Postgres behind the store's back.
const noDatabase = new Proxy<object>(
  {},
  {
    get() {
      throw new Error('a unit test has no database');
    },
  },
) as Db;

const now = new Date('2026-06-01T12:00:00Z');
const minute = 60_000;
const cipher = createTokenCipher({ unit: randomBytes(32).toString('base64') }, 'unit');

function claimed(overrides: Partial<ClaimedDelivery> = {}): ClaimedDelivery {
  return {
    id: 'delivery-1',
    claimId: 'claim-1',
    campaignId: 'campaign-1',
    pledgeId: 'pledge-1',
    network: 'x',
    networkUserId: 'user-1',
    text: 'Stand with us https://example.org',
    attempts: 1,
    mustCheck: false,
    leaseExpiresAt: new Date(now.getTime() + minute),
    retryDeadline: null,
    createdAt: new Date(now.getTime() - minute),
    server: null,
    xMode: 'post',
    credentials: {
      pledge_id: 'pledge-1',
      key_id: cipher.keyId,
      access_token: cipher.encrypt('access-1'),
      refresh_token: null,
      access_expires_at: new Date(now.getTime() + 60 * minute),
      scopes: 'tweet.write',
      updated_at: now,
    },
    accessRefusedReason: null,
    probe: false,
    ...overrides,
  };
}

/** A DeliveryStore in memory: one scripted claim, budget answers in order, and every outcome it was asked to record. */
function scriptedStore(...args: Parameters<typeof scriptedDeliveryStore>) {
  const store = scriptedDeliveryStore(...args);
  return { store, recorded: store.recorded, completed: store.completed, givenBack: store.givenBack };
}

function context(store: DeliveryStore, network: ScriptedNetwork, budget?: PostBudget): DeliveryContext {
  return {
    db: noDatabase,
    store,
    cipher,
    networks: { load: async (id: NetworkId) => (id === network.id ? network : undefined) },
    policy: {
      leaseMs: minute,
      retryWindowMs: 10 * minute,
      budgets: new Map<NetworkId, PostBudget>(budget === undefined ? [] : [[network.id, budget]]),
      pauseProbe: { baseMs: 30_000, capMs: 10 * minute },
    },
    random: () => 0,
    // No campaign has its own post here (repost mode finds nothing to repost).
    campaignPosts: async () => undefined,
  };
}

async function deliver(
  delivery: ClaimedDelivery,
  network: ScriptedNetwork,
  options: { budget?: PostBudget; reservations?: BudgetReservation[] } = {},
) {
  const { store, recorded, completed, givenBack } = scriptedStore({ kind: 'claimed', delivery }, options.reservations);
  const step = await deliverPledge(context(store, network, options.budget), delivery.id);
  return { step, recorded, completed, givenBack };
}

describe('deciding what comes of one delivery', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('posts the pledge once with a stable idempotency key, and finishes the launch check', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'sent', postId: 'post-1' });
    const { step, recorded, completed } = await deliver(claimed(), x);
    expect(step).toEqual({ kind: 'done', record: { state: 'sent', postId: 'post-1' } });
    expect(recorded).toEqual([{ state: 'sent', postId: 'post-1' }]);
    expect(completed).toEqual(['campaign-1']);
    expect(x.calls).toEqual([
      {
        method: 'publish',
        accessToken: 'access-1',
        text: 'Stand with us https://example.org',
        context: { idempotencyKey: 'chorus-delivery-delivery-1', account: { networkUserId: 'user-1', server: null } },
      },
    ]);
  });

  it('leaves a delivery another worker holds, or one already finished, untouched', async () => {
    const x = scriptedNetwork('x');
    const until = new Date(now.getTime() + minute);
    const busy = scriptedStore({ kind: 'busy', until });
    expect(await deliverPledge(context(busy.store, x), 'delivery-1')).toEqual({ kind: 'busy', until });
    const finished = scriptedStore({ kind: 'finished' });
    expect(await deliverPledge(context(finished.store, x), 'delivery-1')).toEqual({ kind: 'already-handled' });
    expect([...busy.recorded, ...finished.recorded]).toEqual([]);
    expect(x.calls).toEqual([]);
  });

  it('reports a lost claim instead of a result when the outcome can no longer be written', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'sent', postId: 'post-1' });
    const { store } = scriptedStore({ kind: 'claimed', delivery: claimed() });
    const step = await deliverPledge(context({ ...store, record: async () => false }, x), 'delivery-1');
    expect(step).toEqual({ kind: 'claim-lost' });
  });

  it('fails at once when the network is not configured or the grant was erased, without calling any network', async () => {
    const x = scriptedNetwork('x');
    expect((await deliver(claimed({ network: 'mastodon' }), x)).recorded).toEqual([
      { state: 'failed', reason: 'mastodon is not configured on this Chorus' },
    ]);
    expect((await deliver(claimed({ credentials: undefined }), x)).recorded).toEqual([
      { state: 'failed', reason: "the supporter's access was already erased" },
    ]);
    expect(x.calls).toEqual([]);
  });

  it('looks for a post that may have gone out before posting, and posts nothing when it is found', async () => {
    const x = scriptedNetwork('x');
    x.willLookUp({ kind: 'found', postId: 'post-earlier' });
    const { recorded } = await deliver(claimed({ mustCheck: true }), x);
    expect(recorded).toEqual([{ state: 'sent', postId: 'post-earlier' }]);
    expect(x.calls.map((call) => call.method)).toEqual(['lookForPost']);
  });

  it('posts after looking when the earlier attempt left nothing on the account', async () => {
    const x = scriptedNetwork('x');
    x.willLookUp({ kind: 'not-found' });
    x.willPublish({ kind: 'sent', postId: 'post-2' });
    const { recorded } = await deliver(claimed({ mustCheck: true }), x);
    expect(recorded).toEqual([{ state: 'sent', postId: 'post-2' }]);
    expect(x.calls.map((call) => call.method)).toEqual(['lookForPost', 'publish']);
  });

  it('comes back after the rate limit resets (plus jitter), still within the retry window', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'retry-after', seconds: 30, reason: 'rate limited' });
    const { recorded, completed } = await deliver(claimed(), x);
    expect(recorded).toEqual([
      {
        state: 'queued',
        reason: 'rate limited',
        nextAttemptAt: new Date(now.getTime() + 30_000 + 250),
        retryDeadline: new Date(now.getTime() + 10 * minute),
      },
    ]);
    expect(completed).toEqual([]);
  });

  it('backs off exponentially from the attempt count, keeping the deadline set at the first problem', async () => {
    const x = scriptedNetwork('x');
    const deadline = new Date(now.getTime() + 5 * minute);
    x.willPublish({ kind: 'retry-with-backoff', reason: 'connection refused' });
    const { recorded } = await deliver(claimed({ attempts: 3, retryDeadline: deadline }), x);
    // Third attempt: a step of 8 s, half of it fixed (random() = 0).
    expect(recorded).toEqual([
      { state: 'queued', reason: 'connection refused', nextAttemptAt: new Date(now.getTime() + 4000), retryDeadline: deadline },
    ]);
  });

  it('gives up with the last reason once the next attempt would fall after the deadline', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'retry-after', seconds: 120, reason: 'rate limited' });
    const { recorded, completed } = await deliver(claimed({ attempts: 4, retryDeadline: new Date(now.getTime() + minute) }), x);
    // The window (10 min) began 9 min ago.
    expect(recorded).toEqual([{ state: 'failed', reason: 'gave up after 4 attempts over 9 min: rate limited' }]);
    expect(completed).toEqual(['campaign-1']);
  });

  it('keeps an unknown outcome unknown, to be looked for before any new post', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'unknown-outcome', reason: 'timed out after sending' });
    const { recorded } = await deliver(claimed(), x);
    expect(recorded).toEqual([
      {
        state: 'unknown',
        reason: 'timed out after sending',
        nextAttemptAt: new Date(now.getTime() + 1000),
        retryDeadline: new Date(now.getTime() + 10 * minute),
      },
    ]);
  });

  it('fails an unknown outcome that could not be confirmed before the deadline, saying so', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'already-posted', reason: 'duplicate content' });
    x.willLookUp({ kind: 'retry-with-backoff', reason: 'timeline unavailable' });
    const { recorded } = await deliver(claimed({ attempts: 9, retryDeadline: new Date(now.getTime() + 1000) }), x);
    expect(recorded).toEqual([
      { state: 'failed', reason: 'whether the post went out could not be confirmed within 10 min: timeline unavailable' },
    ]);
  });

  it('finds the earlier post when the network says the account already posted the text, and fails if it is not there', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'already-posted', reason: 'duplicate content' }, { kind: 'already-posted', reason: 'duplicate content' });
    x.willLookUp({ kind: 'found', postId: 'post-old' }, { kind: 'not-found' });
    expect((await deliver(claimed(), x)).recorded).toEqual([{ state: 'sent', postId: 'post-old' }]);
    expect((await deliver(claimed(), x)).recorded).toEqual([
      { state: 'failed', reason: 'duplicate content (and no such post was found since the launch)' },
    ]);
  });

  it('does not start a publish that could outlast the claim: the delivery goes back, due now', async () => {
    const x = scriptedNetwork('x', { requestTimeoutMs: 30_000 });
    const { recorded } = await deliver(claimed({ leaseExpiresAt: new Date(now.getTime() + 20_000) }), x);
    expect(recorded).toEqual([
      { state: 'queued', reason: 'the claim ran short before the post could be sent', nextAttemptAt: now, retryDeadline: null },
    ]);
    expect(x.calls).toEqual([]);
  });

  it("holds the delivery until the app's budget renews, without calling the network", async () => {
    const x = scriptedNetwork('x');
    const renewsAt = new Date(now.getTime() + 30 * minute);
    const { recorded, completed } = await deliver(claimed(), x, {
      budget: { limit: 10, windowMs: 24 * 60 * minute },
      reservations: [{ kind: 'exhausted', renewsAt }],
    });
    expect(recorded).toEqual([{ state: 'held', nextAttemptAt: new Date(renewsAt.getTime() + 250) }]);
    expect(completed).toEqual([]);
    expect(x.calls).toEqual([]);
  });

  it('posts on a reserved share of the budget and keeps it spent', async () => {
    const x = scriptedNetwork('x');
    x.willPublish({ kind: 'sent', postId: 'post-3' });
    const { recorded } = await deliver(claimed(), x, {
      budget: { limit: 10, windowMs: 24 * 60 * minute },
      reservations: [{ kind: 'reserved', bucketStart: now }],
    });
    expect(recorded).toEqual([{ state: 'sent', postId: 'post-3' }]);
  });
});

describe("giving a post back to the app's budget", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const budget: PostBudget = { limit: 10, windowMs: 24 * 60 * minute };
  const bucketStart = new Date(now.getTime() - 30 * minute);
  const reserved = (): BudgetReservation[] => [{ kind: 'reserved', bucketStart }];

  async function givenBackAfter(outcome: PublishOutcome) {
    const x = scriptedNetwork('x');
    x.willPublish(outcome);
    x.willLookUp({ kind: 'found', postId: 'post-earlier' });
    return (await deliver(claimed(), x, { budget, reservations: reserved() })).givenBack;
  }

  it('keeps the post spent when it went out, or may have', async () => {
    expect(await givenBackAfter({ kind: 'sent', postId: 'post-1' })).toEqual([]);
    expect(await givenBackAfter({ kind: 'unknown-outcome', reason: 'timed out after sending' })).toEqual([]);
  });

  it('gives it back when the network certainly posted nothing', async () => {
    for (const outcome of [
      { kind: 'failed', reason: 'X refused the post' },
      { kind: 'retry-after', seconds: 30, reason: 'X rate limit reached' },
      { kind: 'retry-with-backoff', reason: 'X could not be reached (ECONNREFUSED)' },
      { kind: 'already-posted', reason: 'duplicate content' },
      { kind: 'network-paused', pause: { cause: 'out-of-credits', resumesAt: null, reason: 'X answered 402' } },
      {
        kind: 'account-capped',
        resetsAt: new Date(now.getTime() + 60 * minute),
        reason: "X's 24-hour post cap for this account is reached",
      },
    ] satisfies PublishOutcome[]) {
      expect(await givenBackAfter(outcome), outcome.kind).toEqual([{ network: 'x', bucketStart }]);
    }
  });

  it('gives it back when the post fails for good before reaching the network (nothing to repost)', async () => {
    const x = scriptedNetwork('x');
    const { step, givenBack } = await deliver(claimed({ xMode: 'repost' }), x, { budget, reservations: reserved() });
    expect(step).toMatchObject({ kind: 'done', record: { state: 'failed' } });
    // The network was asked nothing: the campaign's own post was never made.
    expect(x.calls).toEqual([]);
    expect(givenBack).toEqual([{ network: 'x', bucketStart }]);
  });

  it('gives it back when the claim runs short before the post is sent, and takes none back when the budget was spent', async () => {
    const x = scriptedNetwork('x', { requestTimeoutMs: 30_000 });
    const short = await deliver(claimed({ leaseExpiresAt: new Date(now.getTime() + 20_000) }), x, { budget, reservations: reserved() });
    expect(short.givenBack).toEqual([{ network: 'x', bucketStart }]);
    const spent = await deliver(claimed(), x, {
      budget,
      reservations: [{ kind: 'exhausted', renewsAt: new Date(now.getTime() + minute) }],
    });
    expect(spent.givenBack).toEqual([]);
    expect(x.calls).toEqual([]);
  });

  it('reserves nothing, and gives nothing back, when the grant was erased before any post', async () => {
    const x = scriptedNetwork('x');
    const { recorded, givenBack } = await deliver(claimed({ credentials: undefined }), x, { budget });
    expect(recorded).toEqual([{ state: 'failed', reason: "the supporter's access was already erased" }]);
    expect(givenBack).toEqual([]);
  });

  it("says the supporter revoked access, in the network's words, when a refused refresh erased the grant and they did not renew", async () => {
    const x = scriptedNetwork('x');
    const { recorded } = await deliver(
      claimed({ credentials: undefined, accessRefusedReason: "the supporter revoked Chorus's access on X before the launch" }),
      x,
      { budget },
    );
    expect(recorded).toEqual([
      {
        state: 'failed',
        reason: "the supporter revoked Chorus's access on X before the launch, and they did not authorise again before the launch",
      },
    ]);
    expect(x.calls).toEqual([]);
  });
});
