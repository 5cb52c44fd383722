import type { Db } from '../../storage/database.ts';
import {
  deleteOrganisationAndCampaigns,
  listOrganisationsDueForDeletion,
  lockMarkedOrganisation,
} from '../../storage/account-deletion.repository.ts';

/**
 * Deletes the organisations marked for deletion when their only member deleted their account (docs/organisations.md,
 * "Deleting an account"), each once no mail to its supporters is still to write or send, or `waitSeconds` after the
 * mark at the latest; each in one transaction, with its campaigns, pledges and addresses. Answers how many went.
 */
export async function deleteMarkedOrganisations(db: Db, waitSeconds: number, now = new Date()): Promise<number> {
  let deleted = 0;
  for (const organisationId of await listOrganisationsDueForDeletion(db, new Date(now.getTime() - waitSeconds * 1000))) {
    const gone = await db.transaction().execute(async (trx) => {
      // Another worker's sweep may have taken it meanwhile.
      if (!(await lockMarkedOrganisation(trx, organisationId))) return false;
      await deleteOrganisationAndCampaigns(trx, organisationId);
      return true;
    });
    if (gone) deleted += 1;
  }
  return deleted;
}
