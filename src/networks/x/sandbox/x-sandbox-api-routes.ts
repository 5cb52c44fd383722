import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twitterText from 'twitter-text';
import { stringField } from './x-sandbox-fields.ts';
import { wrapLinks } from './x-sandbox-links.ts';
import {
  creditsDepletedProblem,
  duplicateContentProblem,
  forbiddenProblem,
  internalErrorProblem,
  invalidRequestProblem,
  sendProblem,
  serviceUnavailableProblem,
  tooManyRequestsProblem,
  unauthorizedProblem,
  type XProblem,
  type XProblemEntry,
} from './x-sandbox-problems.ts';
import type { XSandboxFaults } from './x-sandbox-faults.ts';
import type { FixedWindowLimiter, RateLimitWindow } from './x-sandbox-rate-limit.ts';
import type { AccessGrant, SandboxTweet, SandboxUser, XSandboxState } from './x-sandbox-state.ts';

/** The counters behind `POST /2/tweets`; the 24-hour ones only when configured. */
export interface TweetLimiters {
  perUserWindow: FixedWindowLimiter;
  userDaily: FixedWindowLimiter | undefined;
  appDaily: FixedWindowLimiter | undefined;
}

const maxWeightedLength = 280;

/** Fields X accepts in `user.fields`; the sandbox fills in the ones it can and omits the rest. */
const knownUserFields = new Set([
  'affiliation',
  'confirmed_email',
  'connection_status',
  'created_at',
  'description',
  'entities',
  'id',
  'is_identity_verified',
  'location',
  'most_recent_tweet_id',
  'name',
  'parody',
  'pinned_tweet_id',
  'profile_banner_url',
  'profile_image_url',
  'protected',
  'public_metrics',
  'receives_your_dm',
  'subscription',
  'subscription_type',
  'url',
  'username',
  'verified',
  'verified_followers_count',
  'verified_type',
  'withheld',
]);

/** Fields X accepts in `tweet.fields`, likewise. */
const knownTweetFields = new Set([
  'article',
  'attachments',
  'author_id',
  'card_uri',
  'community_id',
  'context_annotations',
  'conversation_id',
  'created_at',
  'display_text_range',
  'edit_controls',
  'edit_history_tweet_ids',
  'entities',
  'geo',
  'id',
  'in_reply_to_user_id',
  'lang',
  'media_metadata',
  'non_public_metrics',
  'note_tweet',
  'organic_metrics',
  'possibly_sensitive',
  'promoted_metrics',
  'public_metrics',
  'referenced_tweets',
  'reply_settings',
  'scopes',
  'source',
  'text',
  'withheld',
]);

const idPattern = /^[0-9]{1,19}$/;

/** Registers the X API v2 endpoints Chorus uses: the current user, posting, and reading a timeline. */
export function registerApiRoutes(app: FastifyInstance, state: XSandboxState, limiters: TweetLimiters, faults: XSandboxFaults): void {
  app.get('/2/users/me', async (request, reply) => {
    const grant = bearerGrant(request, state);
    if (grant === undefined) return sendProblem(reply, 401, unauthorizedProblem);
    if (!grant.scopes.includes('users.read')) return sendProblem(reply, 403, forbiddenProblem);
    const fields = requestedFields(request.query, 'user.fields', knownUserFields);
    if (fields.problems.length > 0) return sendProblem(reply, 400, invalidRequestProblem(fields.problems));
    const user = state.userById(grant.userId);
    if (user === undefined) return sendProblem(reply, 401, unauthorizedProblem);
    return reply.send({ data: userBody(user, fields.names, state) });
  });

  app.post('/2/tweets', async (request, reply) => {
    const grant = bearerGrant(request, state);
    if (grant === undefined) return sendProblem(reply, 401, unauthorizedProblem);
    if (!grant.scopes.includes('tweet.write')) return sendProblem(reply, 403, forbiddenProblem);

    // Every authenticated request counts against the 15-minute window, whatever its fate.
    const window = limiters.perUserWindow.take(grant.userId);
    setWindowHeaders(reply, 'x-rate-limit', window);
    const userDaily = limiters.userDaily?.peek(grant.userId);
    const appDaily = limiters.appDaily?.peek(grant.clientId);
    if (userDaily !== undefined) setWindowHeaders(reply, 'x-user-limit-24hour', userDaily);
    if (appDaily !== undefined) setWindowHeaders(reply, 'x-app-limit-24hour', appDaily);
    if (!window.allowed || userDaily?.remaining === 0 || appDaily?.remaining === 0) {
      return sendProblem(reply, 429, tooManyRequestsProblem);
    }

    const text = validTweetText(request.body);
    if (typeof text !== 'string') return sendProblem(reply, 400, text);
    if (state.hasPosted(grant.userId, text)) return sendProblem(reply, 403, duplicateContentProblem);

    // Faults that strike before the post exists; the others strike after it was recorded.
    const fault = faults.next();
    if (fault?.kind === 'rate-limit') {
      reply.header('x-rate-limit-remaining', '0').header('x-rate-limit-reset', String(Math.ceil(Date.now() / 1000) + fault.resetSeconds));
      return sendProblem(reply, 429, tooManyRequestsProblem);
    }
    if (fault?.kind === 'server-error-before-post') return sendProblem(reply, 503, serviceUnavailableProblem);
    if (fault?.kind === 'credits-depleted') return sendProblem(reply, 402, creditsDepletedProblem);
    if (fault?.kind === 'app-daily-cap' || fault?.kind === 'user-daily-cap') {
      // The 15-minute window still has room: only the 24-hour cap's own headers say when to come back.
      const prefix = fault.kind === 'app-daily-cap' ? 'x-app-limit-24hour' : 'x-user-limit-24hour';
      const limit = (fault.kind === 'app-daily-cap' ? appDaily?.limit : userDaily?.limit) ?? 10_000;
      setWindowHeaders(reply, prefix, { limit, remaining: 0, resetEpochSeconds: Math.ceil(Date.now() / 1000) + fault.resetSeconds });
      return sendProblem(reply, 429, tooManyRequestsProblem);
    }

    // The 24-hour caps count posts created, so they are only taken once the post is certain.
    if (limiters.userDaily !== undefined) {
      setWindowHeaders(reply, 'x-user-limit-24hour', limiters.userDaily.take(grant.userId));
    }
    if (limiters.appDaily !== undefined) {
      setWindowHeaders(reply, 'x-app-limit-24hour', limiters.appDaily.take(grant.clientId));
    }
    const tweet = state.recordTweet(grant.userId, text, wrapLinks(text));
    const created = { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } };
    switch (fault?.kind) {
      case undefined:
        return reply.code(201).send(created);
      case 'server-error-after-post':
        return sendProblem(reply, 500, internalErrorProblem);
      case 'drop-after-post':
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return reply.code(201).send(created);
    }
  });

  app.post<{ Params: { id: string } }>('/2/users/:id/retweets', async (request, reply) => {
    const grant = bearerGrant(request, state);
    if (grant === undefined) return sendProblem(reply, 401, unauthorizedProblem);
    if (!grant.scopes.includes('tweet.write')) return sendProblem(reply, 403, forbiddenProblem);
    // X lets a user repost only as themselves.
    if (request.params.id !== grant.userId) return sendProblem(reply, 403, forbiddenProblem);
    const tweetId = stringField(request.body, 'tweet_id');
    if (tweetId === undefined || !idPattern.test(tweetId)) {
      return sendProblem(
        reply,
        400,
        invalidRequestProblem([{ parameters: { tweet_id: [tweetId ?? ''] }, message: 'tweet_id must be a post id.' }]),
      );
    }
    if (state.tweetById(tweetId) === undefined) {
      return sendProblem(
        reply,
        400,
        invalidRequestProblem([{ parameters: { tweet_id: [tweetId] }, message: `Could not find post with id: [${tweetId}].` }]),
      );
    }
    state.recordRetweet(grant.userId, tweetId);
    return reply.send({ data: { retweeted: true } });
  });

  app.get<{ Params: { id: string } }>('/2/users/:id/tweets', async (request, reply) => {
    const grant = bearerGrant(request, state);
    if (grant === undefined) return sendProblem(reply, 401, unauthorizedProblem);
    if (!grant.scopes.includes('tweet.read')) return sendProblem(reply, 403, forbiddenProblem);
    // Reads are paid for too: with no credits left they are refused as posts are.
    if (faults.outageInForce()?.kind === 'credits-depleted') return sendProblem(reply, 402, creditsDepletedProblem);

    const { id } = request.params;
    if (!idPattern.test(id)) {
      return sendProblem(
        reply,
        400,
        invalidRequestProblem([
          { parameters: { id: [id] }, message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` },
        ]),
      );
    }
    const query = readTimelineQuery(request.query);
    if ('invalid' in query) return sendProblem(reply, 400, query.invalid);

    const author = state.userById(id);
    if (author === undefined) {
      // X answers 200 with an error entry, not 404, for an unknown user.
      return reply.send({
        errors: [
          {
            value: id,
            detail: `Could not find user with id: [${id}].`,
            title: 'Not Found Error',
            resource_type: 'user',
            parameter: 'id',
            resource_id: id,
            type: 'https://api.twitter.com/2/problems/resource-not-found',
          },
        ],
      });
    }

    const selected: SandboxTweet[] = [];
    const authored = state.tweetsBy(id);
    for (let index = authored.length - 1; index >= 0 && selected.length < query.maxResults; index -= 1) {
      const tweet = authored[index];
      if (tweet === undefined) continue;
      const tweetId = BigInt(tweet.id);
      if (query.untilId !== undefined && tweetId >= query.untilId) continue;
      if (query.sinceId !== undefined && tweetId <= query.sinceId) break;
      selected.push(tweet);
    }
    const newest = selected[0];
    const oldest = selected.at(-1);
    return reply.send({
      ...(selected.length === 0 ? {} : { data: selected.map((tweet) => tweetBody(tweet, query.fields)) }),
      meta: {
        result_count: selected.length,
        ...(newest === undefined || oldest === undefined ? {} : { newest_id: newest.id, oldest_id: oldest.id }),
      },
    });
  });
}

function bearerGrant(request: FastifyRequest, state: XSandboxState): AccessGrant | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] === undefined ? undefined : state.accessGrant(match[1]);
}

function setWindowHeaders(reply: FastifyReply, prefix: string, window: RateLimitWindow): void {
  reply
    .header(`${prefix}-limit`, String(window.limit))
    .header(`${prefix}-remaining`, String(window.remaining))
    .header(`${prefix}-reset`, String(window.resetEpochSeconds));
}

/** The post's text, or X's 400 body saying what is wrong with the request. */
function validTweetText(body: unknown): string | XProblem {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalidRequestProblem([{ message: 'The request body must be a JSON object.' }]);
  }
  const unsupported = Object.keys(body).filter((key) => key !== 'text');
  if (unsupported.length > 0) {
    return invalidRequestProblem(
      unsupported.map((key) => ({
        message: `$.${key}: is not supported by the X sandbox, which only creates text posts`,
      })),
    );
  }
  const text = stringField(body, 'text');
  if (text === undefined || text.trim() === '') {
    return invalidRequestProblem([{ parameters: { text: [] }, message: 'Post text must be a non-empty string.' }]);
  }
  const parsed = twitterText.parseTweet(text);
  if (parsed.weightedLength > maxWeightedLength) {
    return invalidRequestProblem([
      {
        parameters: { text: [text] },
        message: `Your Tweet text is too long: it weighs ${parsed.weightedLength} of ${maxWeightedLength} characters, as twitter-text counts them.`,
      },
    ]);
  }
  if (!parsed.valid) {
    return invalidRequestProblem([{ parameters: { text: [text] }, message: 'Your Tweet text contains invalid characters.' }]);
  }
  return text;
}

function requestedFields(
  query: unknown,
  parameter: string,
  known: ReadonlySet<string>,
): { names: ReadonlySet<string>; problems: XProblemEntry[] } {
  const raw = stringField(query, parameter);
  const names = new Set(raw === undefined || raw === '' ? [] : raw.split(','));
  const problems = [...names]
    .filter((name) => !known.has(name))
    .map((name) => ({
      parameters: { [parameter]: [name] },
      message: `The \`${parameter}\` query parameter value [${name}] is not one of [${[...known].join(',')}]`,
    }));
  return { names, problems };
}

interface TimelineQuery {
  maxResults: number;
  sinceId: bigint | undefined;
  untilId: bigint | undefined;
  fields: ReadonlySet<string>;
}

function readTimelineQuery(query: unknown): TimelineQuery | { invalid: XProblem } {
  const problems: XProblemEntry[] = [];
  const maxResultsText = stringField(query, 'max_results');
  let maxResults = 10;
  if (maxResultsText !== undefined) {
    maxResults = /^\d{1,3}$/.test(maxResultsText) ? Number(maxResultsText) : Number.NaN;
    if (!(maxResults >= 5 && maxResults <= 100)) {
      problems.push({
        parameters: { max_results: [maxResultsText] },
        message: `The \`max_results\` query parameter value [${maxResultsText}] is not between 5 and 100`,
      });
    }
  }
  const ids: Partial<Record<'since_id' | 'until_id', bigint>> = {};
  for (const name of ['since_id', 'until_id'] as const) {
    const value = stringField(query, name);
    if (value === undefined) continue;
    if (idPattern.test(value)) ids[name] = BigInt(value);
    else {
      problems.push({
        parameters: { [name]: [value] },
        message: `The \`${name}\` query parameter value [${value}] does not match ^[0-9]{1,19}$`,
      });
    }
  }
  const fields = requestedFields(query, 'tweet.fields', knownTweetFields);
  problems.push(...fields.problems);
  if (problems.length > 0) return { invalid: invalidRequestProblem(problems) };
  return { maxResults, sinceId: ids.since_id, untilId: ids.until_id, fields: fields.names };
}

function userBody(user: SandboxUser, fields: ReadonlySet<string>, state: XSandboxState): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    ...(fields.has('created_at') ? { created_at: user.createdAt.toISOString() } : {}),
    ...(fields.has('description') ? { description: '' } : {}),
    ...(fields.has('protected') ? { protected: false } : {}),
    ...(fields.has('verified') ? { verified: false } : {}),
    ...(fields.has('public_metrics')
      ? {
          public_metrics: {
            followers_count: user.followersCount,
            following_count: user.followingCount,
            tweet_count: state.tweetsBy(user.id).length,
            listed_count: user.listedCount,
          },
        }
      : {}),
  };
}

function tweetBody(tweet: SandboxTweet, fields: ReadonlySet<string>): Record<string, unknown> {
  return {
    id: tweet.id,
    text: tweet.text,
    edit_history_tweet_ids: [tweet.id],
    ...(fields.has('author_id') ? { author_id: tweet.authorId } : {}),
    ...(fields.has('created_at') ? { created_at: tweet.createdAt.toISOString() } : {}),
  };
}
