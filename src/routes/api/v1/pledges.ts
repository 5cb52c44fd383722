import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { changePledgeText } from '../../../use-cases/pledges/change-pledge-text.ts';
import { changePledgeVisibility } from '../../../use-cases/pledges/change-pledge-visibility.ts';
import { findSupporterPledge } from '../../../use-cases/pledges/find-supporter-pledge.ts';
import { PLEDGE_TOKEN_PREFIX } from '../../../use-cases/pledges/record-pledge.ts';
import { withdrawSupporterPledge } from '../../../use-cases/pledges/withdraw-supporter-pledge.ts';
import { removePledgeAddress, setPledgeAddress } from '../../../use-cases/supporter-mail/change-pledge-address.ts';
import { StorableText } from '../../../use-cases/storable-text-schema.ts';
import { HttpError } from '../../http-error.ts';
import { valueOrHttpError } from '../../problem-status.ts';
import { PledgeView, pledgeView } from './pledge.schemas.ts';

const PledgeParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const security = [{ pledgeToken: [] }];

const PledgeAddressBody = Type.Object(
  {
    email: StorableText({
      minLength: 1,
      maxLength: 254,
      description: "the supporter's address; asked to confirm before anything else is sent (a malformed one: 400)",
    }),
    followUpdates: Type.Optional(Type.Boolean({ description: "also send the campaign's updates (default: no)" })),
  },
  { additionalProperties: false },
);
const PledgeAddressView = Type.Object({
  email: Type.String(),
  followUpdates: Type.Boolean(),
  confirmed: Type.Boolean({ description: 'false until the supporter follows the link in the mail asking to confirm it' }),
});

/** A supporter's own pledge, reached with the private key they got when pledging. */
const pledgeRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  /** The pledge's private key from the Authorization header. */
  function pledgeKey(request: FastifyRequest): string {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || token === undefined || !token.startsWith(`${PLEDGE_TOKEN_PREFIX}_`)) {
      throw new HttpError(401, 'send the pledge\'s private key as "Authorization: Bearer chorus_pledge_…"');
    }
    return token;
  }

  app.get(
    '/pledges/:id',
    { schema: { tags: ['supporters'], summary: 'Your pledge', security, params: PledgeParams, response: { 200: PledgeView } } },
    async (request) => {
      const { pledge, campaign, account } = valueOrHttpError(await findSupporterPledge(ctx.db, request.params.id, pledgeKey(request)));
      return pledgeView(pledge, campaign, account, account.network);
    },
  );

  app.patch(
    '/pledges/:id',
    {
      schema: {
        tags: ['supporters'],
        summary:
          "Pick another of the campaign's variants, or personalise the text (the campaign link stays), before the launch; or choose, at any time, whether the public page names you",
        security,
        params: PledgeParams,
        body: Type.Union([
          Type.Object({ variant: Type.Union([Type.Integer({ minimum: 0, maximum: 9 }), Type.Null()]) }, { additionalProperties: false }),
          Type.Object({ text: StorableText({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
          Type.Object({ showName: Type.Boolean() }, { additionalProperties: false }),
        ]),
        response: { 200: PledgeView },
      },
    },
    async (request) => {
      const key = pledgeKey(request);
      const { body } = request;
      const changed =
        'showName' in body
          ? await changePledgeVisibility(ctx.db, request.params.id, key, body.showName)
          : await changePledgeText(ctx, request.params.id, key, body);
      const { pledge, campaign, account } = valueOrHttpError(changed);
      return pledgeView(pledge, campaign, account, account.network);
    },
  );

  app.put(
    '/pledges/:id/email',
    {
      schema: {
        tags: ['supporters'],
        summary: "Leave an address for this pledge's mails (the confirmation, a reminder to renew access, the outcome)",
        description:
          'Sends a mail asking to confirm the address; nothing else goes to it until the link in that mail is followed ' +
          '(docs/mail.md). Replaces an earlier address, which gets nothing more. 409 where this Chorus sends no mail, or the ' +
          'campaign no longer takes pledges.',
        security,
        params: PledgeParams,
        body: PledgeAddressBody,
        response: { 202: PledgeAddressView },
      },
      preHandler: app.rateLimited('supporter-address-per-client'),
    },
    async (request, reply) => {
      const { email, followUpdates = false } = request.body;
      const kept = valueOrHttpError(
        await setPledgeAddress(ctx, request.params.id, pledgeKey(request), { address: email, followsUpdates: followUpdates }),
      );
      return reply.code(202).send({ email: kept.address, followUpdates: kept.followsUpdates, confirmed: kept.confirmed });
    },
  );

  app.delete(
    '/pledges/:id/email',
    {
      schema: {
        tags: ['supporters'],
        summary: "Remove this pledge's address: it and every mail to it not yet sent are deleted; the pledge stays",
        security,
        params: PledgeParams,
      },
    },
    async (request, reply) => {
      valueOrHttpError(await removePledgeAddress(ctx, request.params.id, pledgeKey(request)));
      return reply.code(204).send();
    },
  );

  app.delete(
    '/pledges/:id',
    {
      schema: {
        tags: ['supporters'],
        summary: 'Withdraw before launch: nothing will be posted and your access is erased',
        security,
        params: PledgeParams,
      },
    },
    async (request, reply) => {
      valueOrHttpError(await withdrawSupporterPledge(ctx.db, request.params.id, pledgeKey(request)));
      return reply.code(204).send();
    },
  );
};

export default pledgeRoutes;
