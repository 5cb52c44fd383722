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
}

/** Sets who may sign up and whether published campaigns wait for review; answers the policy now in force. */
export async function changeInstanceSettings(
  db: Db,
  actor: OrganiserActor,
  defaults: PolicyDefaults,
  change: InstanceSettingsChange,
): Promise<Outcome<InstancePolicy>> {
  if (change.signUpMode !== undefined && !(signUpModes as readonly string[]).includes(change.signUpMode))
    return invalid(`choose one of ${signUpModes.join(', ')}`, 'signUpMode');
  await db.transaction().execute(async (trx) => {
    await saveInstanceSettings(trx, {
      ...(change.signUpMode === undefined ? {} : { sign_up_mode: change.signUpMode as SignUpMode }),
      ...(change.campaignReview === undefined ? {} : { campaign_review: change.campaignReview }),
    });
    await recordAudit(trx, actor, {
      action: 'instance.settings-changed',
      organisationId: null,
      changes: {
        ...(change.signUpMode === undefined ? {} : { signUpMode: change.signUpMode }),
        ...(change.campaignReview === undefined ? {} : { campaignReview: change.campaignReview }),
      },
    });
  });
  return done(await readInstancePolicy(db, defaults));
}
