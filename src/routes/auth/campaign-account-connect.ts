import { Authenticator } from '@fastify/passport';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import type { AuthorisedAccount } from '../../networks/social-network.ts';
import { currentActor, currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import { saveCampaignAccount } from '../../use-cases/campaigns/save-campaign-account.ts';
import { startCampaignAccountConnect } from '../../use-cases/campaigns/start-campaign-account-connect.ts';
import { CampaignIdParams } from '../api/v1/campaign.schemas.ts';
import { HttpError, badRequest } from '../http-error.ts';
import { valueOrHttpError } from '../problem-status.ts';
import { wantsPage } from './supporter-connect.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

declare module '@fastify/secure-session' {
  interface SessionData {
    campaignAccountIntent: { readonly campaignId: string; readonly organiserId: string };
  }
}

const CampaignAccountView = Type.Object({
  campaign: Type.String({ description: "the campaign's id" }),
  network: Type.Literal('x'),
  handle: Type.String(),
});

/**
 * The organiser connects the campaign's own X account (repost mode): the same consent flow
 * as a supporter's, with its own callback, and the grant kept encrypted until the campaign's
 * one post is made.
 */
const campaignAccountConnectRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const base = withTrailingSlash(ctx.config.PUBLIC_URL);
  const strategy = ctx.networks.authStrategy('x', new URL('auth/x/campaign-callback', base).toString());
  if (strategy === undefined) return;
  const passport = new Authenticator({ key: 'chorus-campaign-passport', userProperty: 'campaignAccount' });
  passport.use('x-campaign', strategy);
  await app.register(passport.initialize());

  app.get(
    '/api/v1/campaigns/:id/connect/x',
    {
      preHandler: app.requireOrganiser,
      schema: {
        tags: ['campaigns'],
        summary: "Connect the campaign's own X account (repost mode): redirects to X's consent page",
        params: CampaignIdParams,
      },
    },
    async (request, reply) => {
      const organiser = currentOrganiser(request);
      const campaign = valueOrHttpError(await startCampaignAccountConnect(ctx.db, organiser.id, request.params.id));
      request.session.set('campaignAccountIntent', { campaignId: campaign.id, organiserId: organiser.id });
      await passport.authenticate('x-campaign', { session: false }).call(app, request, reply);
      return reply;
    },
  );

  app.get(
    '/auth/x/campaign-callback',
    {
      preHandler: app.requireOrganiser,
      schema: { tags: ['campaigns'], summary: 'Where X sends the organiser back', response: { 200: CampaignAccountView } },
    },
    async (request, reply) => {
      const intent = request.session.get('campaignAccountIntent');
      if (intent?.organiserId !== currentOrganiser(request).id)
        throw badRequest('this sign-in link has expired or was opened in another browser; start again');
      const account = await new Promise<AuthorisedAccount>((resolve, reject) => {
        const handler = passport.authenticate('x-campaign', { session: false }, async (_request, _reply, error, user) => {
          if (error !== null) reject(badRequest(`X did not complete the authorisation: ${error.message}`));
          else if (user === false || user === undefined)
            reject(new HttpError(403, 'the authorisation was declined; the campaign has no X account'));
          else resolve(user as AuthorisedAccount);
          return Promise.resolve();
        });
        handler.call(app, request, reply).catch(reject);
      });
      request.session.set('campaignAccountIntent', undefined);
      const saved = valueOrHttpError(await saveCampaignAccount(ctx, currentActor(request), intent.campaignId, account));
      // An organiser who connected from the dashboard goes back to it, where the account now shows.
      if (wantsPage(request)) return reply.redirect(`/organiser/campaigns/${intent.campaignId}`, 303);
      return reply.send({ campaign: intent.campaignId, network: 'x' as const, handle: saved.handle });
    },
  );
};

export default campaignAccountConnectRoutes;
