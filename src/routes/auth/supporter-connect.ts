import { Authenticator } from '@fastify/passport';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { accessWarnings } from '../../domain/access-warnings.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { AuthorisedAccount } from '../../networks/social-network.ts';
import { notReachableFromChorus, outboundRefusalIn } from '../../outbound/outbound-refusal.ts';
import type { Campaign } from '../../storage/database.ts';
import { findConsentCampaign } from '../../use-cases/campaign-views/find-consent-campaign.ts';
import { findPublicCampaign } from '../../use-cases/campaign-views/find-public-campaign.ts';
import { holdPendingPledge, sealedGrantOf } from '../../use-cases/pledges/pending-pledge.ts';
import { prepareConsent, type ConsentChoice } from '../../use-cases/pledges/prepare-consent.ts';
import { PLEDGE_TOKEN_PREFIX, recordPledgeFromConsent } from '../../use-cases/pledges/record-pledge.ts';
import { StorableText } from '../../use-cases/storable-text-schema.ts';
import { NetworkIdSchema } from '../api/v1/campaign.schemas.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { PledgeAnswer, pledgeView } from '../api/v1/pledge.schemas.ts';
import { HttpError, badRequest } from '../http-error.ts';
import { renderCampaignPage } from '../pages/public-campaign-pages.ts';
import { asSentence, httpErrorOf, valueOrHttpError } from '../problem-status.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

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
  /** The API's `showName`: whether the supporter's name may appear on the public page (unset: keep a renewed pledge's choice; new: no). */
  readonly showName?: boolean;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    pledgeIntent: PledgeIntent;
    /** The id of the pending pledge awaiting confirmation on the review page; the grant itself stays server-side. */
    pendingPledgeId: string;
  }
}

/** How a return from the consent page went. */
type ConsentOutcome =
  | { readonly kind: 'authorised'; readonly account: AuthorisedAccount }
  | { readonly kind: 'declined' }
  | { readonly kind: 'expired' }
  /** A server on the way (the code exchange's, the account's) is inside the network: the outbound guard refused it. */
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'failed'; readonly reason: string };

const VariantQuery = Type.Object(
  {
    variant: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 9, description: "which of the campaign's variants to post (default: the main message)" }),
    ),
    instance: Type.Optional(
      StorableText({ minLength: 1, maxLength: 300, description: "Mastodon: the supporter's instance, e.g. mastodon.social" }),
    ),
    handle: Type.Optional(
      StorableText({ minLength: 1, maxLength: 300, description: "Bluesky: the supporter's handle, e.g. alice.bsky.social" }),
    ),
    showName: Type.Optional(
      Type.Boolean({
        description:
          "whether the supporter's name and handle may appear on the campaign's public page (default: no; a renewed pledge keeps its choice)",
      }),
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
    const strategy = ctx.networks.authStrategy(id, new URL(`auth/${id}/callback`, withTrailingSlash(ctx.config.PUBLIC_URL)).toString());
    if (strategy !== undefined) passport.use(id, strategy);
  }
  await app.register(passport.initialize());

  /** Keeps what the supporter chose in their session, and sends them to the network's consent page. */
  async function startConsent(
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    network: NetworkId,
    choice: ConsentChoice,
    origin: 'api' | 'page',
    showName?: boolean,
  ) {
    const { variantIndex, server } = choice;
    request.session.set('pledgeIntent', {
      campaignId: campaign.id,
      network,
      variantIndex,
      origin,
      ...(server === undefined ? {} : { server }),
      ...(showName === undefined ? {} : { showName }),
    });
    try {
      await passport.authenticate(network, authenticateOptions(server)).call(app, request, reply);
    } catch (error) {
      // The server check let it through, but a server on the way to the consent page (a Bluesky
      // authorisation server's endpoint on another host) is inside the network: the supporter's to fix.
      if (outboundRefusalIn(error) === undefined) throw error;
      request.session.set('pledgeIntent', undefined);
      const parameter = ctx.networks.outline(network)?.serverChoice?.parameter;
      if (origin === 'page' && parameter !== undefined)
        return renderCampaignPage(ctx, request, reply, campaign, {
          network,
          typed: server ?? '',
          message: asSentence(notReachableFromChorus),
        });
      throw badRequest(notReachableFromChorus, parameter);
    }
    return reply;
  }

  const connectLimit = app.rateLimited('supporter-connect-per-client');
  app.get(
    '/api/v1/public/campaigns/:slug/connect/:network',
    {
      onRequest: connectLimit,
      schema: {
        tags: ['supporters'],
        summary: "Start a pledge: redirects to the network's consent page",
        params: Type.Object({ ...SlugParams.properties, network: NetworkIdSchema }),
        querystring: VariantQuery,
      },
    },
    async (request, reply) => {
      const { slug, network } = request.params;
      const campaign = valueOrHttpError(await findPublicCampaign(ctx.db, slug));
      const { showName, ...query } = request.query;
      const choice = valueOrHttpError(await prepareConsent(ctx, campaign, network, query));
      return startConsent(request, reply, campaign, network, choice, 'api', showName);
    },
  );

  app.get(
    '/c/:slug/support/:network',
    {
      onRequest: connectLimit,
      schema: { hide: true, params: Type.Object({ ...SlugParams.properties, network: NetworkIdSchema }), querystring: PageVariantQuery },
    },
    async (request, reply) => {
      const { slug, network } = request.params;
      const campaign = valueOrHttpError(await findPublicCampaign(ctx.db, slug));
      const { variant } = request.query;
      // The network's own parameter: a Mastodon instance, a Bluesky handle.
      const parameter = ctx.networks.outline(network)?.serverChoice?.parameter;
      const given = parameter === undefined ? undefined : request.query[parameter];
      const typed = given?.trim() === '' ? undefined : given;
      const choice = await prepareConsent(ctx, campaign, network, {
        ...(variant === undefined ? {} : { variant }),
        ...(typed === undefined || parameter === undefined ? {} : { [parameter]: typed }),
      });
      switch (choice.kind) {
        case 'done':
          return startConsent(request, reply, campaign, network, choice.value, 'page');
        // The campaign page says how it ended; there is nothing to authorise any more.
        case 'conflict':
          return reply.redirect(`/c/${campaign.slug}`, 303);
        case 'invalid':
          // A server name that was missing or refused goes back beside its field on the campaign page.
          if (parameter !== undefined && choice.field === parameter)
            return renderCampaignPage(ctx, request, reply, campaign, { network, typed: given ?? '', message: asSentence(choice.message) });
          throw httpErrorOf(choice);
        case 'unauthenticated':
        case 'forbidden':
        case 'not-found':
        case 'unpostable':
          throw httpErrorOf(choice);
      }
    },
  );

  app.get(
    '/auth/:network/callback',
    {
      // The API's answer carries the pledge's private manage token, shown this once.
      config: { answerCarriesSecret: true },
      onRequest: app.rateLimited('supporter-callback-per-client'),
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
        case 'unreachable':
          throw badRequest(`${network} did not complete the authorisation: ${notReachableFromChorus}`);
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
        if (error !== null)
          resolve(outboundRefusalIn(error) === undefined ? { kind: 'failed', reason: error.message } : { kind: 'unreachable' });
        else if (user === false || user === undefined) resolve(isStateProblem(info) ? { kind: 'expired' } : { kind: 'declined' });
        else resolve({ kind: 'authorised', account: user as AuthorisedAccount });
        return Promise.resolve();
      });
      handler.call(app, request, reply).catch(reject);
    });
  }

  async function answerPage(request: FastifyRequest, reply: FastifyReply, intent: PledgeIntent, outcome: ConsentOutcome) {
    request.session.set('pledgeIntent', undefined);
    const campaign = valueOrHttpError(await findConsentCampaign(ctx.db, intent.campaignId));
    switch (outcome.kind) {
      case 'authorised': {
        const held = valueOrHttpError(await holdPendingPledge(ctx, intent, outcome.account, request.session.get('pendingPledgeId')));
        request.session.set('pendingPledgeId', held);
        return reply.redirect(`/c/${campaign.slug}/review`, 303);
      }
      case 'declined':
      case 'expired':
      case 'unreachable':
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
  unreachable: { status: 400, title: 'That server is not reachable from Chorus' },
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
  const recorded = await recordPledgeFromConsent(ctx, {
    campaignId: intent.campaignId,
    network: intent.network,
    profile: account.profile,
    credentials: sealedGrantOf(ctx, account.tokens),
    wording: { kind: 'wording', variantIndex: intent.variantIndex },
    shownPublicly: intent.showName ?? null,
    ...(account.textRules === undefined ? {} : { accountRules: account.textRules }),
  });
  request.session.set('pledgeIntent', undefined);
  if (recorded.kind === 'unpostable')
    throw httpErrorOf({
      kind: 'unpostable',
      message: `this text cannot be posted from your account: ${recorded.message}; pick another wording on the campaign page`,
    });
  const { created, pledge, campaign, manageToken } = valueOrHttpError(recorded);
  const view = pledgeView(pledge, campaign, account.profile, intent.network, manageToken);
  const warnings = accessWarnings(account.tokens, campaign, connectUrl(ctx, campaign.slug, intent));
  return reply.code(created ? 201 : 200).send({ ...view, warnings });
}

// The strategy of a network of many servers reads the chosen server from these options.
function authenticateOptions(server: string | undefined): { session: false } {
  return { session: false, ...(server === undefined ? {} : { server }) };
}

function connectUrl(ctx: ChorusContext, slug: string, intent: PledgeIntent): string {
  const url = new URL(`api/v1/public/campaigns/${slug}/connect/${intent.network}`, withTrailingSlash(ctx.config.PUBLIC_URL));
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

export default supporterConnectRoutes;
