import type { Db, InstanceSettings } from './database.ts';

/** The operator's choices for the instance; undefined until an operator has made one. */
export function readInstanceSettings(db: Db): Promise<InstanceSettings | undefined> {
  return db.selectFrom('instance_settings').selectAll().executeTakeFirst();
}

/** Saves the operator's choices (the one row, made on first save); a field left out keeps its value. */
export async function saveInstanceSettings(
  db: Db,
  changes: Partial<Pick<InstanceSettings, 'sign_up_mode' | 'campaign_review' | 'contact_email'>>,
): Promise<InstanceSettings> {
  return db
    .insertInto('instance_settings')
    .values({ id: true, ...changes })
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...changes, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow();
}
