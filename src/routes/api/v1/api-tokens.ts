import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { apiTokenExpiryLimits } from '../../../domain/api-token-expiry.ts';
import { currentCaller, currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import type { ApiTokenView } from '../../../storage/api-token.repository.ts';
import type { Db } from '../../../storage/database.ts';
import { createApiToken } from '../../../use-cases/organisers/create-api-token.ts';
import { listOrganiserApiTokens } from '../../../use-cases/organisers/list-api-tokens.ts';
import { revokeApiToken } from '../../../use-cases/organisers/revoke-api-token.ts';
import { StorableText } from '../../../use-cases/storable-text-schema.ts';
import { valueOrHttpError } from '../../problem-status.ts';

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
  last_used_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'when a request last used it, to the minute; null: never',
  }),
  expires_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'when it stops working; null: until revoked',
  }),
});

/**
 * API tokens for organisers' scripts; the secret is shown once, at creation. Only a signed-in
 * session creates them (403 with a token); a token can list them, and revoke one, itself too.
 */
const apiTokenRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.addHook('preHandler', app.requireOrganiser);

  app.post(
    '/api-tokens',
    {
      config: { answerCarriesSecret: true },
      // After the file's requireOrganiser hook: route hooks run after the plugin's.
      preHandler: app.rateLimited('api-token-creation-per-organiser'),
      schema: {
        tags: ['api tokens'],
        summary: 'Create an API token (signed in only; its secret is shown only in this answer)',
        body: Type.Object(
          {
            name: StorableText({ minLength: 1, maxLength: 100 }),
            expiresInDays: Type.Optional(
              Type.Integer({
                minimum: apiTokenExpiryLimits.minDays,
                maximum: apiTokenExpiryLimits.maxDays,
                description: 'the token stops working this many days from now (default: it works until revoked)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...TokenView.properties, token: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { token, ...stored } = valueOrHttpError(await createApiToken(db, currentCaller(request), request.body));
      return reply.code(201).send({ ...tokenView(stored), token });
    },
  );

  app.get(
    '/api-tokens',
    { schema: { tags: ['api tokens'], summary: 'List API tokens', response: { 200: Type.Array(TokenView) } } },
    async (request) => (await listOrganiserApiTokens(db, currentOrganiser(request).id)).map(tokenView),
  );

  app.delete(
    '/api-tokens/:id',
    {
      schema: {
        tags: ['api tokens'],
        summary: 'Revoke an API token (it stops working at once)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request, reply) => {
      valueOrHttpError(await revokeApiToken(db, currentOrganiser(request).id, request.params.id));
      return reply.code(204).send();
    },
  );
};

function tokenView(token: ApiTokenView) {
  return {
    ...token,
    created_at: token.created_at.toISOString(),
    last_used_at: token.last_used_at?.toISOString() ?? null,
    expires_at: token.expires_at?.toISOString() ?? null,
  };
}

export default apiTokenRoutes;
