import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DateTime } from 'luxon';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { commaList } from '../../../config/comma-list.ts';
import type { ChorusContext } from '../../chorus-context.ts';
import { campaignHashtags } from '../../domain/message-rules.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { createShortLivedCache } from '../../campaigns/short-lived-cache.ts';
import { allowFormsToReach } from '../../plugins/external/helmet.ts';
import { findCampaignImageName } from '../../storage/campaign-image.repository.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import { listCampaignUpdates } from '../../storage/campaign-update.repository.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { Campaign } from '../../storage/database.ts';
import { countDeliveries } from '../../storage/delivery.repository.ts';
import { findOrganiserById } from '../../storage/organiser.repository.ts';
import { listSupporters } from '../../storage/pledge.repository.ts';
import { ensureShortLink, visitShortLink } from '../../storage/short-link.repository.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { campaignImagePath } from '../campaign-image.ts';
import { notFound } from '../http-error.ts';
import { displayHandle } from './account-handle.ts';
import { campaignOutcome, describeOutcome } from './campaign-outcome.ts';
import { pageLocals } from './page-locals.ts';

/** The public campaign page `/c/:slug`, and short links `/s/:code` that lead to it. */
const publicCampaignPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  // What the page shows is the same for every visitor, so it is worked out at most once a second
  // per campaign (as the public numbers are), and rendered once for everyone not signed in: only
  // a signed-in organiser's copy differs (the sign-out form and its CSRF token).
  const formTargets = serverFormTargets(ctx);
  const pages = createShortLivedCache(async (slug) => {
    const campaign = await findPublicCampaign(ctx.db, slug);
    if (campaign === undefined) return undefined;
    const view = await campaignPageView(ctx, campaign, withSlash(ctx.config.PUBLIC_URL));
    const anonymousHtml = await app.view('campaign/page', { signedIn: false, csrfToken: null, ...view });
    return { view, anonymousHtml };
  }, 1000);

  app.get('/c/:slug', { schema: { hide: true, params: SlugParams } }, async (request, reply) => {
    const page = await pages.read(request.params.slug);
    if (page === undefined) throw notFound('campaign');
    allowServerForms(reply, page.view, formTargets);
    reply.header('cache-control', 'no-cache');
    const locals = pageLocals(request, reply);
    if (!locals.signedIn) return reply.type('text/html; charset=utf-8').send(page.anonymousHtml);
    return reply.view('campaign/page', { ...locals, ...page.view });
  });

  app.get(
    '/s/:code',
    { schema: { hide: true, params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9]{6}$' }) }) } },
    async (request, reply) => {
      const slug = await visitShortLink(ctx.db, request.params.code);
      if (slug === undefined) throw notFound('short link');
      return reply.redirect(`/c/${slug}`, 302);
    },
  );
};

/** A supporter's server name that was refused, shown back beside its field on the campaign page. */
export interface ServerChoiceProblem {
  readonly network: NetworkId;
  readonly typed: string;
  readonly message: string;
}

/** Renders the campaign page, with a refused server name beside its field (and status 400) when there is one. */
export async function renderCampaignPage(
  ctx: ChorusContext,
  request: FastifyRequest,
  reply: FastifyReply,
  campaign: Campaign,
  problem?: ServerChoiceProblem,
) {
  const view = await campaignPageView(ctx, campaign, withSlash(ctx.config.PUBLIC_URL), problem);
  allowServerForms(reply, view, serverFormTargets(ctx));
  return reply
    .code(problem === undefined ? 200 : 400)
    .header('cache-control', 'no-cache')
    .view('campaign/page', { ...pageLocals(request, reply), ...view });
}

/** An open campaign page with a server-choice form lets that form lead on to the supporter's server. */
function allowServerForms(reply: FastifyReply, view: CampaignPageView, targets: readonly string[]): void {
  if (view.campaign.open && view.campaign.networks.some((n) => n.server !== null)) allowFormsToReach(reply, targets);
}

/**
 * Where a server-choice form may end up: the supporter's server is any public https host, or
 * one of the local servers the operator listed (the sandboxes and the local Bluesky network, in tests and under `npm start`).
 */
function serverFormTargets(ctx: ChorusContext): string[] {
  const local = [...commaList(ctx.config.MASTODON_LOCAL_INSTANCES), ...commaList(ctx.config.BLUESKY_LOCAL_SERVERS)].flatMap((entry) => {
    try {
      return [new URL(entry).origin];
    } catch {
      return [];
    }
  });
  return ['https:', ...local];
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

type CampaignPageView = Awaited<ReturnType<typeof campaignPageView>>;

/** Everything the campaign page shows, worked out once on the server so the page works without JavaScript. */
export async function campaignPageView(ctx: ChorusContext, campaign: Campaign, base: string, problem?: ServerChoiceProblem) {
  const counts = campaign.state === 'launching' || campaign.state === 'launched' ? await countDeliveries(ctx.db, campaign.id) : null;
  const [organiser, top, recent, updates, shortCode, image] = await Promise.all([
    findOrganiserById(ctx.db, campaign.organiser_id),
    listSupporters(ctx.db, campaign.id, 'largest-reach', 10),
    listSupporters(ctx.db, campaign.id, 'most-recent', 10),
    listCampaignUpdates(ctx.db, campaign.id),
    ensureShortLink(ctx.db, campaign.id),
    findCampaignImageName(ctx.db, campaign.id),
  ]);
  const outcome = campaignOutcome(campaign.state, counts);
  const url = new URL(`c/${campaign.slug}`, base).toString();
  const shortUrl = new URL(`s/${shortCode}`, base).toString();
  const imageUrl = image === undefined ? null : new URL(campaignImagePath(image), base).toString();
  const summary = (campaign.description.trim() === '' ? campaign.message : campaign.description).replace(/\s+/g, ' ').slice(0, 200);
  const shareText = `${campaign.title}: ${summary.slice(0, 100)}`;
  const number = (n: number) => n.toLocaleString('en-GB');
  const supporter = (s: (typeof top)[number]) => ({
    handle: displayHandle(s.network, s.handle),
    name: s.displayName,
    network: ctx.networks.get(s.network)?.displayName ?? s.network,
    reach: number(s.followers),
    since: DateTime.fromJSDate(s.pledgedAt).toRelative() ?? '',
  });
  return {
    title: campaign.title,
    meta: {
      url,
      description: summary,
      image: imageUrl,
      imageAlt: campaign.image_alt,
    },
    campaign: {
      slug: campaign.slug,
      title: campaign.title,
      organiser: organiser?.name ?? '',
      paragraphs: campaign.description
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter((p) => p !== ''),
      imageUrl,
      imageAlt: campaign.image_alt,
      message: campaign.message,
      variants: campaign.variants,
      hashtags: campaignHashtags(campaign),
      networks: campaign.networks.flatMap((id) => {
        const network = ctx.networks.get(id);
        if (network === undefined) return [];
        const choice = network.serverChoice;
        // Networks of many servers ask for the supporter's server before the consent page.
        const server =
          choice === undefined
            ? null
            : {
                parameter: choice.parameter,
                suggested: choice.suggested,
                example: choice.suggested[0] ?? null,
                hint: choice.hint,
                value: problem?.network === id ? problem.typed : '',
                error: problem?.network === id ? problem.message : null,
              };
        return [{ id, name: network.displayName, server }];
      }),
      open: outcome.kind === 'open',
      outcome: describeOutcome(outcome, campaign.ended_at === null ? null : formatLaunchTime(campaign.ended_at, campaign.time_zone)),
      supporters: number(campaign.supporter_count),
      goal: number(campaign.goal),
      progressValue: Math.min(campaign.supporter_count, campaign.goal),
      goalValue: campaign.goal,
      percent: percentOfGoal(campaign.supporter_count, campaign.goal),
      reach: number(campaign.reach),
      launchAtIso: campaign.launch_at.toISOString(),
      launchAtOrganiser: formatLaunchTime(campaign.launch_at, campaign.time_zone),
      organiserZone: campaign.time_zone,
      launchAtUtc: formatLaunchTime(campaign.launch_at, 'UTC'),
      timeLeft: timeLeft(campaign.launch_at),
      top: top.map(supporter),
      recent: recent.map(supporter),
      updates: updates.map((u) => ({
        date: DateTime.fromJSDate(u.created_at, { zone: campaign.time_zone }).toFormat('d LLLL yyyy'),
        iso: u.created_at.toISOString(),
        paragraphs: u.body.split(/\n\s*\n/),
      })),
      shortUrl,
      share: [
        { label: 'Share on X', href: `https://x.com/intent/post?${new URLSearchParams({ text: shareText, url: shortUrl }).toString()}` },
        {
          label: 'Share on Bluesky',
          href: `https://bsky.app/intent/compose?${new URLSearchParams({ text: `${shareText} ${shortUrl}` }).toString()}`,
        },
        { label: 'Share on Facebook', href: `https://www.facebook.com/sharer/sharer.php?${new URLSearchParams({ u: url }).toString()}` },
        { label: 'Share on LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?${new URLSearchParams({ url }).toString()}` },
        {
          label: 'Share by email',
          href: `mailto:?${new URLSearchParams({ subject: campaign.title, body: `${summary}\n\n${shortUrl}` }).toString().replaceAll('+', '%20')}`,
        },
      ],
    },
    scripts: ['/static/countdown.js'],
  };
}

function timeLeft(launchAt: Date): string {
  const ms = launchAt.getTime() - Date.now();
  if (ms <= 0) return 'launch time reached';
  const d = DateTime.fromJSDate(launchAt).diffNow(['days', 'hours', 'minutes']).shiftTo('days', 'hours', 'minutes');
  const parts: string[] = [];
  if (d.days > 0) parts.push(`${d.days} ${d.days === 1 ? 'day' : 'days'}`);
  if (d.hours > 0) parts.push(`${d.hours} ${d.hours === 1 ? 'hour' : 'hours'}`);
  const minutes = Math.max(1, Math.floor(d.minutes));
  if (d.days === 0) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`);
  return parts.join(', ');
}

export default publicCampaignPages;
