import { Authenticator } from '@fastify/passport';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { textForVariant } from '../../domain/campaign-message.ts';
import { sealTokens } from '../../jobs/obtain-access-token.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { checkPostText, describeMessageProblem } from '../../domain/message-rules.ts';
import { accessWarnings } from '../../domain/access-warnings.ts';
import type { AuthorisedAccount, SocialNetwork } from '../../networks/social-network.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import { findCampaign, findPublicCampaign } from '../../storage/campaign.repository.ts';
import { recordPledge } from '../../storage/pledge.repository.ts';
import { NetworkIdSchema } from '../api/v1/campaign.schemas.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { PledgeAnswer, pledgeView } from '../api/v1/pledge.schemas.ts';
import { HttpError, badRequest, conflict, notFound } from '../http-error.ts';

/** What the supporter chose before leaving for the network's consent page. */
interface PledgeIntent {
  readonly campaignId: string;
  readonly network: NetworkId;
  readonly variantIndex: number | null;
  /** The supporter's server, for networks of many servers (a Mastodon instance's origin). */
  readonly server?: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    pledgeIntent: PledgeIntent;
  }
}

export const PLEDGE_TOKEN_PREFIX = 'chorus_pledge';

/**
 * The supporter's way in: a connect route that sends them to the network's consent page
 * (OAuth with PKCE, its state bound to this browser's session), and the callback that turns
 * the grant into a pledge.
 */
const supporterConnectRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const passport = new Authenticator({ key: 'chorus-passport', userProperty: 'supporterAccount' });
  for (const network of ctx.networks.values()) {
    passport.use(network.id, network.createAuthStrategy(new URL(`auth/${network.id}/callback`, withSlash(ctx.config.PUBLIC_URL)).toString()));
  }
  await app.register(passport.initialize());

  app.get(
    '/api/v1/public/campaigns/:slug/connect/:network',
    {
      schema: {
        tags: ['supporters'],
        summary: 'Start a pledge: redirects to the network\'s consent page',
        params: Type.Object({ ...SlugParams.properties, network: NetworkIdSchema }),
        querystring: Type.Object(
          {
            variant: Type.Optional(Type.Integer({ minimum: 0, maximum: 9, description: 'which of the campaign\'s variants to post (default: the main message)' })),
            instance: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'Mastodon: the supporter\'s instance, e.g. mastodon.social' })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const { slug, network } = request.params;
      const campaign = await findPublicCampaign(ctx.db, slug);
      if (campaign === undefined) throw notFound('campaign');
      if (campaign.state !== 'collecting') throw conflict(`this campaign is ${campaign.state} and takes no more pledges`);
      if (!campaign.networks.includes(network) || !ctx.networks.has(network)) throw badRequest(`this campaign does not post to ${network}`, 'network');
      const variantIndex = request.query.variant ?? null;
      if (textForVariant(campaign, variantIndex) === undefined) throw badRequest(`this campaign has no variant ${variantIndex}`, 'variant');

      const server = await chosenServer(ctx.networks.get(network), request.query.instance);
      request.session.set('pledgeIntent', { campaignId: campaign.id, network, variantIndex, ...(server === undefined ? {} : { server }) });
      await passport.authenticate(network, authenticateOptions(server)).call(app, request, reply);
      return reply;
    },
  );

  app.get(
    '/auth/:network/callback',
    { schema: { tags: ['supporters'], summary: 'Where the network sends the supporter back', params: Type.Object({ network: NetworkIdSchema }), response: { 200: PledgeAnswer, 201: PledgeAnswer } } },
    async (request, reply) => {
      const { network } = request.params;
      const intent = request.session.get('pledgeIntent');
      if (intent?.network !== network) {
        throw badRequest('this sign-in link has expired or was opened in another browser; start again from the campaign page');
      }
      const account = await new Promise<AuthorisedAccount>((resolve, reject) => {
        const handler = passport.authenticate(network, authenticateOptions(intent.server), async (_request, _reply, error, user, info) => {
          if (error !== null) reject(badRequest(`${network} did not complete the authorisation: ${error.message}`));
          else if (user === false || user === undefined) reject(new HttpError(403, describeRefusal(info)));
          else resolve(user as AuthorisedAccount);
          return Promise.resolve();
        });
        handler.call(app, request, reply).catch(reject);
      });
      return recordSupporterPledge(ctx, request, reply, intent, account);
    },
  );
};

async function recordSupporterPledge(ctx: ChorusContext, request: FastifyRequest, reply: FastifyReply, intent: PledgeIntent, account: AuthorisedAccount) {
  const campaign = await findCampaign(ctx.db, intent.campaignId);
  const text = campaign === undefined ? undefined : textForVariant(campaign, intent.variantIndex);
  if (campaign === undefined || text === undefined) throw notFound('campaign');
  // The supporter's own server may allow less than the network's usual limit.
  const rules = account.textRules ?? ctx.networks.get(intent.network)?.textRules;
  const problem = rules === undefined ? null : checkPostText(text, campaign.link, rules);
  if (problem !== null) {
    request.session.set('pledgeIntent', undefined);
    throw new HttpError(422, `this text cannot be posted from your account: ${describeMessageProblem(problem)}; pick another wording on the campaign page`);
  }
  const manageToken = generateSecretToken(PLEDGE_TOKEN_PREFIX);
  const result = await recordPledge(ctx.db, {
    campaignId: campaign.id,
    network: intent.network,
    profile: account.profile,
    text,
    variantIndex: intent.variantIndex,
    credentials: sealTokens(ctx.cipher, account.tokens),
    manageTokenHash: hashSecretToken(manageToken),
  });
  request.session.set('pledgeIntent', undefined);
  if (result.kind === 'not-collecting') throw conflict('this campaign stopped taking pledges before you finished; nothing will be posted');
  const view = pledgeView(result.pledge, campaign, account.profile, intent.network, manageToken);
  const warnings = accessWarnings(account.tokens, campaign, connectUrl(ctx, campaign.slug, intent));
  return reply.code(result.kind === 'created' ? 201 : 200).send({ ...view, warnings });
}

/** The server a supporter named, checked; undefined for networks that are one service. */
async function chosenServer(network: SocialNetwork | undefined, typed: string | undefined): Promise<string | undefined> {
  const choice = network?.serverChoice;
  if (choice === undefined) return undefined;
  if (typed === undefined) throw badRequest(`name your ${network?.displayName ?? ''} ${choice.parameter} (like ${choice.suggested[0] ?? 'mastodon.social'})`, choice.parameter);
  const checked = await choice.check(typed);
  switch (checked.kind) {
    case 'accepted':
      return checked.server;
    case 'refused':
      throw badRequest(checked.reason, choice.parameter);
  }
}

// The strategy of a network of many servers reads the chosen server from these options.
function authenticateOptions(server: string | undefined): { session: false } {
  return { session: false, ...(server === undefined ? {} : { server }) };
}

function connectUrl(ctx: ChorusContext, slug: string, intent: PledgeIntent): string {
  const url = new URL(`api/v1/public/campaigns/${slug}/connect/${intent.network}`, withSlash(ctx.config.PUBLIC_URL));
  if (intent.variantIndex !== null) url.searchParams.set('variant', String(intent.variantIndex));
  if (intent.server !== undefined) url.searchParams.set('instance', intent.server);
  return url.toString();
}

function describeRefusal(info: unknown): string {
  const message = typeof info === 'object' && info !== null ? (info as { message?: unknown }).message : undefined;
  if (typeof message === 'string' && /state/i.test(message)) {
    return 'this sign-in could not be verified (it was started in another browser or expired); start again from the campaign page';
  }
  return 'the authorisation was declined, so no pledge was made; you can try again from the campaign page';
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export default supporterConnectRoutes;
