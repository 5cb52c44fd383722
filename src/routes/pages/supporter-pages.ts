import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { textForVariant } from '../../domain/campaign-message.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { accessWarnings } from '../../domain/access-warnings.ts';
import { renewGrantUrl } from '../../use-cases/supporter-mail/supporter-mail-links.ts';
import { campaignHashtags } from '../../domain/message-rules.ts';
import type { Campaign } from '../../storage/database.ts';
import { SUPPORTER_PAGES_STYLESHEET } from '../../use-cases/campaign-views/campaign-page-view.ts';
import { findPublicCampaign } from '../../use-cases/campaign-views/find-public-campaign.ts';
import { confirmPendingPledge } from '../../use-cases/pledges/confirm-pending-pledge.ts';
import { discardPendingPledge, findPendingPledge, type PendingPledge } from '../../use-cases/pledges/pending-pledge.ts';
import { changePledgeVisibility } from '../../use-cases/pledges/change-pledge-visibility.ts';
import { findSupporterPledge, type SupporterPledge } from '../../use-cases/pledges/find-supporter-pledge.ts';
import type { PledgeWording } from '../../use-cases/pledges/record-pledge.ts';
import { textRulesForAccount } from '../../use-cases/pledges/text-rules-for-account.ts';
import { withdrawSupporterPledge } from '../../use-cases/pledges/withdraw-supporter-pledge.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { notFound } from '../http-error.ts';
import { httpErrorOf, valueOrHttpError } from '../problem-status.ts';
import { displayHandle } from '../../use-cases/campaign-views/account-handle.ts';
import { postUrl } from '../../use-cases/campaign-views/post-url.ts';
import { supporterPostOutcome } from '../../domain/supporter-post-outcome.ts';
import { pageLocals } from './page-locals.ts';
import { shareKitView } from '../../use-cases/share-kit/share-kit-view.ts';
import { withTrailingSlash } from '../../domain/public-url.ts';

const ReviewForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  choice: Type.Optional(Type.String({ maxLength: 20 })),
  text: Type.Optional(Type.String({ maxLength: 5000 })),
  // A ticked checkbox sends its value ('yes'); an unticked one sends nothing. Any other value is refused (400), not read as ticked.
  showName: Type.Optional(Type.Literal('yes')),
  // Optional: an address for the supporter's mails (only offered where mail is configured), and following updates.
  email: Type.Optional(Type.String({ maxLength: 320 })),
  followUpdates: Type.Optional(Type.Literal('yes')),
});
const CancelForm = Type.Object({ _csrf: Type.Optional(Type.String()) });
const PledgeParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const KeyQuery = Type.Object({ key: Type.Optional(Type.String({ maxLength: 200 })) });
const WithdrawForm = Type.Object({ _csrf: Type.Optional(Type.String()), key: Type.String({ maxLength: 200 }) });
const VisibilityForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  key: Type.String({ maxLength: 200 }),
  showName: Type.Enum(['yes', 'no']),
});

/**
 * The supporter's pages after the consent page: review what will be posted and confirm, the
 * confirmation with the private withdraw link, and that link's page.
 */
const supporterPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  const base = withTrailingSlash(ctx.config.PUBLIC_URL);
  // Supporters are offered mail only where Chorus can send it.
  const mailOffered = ctx.config.SMTP_URL !== undefined;

  /** The pending pledge this browser's session names, for this campaign; null once confirmed, withdrawn or expired. */
  async function pendingFor(request: FastifyRequest, campaign: Campaign): Promise<PendingPledge | null> {
    const found = await findPendingPledge(ctx.db, campaign, request.session.get('pendingPledgeId'));
    return found.kind === 'done' ? found.value : null;
  }

  /** Where the supporter authorises again to renew a grant that cannot be refreshed; their pledge is kept. */
  function reauthoriseUrl(campaign: Campaign, pending: PendingPledge): string {
    const url = new URL(`c/${campaign.slug}/support/${pending.network}`, base);
    if (pending.variant_index !== null) url.searchParams.set('variant', String(pending.variant_index));
    const parameter = ctx.networks.outline(pending.network)?.serverChoice?.parameter;
    if (parameter !== undefined && pending.server !== null) url.searchParams.set(parameter, pending.server);
    return url.toString();
  }

  /** The warning to show when the grant ends before the launch (LinkedIn's 60-day tokens), in words and dates. */
  function expiryNotice(campaign: Campaign, pending: PendingPledge) {
    const expiresAt = pending.access_expires_at;
    const [warning] = accessWarnings({ refreshToken: pending.refresh_token, expiresAt }, campaign, reauthoriseUrl(campaign, pending));
    if (warning === undefined) return null;
    // A grant made from this moment on lasts beyond the launch (LinkedIn's: 60 days), with a margin of a tenth of its life, at most a day.
    const lifetimeMs = expiresAt.getTime() - pending.created_at.getTime();
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
    form: { choice: string; text: string; showName: boolean; email: string; followUpdates: boolean; error?: string; emailError?: string },
  ) {
    const network = await ctx.networks.load(pending.network);
    const rules = network === undefined ? null : await textRulesForAccount(network, pending);
    const wordings = [campaign.message, ...campaign.variants].map((text, i) => ({ value: i === 0 ? 'message' : `variant-${i - 1}`, text }));
    // The post shown and counted is the chosen one: a wording, or the supporter's own text.
    const chosenText = form.choice === 'own' ? form.text : (wordings.find((w) => w.value === form.choice)?.text ?? campaign.message);
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
        handle: displayHandle(pending.network, pending.handle),
        name: pending.display_name,
        followers: pending.followers.toLocaleString('en-GB'),
        followersValue: pending.followers,
        network: network?.displayName ?? pending.network,
        networkId: pending.network,
      },
      launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
      launchAtIso: campaign.launch_at.toISOString(),
      timeZone: campaign.time_zone,
      maxLength: rules?.maxLength ?? 0,
      length: rules?.measure(chosenText) ?? 0,
      chosenText,
      expiry: expiryNotice(campaign, pending),
      wordings,
      form,
      styles: [SUPPORTER_PAGES_STYLESHEET],
      mailOffered,
      scripts: ['/static/countdown.js', '/static/text-counter.js', '/static/review.js'],
    });
  }

  app.get('/c/:slug/review', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
    const campaign = valueOrHttpError(await findPublicCampaign(ctx.db, request.params.slug));
    const pending = await pendingFor(request, campaign);
    if (pending === null || campaign.state !== 'collecting') return showExpired(request, reply, campaign);
    const choice = pending.variant_index === null ? 'message' : `variant-${pending.variant_index}`;
    return renderReview(request, reply, campaign, pending, {
      choice,
      text: textForVariant(campaign, pending.variant_index) ?? campaign.message,
      // Off unless the supporter ticks it: their name on a public page can say what they believe.
      showName: false,
      email: '',
      followUpdates: false,
    });
  });

  app.post(
    '/c/:slug/review',
    {
      schema: { hide: true, params: SlugParams, body: ReviewForm },
      preValidation: csrf,
      preHandler: app.rateLimited('pledge-confirm-per-client'),
    },
    async (request, reply) => {
      const campaign = valueOrHttpError(await findPublicCampaign(ctx.db, request.params.slug));
      const pending = await pendingFor(request, campaign);
      if (pending === null || campaign.state !== 'collecting') return showExpired(request, reply, campaign);
      const network = await ctx.networks.load(pending.network);
      if (network === undefined) throw notFound('network');

      const form = {
        choice: request.body.choice ?? '',
        text: request.body.text ?? '',
        showName: request.body.showName !== undefined,
        email: request.body.email ?? '',
        followUpdates: request.body.followUpdates !== undefined,
      };
      const mail = mailOffered && form.email.trim() !== '' ? { address: form.email, followsUpdates: form.followUpdates } : null;
      const choice = readChoice(form.choice, form.text, campaign);
      if (choice === null)
        return renderReview(request, reply.code(400), campaign, pending, {
          ...form,
          error: 'Choose one of the wordings, or write your own.',
        });
      const recorded = await confirmPendingPledge(ctx, campaign, pending, { wording: choice, shownPublicly: form.showName, mail });
      switch (recorded.kind) {
        case 'done':
          break;
        // Checked against the supporter's own server, which may allow less than the network's usual limit.
        case 'unpostable':
          return renderReview(request, reply.code(400), campaign, pending, {
            ...form,
            error: `This wording cannot be posted from your account: ${recorded.message}. Pick another, or write your own.`,
          });
        case 'invalid':
          if (recorded.field === 'email')
            return renderReview(request, reply.code(400), campaign, pending, { ...form, emailError: recorded.message });
          return renderReview(request, reply.code(400), campaign, pending, {
            ...form,
            error: `Your text cannot be used: ${recorded.message}.`,
          });
        // The campaign stopped meanwhile; or the pending pledge was confirmed already (a second submit, a replayed cookie).
        case 'conflict':
        case 'not-found':
          return showExpired(request, reply, campaign);
        case 'unauthenticated':
        case 'forbidden':
          throw notFound('campaign');
      }
      request.session.set('pendingPledgeId', undefined);
      const { created, pledge, manageToken } = recorded.value;
      return reply
        .code(created ? 201 : 200)
        .header('cache-control', 'no-store')
        .view('supporter/confirmed', {
          ...pageLocals(request, reply),
          title: created ? 'Your pledge is in' : 'Your pledge is renewed',
          renewed: !created,
          noindex: true,
          campaign: { slug: campaign.slug, title: campaign.title },
          handle: displayHandle(pending.network, pending.handle),
          shownPublicly: pledge.shown_publicly,
          retentionDays: ctx.config.SUPPORTER_DATA_RETENTION_DAYS,
          expiry: expiryNotice(campaign, pending),
          network: network.displayName,
          text: pledge.text,
          launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
          launchAtIso: campaign.launch_at.toISOString(),
          timeZone: campaign.time_zone,
          campaignUrl: new URL(`c/${campaign.slug}`, base).toString(),
          // The supporter's own secret: shown here once, in this answer only, never stored in clear.
          manageUrl: `${base}p/${pledge.id}?${new URLSearchParams({ key: manageToken }).toString()}`,
          styles: [SUPPORTER_PAGES_STYLESHEET],
          mailAddress: mail === null ? null : mail.address.trim(),
          // Sharing by hand reaches the networks Chorus cannot post to.
          shareKit: await shareKitView(ctx.db, campaign, base),
          scripts: ['/static/countdown.js', '/static/share-campaign.js', '/static/share-links.js'],
        });
    },
  );

  app.post(
    '/c/:slug/review/cancel',
    { schema: { hide: true, params: SlugParams, body: CancelForm }, preValidation: csrf },
    async (request, reply) => {
      // The grant given on the consent page goes now, not when the pending pledge would have expired.
      const id = request.session.get('pendingPledgeId');
      if (id !== undefined) await discardPendingPledge(ctx.db, id);
      request.session.set('pendingPledgeId', undefined);
      return reply.redirect(`/c/${encodeURIComponent(request.params.slug)}`, 303);
    },
  );

  function showManagePage(request: FastifyRequest, reply: FastifyReply, found: SupporterPledge, key: string, notice?: string) {
    const { pledge, campaign, account, delivery, holdsGrant } = found;
    const outcome = supporterPostOutcome(pledge.state, campaign.state, delivery);
    // The refresh ahead of the launch was refused and the grant erased: authorising again brings the post back.
    const renewUrl =
      outcome.kind === 'waiting-for-launch' && campaign.state === 'collecting' && !holdsGrant
        ? renewGrantUrl(ctx.config.PUBLIC_URL, ctx.networks, {
            campaignSlug: campaign.slug,
            network: account.network,
            variantIndex: pledge.variant_index,
            server: account.server,
          })
        : null;
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
        shownPublicly: pledge.shown_publicly,
      },
      handle: displayHandle(account.network, account.handle),
      network: ctx.networks.outline(account.network)?.displayName ?? account.network,
      outcome,
      postUrl: outcome.kind === 'sent' ? postUrl(account.network, account, outcome.postId) : null,
      renewUrl,
      launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
      launchAtIso: campaign.launch_at.toISOString(),
      endedAt: campaign.ended_at === null ? null : formatLaunchTime(campaign.ended_at, campaign.time_zone),
      timeZone: campaign.time_zone,
      styles: [SUPPORTER_PAGES_STYLESHEET],
      scripts: ['/static/countdown.js'],
      key,
      notice,
      retentionDays: ctx.config.SUPPORTER_DATA_RETENTION_DAYS,
    });
  }

  app.get('/p/:id', { schema: { hide: true, params: PledgeParams, querystring: KeyQuery } }, async (request, reply) => {
    const found = await findSupporterPledge(ctx.db, request.params.id, request.query.key ?? '');
    if (found.kind !== 'done') throw notFound('pledge (check that the whole link was copied)');
    return showManagePage(request, reply, found.value, request.query.key ?? '');
  });

  app.post(
    '/p/:id/visibility',
    { schema: { hide: true, params: PledgeParams, body: VisibilityForm }, preValidation: csrf },
    async (request, reply) => {
      const shown = request.body.showName === 'yes';
      const changed = await changePledgeVisibility(ctx.db, request.params.id, request.body.key, shown);
      if (changed.kind !== 'done') throw notFound('pledge (check that the whole link was copied)');
      return showManagePage(
        request,
        reply,
        changed.value,
        request.body.key,
        shown ? 'The campaign page now shows your name.' : 'The campaign page no longer shows your name; you are still counted.',
      );
    },
  );

  app.post(
    '/p/:id/withdraw',
    { schema: { hide: true, params: PledgeParams, body: WithdrawForm }, preValidation: csrf },
    async (request, reply) => {
      const found = valueOrHttpError(await findSupporterPledge(ctx.db, request.params.id, request.body.key));
      const withdrawal = await withdrawSupporterPledge(ctx.db, request.params.id, request.body.key);
      let result: 'withdrawn' | 'already-withdrawn' | 'too-late';
      switch (withdrawal.kind) {
        case 'done':
          result = withdrawal.value.alreadyWithdrawn ? 'already-withdrawn' : 'withdrawn';
          break;
        case 'conflict':
          result = 'too-late';
          break;
        case 'invalid':
        case 'unauthenticated':
        case 'forbidden':
        case 'not-found':
        case 'unpostable':
          throw httpErrorOf(withdrawal);
      }
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
    request.session.set('pendingPledgeId', undefined);
    return reply.code(410).view('supporter/consent-problem', {
      ...pageLocals(request, reply),
      title: 'This link has expired',
      problem: campaign.state === 'collecting' ? 'expired' : 'closed',
      campaign,
    });
  }
};

/** The wording picked on the review page (`message`, `variant-N`, or `own` with the supporter's text); null when none is. */
function readChoice(value: string, ownText: string, campaign: Campaign): PledgeWording | null {
  if (value === 'message') return { kind: 'wording', variantIndex: null };
  if (value === 'own') return { kind: 'own', text: ownText.trim() };
  const match = /^variant-(\d)$/.exec(value);
  const index = match === null ? Number.NaN : Number(match[1]);
  return index < campaign.variants.length ? { kind: 'wording', variantIndex: index } : null;
}

export default supporterPages;
