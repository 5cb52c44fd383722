import fastifyFormbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { trustProxyOption } from '../config/trust-proxy.ts';
import type { ChorusContext } from './chorus-context.ts';
import { logFormatFor, loggerOptions } from './logger-options.ts';
import apiRequestForgeryGuard from './plugins/app/api-request-forgery-guard.ts';
import organiserAuth from './plugins/app/organiser-auth.ts';
import rateLimits from './plugins/app/rate-limits.ts';
import csrfProtection from './plugins/external/csrf-protection.ts';
import helmet from './plugins/external/helmet.ts';
import multipart from './plugins/external/multipart.ts';
import secureSession from './plugins/external/secure-session.ts';
import staticAssets from './plugins/external/static-assets.ts';
import views from './plugins/external/views.ts';
import swagger from './plugins/external/swagger.ts';
import apiTokenRoutes from './routes/api/v1/api-tokens.ts';
import mailSettingsRoutes from './routes/api/v1/mail-settings.ts';
import campaignSupporterRoutes from './routes/api/v1/campaign-supporters.ts';
import organisationRoutes from './routes/api/v1/organisations.ts';
import campaignRoutes from './routes/api/v1/campaigns.ts';
import campaignReportRoutes from './routes/api/v1/campaign-reports.ts';
import operatorRoutes from './routes/api/v1/operator.ts';
import networkRoutes from './routes/api/v1/networks.ts';
import organiserRoutes from './routes/api/v1/organisers.ts';
import pledgeRoutes from './routes/api/v1/pledges.ts';
import suggestedPostRoutes from './routes/api/v1/suggested-posts.ts';
import publicCampaignRoutes from './routes/api/v1/public-campaigns.ts';
import textMeasureRoutes from './routes/api/v1/text-measure.ts';
import webhookRoutes from './routes/api/v1/webhooks.ts';
import twoFactorRoutes from './routes/api/v1/two-factor.ts';
import blueskyClientMetadataRoutes from './routes/auth/bluesky-client-metadata.ts';
import campaignAccountConnectRoutes from './routes/auth/campaign-account-connect.ts';
import supporterConnectRoutes, { wantsPage } from './routes/auth/supporter-connect.ts';
import campaignImageRoutes from './routes/campaign-image.ts';
import healthRoutes from './routes/health.ts';
import shareRoutes from './routes/share-routes.ts';
import { HttpError } from './routes/http-error.ts';
import { asSentence } from './routes/problem-status.ts';
import { TooManyRequestsError, waitPhrase } from './routes/too-many-requests-error.ts';
import pageRoutes from './routes/pages/page-routes.ts';
import { sessionLifetimesOf } from './use-cases/organisers/session-lifetimes.ts';
import { validationProblem } from './routes/validation-problem.ts';
import { inputFormats } from './use-cases/storable-text-schema.ts';

/**
 * Builds the Chorus HTTP app (not listening yet). `logStream`: where its log goes instead of
 * stdout (the tests read what it writes).
 */
export async function buildApp(
  ctx: ChorusContext,
  options: { logger?: boolean; logStream?: DestinationStream } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : options.logStream === undefined
          ? loggerOptions(ctx.config.LOG_LEVEL, logFormatFor(ctx.config))
          : { ...loggerOptions(ctx.config.LOG_LEVEL), stream: options.logStream },
    // Unknown fields are refused with a 400, not silently dropped. The text rule is a format of its own.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false, formats: inputFormats } },
    // Who the client is, for the per-client rate limits and the logs: the connecting address, unless
    // TRUST_PROXY names the proxies whose X-Forwarded-For may say otherwise (docs/security/rate-limits.md).
    trustProxy: trustProxyOption(ctx.config.TRUST_PROXY),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((error: FastifyError | HttpError | TooManyRequestsError, request, reply) => {
    if (error instanceof TooManyRequestsError) {
      reply.code(429).header('retry-after', error.retryAfterSeconds);
      if (wantsPage(request))
        return reply.view('error', {
          title: 'Too many attempts',
          status: 429,
          message: `There have been too many ${error.counts} in a short time. Please try again in ${waitPhrase(error.retryAfterSeconds)}.`,
          signedIn: false,
          csrfToken: null,
        });
      return reply.send({ statusCode: 429, error: reasonPhrase(429), message: error.message, retryAfterSeconds: error.retryAfterSeconds });
    }
    // People in a browser get a page that explains; scripts get JSON.
    if (wantsPage(request)) {
      const status = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
      if (status >= 500) request.log.error({ err: error }, 'unexpected error');
      const suspended = error instanceof HttpError && error.reason === 'organisation-suspended';
      return reply.code(status).view('error', {
        title: suspended ? 'Organisation suspended' : reasonPhrase(status),
        status,
        message:
          status >= 500
            ? 'Something went wrong on our side; it has been logged. Please try again.'
            : suspended
              ? asSentence(error.message)
              : error.message,
        signedIn: false,
        csrfToken: null,
      });
    }
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({
        statusCode: error.statusCode,
        error: reasonPhrase(error.statusCode),
        message: error.message,
        field: error.field,
        reason: error.reason,
      });
    }
    if (error.validation !== undefined) {
      const { message, field } = validationProblem(request, error.validation, error.validationContext, error.message);
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message, field });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unexpected error');
      return reply
        .code(500)
        .send({ statusCode: 500, error: 'Internal Server Error', message: 'something went wrong on our side; it has been logged' });
    }
    return reply.code(status).send({ statusCode: status, error: reasonPhrase(status), message: error.message });
  });

  app.setNotFoundHandler((request, reply) => {
    if (wantsPage(request))
      return reply.code(404).view('error', {
        title: 'Page not found',
        status: 404,
        message: 'There is no page at this address. Check the link, or start from the campaign page you were given.',
        signedIn: false,
        csrfToken: null,
      });
    return reply
      .code(404)
      .send({ statusCode: 404, error: 'Not Found', message: `Route ${request.method}:${request.url.split('?')[0] ?? ''} not found` });
  });

  const https = ctx.config.PUBLIC_URL.startsWith('https://');
  // Before any route: routes attach their limits by name (`app.rateLimited(...)`) as they are declared.
  await app.register(rateLimits, { redisUrl: ctx.config.REDIS_URL, prefix: ctx.config.QUEUE_PREFIX, scale: ctx.config.RATE_LIMIT_SCALE });
  // What every answer needs: the OpenAPI document (its onRoute hook sees every route below),
  // the security headers, and the views the error and not-found handlers above render.
  await app.register(swagger);
  await app.register(helmet, { https });
  await app.register(views, { cache: ctx.config.NODE_ENV !== 'development' });

  // Public and cookie-free: nothing here reads or sets a session, so these contexts do not carry
  // the session's hooks (a cookie parsed, decrypted and checked for changes on every request),
  // nor the form and upload parsers. The public numbers are the most read answer Chorus gives;
  // the others are read by machines (health probes, Bluesky's authorisation server) and browsers' asset and image requests.
  await app.register(staticAssets);
  await app.register(campaignImageRoutes, { db: ctx.db });
  await app.register(shareRoutes, { ctx });
  await app.register(healthRoutes, { ctx });
  await app.register(blueskyClientMetadataRoutes, { ctx });
  await app.register(publicCampaignRoutes, { prefix: '/api/v1', db: ctx.db, logLevel: ctx.config.LOG_LEVEL });

  // Everything that may read or set the session: organisers' sign-in, the supporters' consent
  // flow (OAuth state and PKCE verifier), forms with CSRF tokens, and the upload form.
  await app.register(async (withSession) => {
    await withSession.register(fastifyFormbody);
    await withSession.register(multipart);
    await withSession.register(secureSession, {
      secret: ctx.config.SESSION_SECRET,
      secureCookie: https,
      lifetimeSeconds: ctx.config.SESSION_LIFETIME_SECONDS,
    });
    await withSession.register(csrfProtection);
    await withSession.register(organiserAuth, { db: ctx.db, lifetimes: sessionLifetimesOf(ctx.config) });

    await withSession.register(supporterConnectRoutes, { ctx });
    await withSession.register(campaignAccountConnectRoutes, { ctx });
    await withSession.register(
      async (api) => {
        // The pages' forms carry CSRF tokens; the JSON API's writes are checked by origin and type instead.
        await api.register(apiRequestForgeryGuard, { publicUrl: ctx.config.PUBLIC_URL });
        await api.register(organiserRoutes, { ctx });
        await api.register(twoFactorRoutes, { ctx });
        await api.register(apiTokenRoutes, { db: ctx.db });
        await api.register(mailSettingsRoutes, { db: ctx.db });
        await api.register(campaignRoutes, { ctx });
        await api.register(campaignSupporterRoutes, { ctx });
        await api.register(suggestedPostRoutes, { ctx });
        await api.register(organisationRoutes, { ctx });
        await api.register(networkRoutes, { ctx });
        await api.register(pledgeRoutes, { ctx });
        await api.register(textMeasureRoutes, { ctx });
        await api.register(campaignReportRoutes, { db: ctx.db });
        await api.register(operatorRoutes, { ctx });
        await api.register(webhookRoutes, { ctx });
      },
      { prefix: '/api/v1' },
    );
    await withSession.register(pageRoutes, { ctx });
  });
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
    502: 'Bad Gateway',
    429: 'Too Many Requests',
  };
  return phrases[status] ?? 'Error';
}
