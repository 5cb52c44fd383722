import type { FastifyInstance } from 'fastify';
import { nonEmptyField } from './x-sandbox-fields.ts';
import type { XSandboxState } from './x-sandbox-state.ts';

/**
 * Registers the `/__sandbox/*` hooks for tests and the demo. They are not part of X, so
 * nothing in Chorus's production path may call them.
 */
export function registerInspectionRoutes(app: FastifyInstance, state: XSandboxState): void {
  app.get('/__sandbox/health', (_request, reply) => reply.send({ ok: true }));

  app.get('/__sandbox/tweets', (_request, reply) => reply.send({
    tweets: state.allTweets().map((tweet) => ({
      id: tweet.id,
      text: tweet.submittedText,
      textOnX: tweet.text,
      authorId: tweet.authorId,
      username: state.userById(tweet.authorId)?.username,
      createdAt: tweet.createdAt.toISOString(),
    })),
  }));

  app.get('/__sandbox/retweets', (_request, reply) => reply.send({
    retweets: state.allRetweets().map((retweet) => ({
      tweetId: retweet.tweetId,
      userId: retweet.userId,
      username: state.userById(retweet.userId)?.username,
      createdAt: retweet.createdAt.toISOString(),
    })),
  }));

  app.post('/__sandbox/revoke', async (request, reply) => {
    const username = nonEmptyField(request.body, 'username');
    if (username === undefined) return reply.code(400).send({ error: 'Send {"username": "…"}.' });
    const user = state.userByUsername(username);
    if (user === undefined) return reply.code(404).send({ error: `No sandbox user is called "${username}".` });
    return reply.send({ revoked: state.revokeUser(user.id) });
  });
}
