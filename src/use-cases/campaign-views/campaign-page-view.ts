import { DateTime } from 'luxon';
import { campaignImagePath } from '../campaigns/campaign-image.ts';
import type { ChorusContext } from '../../chorus-context.ts';
import { campaignPhase, isPhaseOpen, type CampaignPhase, type LaunchTally } from '../../domain/campaign-phase.ts';
import { hasLaunchStarted, type CampaignState } from '../../domain/campaign-state.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { initialsAvatar } from '../../domain/initials-avatar.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { campaignHashtags } from '../../domain/message-rules.ts';
import { formatTimeLeft } from '../../domain/time-left.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { listCampaignUpdates } from '../../storage/campaign-update.repository.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { countDeliveries, type DeliveryCounts } from '../../storage/delivery.repository.ts';
import { listPublicSentPosts } from '../../storage/delivery-result.repository.ts';
import { listSupporters } from '../../storage/pledge.repository.ts';
import { done, notFound, type Outcome } from '../use-case-outcome.ts';
import { displayHandle } from './account-handle.ts';
import { postUrl } from './post-url.ts';

/** The stylesheet of the pages supporters see (the campaign, review, confirmation, manage and home pages). */
export const SUPPORTER_PAGES_STYLESHEET = '/static/supporter-pages.css';

/** How many posts that went out the page links to (from supporters who chose to be named, largest reach first). */
const LINKED_POSTS = 6;
import { shareImageSize } from '../share-image/render-share-card.ts';
import { readShareImageFacts, shareImageDescription, shareImagePath } from '../share-image/share-image.ts';
import { listShareKitPosts, shareKitOf } from '../share-kit/share-kit-view.ts';

/** A supporter's server name that was refused, shown back beside its field on the campaign page. */
export interface ServerChoiceProblem {
  readonly network: NetworkId;
  readonly typed: string;
  readonly message: string;
}

/** The campaign page at a public slug: not-found for a draft, a campaign in review or no campaign at all. */
export async function readCampaignPage(ctx: ChorusContext, slug: string, base: string): Promise<Outcome<CampaignPageView>> {
  const campaign = await findPublicCampaign(ctx.db, slug);
  return campaign === undefined ? notFound('campaign') : done(await campaignPageView(ctx, campaign, base));
}

/** What the campaign page shows. */
export type CampaignPageView = Awaited<ReturnType<typeof campaignPageView>>;

/** Everything the campaign page shows, worked out once on the server so the page works without JavaScript. */
export async function campaignPageView(ctx: ChorusContext, campaign: Campaign, base: string, problem?: ServerChoiceProblem) {
  const launched = hasLaunchStarted(campaign.state);
  const [counts, sentPosts] = launched
    ? await Promise.all([countDeliveries(ctx.db, campaign.id), listPublicSentPosts(ctx.db, campaign.id, LINKED_POSTS)])
    : [null, []];
  // The organisation, the image and the short link are read once, for the page, its share kit and its share image.
  const [facts, top, recent, updates, suggested] = await Promise.all([
    readShareImageFacts(ctx.db, campaign),
    listSupporters(ctx.db, campaign.id, 'largest-reach', 10, 'public'),
    listSupporters(ctx.db, campaign.id, 'most-recent', 10, 'public'),
    listCampaignUpdates(ctx.db, campaign.id),
    listShareKitPosts(ctx.db, campaign.id),
  ]);
  const { shortCode } = facts;
  const imagePath = facts.image === undefined ? null : campaignImagePath(facts.image);
  const shareKit = shareKitOf(campaign, suggested, shortCode, base);
  const shareImage = shareImageDescription(campaign, facts, base);
  const phase = campaignPhase(campaign, counts === null ? null : launchTally(campaign.state, counts));
  const url = new URL(`c/${campaign.slug}`, base).toString();
  const shortUrl = new URL(`s/${shortCode}`, base).toString();
  const imageUrl = imagePath === null ? null : new URL(imagePath, base).toString();
  const summary = (campaign.description.trim() === '' ? campaign.message : campaign.description).replace(/\s+/g, ' ').slice(0, 200);
  const number = (n: number) => n.toLocaleString('en-GB');
  const networkName = (id: NetworkId) => ctx.networks.outline(id)?.displayName ?? id;
  const supporter = (s: (typeof top)[number]) => {
    const handle = displayHandle(s.network, s.handle);
    const name = s.displayName.trim() === '' ? handle : s.displayName;
    return {
      handle,
      // LinkedIn has no handles: its "handle" is the member's name, which would only repeat it.
      showHandle: handle !== name,
      name,
      avatar: initialsAvatar(s.displayName, s.handle),
      network: networkName(s.network),
      reach: s.followers,
      reachText: number(s.followers),
      since: DateTime.fromJSDate(s.pledgedAt).toRelative({ locale: 'en-GB' }) ?? '',
      sinceIso: s.pledgedAt.toISOString(),
    };
  };
  const launchAtOrganiser = formatLaunchTime(campaign.launch_at, campaign.time_zone);
  const endedAt = campaign.ended_at === null ? null : formatLaunchTime(campaign.ended_at, campaign.time_zone);
  return {
    title: campaign.title,
    meta: {
      url,
      description: summary,
      // The share image (its figures, and the campaign's image when it has one) previews the link on every network.
      image: new URL(shareImagePath(shareImage), base).toString(),
      imageAlt: `${campaign.title}: ${shareImage.card.supporters} of ${shareImage.card.goal} supporters, ${shareImage.card.status}`,
      imageWidth: shareImageSize.width,
      imageHeight: shareImageSize.height,
      oembed: `${base}oembed?${new URLSearchParams({ url, format: 'json' }).toString()}`,
    },
    shareKit,
    campaign: {
      slug: campaign.slug,
      title: campaign.title,
      // The page names the organisation that runs the campaign, not the member who created it.
      organiser: facts.organisationName,
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
        const network = ctx.networks.outline(id);
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
      open: isPhaseOpen(phase),
      phase: phaseView(phase, endedAt ?? launchAtOrganiser),
      posts: sentPosts.flatMap((p) => {
        const href = p.postId === null ? null : postUrl(p.network, p, p.postId);
        if (href === null) return [];
        const handle = displayHandle(p.network, p.handle);
        return [{ href, label: `${p.displayName.trim() === '' ? handle : p.displayName} on ${networkName(p.network)}` }];
      }),
      supporters: number(campaign.supporter_count),
      supporterCount: campaign.supporter_count,
      goal: number(campaign.goal),
      progressValue: Math.min(campaign.supporter_count, campaign.goal),
      goalValue: campaign.goal,
      percent: percentOfGoal(campaign.supporter_count, campaign.goal),
      reach: number(campaign.reach),
      reachValue: campaign.reach,
      launchAtIso: campaign.launch_at.toISOString(),
      launchAtOrganiser,
      organiserZone: campaign.time_zone,
      launchAtUtc: formatLaunchTime(campaign.launch_at, 'UTC'),
      timeLeft: formatTimeLeft(campaign.launch_at.getTime() - Date.now()) ?? 'launch time reached',
      top: top.map(supporter),
      recent: recent.map(supporter),
      updates: updates.map((u) => ({
        date: DateTime.fromJSDate(u.created_at, { zone: campaign.time_zone }).toFormat('d LLLL yyyy'),
        iso: u.created_at.toISOString(),
        paragraphs: u.body.split(/\n\s*\n/),
      })),
      shortUrl,
    },
    styles: [SUPPORTER_PAGES_STYLESHEET],
    scripts: ['/static/countdown.js', '/static/share-links.js'],
  };
}

/** The launch's posts so far; an unknown outcome counts as waiting while launching and as not posted once it ended. */
function launchTally(state: CampaignState, c: DeliveryCounts): LaunchTally {
  return state === 'launched'
    ? { sent: c.sent, failed: c.failed + c.unknown, waiting: c.queued + c.claimed + c.held }
    : { sent: c.sent, failed: c.failed, waiting: c.queued + c.claimed + c.held + c.unknown };
}

/** The phase as the page shows it: a tone for its colour, a headline and a sentence under it. */
function phaseView(phase: CampaignPhase, endedAt: string) {
  const posts = (n: number) => `${n.toLocaleString('en-GB')} ${n === 1 ? 'post' : 'posts'}`;
  switch (phase.kind) {
    case 'draft':
      return { kind: phase.kind, tone: 'neutral', headline: 'Not open yet', detail: 'A draft: only its organiser can see it.' };
    case 'collecting':
      return {
        kind: phase.kind,
        tone: 'open',
        headline: 'Open for supporters',
        detail: `${phase.stillNeeded.toLocaleString('en-GB')} more ${phase.stillNeeded === 1 ? 'supporter' : 'supporters'} needed before the launch. If the goal is missed, nothing is posted.`,
      };
    case 'goal-reached':
      return {
        kind: phase.kind,
        tone: 'reached',
        headline: 'Goal reached',
        detail: 'Every pledged post goes out together at the launch time. You can still join until then.',
      };
    case 'launching':
      return {
        kind: phase.kind,
        tone: 'reached',
        headline: 'Launching now',
        detail: `${posts(phase.tally.sent)} out so far, ${phase.tally.waiting.toLocaleString('en-GB')} on the way.`,
      };
    case 'launched':
      return {
        kind: phase.kind,
        tone: 'reached',
        headline: 'Launched',
        detail: `This campaign launched on ${endedAt} with ${posts(phase.tally.sent)} delivered${phase.tally.failed > 0 ? ` (${phase.tally.failed.toLocaleString('en-GB')} could not be posted)` : ''}.`,
      };
    case 'missed-goal':
      return {
        kind: phase.kind,
        tone: 'ended',
        headline: 'Goal missed',
        detail: "This campaign ended without reaching its goal, so nothing was posted and every supporter's access was deleted.",
      };
    case 'cancelled':
      return {
        kind: phase.kind,
        tone: 'ended',
        headline: 'Cancelled',
        detail: "This campaign was cancelled by its organiser: nothing was posted and every supporter's access was deleted.",
      };
    case 'suspended':
      return {
        kind: phase.kind,
        tone: 'ended',
        headline: 'Withdrawn by this Chorus',
        detail: "This campaign was withdrawn by this Chorus's operators: nothing will be posted and every supporter's access was deleted.",
      };
  }
}
