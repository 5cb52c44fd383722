import { reviewTextLimits } from '../../domain/campaign-review.ts';
import { isEmailAddress } from '../../domain/organiser-account.ts';
import { checkStorableText } from '../../domain/storable-text.ts';
import { insertCampaignReport } from '../../storage/campaign-report.repository.ts';
import { findPublicCampaign } from '../../storage/campaign.repository.ts';
import type { CampaignReport, Db } from '../../storage/database.ts';
import { done, invalidFields, notFound, type Outcome } from '../use-case-outcome.ts';

/** What a visitor reports: why, and optionally how to reach them (kept until the report is closed, then a stated time). */
export interface CampaignReportInput {
  readonly reason: string;
  readonly contact?: string;
}

/** Files a visitor's report about a public campaign in the operators' queue; every broken field is named at once. */
export async function reportCampaign(db: Db, slug: string, input: CampaignReportInput): Promise<Outcome<CampaignReport>> {
  const reason = input.reason.trim();
  const contact = (input.contact ?? '').trim();
  const problems: Record<string, string> = {};
  const reasonCharacters = checkStorableText('the reason', reason);
  if (reasonCharacters !== null) problems.reason = reasonCharacters;
  else if (reason === '' || reason.length > reviewTextLimits.reasonMaxLength)
    problems.reason = `say what is wrong with this campaign (up to ${reviewTextLimits.reasonMaxLength} characters)`;
  const contactCharacters = checkStorableText('the contact', contact);
  if (contactCharacters !== null) problems.contact = contactCharacters;
  else if (contact !== '' && (contact.length > reviewTextLimits.contactMaxLength || !isEmailAddress(contact)))
    problems.contact = 'leave an email address an operator can answer, or nothing';
  if (Object.keys(problems).length > 0) return invalidFields(problems);
  const campaign = await findPublicCampaign(db, slug);
  if (campaign === undefined) return notFound('campaign');
  return done(await insertCampaignReport(db, { campaignId: campaign.id, reason, contact: contact === '' ? null : contact }));
}
