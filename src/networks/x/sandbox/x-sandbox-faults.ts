import Type, { type Static } from 'typebox';

/** One way the sandbox can misbehave on `POST /2/tweets`, as real networks do. */
export const XSandboxFaultSchema = Type.Union([
  /** Records the post, then answers only after `delayMs` (a client that gives up first cannot tell it went out). */
  Type.Object({ kind: Type.Literal('slow'), delayMs: Type.Integer({ minimum: 0, maximum: 120_000 }) }),
  /** Refuses with 429 and an `x-rate-limit-reset` this many seconds ahead; nothing is posted. */
  Type.Object({ kind: Type.Literal('rate-limit'), resetSeconds: Type.Integer({ minimum: 0, maximum: 3600 }) }),
  /** Answers 503 without posting. */
  Type.Object({ kind: Type.Literal('server-error-before-post') }),
  /** Records the post, then answers 500. */
  Type.Object({ kind: Type.Literal('server-error-after-post') }),
  /** Records the post, then drops the connection without an answer. */
  Type.Object({ kind: Type.Literal('drop-after-post') }),
  /** Refuses with 402, as X does when the app's prepaid credits ran out; nothing is posted. */
  Type.Object({ kind: Type.Literal('credits-depleted') }),
  /** Refuses with 429 and the app's 24-hour cap spent (`x-app-limit-24hour-remaining: 0`), resetting this many seconds ahead. */
  Type.Object({ kind: Type.Literal('app-daily-cap'), resetSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }) }),
  /** Refuses with 429 and the user's 24-hour cap spent (`x-user-limit-24hour-remaining: 0`), resetting this many seconds ahead. */
  Type.Object({ kind: Type.Literal('user-daily-cap'), resetSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }) }),
]);

export type XSandboxFault = Static<typeof XSandboxFaultSchema>;

/** What `POST /__sandbox/faults` takes: each post draws one fault (or none) from the seeded rules. */
export const XSandboxFaultPlanSchema = Type.Object(
  {
    seed: Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 }),
    rules: Type.Array(
      Type.Object({ fault: XSandboxFaultSchema, probability: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false }),
      {
        maxItems: 20,
      },
    ),
    /** Closes the listening socket for this long: new connections are refused, as by a host that is down. */
    refuseConnectionsForMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000 })),
    /**
     * A fault that lasts a while, whatever the rules draw: every post (and, for `credits-depleted`,
     * every read of a timeline) meets it until `requests` of them have, or `forMs` has passed,
     * whichever comes first; then the sandbox recovers by itself.
     */
    outage: Type.Optional(
      Type.Object(
        {
          fault: XSandboxFaultSchema,
          requests: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          forMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type XSandboxFaultPlan = Static<typeof XSandboxFaultPlanSchema>;

interface Outage {
  readonly fault: XSandboxFault;
  requestsLeft: number;
  readonly endsAtMs: number;
}

/** Draws faults from a plan, reproducibly for a seed, after any outage in force. */
export class XSandboxFaults {
  private rules: XSandboxFaultPlan['rules'] = [];
  private random: () => number = () => 1;
  private outage: Outage | undefined;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Replaces the plan; an empty list of rules and no outage means the sandbox behaves. */
  set(plan: Pick<XSandboxFaultPlan, 'seed' | 'rules' | 'outage'>): void {
    this.rules = plan.rules;
    this.random = seededRandom(plan.seed);
    const outage = plan.outage;
    this.outage =
      outage === undefined
        ? undefined
        : {
            fault: outage.fault,
            requestsLeft: outage.requests ?? Number.POSITIVE_INFINITY,
            endsAtMs: outage.forMs === undefined ? Number.POSITIVE_INFINITY : this.now() + outage.forMs,
          };
  }

  /** The outage's fault, counting this request against it, while the outage lasts. */
  outageFault(): XSandboxFault | undefined {
    const outage = this.outage;
    if (outage === undefined) return undefined;
    if (outage.requestsLeft <= 0 || this.now() >= outage.endsAtMs) {
      this.outage = undefined;
      return undefined;
    }
    outage.requestsLeft -= 1;
    return outage.fault;
  }

  /** The outage's fault while it lasts, without counting this request against it (reads of a timeline). */
  outageInForce(): XSandboxFault | undefined {
    const outage = this.outage;
    if (outage === undefined || outage.requestsLeft <= 0 || this.now() >= outage.endsAtMs) return undefined;
    return outage.fault;
  }

  /** The fault for the next post: the outage's while it lasts, else one drawn from the rules, if any. */
  next(): XSandboxFault | undefined {
    const outage = this.outageFault();
    if (outage !== undefined) return outage;
    if (this.rules.length === 0) return undefined;
    let draw = this.random();
    for (const rule of this.rules) {
      if (draw < rule.probability) return rule.fault;
      draw -= rule.probability;
    }
    return undefined;
  }
}

/** mulberry32: a small, fast PRNG whose whole state is one seed, so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
