import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { renderSVG } from 'uqr';
import type { ChorusContext } from '../../chorus-context.ts';
import { currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import { confirmTwoFactorEnrolment } from '../../use-cases/organisers/confirm-two-factor-enrolment.ts';
import { startTwoFactorEnrolment } from '../../use-cases/organisers/start-two-factor-enrolment.ts';
import { turnOffTwoFactor } from '../../use-cases/organisers/turn-off-two-factor.ts';
import { readTwoFactorSettings, type TwoFactorSettings } from '../../use-cases/organisers/two-factor-settings.ts';
import { fieldMessagesOf, problemStatus } from '../problem-status.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const CodeForm = Type.Object({ _csrf: Type.Optional(Type.String()), code: Type.Optional(Type.String({ maxLength: 100 })) });
const TurnOffForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ maxLength: 500 })),
  code: Type.Optional(Type.String({ maxLength: 100 })),
});

/** The otpauth:// URI as a QR code an authenticator app scans: an SVG in a data: URL (the page's policy allows data: images only). */
function qrCodeOf(otpauthUri: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(renderSVG(otpauthUri, { border: 2 })).toString('base64')}`;
}

/** The organiser's two-factor page (linked from the account page): two-factor sign-in set up, confirmed with a code, and turned off with the password and a code. */
const organiserTwoFactorPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  app.addHook('preHandler', requireOrganiserPage(app, { accountPages: true }));

  async function showAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    options: { errors?: Record<string, string>; recoveryCodes?: readonly string[]; settings?: TwoFactorSettings } = {},
  ) {
    const organiser = currentOrganiser(request);
    const settings = options.settings ?? (await readTwoFactorSettings(ctx, organiser));
    // The page may show the secret or the recovery codes: no cache keeps it.
    reply.header('cache-control', 'no-store');
    return reply.view('organiser/two-factor', {
      ...pageLocals(request, reply, { forms: true }),
      title: 'Two-factor sign-in',
      organiser: { name: organiser.name, email: organiser.email },
      twoFactor:
        settings.state === 'enrolling'
          ? { ...settings, qrCode: qrCodeOf(settings.otpauthUri) }
          : settings.state === 'on'
            ? { ...settings, since: settings.since.toISOString().slice(0, 10) }
            : settings,
      recoveryCodes: options.recoveryCodes ?? null,
      errors: options.errors ?? {},
    });
  }

  app.get('/organiser/account/two-factor', { schema: { hide: true } }, (request, reply) => showAccount(request, reply));

  app.post('/organiser/account/two-factor', { schema: { hide: true, body: CsrfOnly }, preValidation: csrf }, async (request, reply) => {
    const outcome = await startTwoFactorEnrolment(ctx, currentOrganiser(request));
    switch (outcome.kind) {
      case 'done':
        return reply.redirect('/organiser/account/two-factor', 303);
      case 'conflict':
      case 'invalid':
      case 'unauthenticated':
      case 'forbidden':
      case 'not-found':
      case 'unpostable':
        return showAccount(request, reply.code(problemStatus[outcome.kind]), { errors: fieldMessagesOf(outcome) });
    }
  });

  app.post(
    '/organiser/account/two-factor/confirm',
    { schema: { hide: true, body: CodeForm }, preValidation: csrf },
    async (request, reply) => {
      const outcome = await confirmTwoFactorEnrolment(ctx, currentOrganiser(request).id, request.body.code ?? '');
      switch (outcome.kind) {
        case 'done':
          return showAccount(request, reply, { recoveryCodes: outcome.value.recoveryCodes });
        case 'invalid':
        case 'conflict':
        case 'unauthenticated':
        case 'forbidden':
        case 'not-found':
        case 'unpostable':
          return showAccount(request, reply.code(problemStatus[outcome.kind]), { errors: fieldMessagesOf(outcome) });
      }
    },
  );

  app.post(
    '/organiser/account/two-factor/off',
    { schema: { hide: true, body: TurnOffForm }, preValidation: csrf },
    async (request, reply) => {
      const outcome = await turnOffTwoFactor(ctx, currentOrganiser(request), {
        password: request.body.password ?? '',
        code: request.body.code ?? '',
      });
      switch (outcome.kind) {
        case 'done':
          return reply.redirect('/organiser/account/two-factor', 303);
        case 'invalid':
        case 'conflict':
        case 'unauthenticated':
        case 'forbidden':
        case 'not-found':
        case 'unpostable':
          return showAccount(request, reply.code(problemStatus[outcome.kind]), { errors: fieldMessagesOf(outcome) });
      }
    },
  );
};

export default organiserTwoFactorPages;
