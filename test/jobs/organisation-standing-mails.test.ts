import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganisationRole } from '../../src/domain/organisation-role.ts';
import type { Db } from '../../src/storage/database.ts';
import { insertMember, insertOrganisationWithOwner } from '../../src/storage/organisation.repository.ts';
import { changeInstanceSettings } from '../../src/use-cases/operators/change-instance-settings.ts';
import { reinstateOrganisation } from '../../src/use-cases/operators/reinstate-organisation.ts';
import { suspendOrganisation } from '../../src/use-cases/operators/suspend-organisation.ts';
import { startMailedChorus, type MailedChorus } from '../support/mailed-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

describe("owners' mails when their organisation is suspended or reinstated, received over SMTP", () => {
  let mailed: MailedChorus;
  let db: Db;

  beforeAll(async () => {
    mailed = await startMailedChorus({ listen: false });
    db = mailed.chorus.ctx.db;
  });
  afterAll(async () => {
    await mailed.close();
  });

  async function account(label: string, standing: 'active' | 'suspended' = 'active') {
    return db
      .insertInto('organisers')
      .values({
        email: `${label}-${randomBytes(4).toString('hex')}@example.org`,
        name: `The ${label}`,
        password_hash: 'not-a-hash',
        standing,
      })
      .returning(['id', 'email'])
      .executeTakeFirstOrThrow();
  }

  async function join(organisationId: string, label: string, role: OrganisationRole, standing: 'active' | 'suspended' = 'active') {
    const member = await account(label, standing);
    expect(await insertMember(db, organisationId, member.id, role)).toBe(true);
    return member;
  }

  it('mails each active owner once on suspension and once more on reinstatement; editors, viewers and suspended owners get none', async () => {
    const operator = await account('operator');
    const actor = { kind: 'organiser' as const, organiserId: operator.id, clientIp: '127.0.0.1' };
    const founder = await account('founder');
    const organisation = await insertOrganisationWithOwner(db, 'Riverside Tenants', founder.id);
    const coOwner = await join(organisation.id, 'co-owner', 'owner');
    const editor = await join(organisation.id, 'editor', 'editor');
    const viewer = await join(organisation.id, 'viewer', 'viewer');
    const suspendedOwner = await join(organisation.id, 'suspended-owner', 'owner', 'suspended');
    const owners = [founder, coOwner];
    const everyone = [founder, coOwner, editor, viewer, suspendedOwner, operator];
    const mailsOf = async () => everyone.map((person) => mailed.mailsTo(person.email));

    expect((await suspendOrganisation(mailed.chorus.ctx, actor, organisation.id, 'Spam reported by many')).kind).toBe('done');
    const afterSuspension = await waitFor(mailsOf, (mails) => mails[0]?.length === 1 && mails[1]?.length === 1);
    // Give any mail to the others the time to arrive before saying none came.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await mailsOf()).map((mails) => mails.length)).toEqual([1, 1, 0, 0, 0, 0]);
    const [suspended] = afterSuspension[0] ?? [];
    expect(suspended?.subject).toBe('Riverside Tenants has been suspended on Chorus');
    expect(suspended?.text).toContain('Hello The founder,');
    expect(suspended?.text).toContain('Each of its campaigns not yet launching has been withdrawn');
    expect(suspended?.text).toContain('Every permission its supporters gave to post from their accounts has been erased');
    expect(suspended?.text).toContain('If the operators lift the suspension');
    expect(suspended?.text).toContain(`The reason is with the operators of this Chorus`);
    expect(suspended?.text).toContain(`contact whoever runs this Chorus, at ${mailed.chorus.config.PUBLIC_URL}`);
    expect(suspended?.text).toContain('it cannot be switched off');
    // The operators' reason is theirs: not in the mail.
    expect(suspended?.text).not.toContain('Spam reported');
    expect(suspended?.html).not.toContain('Spam reported');
    expect(suspended?.html).toContain('<strong>Riverside Tenants</strong>');
    expect(suspended?.html).not.toMatch(/<img/i);

    expect((await reinstateOrganisation(mailed.chorus.ctx, actor, organisation.id)).kind).toBe('done');
    const afterReinstatement = await waitFor(mailsOf, (mails) => mails[0]?.length === 2 && mails[1]?.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await mailsOf()).map((mails) => mails.length)).toEqual([2, 2, 0, 0, 0, 0]);
    const reinstated = afterReinstatement[1]?.[1];
    expect(reinstated?.subject).toBe('Riverside Tenants is no longer suspended on Chorus');
    expect(reinstated?.text).toContain('Hello The co-owner,');
    expect(reinstated?.text).toContain('must open the campaign page and support it again with the same account');
    expect(reinstated?.text).toContain(`${mailed.chorus.config.PUBLIC_URL}/organiser/organisations/${organisation.id}`);

    const rows = await db
      .selectFrom('mail_outbox')
      .select(['kind', 'recipient', 'state'])
      .where(
        'recipient',
        'in',
        owners.map((owner) => owner.email),
      )
      .orderBy('kind')
      .orderBy('recipient')
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.state === 'sent')).toBe(true);
  });

  it('mails again for a second suspension of the same organisation: each event is told once', async () => {
    const operator = await account('operator');
    const actor = { kind: 'organiser' as const, organiserId: operator.id, clientIp: '127.0.0.1' };
    const owner = await account('owner');
    const organisation = await insertOrganisationWithOwner(db, 'Allotment Society', owner.id);
    const ctx = mailed.chorus.ctx;
    expect((await suspendOrganisation(ctx, actor, organisation.id, 'first', new Date(Date.now() - 60_000))).kind).toBe('done');
    expect((await reinstateOrganisation(ctx, actor, organisation.id)).kind).toBe('done');
    expect((await suspendOrganisation(ctx, actor, organisation.id, 'second')).kind).toBe('done');
    const mails = await waitFor(
      async () => mailed.mailsTo(owner.email),
      (received) => received.length === 3,
    );
    expect(mails.map((mail) => mail.subject).sort()).toEqual([
      'Allotment Society has been suspended on Chorus',
      'Allotment Society has been suspended on Chorus',
      'Allotment Society is no longer suspended on Chorus',
    ]);
  });

  it("names the operators' contact in both mails where the operators gave one", async () => {
    const operator = await account('operator');
    const actor = { kind: 'organiser' as const, organiserId: operator.id, clientIp: '127.0.0.1' };
    const owner = await account('owner');
    const organisation = await insertOrganisationWithOwner(db, 'Canal Volunteers', owner.id);
    const ctx = mailed.chorus.ctx;
    expect((await changeInstanceSettings(db, actor, ctx.config, { contactEmail: 'operators@example.org' })).kind).toBe('done');
    try {
      expect((await suspendOrganisation(ctx, actor, organisation.id, 'Spam')).kind).toBe('done');
      expect((await reinstateOrganisation(ctx, actor, organisation.id)).kind).toBe('done');
      const mails = await waitFor(
        async () => mailed.mailsTo(owner.email),
        (received) => received.length === 2,
      );
      for (const mail of mails) {
        expect(mail.text).toContain('write to the operators at operators@example.org, or reply to this mail.');
        expect(mail.text).not.toContain('contact whoever runs this Chorus');
        expect(mail.html).toContain('href="mailto:operators@example.org"');
      }
    } finally {
      await changeInstanceSettings(db, actor, ctx.config, { contactEmail: null });
    }
  });
});
