import { Authenticator } from '@fastify/passport';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { PLEDGE_TOKEN_PREFIX, pendingPledgeFor, pledgeWithNewKey, type PendingPledge } from '../../campaigns/supporter-pledge.ts';
import { textForVariant } from '../../domain/campaign-message.ts';
import { sealTokens } from '../../security/sealed-tokens.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { checkPostText, describeMessageProblem } from '../../domain/message-rules.ts';
import { accessWarnings } from '../../domain/access-warnings.ts';
import type { AuthorisedAccount, SocialNetwork } from '../../networks/social-network.ts';
import { findCampaign, findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { NetworkIdSchema } from '../api/v1/campaign.schemas.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { PledgeAnswer, pledgeView } from '../api/v1/pledge.schemas.ts';
import { HttpError, badRequest, conflict, notFound } from '../http-error.ts';
import { renderCampaignPage } from '../pages/public-campaign-pages.ts';

export { PLEDGE_TOKEN_PREFIX };

/**
 * What the supporter chose before leaving for the network's consent page, and where they
 * started: the JSON API answers the callback with the pledge, the pages with a review page.
 */
interface PledgeIntent {
  readonly campaignId: string;
  readonly network: NetworkId;
  readonly variantIndex: number | null;
  readonly origin?: 'api' | 'page';
  /** The supporter's server, for networks of many servers (a Mastodon instance's origin, a Bluesky handle). */
  readonly server?: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    pledgeIntent: PledgeIntent;
    pendingPledge: PendingPledge;
  }
}

/** How a return from the consent page went. */
type ConsentOutcome =
  | { readonly kind: 'authorised'; readonly account: AuthorisedAccount }
  | { readonly kind: 'declined' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'failed'; readonly reason: string };

const VariantQuery = Type.Object(
  {
    variant: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 9, description: "which of the campaign's variants to post (default: the main message)" }),
    ),
    instance: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, description: "Mastodon: the supporter's instance, e.g. mastodon.social" }),
    ),
    handle: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, description: "Bluesky: the supporter's handle, e.g. alice.bsky.social" }),
    ),
  },
  { additionalProperties: false },
);

// The campaign page's form: an empty or over-long server name is answered beside the field, not with an error page.
const PageVariantQuery = Type.Object(
  {
    variant: VariantQuery.properties.variant,
    instance: Type.Optional(Type.String({ maxLength: 2000 })),
    handle: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

/**
 * The supporter's way in: connect routes (one for the API, one for the pages) that send them
 * to the network's consent page (OAuth with PKCE, its state bound to this browser's session),
 * and the callback that turns the grant into a pledge, or into a review page for the pages.
 */
const supporterConnectRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const passport = new Authenticator({ key: 'chorus-passport', userProperty: 'supporterAccount' });
  for (const { id } of ctx.networks.outlines()) {
    const strategy = ctx.networks.authStrategy(id, new URL(`auth/${id}/callback`, withSlash(ctx.config.PUBLIC_URL)).toString());
    if (strategy !== undefined) passport.use(id, strategy);
  }
  await app.register(passport.initialize());

  async function startConsent(
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    network: NetworkId,
    choice: { variant?: number; instance?: string; handle?: string },
    origin: 'api' | 'page',
  ) {
    if (!campaign.networks.includes(network) || ctx.networks.outline(network) === undefined)
      throw badRequest(`this campaign does not post to ${network}`, 'network');
    const variantIndex = choice.variant ?? null;
    if (textForVariant(campaign, variantIndex) === undefined) throw badRequest(`this campaign has no variant ${variantIndex}`, 'variant');
    const chooser = ctx.networks.outline(network)?.serverChoice;
    const server = await chosenServer(await ctx.networks.load(network), chooser === undefined ? undefined : choice[chooser.parameter]);
    request.session.set('pledgeIntent', {
      campaignId: campaign.id,
      network,
      variantIndex,
      origin,
      ...(server === undefined ? {} : { server }),
    });
    await passport.authenticate(network, authenticateOptions(server)).call(app, request, reply);
    return reply;
  }

  app.get(
    '/api/v1/public/campaigns/:slug/connect/:network',
    {
      schema: {
        tags: ['supporters'],
        summary: "Start a pledge: redirects to the network's consent page",
        params: Type.Object({ ...SlugParams.properties, network: NetworkIdSchema }),
        querystring: VariantQuery,
      },
    },
    async (request, reply) => {
      const { slug, network } = request.params;
      const campaign = await findPublicCampaign(ctx.db, slug);
      if (campaign === undefined) throw notFound('campaign');
      if (campaign.state !== 'collecting') throw conflict(`this campaign is ${campaign.state} and takes no more pledges`);
      return startConsent(request, reply, campaign, network, request.query, 'api');
    },
  );

  app.get(
    '/c/:slug/support/:network',
    { schema: { hide: true, params: Type.Object({ ...SlugParams.properties, network: NetworkIdSchema }), querystring: PageVariantQuery } },
    async (request, reply) => {
      const { slug, network } = request.params;
      const campaign = await findPublicCampaign(ctx.db, slug);
      if (campaign === undefined) throw notFound('campaign');
      // The campaign page says how it ended; there is nothing to authorise any more.
      if (campaign.state !== 'collecting') return reply.redirect(`/c/${campaign.slug}`, 303);
      const { variant } = request.query;
      // The network's own parameter: a Mastodon instance, a Bluesky handle.
      const parameter = ctx.networks.outline(network)?.serverChoice?.parameter;
      const given = parameter === undefined ? undefined : request.query[parameter];
      const typed = given?.trim() === '' ? undefined : given;
      try {
        return await startConsent(
          request,
          reply,
          campaign,
          network,
          {
            ...(variant === undefined ? {} : { variant }),
            ...(typed === undefined || parameter === undefined ? {} : { [parameter]: typed }),
          },
          'page',
        );
      } catch (error) {
        // A server name that was missing or refused goes back beside its field on the campaign page.
        if (error instanceof HttpError && error.statusCode === 400 && parameter !== undefined && error.field === parameter) {
          return renderCampaignPage(ctx, request, reply, campaign, { network, typed: given ?? '', message: sentence(error.message) });
        }
        throw error;
      }
    },
  );

  app.get(
    '/auth/:network/callback',
    {
      schema: {
        tags: ['supporters'],
        summary: 'Where the network sends the supporter back',
        params: Type.Object({ network: NetworkIdSchema }),
        response: { 200: PledgeAnswer, 201: PledgeAnswer },
      },
    },
    async (request, reply) => {
      const { network } = request.params;
      const intent = request.session.get('pledgeIntent');
      if (intent?.network !== network) {
        if (wantsPage(request)) return showConsentProblem(reply, 'expired', null);
        throw badRequest('this sign-in link has expired or was opened in another browser; start again from the campaign page');
      }
      const outcome = await finishConsent(request, reply, network, intent.server);
      if (intent.origin === 'page') return answerPage(request, reply, intent, outcome);
      switch (outcome.kind) {
        case 'authorised':
          return recordApiPledge(ctx, request, reply, intent, outcome.account);
        case 'declined':
          throw new HttpError(403, 'the authorisation was declined, so no pledge was made; you can try again from the campaign page');
        case 'expired':
          throw new HttpError(
            403,
            'this sign-in could not be verified (it was started in another browser or expired); start again from the campaign page',
          );
        case 'failed':
          throw badRequest(`${network} did not complete the authorisation: ${outcome.reason}`);
      }
    },
  );

  function finishConsent(
    request: FastifyRequest,
    reply: FastifyReply,
    network: NetworkId,
    server: string | undefined,
  ): Promise<ConsentOutcome> {
    return new Promise<ConsentOutcome>((resolve, reject) => {
      const handler = passport.authenticate(network, authenticateOptions(server), async (_request, _reply, error, user, info) => {
        if (error !== null) resolve({ kind: 'failed', reason: error.message });
        else if (user === false || user === undefined) resolve(isStateProblem(info) ? { kind: 'expired' } : { kind: 'declined' });
        else resolve({ kind: 'authorised', account: user as AuthorisedAccount });
        return Promise.resolve();
      });
      handler.call(app, request, reply).catch(reject);
    });
  }

  async function answerPage(request: FastifyRequest, reply: FastifyReply, intent: PledgeIntent, outcome: ConsentOutcome) {
    request.session.set('pledgeIntent', undefined);
    const campaign = await findCampaign(ctx.db, intent.campaignId);
    if (campaign === undefined) throw notFound('campaign');
    switch (outcome.kind) {
      case 'authorised':
        request.session.set('pendingPledge', pendingPledgeFor(ctx, intent, outcome.account));
        return reply.redirect(`/c/${campaign.slug}/review`, 303);
      case 'declined':
      case 'expired':
        return showConsentProblem(reply, outcome.kind, campaign);
      case 'failed':
        request.log.warn({ network: intent.network }, 'consent flow failed');
        return showConsentProblem(reply, outcome.kind, campaign);
    }
  }
};

const consentProblems = {
  declined: { status: 403, title: 'No pledge was made' },
  expired: { status: 400, title: 'This link has expired' },
  failed: { status: 502, title: 'The network did not finish' },
} as const;

function showConsentProblem(reply: FastifyReply, problem: keyof typeof consentProblems, campaign: Campaign | null): FastifyReply {
  const { status, title } = consentProblems[problem];
  return reply.code(status).view('supporter/consent-problem', { title, problem, campaign });
}

async function recordApiPledge(
  ctx: ChorusContext,
  request: FastifyRequest,
  reply: FastifyReply,
  intent: PledgeIntent,
  account: AuthorisedAccount,
) {
  const campaign = await findCampaign(ctx.db, intent.campaignId);
  const text = campaign === undefined ? undefined : textForVariant(campaign, intent.variantIndex);
  if (campaign === undefined || text === undefined) throw notFound('campaign');
  // The supporter's own server may allow less than the network's usual limit.
  const rules = account.textRules ?? ctx.networks.outline(intent.network)?.textRules;
  const problem = rules === undefined ? null : checkPostText(text, campaign.link, rules);
  if (problem !== null) {
    request.session.set('pledgeIntent', undefined);
    throw new HttpError(
      422,
      `this text cannot be posted from your account: ${describeMessageProblem(problem)}; pick another wording on the campaign page`,
    );
  }
  const { result, manageToken } = await pledgeWithNewKey(ctx, campaign, {
    network: intent.network,
    profile: account.profile,
    text,
    variantIndex: intent.variantIndex,
    credentials: sealTokens(ctx.cipher, account.tokens),
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
  if (typed === undefined)
    throw badRequest(
      `name your ${network?.displayName ?? ''} ${choice.parameter} (like ${choice.suggested[0] ?? (choice.parameter === 'handle' ? 'alice.bsky.social' : 'mastodon.social')})`,
      choice.parameter,
    );
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
  const parameter = ctx.networks.outline(intent.network)?.serverChoice?.parameter;
  if (intent.server !== undefined && parameter !== undefined) url.searchParams.set(parameter, intent.server);
  return url.toString();
}

function isStateProblem(info: unknown): boolean {
  const message = typeof info === 'object' && info !== null ? (info as { message?: unknown }).message : undefined;
  return typeof message === 'string' && /state/i.test(message);
}

/** Whether the caller is a person's browser (it asks for HTML) rather than a script. */
export function wantsPage(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
}

function sentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${message.endsWith('.') ? '' : '.'}`;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export default supporterConnectRoutes;
