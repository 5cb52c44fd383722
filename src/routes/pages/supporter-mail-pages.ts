import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { confirmSupporterAddressFromLink } from '../../use-cases/supporter-mail/confirm-supporter-address.ts';
import { readSupporterMailLink } from '../../use-cases/supporter-mail/read-supporter-mail-link.ts';
import { unsubscribeSupporterAddress } from '../../use-cases/supporter-mail/unsubscribe-supporter-address.ts';
import { valueOrHttpError } from '../problem-status.ts';
import { pageLocals } from './page-locals.ts';

const AddressParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TokenQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
const ConfirmForm = Type.Object({ _csrf: Type.Optional(Type.String()) });
/**
 * The pages the links in supporters' mails open: confirm the address (a page with a button, so that a mail scanner
 * following the link confirms nothing), and unsubscribe (a page with a button, and the one-click POST of RFC 8058).
 */
const supporterMailPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  const limited = app.rateLimited('supporter-mail-link-per-client');

  function render(request: FastifyRequest, reply: FastifyReply, page: Record<string, unknown>) {
    return reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .view('supporter/mail-link', { ...pageLocals(request, reply, { forms: true }), noindex: true, ...page });
  }

  app.get(
    '/mail/confirm/:id',
    { schema: { hide: true, params: AddressParams, querystring: TokenQuery }, preHandler: limited },
    async (request, reply) => {
      const link = valueOrHttpError(await readSupporterMailLink(ctx, 'confirm', request.params.id, request.query.token));
      switch (link.kind) {
        case 'gone':
          return render(request, reply, { title: 'This address is no longer held', step: 'gone' });
        case 'held':
          return render(request, reply, {
            title: link.address.state === 'confirmed' ? 'Your address is confirmed' : 'Confirm your email address',
            step: link.address.state === 'confirmed' ? 'confirmed' : 'confirm',
            address: link.address.address,
            campaign: { slug: link.address.campaign_slug, title: link.address.campaign_title },
            action: request.url,
          });
      }
    },
  );

  app.post(
    '/mail/confirm/:id',
    { schema: { hide: true, params: AddressParams, querystring: TokenQuery, body: ConfirmForm }, preValidation: csrf, preHandler: limited },
    async (request, reply) => {
      const confirmed = valueOrHttpError(await confirmSupporterAddressFromLink(ctx, request.params.id, request.query.token));
      switch (confirmed.kind) {
        case 'gone':
          return render(request, reply, { title: 'This address is no longer held', step: 'gone' });
        case 'confirmed':
        case 'already':
          return render(request, reply, {
            title: 'Your address is confirmed',
            step: 'confirmed',
            campaign: { slug: confirmed.campaignSlug, title: confirmed.campaignTitle },
          });
      }
    },
  );

  app.get(
    '/mail/unsubscribe/:id',
    { schema: { hide: true, params: AddressParams, querystring: TokenQuery }, preHandler: limited },
    async (request, reply) => {
      const link = valueOrHttpError(await readSupporterMailLink(ctx, 'unsubscribe', request.params.id, request.query.token));
      switch (link.kind) {
        case 'gone':
          return render(request, reply, { title: 'You are unsubscribed', step: 'unsubscribed' });
        case 'held':
          return render(request, reply, {
            title: 'Unsubscribe',
            step: 'unsubscribe',
            address: link.address.address,
            campaign: { slug: link.address.campaign_slug, title: link.address.campaign_title },
            action: request.url,
          });
      }
    },
  );

  app.post(
    '/mail/unsubscribe/:id',
    // RFC 8058: a mail provider posts `List-Unsubscribe=One-Click`, as multipart/form-data or a urlencoded form, without
    // cookies; our page's button posts the same. The token in the link is the proof, so the body is not read: no session,
    // no CSRF token, and no body schema to refuse one encoding or the other.
    { schema: { hide: true, params: AddressParams, querystring: TokenQuery }, preHandler: limited },
    async (request, reply) => {
      valueOrHttpError(await unsubscribeSupporterAddress(ctx, request.params.id, request.query.token));
      return render(request, reply, { title: 'You are unsubscribed', step: 'unsubscribed' });
    },
  );
};

export default supporterMailPages;
