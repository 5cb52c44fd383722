import { isEmailAddress } from '../../domain/organiser-account.ts';
import { signUpModes, type SignUpMode } from '../../domain/sign-up-mode.ts';
import type { Db } from '../../storage/database.ts';
import { saveInstanceSettings } from '../../storage/instance-settings.repository.ts';
import { recordAudit, type OrganiserActor } from '../organisations/audit-actor.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';
import { readInstancePolicy, type InstancePolicy, type PolicyDefaults } from './instance-policy.ts';

/** An operator's change to the instance's rules; a field left out stays as it is. */
export interface InstanceSettingsChange {
  readonly signUpMode?: string;
  readonly campaignReview?: boolean;
  /** The operators' contact; empty or null takes it away. */
  readonly contactEmail?: string | null;
}

/** Sets who may sign up, whether published campaigns wait for review and the operators' contact; answers the policy now in force. */
export async function changeInstanceSettings(
  db: Db,
  actor: OrganiserActor,
  defaults: PolicyDefaults,
  change: InstanceSettingsChange,
): Promise<Outcome<InstancePolicy>> {
  if (change.signUpMode !== undefined && !(signUpModes as readonly string[]).includes(change.signUpMode))
    return invalid(`choose one of ${signUpModes.join(', ')}`, 'signUpMode');
  const contactEmail = change.contactEmail === undefined ? undefined : (change.contactEmail ?? '').trim() || null;
  if (contactEmail != null && !isEmailAddress(contactEmail))
    return invalid('Give an email address, like operators@example.org, or leave the box empty.', 'contactEmail');
  await db.transaction().execute(async (trx) => {
    await saveInstanceSettings(trx, {
      ...(change.signUpMode === undefined ? {} : { sign_up_mode: change.signUpMode as SignUpMode }),
      ...(change.campaignReview === undefined ? {} : { campaign_review: change.campaignReview }),
      ...(contactEmail === undefined ? {} : { contact_email: contactEmail }),
    });
    await recordAudit(trx, actor, {
      action: 'instance.settings-changed',
      organisationId: null,
      changes: {
        ...(change.signUpMode === undefined ? {} : { signUpMode: change.signUpMode }),
        ...(change.campaignReview === undefined ? {} : { campaignReview: change.campaignReview }),
        ...(contactEmail === undefined ? {} : { contactEmail }),
      },
    });
  });
  return done(await readInstancePolicy(db, defaults));
}
