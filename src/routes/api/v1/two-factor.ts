import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { passwordLimits } from '../../../domain/password-rules.ts';
import { currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import { requireBrowserSession } from '../../../plugins/app/require-browser-session.ts';
import { confirmTwoFactorEnrolment } from '../../../use-cases/organisers/confirm-two-factor-enrolment.ts';
import { startTwoFactorEnrolment } from '../../../use-cases/organisers/start-two-factor-enrolment.ts';
import { turnOffTwoFactor } from '../../../use-cases/organisers/turn-off-two-factor.ts';
import { readTwoFactorSettings } from '../../../use-cases/organisers/two-factor-settings.ts';
import { valueOrHttpError } from '../../problem-status.ts';

const Enrolment = Type.Object({
  secret: Type.String({ description: 'the TOTP secret (base32) to type into an authenticator app' }),
  otpauthUri: Type.String({ description: 'the same as an otpauth:// URI, which apps read from a QR code' }),
});
const Settings = Type.Union([
  Type.Object({ state: Type.Literal('off') }),
  Type.Object({ state: Type.Literal('enrolling'), secret: Type.String(), otpauthUri: Type.String() }),
  Type.Object({ state: Type.Literal('on'), since: Type.String({ format: 'date-time' }), recoveryCodesLeft: Type.Integer() }),
]);
const Code = Type.String({ minLength: 1, maxLength: 64 });

/**
 * An organiser's two-factor sign-in (TOTP), from a signed-in session only (never an API token).
 * Answers that carry the secret or recovery codes are marked no-store.
 */
const twoFactorRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const guard = requireBrowserSession(app);

  app.get(
    '/me/two-factor',
    {
      preHandler: guard,
      schema: { tags: ['organisers'], summary: 'Two-factor sign-in: off, being set up, or on', response: { 200: Settings } },
    },
    async (request, reply) => {
      const settings = await readTwoFactorSettings(ctx, currentOrganiser(request));
      reply.header('cache-control', 'no-store');
      return settings.state === 'on' ? { ...settings, since: settings.since.toISOString() } : settings;
    },
  );

  app.post(
    '/me/two-factor',
    {
      preHandler: guard,
      schema: {
        tags: ['organisers'],
        summary: 'Start setting up two-factor sign-in: a new secret for an authenticator app (confirm it with a code)',
        response: { 201: Enrolment },
      },
    },
    async (request, reply) => {
      const enrolment = valueOrHttpError(await startTwoFactorEnrolment(ctx, currentOrganiser(request)));
      return reply.code(201).header('cache-control', 'no-store').send(enrolment);
    },
  );

  app.post(
    '/me/two-factor/confirmation',
    {
      preHandler: guard,
      schema: {
        tags: ['organisers'],
        summary: 'Turn two-factor sign-in on with a code from the app; answers ten recovery codes, shown this once',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (request, reply) => {
      const confirmed = valueOrHttpError(await confirmTwoFactorEnrolment(ctx, currentOrganiser(request).id, request.body.code));
      return reply.header('cache-control', 'no-store').send(confirmed);
    },
  );

  app.delete(
    '/me/two-factor',
    {
      preHandler: guard,
      schema: {
        tags: ['organisers'],
        summary: 'Turn two-factor sign-in off (takes the password and a code, or a recovery code)',
        body: Type.Object({ password: Type.String({ maxLength: passwordLimits.maxLength }), code: Code }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      valueOrHttpError(await turnOffTwoFactor(ctx, currentOrganiser(request), request.body));
      return reply.code(204).send();
    },
  );
};

export default twoFactorRoutes;
