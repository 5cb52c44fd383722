import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/storage/database.ts';
import { confirmSupporterAddressFromLink } from '../../src/use-cases/supporter-mail/confirm-supporter-address.ts';
import { registerSupporterAddress } from '../../src/use-cases/supporter-mail/register-supporter-address.ts';
import { supporterMailLinks } from '../../src/use-cases/supporter-mail/supporter-mail-links.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { startMailedChorus, type MailedChorus } from '../support/mailed-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

// An organiser deletes their account while the only member of an organisation with a collecting campaign
// (docs/organisations.md, "Deleting an account"): the account goes at once, the organisation is only marked, its
// supporters get the "campaign cancelled" mail over SMTP, and then the workers delete the organisation with its
// campaign, pledges and addresses.
describe('an organisation of a deleted account, deleted once its supporters are told', () => {
  let mailed: MailedChorus;
  let db: Db;

  beforeAll(async () => {
    mailed = await startMailedChorus();
    db = mailed.chorus.ctx.db;
  });
  afterAll(async () => {
    await mailed.close();
  });

  it('mails the supporter the cancellation, then deletes the organisation, campaign, pledge and address', async () => {
    const { chorus } = mailed;
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; title: string; state: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody(),
    });
    expect(created.body.state).toBe('collecting');
    const campaign = await db.selectFrom('campaigns').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    const organisationId = campaign.organisation_id;

    // A supporter pledged and left an address, which they confirmed.
    const [pledgeId = ''] = await seedPledges(
      db,
      chorus.ctx.cipher,
      { ...campaign, supporter_count: 0, reach: 0 },
      await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [`d${randomBytes(3).toString('hex')}`]),
    );
    const address = `supporter-${randomBytes(4).toString('hex')}@example.net`;
    const registered = await registerSupporterAddress(
      chorus.ctx,
      { ...campaign, supporter_count: 0, reach: 0 },
      pledgeId,
      'chorus_pledge_seeded',
      { address, followsUpdates: false },
    );
    if (registered.kind !== 'done') throw new Error(registered.message);
    const token = new URL(supporterMailLinks(chorus.config).link('confirm', registered.value.addressId)).searchParams.get('token') ?? '';
    expect(await confirmSupporterAddressFromLink(chorus.ctx, registered.value.addressId, token)).toMatchObject({
      value: { kind: 'confirmed' },
    });

    const gone = await organiser.json<{ organisationsDeleted: string[] }>(`${chorus.url}/api/v1/me`, {
      method: 'DELETE',
      json: { password: 'correct horse battery' },
    });
    expect(gone.status).toBe(200);
    expect(gone.body.organisationsDeleted).toEqual([organisationId]);
    // The account is gone at once; nobody can reach the organisation (it has no member), and operators no longer list it.
    expect((await organiser.json(`${chorus.url}/api/v1/me`)).status).toBe(401);

    const cancelled = await mailed.mailWithSubject(address, `"${campaign.title}" was cancelled: nothing will be posted`);
    expect(cancelled.text).toContain('cancelled');

    // Then the workers delete the organisation and everything of it.
    await waitFor(
      () => db.selectFrom('organisations').select('id').where('id', '=', organisationId).execute(),
      (rows) => rows.length === 0,
    );
    expect(await db.selectFrom('campaigns').select('id').where('id', '=', campaign.id).execute()).toEqual([]);
    expect(await db.selectFrom('pledges').select('id').where('id', '=', pledgeId).execute()).toEqual([]);
    expect(await db.selectFrom('supporter_mail_addresses').select('id').where('id', '=', registered.value.addressId).execute()).toEqual([]);
    expect(await db.selectFrom('mail_outbox').select('id').where('campaign_id', '=', campaign.id).execute()).toEqual([]);
    // Told once.
    expect(mailed.mailsTo(address).filter((m) => m.subject.includes('was cancelled'))).toHaveLength(1);
  });
});
