import { DateTime } from 'luxon';
import { campaignImageAddress } from '../campaigns/campaign-image.ts';
import type { ChorusContext } from '../../chorus-context.ts';
import { hasLaunchStarted } from '../../domain/campaign-state.ts';
import { percentOfGoal } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { campaignHashtags } from '../../domain/message-rules.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import { listCampaignUpdates } from '../../storage/campaign-update.repository.ts';
import type { Campaign } from '../../storage/database.ts';
import { countDeliveries } from '../../storage/delivery.repository.ts';
import { findOrganisation } from '../../storage/organisation.repository.ts';
import { listSupporters } from '../../storage/pledge.repository.ts';
import { ensureShortLink } from '../../storage/short-link.repository.ts';
import { displayHandle } from './account-handle.ts';
import { campaignOutcome, describeOutcome } from './campaign-outcome.ts';

/** A supporter's server name that was refused, shown back beside its field on the campaign page. */
export interface ServerChoiceProblem {
  readonly network: NetworkId;
  readonly typed: string;
  readonly message: string;
}

/** Everything the campaign page shows, worked out once on the server so the page works without JavaScript. */
export async function campaignPageView(ctx: ChorusContext, campaign: Campaign, base: string, problem?: ServerChoiceProblem) {
  const counts = hasLaunchStarted(campaign.state) ? await countDeliveries(ctx.db, campaign.id) : null;
  // The page names the organisation that runs the campaign, not the member who created it.
  const [organisation, top, recent, updates, shortCode, imagePath] = await Promise.all([
    findOrganisation(ctx.db, campaign.organisation_id),
    listSupporters(ctx.db, campaign.id, 'largest-reach', 10, 'public'),
    listSupporters(ctx.db, campaign.id, 'most-recent', 10, 'public'),
    listCampaignUpdates(ctx.db, campaign.id),
    ensureShortLink(ctx.db, campaign.id),
    campaignImageAddress(ctx.db, campaign.id),
  ]);
  const outcome = campaignOutcome(campaign.state, counts);
  const url = new URL(`c/${campaign.slug}`, base).toString();
  const shortUrl = new URL(`s/${shortCode}`, base).toString();
  const imageUrl = imagePath === null ? null : new URL(imagePath, base).toString();
  const summary = (campaign.description.trim() === '' ? campaign.message : campaign.description).replace(/\s+/g, ' ').slice(0, 200);
  const shareText = `${campaign.title}: ${summary.slice(0, 100)}`;
  const number = (n: number) => n.toLocaleString('en-GB');
  const supporter = (s: (typeof top)[number]) => ({
    handle: displayHandle(s.network, s.handle),
    name: s.displayName,
    network: ctx.networks.outline(s.network)?.displayName ?? s.network,
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
      organiser: organisation?.name ?? '',
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
      open: outcome.kind === 'open',
      outcome: describeOutcome(outcome, campaign.ended_at === null ? null : formatLaunchTime(campaign.ended_at, campaign.time_zone)),
      supporters: number(campaign.supporter_count),
      supporterCount: campaign.supporter_count,
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
