import fastifyFormbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { ChorusContext } from './chorus-context.ts';
import { loggerOptions } from './logger-options.ts';
import organiserAuth from './plugins/app/organiser-auth.ts';
import secureSession from './plugins/external/secure-session.ts';
import swagger from './plugins/external/swagger.ts';
import apiTokenRoutes from './routes/api/v1/api-tokens.ts';
import campaignRoutes from './routes/api/v1/campaigns.ts';
import networkRoutes from './routes/api/v1/networks.ts';
import organiserRoutes from './routes/api/v1/organisers.ts';
import pledgeRoutes from './routes/api/v1/pledges.ts';
import publicCampaignRoutes from './routes/api/v1/public-campaigns.ts';
import campaignAccountConnectRoutes from './routes/auth/campaign-account-connect.ts';
import supporterConnectRoutes from './routes/auth/supporter-connect.ts';
import healthRoutes from './routes/health.ts';
import { HttpError } from './routes/http-error.ts';

/** Builds the Chorus HTTP app (not listening yet). */
export async function buildApp(ctx: ChorusContext, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(ctx.config.LOG_LEVEL),
    // Unknown fields are refused with a 400, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    trustProxy: ctx.config.NODE_ENV === 'production',
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: reasonPhrase(error.statusCode), message: error.message, field: error.field });
    }
    if (error.validation !== undefined) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: error.message });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'something went wrong on our side; it has been logged' });
    }
    return reply.code(status).send({ statusCode: status, error: reasonPhrase(status), message: error.message });
  });

  await app.register(swagger);
  await app.register(fastifyFormbody);
  await app.register(secureSession, { secret: ctx.config.SESSION_SECRET, secureCookie: ctx.config.PUBLIC_URL.startsWith('https://') });
  await app.register(organiserAuth, { db: ctx.db });

  await app.register(healthRoutes, { ctx });
  await app.register(supporterConnectRoutes, { ctx });
  await app.register(campaignAccountConnectRoutes, { ctx });
  await app.register(
    async (api) => {
      await api.register(organiserRoutes, { db: ctx.db });
      await api.register(apiTokenRoutes, { db: ctx.db });
      await api.register(campaignRoutes, { ctx });
      await api.register(publicCampaignRoutes, { db: ctx.db });
      await api.register(networkRoutes, { ctx });
      await api.register(pledgeRoutes, { ctx });
    },
    { prefix: '/api/v1' },
  );
  return app;
}

function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
  };
  return phrases[status] ?? 'Error';
}
