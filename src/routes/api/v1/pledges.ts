import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { textForVariant } from '../../../domain/campaign-message.ts';
import { campaignHashtags, checkPersonalText } from '../../../domain/message-rules.ts';
import { hashSecretToken } from '../../../security/secret-token.ts';
import { findPledgeByManageToken, updatePledgeText, withdrawPledge } from '../../../storage/pledge.repository.ts';
import { PLEDGE_TOKEN_PREFIX } from '../../../campaigns/supporter-pledge.ts';
import { HttpError, badRequest, conflict, notFound } from '../../http-error.ts';
import { PledgeView, pledgeView } from './pledge.schemas.ts';

const PledgeParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const security = [{ pledgeToken: [] }];

/** A supporter's own pledge, reached with the private key they got when pledging. */
const pledgeRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  async function supportersPledge(request: FastifyRequest, pledgeId: string) {
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || token === undefined || !token.startsWith(`${PLEDGE_TOKEN_PREFIX}_`)) {
      throw new HttpError(401, 'send the pledge\'s private key as "Authorization: Bearer chorus_pledge_…"');
    }
    const found = await findPledgeByManageToken(ctx.db, pledgeId, hashSecretToken(token));
    // The same answer for a wrong key and a missing pledge.
    if (found === undefined) throw notFound('pledge');
    return found;
  }

  app.get(
    '/pledges/:id',
    { schema: { tags: ['supporters'], summary: 'Your pledge', security, params: PledgeParams, response: { 200: PledgeView } } },
    async (request) => {
      const { pledge, campaign, account } = await supportersPledge(request, request.params.id);
      return pledgeView(pledge, campaign, account, account.network);
    },
  );

  app.patch(
    '/pledges/:id',
    {
      schema: {
        tags: ['supporters'],
        summary: "Pick another of the campaign's variants, or personalise the text (the campaign link stays)",
        security,
        params: PledgeParams,
        body: Type.Union([
          Type.Object({ variant: Type.Union([Type.Integer({ minimum: 0, maximum: 9 }), Type.Null()]) }, { additionalProperties: false }),
          Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        ]),
        response: { 200: PledgeView },
      },
    },
    async (request) => {
      const { pledge, campaign, account } = await supportersPledge(request, request.params.id);
      const body = request.body;
      const variantIndex = 'variant' in body ? body.variant : null;
      const text = 'text' in body ? body.text : textForVariant(campaign, variantIndex);
      if (text === undefined) throw badRequest(`this campaign has no variant ${variantIndex}`, 'variant');
      const network = await ctx.networks.load(account.network);
      if (network === undefined) throw conflict(`${account.network} is no longer configured on this Chorus`);
      // On a network of many servers, the supporter's own server decides the length.
      const rules =
        network.serverChoice !== undefined && account.server !== null
          ? await network.serverChoice.textRules(account.server)
          : network.textRules;
      // Personal wording keeps the campaign's hashtags, as on the page (every variant has them already).
      const problem = checkPersonalText(text, { link: campaign.link, hashtags: campaignHashtags(campaign) }, rules);
      if (problem !== null) throw badRequest(problem, 'text');
      const updated = await updatePledgeText(ctx.db, pledge.id, text, 'text' in body ? null : variantIndex);
      if (updated === undefined) throw conflict('this pledge can no longer be changed (withdrawn, or the campaign is launching or over)');
      return pledgeView(updated, campaign, account, account.network);
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
      const { pledge } = await supportersPledge(request, request.params.id);
      const result = await withdrawPledge(ctx.db, pledge);
      switch (result) {
        case 'withdrawn':
        case 'already-withdrawn':
          return reply.code(204).send();
        case 'too-late':
          throw conflict('the campaign has already launched or ended, so the pledge can no longer be withdrawn');
      }
    },
  );
};

export default pledgeRoutes;
