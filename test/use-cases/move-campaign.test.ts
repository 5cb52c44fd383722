import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/test-database.ts';

import { campaignStates, canMoveCampaign } from '../../src/domain/campaign-state.ts';
import { findCampaign, moveCampaign, updateEditableCampaign } from '../../src/storage/campaign.repository.ts';
import { createDatabase, type Db } from '../../src/storage/database.ts';
import { insertCollectingCampaign } from '../support/seed-pledges.ts';

describe('campaign states move only as the transition table allows', () => {
  let db: Db;
  beforeAll(() => {
    db = createDatabase(testDatabaseUrl(), { max: 2 });
  });
  afterAll(async () => {
    await db.destroy();
  });

  /** A campaign put straight into `state`, as a test fixture. */
  async function campaignIn(state: (typeof campaignStates)[number]) {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3600_000));
    // A suspended campaign remembers where it was suspended from (a constraint of migration 0018).
    await db
      .updateTable('campaigns')
      .set({ state, suspended_from: state === 'suspended' ? 'collecting' : null })
      .where('id', '=', campaign.id)
      .execute();
    return campaign.id;
  }

  for (const from of campaignStates) {
    it(`from ${from}: moves to the states the table allows and refuses the others, changing nothing`, async () => {
      for (const to of campaignStates) {
        const id = await campaignIn(from);
        const moved = await moveCampaign(db, id, to, { ended_at: new Date(), suspended_from: to === 'suspended' ? 'draft' : null });
        const after = await findCampaign(db, id);
        if (canMoveCampaign(from, to)) {
          expect(moved?.state, `${from} → ${to}`).toBe(to);
          expect(after?.ended_at).not.toBeNull();
        } else {
          expect(moved, `${from} → ${to}`).toBeUndefined();
          expect(after).toMatchObject({ state: from, ended_at: null });
        }
      }
    });
  }

  it('edits a campaign only while it is editable', async () => {
    const collecting = await campaignIn('collecting');
    expect(await updateEditableCampaign(db, collecting, { title: 'Renamed' })).toMatchObject({ title: 'Renamed', state: 'collecting' });
    const launching = await campaignIn('launching');
    expect(await updateEditableCampaign(db, launching, { title: 'Too late' })).toBeUndefined();
    expect((await findCampaign(db, launching))?.title).not.toBe('Too late');
  });
});
