import type { ChorusContext } from '../../chorus-context.ts';
import { enqueueMails } from '../../jobs/enqueue-mails.ts';
import { textForVariant } from '../../domain/campaign-message.ts';
import type { TextRules } from '../../domain/message-rules.ts';
import { campaignHashtags, checkPersonalText, checkPostText, describeMessageProblem } from '../../domain/message-rules.ts';
import type { NetworkId } from '../../networks/network-id.ts';
import type { NetworkProfile } from '../../networks/social-network.ts';
import { generateSecretToken, hashSecretToken } from '../../security/secret-token.ts';
import { findCampaign } from '../../storage/campaign.repository.ts';
import type { Campaign, Pledge } from '../../storage/database.ts';
import { recordPledge, type SealedCredentials } from '../../storage/pledge.repository.ts';
import { resealManageToken } from '../../storage/supporter-mail-address.repository.ts';
import { writeGoalReachedMail } from '../mail/write-organiser-mails.ts';
import { supporterAddressToKeep, type SupporterMailChoice } from '../supporter-mail/register-supporter-address.ts';
import { conflict, done, invalid, notFound, type Outcome } from '../use-case-outcome.ts';
import { storableProfile } from './storable-profile.ts';
import { textRulesForAccount } from './text-rules-for-account.ts';

/** How a pledge's private key begins, so that a supporter (and the API) can tell it from an organiser's token. */
export const PLEDGE_TOKEN_PREFIX = 'chorus_pledge';

/** What the supporter chose to post: one of the campaign's wordings (null: the main message), or their own text. */
export type PledgeWording =
  { readonly kind: 'wording'; readonly variantIndex: number | null } | { readonly kind: 'own'; readonly text: string };

/** A supporter's consent, ready to become a pledge. */
export interface PledgeFromConsent {
  readonly campaignId: string;
  readonly network: NetworkId;
  readonly profile: NetworkProfile;
  readonly credentials: SealedCredentials;
  readonly wording: PledgeWording;
  /** The length rule the consent flow brought back for the account's own server, where it has one. */
  readonly accountRules?: TextRules;
  /** Whether the supporter chose to have their name on the public page; null keeps a renewed pledge's choice (new ones: no). */
  readonly shownPublicly: boolean | null;
}

/** A recorded pledge, with its private key (returned once; only its hash is kept). */
export interface RecordedPledge {
  /** False when the supporter renewed a pledge they had made before. */
  readonly created: boolean;
  readonly pledge: Pledge;
  readonly campaign: Campaign;
  readonly manageToken: string;
}

/**
 * Records a supporter's pledge from their consent: the text must go out from their own account
 * (unpostable when a wording is too long for it; invalid when their own text breaks a rule), and
 * the campaign must still be collecting (a conflict when it stopped meanwhile).
 */
export async function recordPledgeFromConsent(ctx: ChorusContext, input: PledgeFromConsent): Promise<Outcome<RecordedPledge>> {
  const campaign = await findCampaign(ctx.db, input.campaignId);
  if (campaign === undefined) return notFound('campaign');
  const text = await pledgeTextFor(ctx, campaign, input);
  if (text.kind !== 'done') return text;
  return writePledge(ctx, campaign, input, text.value, input.credentials);
}

/**
 * The text a pledge will post, checked against the supporter's own account: unpostable when a campaign
 * wording is too long for it, invalid when their own text breaks a rule.
 */
export async function pledgeTextFor(
  ctx: ChorusContext,
  campaign: Campaign,
  input: Pick<PledgeFromConsent, 'network' | 'profile' | 'wording' | 'accountRules'>,
): Promise<Outcome<string>> {
  const network = await ctx.networks.load(input.network);
  if (network === undefined) return notFound('network');
  const rules = await textRulesForAccount(network, { server: input.profile.server, textRules: input.accountRules });
  switch (input.wording.kind) {
    case 'wording': {
      const wording = textForVariant(campaign, input.wording.variantIndex);
      if (wording === undefined) return notFound('campaign');
      const problem = checkPostText(wording, campaign.link, rules);
      if (problem !== null) return { kind: 'unpostable', message: describeMessageProblem(problem), field: 'text' };
      return done(wording);
    }
    case 'own': {
      const problem = checkPersonalText(input.wording.text, { link: campaign.link, hashtags: campaignHashtags(campaign) }, rules);
      return problem === null ? done(input.wording.text) : invalid(problem, 'text');
    }
  }
}

/**
 * Writes a checked pledge with its grant and makes its private manage token (only its hash is kept);
 * a conflict when the campaign stopped collecting meanwhile. An address left for mail (the review step) is kept,
 * with the mail asking to confirm it, in the pledge's own statement: both are written, or neither (invalid on `email`
 * for a malformed address, before anything is written). The account is stored as `storableProfile` makes it.
 */
export async function writePledge(
  ctx: ChorusContext,
  campaign: Campaign,
  input: Pick<PledgeFromConsent, 'network' | 'profile' | 'wording' | 'shownPublicly'>,
  text: string,
  credentials: SealedCredentials,
  mail: SupporterMailChoice | null = null,
): Promise<Outcome<RecordedPledge>> {
  const profile = storableProfile(input.network, input.profile);
  if (profile.kind !== 'done') return profile;
  const manageToken = generateSecretToken(PLEDGE_TOKEN_PREFIX);
  const mailAddress = mail === null ? undefined : supporterAddressToKeep(ctx, campaign, manageToken, mail);
  if (mailAddress !== undefined && mailAddress.kind !== 'done') return mailAddress;
  const result = await recordPledge(ctx.db, {
    campaignId: campaign.id,
    network: input.network,
    profile: profile.value,
    text,
    variantIndex: input.wording.kind === 'wording' ? input.wording.variantIndex : null,
    credentials,
    manageTokenHash: hashSecretToken(manageToken),
    shownPublicly: input.shownPublicly,
    mailAddress: mailAddress?.value,
  });
  switch (result.kind) {
    case 'created':
    case 'updated':
      if (result.kind === 'created' && campaign.supporter_count < campaign.goal && campaign.supporter_count + 1 >= campaign.goal)
        await tellOrganiserOfGoal(ctx, campaign.id);
      await enqueueMails(ctx.queues.mail, result.mailIds);
      // A renewal makes a new manage token: an address still waiting to be confirmed must be mailed this one.
      if (result.kind === 'updated' && mailAddress === undefined)
        await resealManageToken(ctx.db, result.pledge.id, { keyId: ctx.cipher.keyId, sealed: ctx.cipher.encrypt(manageToken) });
      return done({ created: result.kind === 'created', pledge: result.pledge, campaign, manageToken });
    case 'not-collecting':
      return conflict('this campaign stopped taking pledges before you finished; nothing will be posted');
  }
}

/**
 * Writes the organiser's goal-reached mail as soon as the pledge that seems to reach the goal is in, instead of at the
 * next mail sweep (MAIL_SWEEP_SECONDS). Only the pledge whose campaign, as read before it, stood one short tries: a
 * query, never a lock, so pledges are not held up; the query counts afresh, and a pledge that raced past without
 * trying is caught by the sweep. A failure here is left to the sweep too: the pledge is already recorded.
 */
async function tellOrganiserOfGoal(ctx: ChorusContext, campaignId: string): Promise<void> {
  if (ctx.config.SMTP_URL === undefined) return;
  try {
    const written = await writeGoalReachedMail(ctx.db, campaignId);
    if (written.kind === 'done') await enqueueMails(ctx.queues.mail, written.value);
  } catch {
    // The sweep writes it (the insert is idempotent) or gives the row its job.
  }
}
