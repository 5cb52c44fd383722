import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { PENDING_PLEDGE_LIFETIME_MS, credentialsOf, pledgeWithNewKey, type PendingPledge } from '../../campaigns/supporter-pledge.ts';
import { textForVariant } from '../../domain/campaign-message.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { accessWarnings } from '../../domain/access-warnings.ts';
import { campaignHashtags, checkPersonalText, checkPostText, describeMessageProblem, type TextRules } from '../../domain/message-rules.ts';
import type { SocialNetwork } from '../../networks/social-network.ts';
import { hashSecretToken } from '../../security/secret-token.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { findPledgeByManageToken, withdrawPledge } from '../../storage/pledge.repository.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { notFound } from '../http-error.ts';
import { displayHandle } from './account-handle.ts';
import { pageLocals } from './page-locals.ts';

const ReviewForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  choice: Type.Optional(Type.String({ maxLength: 20 })),
  text: Type.Optional(Type.String({ maxLength: 5000 })),
});
const PledgeParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KeyQuery = Type.Object({ key: Type.Optional(Type.String({ maxLength: 200 })) });
const WithdrawForm = Type.Object({ _csrf: Type.Optional(Type.String()), key: Type.String({ maxLength: 200 }) });

/** What the supporter picked on the review page: a wording by index (null: the main message) or their own text. */
type Choice = { readonly kind: 'wording'; readonly variantIndex: number | null } | { readonly kind: 'own' };

/**
 * The supporter's pages after the consent page: review what will be posted and confirm, the
 * confirmation with the private withdraw link, and that link's page.
 */
const supporterPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  const base = ctx.config.PUBLIC_URL.endsWith('/') ? ctx.config.PUBLIC_URL : `${ctx.config.PUBLIC_URL}/`;

  function pendingFor(request: FastifyRequest, campaign: Campaign): PendingPledge | null {
    const pending = request.session.get('pendingPledge');
    if (pending?.campaignId !== campaign.id) return null;
    return Date.now() - pending.authorisedAt > PENDING_PLEDGE_LIFETIME_MS ? null : pending;
  }

  /** The length rule of the supporter's own account: their server's, for networks of many servers. */
  async function rulesFor(network: SocialNetwork, pending: PendingPledge): Promise<TextRules> {
    const server = pending.profile.server;
    return network.serverChoice !== undefined && server !== undefined ? network.serverChoice.textRules(server) : network.textRules;
  }

  /** Where the supporter authorises again to renew a grant that cannot be refreshed; their pledge is kept. */
  function reauthoriseUrl(campaign: Campaign, pending: PendingPledge): string {
    const url = new URL(`c/${campaign.slug}/support/${pending.network}`, base);
    if (pending.variantIndex !== null) url.searchParams.set('variant', String(pending.variantIndex));
    const parameter = ctx.networks.outline(pending.network)?.serverChoice?.parameter;
    if (parameter !== undefined && pending.profile.server !== undefined) url.searchParams.set(parameter, pending.profile.server);
    return url.toString();
  }

  /** The warning to show when the grant ends before the launch (LinkedIn's 60-day tokens), in words and dates. */
  function expiryNotice(campaign: Campaign, pending: PendingPledge) {
    const expiresAt = new Date(pending.sealed.accessExpiresAt);
    const [warning] = accessWarnings({ refreshToken: pending.sealed.refreshToken, expiresAt }, campaign, reauthoriseUrl(campaign, pending));
    if (warning === undefined) return null;
    // A grant made from this moment on lasts beyond the launch (LinkedIn's: 60 days), with a margin of a tenth of its life, at most a day.
    const lifetimeMs = expiresAt.getTime() - pending.authorisedAt;
    const renewFrom = new Date(
      Math.max(Date.now(), campaign.launch_at.getTime() - lifetimeMs + Math.min(24 * 3600 * 1000, lifetimeMs / 10)),
    );
    const when = (at: Date) => DateTime.fromJSDate(at, { zone: campaign.time_zone }).toFormat('d LLLL yyyy, HH:mm ZZZZ');
    return {
      expiresAt: when(expiresAt),
      expiresAtIso: warning.expiresAt,
      renewFrom: when(renewFrom),
      renewFromIso: renewFrom.toISOString(),
      reauthoriseUrl: warning.reauthoriseUrl,
    };
  }

  async function renderReview(
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: Campaign,
    pending: PendingPledge,
    form: { choice: string; text: string; error?: string },
  ) {
    const network = await ctx.networks.load(pending.network);
    const rules = network === undefined ? null : await rulesFor(network, pending);
    const wordings = [campaign.message, ...campaign.variants].map((text, i) => ({ value: i === 0 ? 'message' : `variant-${i - 1}`, text }));
    return reply.header('cache-control', 'no-store').view('supporter/review', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Review your post for ${campaign.title}`,
      noindex: true,
      campaign: {
        slug: campaign.slug,
        title: campaign.title,
        link: campaign.link,
        hashtags: campaignHashtags(campaign).map((t) => `#${t}`),
      },
      account: {
        handle: displayHandle(pending.network, pending.profile.handle),
        followers: pending.profile.followers.toLocaleString('en-GB'),
        network: network?.displayName ?? pending.network,
        networkId: pending.network,
      },
      launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
      launchAtIso: campaign.launch_at.toISOString(),
      maxLength: rules?.maxLength ?? 0,
      length: rules?.measure(form.text) ?? 0,
      expiry: expiryNotice(campaign, pending),
      wordings,
      form,
      scripts: ['/static/countdown.js', '/static/text-counter.js', '/static/review.js'],
    });
  }

  app.get('/c/:slug/review', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
    const campaign = await findPublicCampaign(ctx.db, request.params.slug);
    if (campaign === undefined) throw notFound('campaign');
    const pending = pendingFor(request, campaign);
    if (pending === null || campaign.state !== 'collecting') return showExpired(request, reply, campaign);
    const choice = pending.variantIndex === null ? 'message' : `variant-${pending.variantIndex}`;
    return renderReview(request, reply, campaign, pending, {
      choice,
      text: textForVariant(campaign, pending.variantIndex) ?? campaign.message,
    });
  });

  app.post(
    '/c/:slug/review',
    { schema: { hide: true, params: SlugParams, body: ReviewForm }, preValidation: csrf },
    async (request, reply) => {
      const campaign = await findPublicCampaign(ctx.db, request.params.slug);
      if (campaign === undefined) throw notFound('campaign');
      const pending = pendingFor(request, campaign);
      if (pending === null || campaign.state !== 'collecting') return showExpired(request, reply, campaign);
      const network = await ctx.networks.load(pending.network);
      if (network === undefined) throw notFound('network');

      const form = { choice: request.body.choice ?? '', text: request.body.text ?? '' };
      const choice = readChoice(form.choice, campaign);
      if (choice === null)
        return renderReview(request, reply.code(400), campaign, pending, {
          ...form,
          error: 'Choose one of the wordings, or write your own.',
        });
      // Checked against the supporter's own server, which may allow less than the network's usual limit.
      const rules = await rulesFor(network, pending);
      let text: string;
      switch (choice.kind) {
        case 'wording': {
          text = textForVariant(campaign, choice.variantIndex) ?? campaign.message;
          const problem = checkPostText(text, campaign.link, rules);
          if (problem !== null)
            return renderReview(request, reply.code(400), campaign, pending, {
              ...form,
              error: `This wording cannot be posted from your account: ${describeMessageProblem(problem)}. Pick another, or write your own.`,
            });
          break;
        }
        case 'own': {
          text = form.text.trim();
          const problem = checkPersonalText(text, { link: campaign.link, hashtags: campaignHashtags(campaign) }, rules);
          if (problem !== null)
            return renderReview(request, reply.code(400), campaign, pending, { ...form, error: `Your text cannot be used: ${problem}.` });
          break;
        }
      }

      const { result, manageToken } = await pledgeWithNewKey(ctx, campaign, {
        network: pending.network,
        profile: pending.profile,
        text,
        variantIndex: choice.kind === 'wording' ? choice.variantIndex : null,
        credentials: credentialsOf(pending),
      });
      request.session.set('pendingPledge', undefined);
      if (result.kind === 'not-collecting') return showExpired(request, reply, campaign);
      return reply
        .code(result.kind === 'created' ? 201 : 200)
        .header('cache-control', 'no-store')
        .view('supporter/confirmed', {
          ...pageLocals(request, reply),
          title: result.kind === 'created' ? 'Your pledge is in' : 'Your pledge is renewed',
          renewed: result.kind === 'updated',
          noindex: true,
          campaign: { slug: campaign.slug, title: campaign.title },
          handle: displayHandle(pending.network, pending.profile.handle),
          expiry: expiryNotice(campaign, pending),
          network: network.displayName,
          text: result.pledge.text,
          launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
          launchAtIso: campaign.launch_at.toISOString(),
          // The supporter's own secret: shown here once, in this answer only, never stored in clear.
          manageUrl: `${base}p/${result.pledge.id}?${new URLSearchParams({ key: manageToken }).toString()}`,
          scripts: ['/static/countdown.js'],
        });
    },
  );

  app.get('/p/:id', { schema: { hide: true, params: PledgeParams, querystring: KeyQuery } }, async (request, reply) => {
    const found = await findPledgeByManageToken(ctx.db, request.params.id, hashSecretToken(request.query.key ?? ''));
    if (found === undefined) throw notFound('pledge (check that the whole link was copied)');
    const { pledge, campaign, account } = found;
    return reply.header('cache-control', 'no-store').view('supporter/manage', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Your pledge to ${campaign.title}`,
      noindex: true,
      campaign: { slug: campaign.slug, title: campaign.title },
      pledge: {
        id: pledge.id,
        text: pledge.text,
        active: pledge.state === 'active',
        canWithdraw: pledge.state === 'active' && campaign.state === 'collecting',
      },
      handle: displayHandle(account.network, account.handle),
      launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
      key: request.query.key,
    });
  });

  app.post(
    '/p/:id/withdraw',
    { schema: { hide: true, params: PledgeParams, body: WithdrawForm }, preValidation: csrf },
    async (request, reply) => {
      const found = await findPledgeByManageToken(ctx.db, request.params.id, hashSecretToken(request.body.key));
      if (found === undefined) throw notFound('pledge');
      const result = await withdrawPledge(ctx.db, found.pledge);
      return reply
        .code(result === 'too-late' ? 409 : 200)
        .header('cache-control', 'no-store')
        .view('supporter/withdrawn', {
          ...pageLocals(request, reply),
          title: result === 'too-late' ? 'Too late to withdraw' : 'Your pledge is withdrawn',
          noindex: true,
          result,
          campaign: { slug: found.campaign.slug, title: found.campaign.title },
        });
    },
  );

  function showExpired(request: FastifyRequest, reply: FastifyReply, campaign: Campaign) {
    request.session.set('pendingPledge', undefined);
    return reply.code(410).view('supporter/consent-problem', {
      ...pageLocals(request, reply),
      title: 'This link has expired',
      problem: campaign.state === 'collecting' ? 'expired' : 'closed',
      campaign,
    });
  }
};

function readChoice(value: string, campaign: Campaign): Choice | null {
  if (value === 'message') return { kind: 'wording', variantIndex: null };
  if (value === 'own') return { kind: 'own' };
  const match = /^variant-(\d)$/.exec(value);
  const index = match === null ? Number.NaN : Number(match[1]);
  return index < campaign.variants.length ? { kind: 'wording', variantIndex: index } : null;
}

export default supporterPages;
