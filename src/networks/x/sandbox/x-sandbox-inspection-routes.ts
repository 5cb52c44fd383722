import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import { nonEmptyField } from './x-sandbox-fields.ts';
import { XSandboxFaultPlanSchema, type XSandboxFaultPlan, type XSandboxFaults } from './x-sandbox-faults.ts';
import type { XSandboxLoad } from './x-sandbox-load.ts';
import type { XSandboxState } from './x-sandbox-state.ts';

const defaultScopes = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'];

/** What `POST /__sandbox/users` takes: accounts to create, each with a fresh grant to the client. */
const MintUsersSchema = Type.Object(
  {
    clientId: Type.String({ minLength: 1 }),
    users: Type.Array(
      Type.Object({
        username: Type.String({ pattern: '^[A-Za-z0-9_]{1,15}$' }),
        followers: Type.Integer({ minimum: 0 }),
        /** The display name X would answer (defaults to the username): any text, so tests can send what a real X name may hold. */
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
      }),
      { maxItems: 5000 },
    ),
    /** Lifetime of the access tokens issued, so tests can hand out tokens that need a refresh. */
    accessTokenTtlSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/**
 * Registers the `/__sandbox/*` hooks for tests and the demo. They are not part of X, so
 * nothing in Chorus's production path may call them.
 */
export function registerInspectionRoutes(app: FastifyInstance, state: XSandboxState, faults: XSandboxFaults, load: XSandboxLoad): void {
  app.get('/__sandbox/health', (_request, reply) => reply.send({ ok: true }));

  // API requests in flight now, and the most at once since the last DELETE.
  app.get('/__sandbox/load', (_request, reply) => reply.send(load.read()));
  app.delete('/__sandbox/load', (_request, reply) => {
    load.reset();
    return reply.send(load.read());
  });

  app.get('/__sandbox/tweets', (_request, reply) =>
    reply.send({
      tweets: state.allTweets().map((tweet) => ({
        id: tweet.id,
        text: tweet.submittedText,
        textOnX: tweet.text,
        authorId: tweet.authorId,
        username: state.userById(tweet.authorId)?.username,
        createdAt: tweet.createdAt.toISOString(),
      })),
    }),
  );

  app.get('/__sandbox/retweets', (_request, reply) =>
    reply.send({
      retweets: state.allRetweets().map((retweet) => ({
        tweetId: retweet.tweetId,
        userId: retweet.userId,
        username: state.userById(retweet.userId)?.username,
        createdAt: retweet.createdAt.toISOString(),
      })),
    }),
  );

  app.post('/__sandbox/revoke', async (request, reply) => {
    const username = nonEmptyField(request.body, 'username');
    if (username === undefined) return reply.code(400).send({ error: 'Send {"username": "…"}.' });
    const user = state.userByUsername(username);
    if (user === undefined) return reply.code(404).send({ error: `No sandbox user is called "${username}".` });
    return reply.send({ revoked: state.revokeUser(user.id) });
  });

  // Many supporters at once, without a consent page each: for load and fault tests.
  app.post<{ Body: Static<typeof MintUsersSchema> }>('/__sandbox/users', { schema: { body: MintUsersSchema } }, async (request, reply) => {
    const { clientId, users, accessTokenTtlSeconds } = request.body;
    if (state.client(clientId) === undefined) return reply.code(404).send({ error: `No sandbox client is called "${clientId}".` });
    return reply.send({
      users: users.map(({ username, followers, name }) => {
        const user = state.upsertUser(username, followers, name);
        const tokens = state.issueTokens({ clientId, userId: user.id, scopes: defaultScopes }, accessTokenTtlSeconds);
        return { id: user.id, username: user.username, ...tokens };
      }),
    });
  });

  app.post<{ Body: XSandboxFaultPlan }>('/__sandbox/faults', { schema: { body: XSandboxFaultPlanSchema } }, async (request, reply) => {
    faults.set(request.body);
    const refuseForMs = request.body.refuseConnectionsForMs;
    if (refuseForMs !== undefined) refuseConnections(app, refuseForMs);
    return reply.send({ ok: true });
  });
}

/** Stops listening for a while, so new connections are refused; the connection of this request stays open. */
function refuseConnections(app: FastifyInstance, forMs: number): void {
  const address = app.server.address() as AddressInfo;
  app.server.close();
  app.server.closeIdleConnections();
  setTimeout(() => {
    app.server.listen(address.port, address.address);
  }, forMs);
}
