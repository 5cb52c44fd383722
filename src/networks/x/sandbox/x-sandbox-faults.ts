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
  },
  { additionalProperties: false },
);

export type XSandboxFaultPlan = Static<typeof XSandboxFaultPlanSchema>;

/** Draws faults from a plan, reproducibly for a seed. */
export class XSandboxFaults {
  private rules: XSandboxFaultPlan['rules'] = [];
  private random: () => number = () => 1;

  /** Replaces the plan; an empty list of rules means the sandbox behaves. */
  set(plan: Pick<XSandboxFaultPlan, 'seed' | 'rules'>): void {
    this.rules = plan.rules;
    this.random = seededRandom(plan.seed);
  }

  /** The fault for the next post, if one is drawn. */
  next(): XSandboxFault | undefined {
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
