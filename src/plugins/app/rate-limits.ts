import { createHash } from 'node:crypto';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { TooManyRequestsError } from '../../routes/too-many-requests-error.ts';
import { createProcessRateCounter } from './process-rate-counter.ts';
import { rateLimitTable, scaledMax, type RateLimitName, type RateLimitRule, type RateLimitSubject } from './rate-limit-table.ts';

/** A hook that lets a request through, or throws `TooManyRequestsError` when one of its limits is used up. */
export type RateLimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A hook (`onRequest`, or `preHandler` when the limit reads the body or the signed-in organiser)
     * that counts the request against each named limit of rate-limit-table.ts, in order, and answers
     * 429 with Retry-After at the first one used up.
     */
    rateLimited(...names: RateLimitName[]): RateLimitHook;
  }
}

// How long start-up waits for Redis before answering without limits until it comes.
const REDIS_READY_WAIT_MS = 5000;

const letThrough: RateLimitHook = async () => undefined;

/**
 * The rate limits, counted in Redis so that every API process shares them (@fastify/rate-limit's
 * Redis store: one atomic script call per limit and request, keys under `<prefix>:rate-limit:`),
 * but for the public reads, which count in this process's memory (rate-limit-table.ts says why).
 * When Redis does not answer, requests pass (the password hashing stays bounded, src/security/password.ts)
 * and a warning is logged once per outage. A scale of 0 turns every limit off and opens no connection.
 */
export default fp<{ redisUrl: string; prefix: string; scale: number }>(async (app, { redisUrl, prefix, scale }) => {
  if (scale === 0) {
    app.decorate('rateLimited', () => letThrough);
    return;
  }
  // No offline queue and one retry: while Redis is away a request is answered at once, unlimited, rather than held.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  let outageReported = false;
  redis.on('error', (error: Error) => {
    if (!outageReported) app.log.warn({ err: error }, 'rate limits: Redis does not answer; requests pass unlimited until it does');
    outageReported = true;
  });
  redis.on('ready', () => {
    outageReported = false;
  });
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => {
      redis.disconnect();
    });
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, REDIS_READY_WAIT_MS);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });

  await app.register(fastifyRateLimit, { global: false, redis, nameSpace: `${prefix}:rate-limit:`, skipOnError: true });
  const inProcess = createProcessRateCounter();
  const inRedis = new Map(
    (Object.entries(rateLimitTable) as [RateLimitName, RateLimitRule][])
      .filter(([, rule]) => rule.store === 'redis')
      .map(([name, rule]) => [
        name,
        app.createRateLimit({
          max: scaledMax(rule, scale),
          timeWindow: rule.windowSeconds * 1000,
          keyGenerator: (request) => `${name}:${subjectOf(rule.per, request) ?? ''}`,
        }),
      ]),
  );

  /** Counts the request against one limit; answers the seconds to wait when it is used up. */
  async function count(name: RateLimitName, subject: string, request: FastifyRequest): Promise<number | undefined> {
    const rule: RateLimitRule = rateLimitTable[name];
    switch (rule.store) {
      case 'process': {
        const now = Date.now();
        const window = inProcess.count(`${name}:${subject}`, rule.windowSeconds * 1000, now);
        return window.count > scaledMax(rule, scale) ? Math.ceil((window.endsAt - now) / 1000) : undefined;
      }
      case 'redis': {
        const check = inRedis.get(name);
        if (check === undefined) return undefined;
        const limit = await check(request);
        return !limit.isAllowed && limit.isExceeded ? limit.ttlInSeconds : undefined;
      }
    }
  }

  const madeHere = new WeakSet<RateLimitHook>();
  app.decorate('rateLimited', (...names: RateLimitName[]): RateLimitHook => {
    const hook: RateLimitHook = async (request, reply) => checkLimits(names, request, reply);
    madeHere.add(hook);
    return hook;
  });

  // Every route declared after this plugin (all of them: app.ts registers it first) that attaches
  // no limit of its own is counted by the floor, so that a route cannot be left unlimited by omission.
  const floor = app.rateLimited('any-request-per-client');
  app.addHook('onRoute', (route) => {
    const hooks = [route.onRequest, route.preValidation, route.preHandler].flatMap((hook) => (hook === undefined ? [] : [hook].flat()));
    if (hooks.some((hook) => madeHere.has(hook as RateLimitHook))) return;
    route.onRequest = [floor, ...[route.onRequest ?? []].flat()] as RouteOptions['onRequest'];
  });

  /** Counts the request against each named limit, in order; throws at the first one used up. */
  async function checkLimits(names: readonly RateLimitName[], request: FastifyRequest, reply: FastifyReply): Promise<void> {
    for (const name of names) {
      const rule = rateLimitTable[name];
      // A sign-in with no email names no account: the per-client limit still counts it.
      const subject = subjectOf(rule.per, request);
      if (subject === undefined) continue;
      const wait = await count(name, subject, request);
      if (wait !== undefined) {
        const retryAfterSeconds = Math.max(1, wait);
        reply.header('retry-after', retryAfterSeconds);
        throw new TooManyRequestsError(rule.counts, retryAfterSeconds);
      }
    }
  }
});

/** Whose request this is, for one kind of limit; undefined when the request names no such subject. */
function subjectOf(subject: RateLimitSubject, request: FastifyRequest): string | undefined {
  switch (subject) {
    case 'client':
      return normalizeIP(request.ip);
    case 'account-email': {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      if (typeof email !== 'string' || email.trim() === '') return undefined;
      // Redis keeps no email in clear.
      return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
    }
    case 'organiser':
      return request.organiser?.id;
  }
}
