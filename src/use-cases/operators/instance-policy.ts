import type { Config } from '../../../config/config.ts';
import { defaultSignUpMode, type SignUpMode } from '../../domain/sign-up-mode.ts';
import type { Db } from '../../storage/database.ts';
import { readInstanceSettings } from '../../storage/instance-settings.repository.ts';

/** The instance's rules in force: the operator's choices, or the environment's defaults where they made none. */
export interface InstancePolicy {
  readonly signUpMode: SignUpMode;
  readonly campaignReview: boolean;
  /** The operators' contact shown to users; null where the operators gave none. */
  readonly contactEmail: string | null;
}

/** The settings read for the policy: the configuration's defaults. */
export type PolicyDefaults = Pick<Config, 'NODE_ENV' | 'SIGN_UP_MODE' | 'CAMPAIGN_REVIEW'>;

/** The operators' contact, or null where they gave none: for pages and mails that say who runs this Chorus. */
export async function readOperatorContact(db: Db): Promise<string | null> {
  return (await readInstanceSettings(db))?.contact_email ?? null;
}

/** Reads the instance's policy: who may sign up, and whether published campaigns wait for review. */
export async function readInstancePolicy(db: Db, defaults: PolicyDefaults): Promise<InstancePolicy> {
  const settings = await readInstanceSettings(db);
  return {
    signUpMode: settings?.sign_up_mode ?? defaults.SIGN_UP_MODE ?? defaultSignUpMode(defaults.NODE_ENV),
    campaignReview: settings?.campaign_review ?? defaults.CAMPAIGN_REVIEW === 'on',
    contactEmail: settings?.contact_email ?? null,
  };
}
