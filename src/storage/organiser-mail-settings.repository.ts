import type { Db } from './database.ts';

/** The mail kinds an organiser changed from their default (on), as kind → on or off. */
export async function readOrganiserMailSettings(db: Db, organiserId: string): Promise<Map<string, boolean>> {
  const rows = await db.selectFrom('organiser_mail_settings').select(['kind', 'enabled']).where('organiser_id', '=', organiserId).execute();
  return new Map(rows.map((row) => [row.kind, row.enabled]));
}

/** Switches mail kinds on or off for an organiser, in one statement. */
export async function saveOrganiserMailSettings(db: Db, organiserId: string, choices: ReadonlyMap<string, boolean>): Promise<void> {
  if (choices.size === 0) return;
  const now = new Date();
  await db
    .insertInto('organiser_mail_settings')
    .values([...choices].map(([kind, enabled]) => ({ organiser_id: organiserId, kind, enabled, updated_at: now })))
    .onConflict((oc) =>
      oc
        .columns(['organiser_id', 'kind'])
        .doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), updated_at: eb.ref('excluded.updated_at') })),
    )
    .execute();
}
