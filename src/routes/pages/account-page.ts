import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { isApiTokenExpired } from '../../domain/api-token-expiry.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { organiserMailKindLabels, organiserMailKinds } from '../../domain/organiser-mail-kind.ts';
import { currentCaller, signOutSession } from '../../plugins/app/organiser-auth.ts';
import { changeMailSettings } from '../../use-cases/mail/organiser-mail-settings.ts';
import { changeOrganiserPassword } from '../../use-cases/organisers/change-organiser-password.ts';
import { createApiToken } from '../../use-cases/organisers/create-api-token.ts';
import { deleteOrganiserAccount } from '../../use-cases/organisers/delete-organiser-account.ts';
import { readAccountOverview } from '../../use-cases/organisers/read-account-overview.ts';
import { revokeApiToken } from '../../use-cases/organisers/revoke-api-token.ts';
import { sessionLifetimesOf } from '../../use-cases/organisers/session-lifetimes.ts';
import { signOutEverywhere } from '../../use-cases/organisers/sign-out-everywhere.ts';
import { fieldMessagesOf, problemStatus, valueOrHttpError } from '../problem-status.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const PasswordForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  currentPassword: Type.Optional(Type.String({ maxLength: 500 })),
  newPassword: Type.Optional(Type.String({ maxLength: 500 })),
});
const TokenForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ maxLength: 500 })),
  expiresInDays: Type.Optional(Type.String({ maxLength: 10 })),
});
const DeleteForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ maxLength: 500 })),
  code: Type.Optional(Type.String({ maxLength: 100 })),
});
const TokenParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
// A ticked box sends 'on'; an unticked one sends nothing. Any other value is refused (400), never read as ticked.
const MailForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  ...Object.fromEntries(organiserMailKinds.map((kind) => [kind, Type.Optional(Type.Literal('on'))])),
});

/** The expiries the token form offers, in days; '' is none (until revoked). */
const tokenExpiryChoices = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '366', label: 'A year' },
  { value: '', label: 'No expiry (until revoked)' },
] as const;

interface AccountPageState {
  readonly notice?: string;
  readonly newToken?: { readonly name: string; readonly token: string };
  readonly errors?: Record<string, string>;
  readonly tokenName?: string;
  readonly expiresInDays?: string;
}

/**
 * The organiser's account page: their signed-in sessions with "sign out everywhere", the password
 * form (other sessions end), their API tokens: created here (shown once), listed with their
 * last use and expiry, revoked at once; which mails about their campaigns they get; and deleting the account.
 */
const accountPage: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  const lifetimes = sessionLifetimesOf(ctx.config);
  app.addHook('preHandler', requireOrganiserPage(app, { accountPages: true }));

  async function show(request: FastifyRequest, reply: FastifyReply, state: AccountPageState = {}) {
    const caller = currentCaller(request);
    const { sessions, tokens, mail } = await readAccountOverview(ctx.db, lifetimes, caller);
    const now = new Date();
    return reply.view('organiser/account', {
      ...pageLocals(request, reply, { forms: true }),
      title: 'Your account',
      organiser: { name: caller.organiser.name, email: caller.organiser.email },
      sessions: sessions.map((s) => ({
        device: s.device,
        ipPrefix: s.ipPrefix,
        started: when(s.createdAt),
        lastSeen: when(s.lastSeenAt),
        ends: when(s.endsAt),
        current: s.current,
      })),
      tokens: tokens.map((t) => ({
        id: t.id,
        name: t.name,
        created: when(t.created_at),
        lastUsed: t.last_used_at === null ? 'Never' : when(t.last_used_at),
        expires: t.expires_at === null ? 'Never' : when(t.expires_at),
        expired: isApiTokenExpired(t.expires_at, now),
      })),
      expiryChoices: tokenExpiryChoices,
      mailKinds: organiserMailKinds.map((kind) => ({ kind, label: organiserMailKindLabels[kind], on: mail[kind] })),
      values: { tokenName: state.tokenName ?? '', expiresInDays: state.expiresInDays ?? '90' },
      errors: state.errors ?? {},
      notice: state.notice,
      newToken: state.newToken,
    });
  }

  app.get('/organiser/account', { schema: { hide: true } }, (request, reply) => show(request, reply));

  app.post('/organiser/account/password', { schema: { hide: true, body: PasswordForm }, preValidation: csrf }, async (request, reply) => {
    const changed = await changeOrganiserPassword(ctx, currentCaller(request), {
      currentPassword: request.body.currentPassword ?? '',
      newPassword: request.body.newPassword ?? '',
    });
    if (changed.kind !== 'done') return show(request, reply.code(problemStatus[changed.kind]), { errors: fieldMessagesOf(changed) });
    const { endedSessions } = changed.value;
    return show(request, reply, {
      notice: `Your password is changed. ${endedSessions === 1 ? '1 other session was' : `${endedSessions} other sessions were`} signed out.`,
    });
  });

  app.post(
    '/organiser/account/mail-settings',
    { schema: { hide: true, body: MailForm }, preValidation: csrf, preHandler: app.rateLimited('account-settings-per-organiser') },
    async (request, reply) => {
      const body = request.body as Record<string, string | undefined>;
      const choices = Object.fromEntries(organiserMailKinds.map((kind) => [kind, body[kind] === 'on']));
      valueOrHttpError(await changeMailSettings(ctx.db, currentCaller(request).organiser.id, choices));
      return show(request, reply, { notice: 'Your mail settings are saved.' });
    },
  );

  app.post(
    '/organiser/account/sign-out-everywhere',
    { schema: { hide: true, body: CsrfOnly }, preValidation: csrf },
    async (request, reply) => {
      valueOrHttpError(await signOutEverywhere(ctx.db, currentCaller(request)));
      await signOutSession(request);
      return reply.redirect('/organiser/sign-in', 303);
    },
  );

  app.post('/organiser/account/api-tokens', { schema: { hide: true, body: TokenForm }, preValidation: csrf }, async (request, reply) => {
    const name = request.body.name ?? '';
    const days = (request.body.expiresInDays ?? '').trim();
    const created = await createApiToken(ctx.db, currentCaller(request), {
      name,
      expiresInDays: days === '' ? undefined : /^\d{1,4}$/.test(days) ? Number(days) : Number.NaN,
    });
    if (created.kind !== 'done')
      return show(request, reply.code(problemStatus[created.kind]), {
        errors: fieldMessagesOf(created),
        tokenName: name,
        expiresInDays: days,
      });
    return show(request, reply.code(201), { newToken: { name: created.value.name, token: created.value.token } });
  });

  app.post(
    '/organiser/account/api-tokens/:id/revoke',
    { schema: { hide: true, params: TokenParams, body: CsrfOnly }, preValidation: csrf },
    async (request, reply) => {
      valueOrHttpError(await revokeApiToken(ctx.db, currentCaller(request).organiser.id, request.params.id));
      return show(request, reply, { notice: 'The token is revoked: it no longer works.' });
    },
  );

  app.post(
    '/organiser/account/delete',
    { schema: { hide: true, body: DeleteForm }, preValidation: csrf, preHandler: app.rateLimited('account-deletion-per-organiser') },
    async (request, reply) => {
      const code = (request.body.code ?? '').trim();
      const deleted = await deleteOrganiserAccount(ctx, currentCaller(request), request.ip, {
        password: request.body.password ?? '',
        code: code === '' ? undefined : code,
      });
      if (deleted.kind !== 'done') return show(request, reply.code(problemStatus[deleted.kind]), { errors: fieldMessagesOf(deleted) });
      await signOutSession(request);
      return reply.view('organiser/account-deleted', {
        ...pageLocals(request, reply),
        title: 'Your account is deleted',
        organisationsDeleted: deleted.value.organisationsDeleted.length,
      });
    },
  );
};

function when(at: Date): string {
  return formatLaunchTime(at, 'UTC');
}

export default accountPage;
