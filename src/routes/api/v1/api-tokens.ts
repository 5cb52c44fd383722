import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_TOKEN_PREFIX, currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import { generateSecretToken, hashSecretToken } from '../../../security/secret-token.ts';
import { deleteApiToken, insertApiToken, listApiTokens } from '../../../storage/api-token.repository.ts';
import type { Db } from '../../../storage/database.ts';
import { notFound } from '../../http-error.ts';

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** API tokens for organisers' scripts; the secret is shown once, at creation. */
const apiTokenRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.addHook('preHandler', app.requireOrganiser);

  app.post(
    '/api-tokens',
    {
      schema: {
        tags: ['api tokens'],
        summary: 'Create an API token (its secret is shown only in this answer)',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ ...TokenView.properties, token: Type.String() }) },
      },
    },
    async (request, reply) => {
      const token = generateSecretToken(API_TOKEN_PREFIX);
      const stored = await insertApiToken(db, currentOrganiser(request).id, request.body.name, hashSecretToken(token));
      return reply.code(201).send({ ...tokenView(stored), token });
    },
  );

  app.get(
    '/api-tokens',
    { schema: { tags: ['api tokens'], summary: 'List API tokens', response: { 200: Type.Array(TokenView) } } },
    async (request) => (await listApiTokens(db, currentOrganiser(request).id)).map(tokenView),
  );

  app.delete(
    '/api-tokens/:id',
    { schema: { tags: ['api tokens'], summary: 'Revoke an API token', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
    async (request, reply) => {
      if (!(await deleteApiToken(db, currentOrganiser(request).id, request.params.id))) throw notFound('API token');
      return reply.code(204).send();
    },
  );
};

function tokenView(token: { id: string; name: string; created_at: Date; last_used_at: Date | null }) {
  return { ...token, created_at: token.created_at.toISOString(), last_used_at: token.last_used_at?.toISOString() ?? null };
}

export default apiTokenRoutes;
