import { organiserMailChoices, organiserMailKinds, type OrganiserMailKind } from '../../domain/organiser-mail-kind.ts';
import type { Db } from '../../storage/database.ts';
import { readOrganiserMailSettings, saveOrganiserMailSettings } from '../../storage/organiser-mail-settings.repository.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** Which organiser mails are on, by kind. */
export type OrganiserMailChoices = Record<OrganiserMailKind, boolean>;

/** The organiser's mail settings: every kind, on unless they switched it off. */
export async function readMailSettings(db: Db, organiserId: string): Promise<Outcome<OrganiserMailChoices>> {
  return done(organiserMailChoices(await readOrganiserMailSettings(db, organiserId)));
}

/**
 * Switches the kinds named in `changes` on or off (the others stay as they were) and answers every kind's setting.
 * A kind switched off is not written to the outbox from then on; mails already written still go.
 */
export async function changeMailSettings(
  db: Db,
  organiserId: string,
  changes: Readonly<Partial<Record<string, boolean>>>,
): Promise<Outcome<OrganiserMailChoices>> {
  const choices = new Map<string, boolean>();
  for (const [kind, enabled] of Object.entries(changes)) {
    if (enabled === undefined) continue;
    if (!(organiserMailKinds as readonly string[]).includes(kind))
      return invalid(`${kind} is not a kind of mail Chorus sends organisers`, kind);
    choices.set(kind, enabled);
  }
  await saveOrganiserMailSettings(db, organiserId, choices);
  return readMailSettings(db, organiserId);
}
