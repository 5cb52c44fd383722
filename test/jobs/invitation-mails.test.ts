import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitation } from '../../src/use-cases/operators/create-invitation.ts';
import { startMailedChorus, type MailedChorus } from '../support/mailed-chorus.ts';
import { signedUpOrganiser } from '../support/organiser.ts';

describe('invitation links mailed to the address the inviter gives, received over SMTP', () => {
  let mailed: MailedChorus;

  beforeAll(async () => {
    mailed = await startMailedChorus({ listen: false });
  });
  afterAll(async () => {
    await mailed.close();
  });

  it("mails an organisation's invitation saying who invited them to what, until when; its link makes them a member", async () => {
    const { app, ctx } = mailed.chorus;
    const owner = await signedUpOrganiser(app);
    const [organisation] = (await owner.browser.json<{ id: string; name: string }[]>('/api/v1/organisations')).body;
    const invitee = 'new-editor@example.org';
    const made = await owner.browser.json<{ id: string; link: string; mailed: boolean; expiresAt: string }>(
      `/api/v1/organisations/${organisation?.id ?? ''}/invitations`,
      { json: { role: 'editor', expiresInDays: 3, email: `  ${invitee} ` } },
    );
    expect(made.status).toBe(201);
    expect(made.body.mailed).toBe(true);

    const mail = await mailed.mailWithSubject(invitee, `Unison branch invites you to join ${organisation?.name ?? ''} on Chorus`);
    expect(mail.text).toContain(`Unison branch invites you to join ${organisation?.name ?? ''} on Chorus, as an editor`);
    expect(mail.text).toContain(`until ${made.body.expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
    expect(mail.text).toContain(made.body.link);
    expect(mail.html).toContain(`href="${made.body.link.replaceAll('&', '&amp;')}"`);
    // The token is sealed in the outbox, and the invitation is not tied to the address.
    const row = await ctx.db.selectFrom('mail_outbox').selectAll().where('recipient', '=', invitee).executeTakeFirstOrThrow();
    const token = new URL(made.body.link).searchParams.get('token') ?? '';
    expect(JSON.stringify(row.template_data)).not.toContain(token);
    const invitation = await ctx.db
      .selectFrom('organisation_invitations')
      .selectAll()
      .where('id', '=', made.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(invitation)).not.toContain(invitee);

    const joiner = await signedUpOrganiser(app);
    const linkPage = await joiner.browser.request(new URL(made.body.link).pathname + new URL(made.body.link).search);
    expect(linkPage.status).toBe(200);
    expect(await linkPage.text()).toContain(`Join ${organisation?.name ?? ''}`);
    const joined = await joiner.browser.json('/api/v1/invitations/acceptance', { json: { token } });
    expect(joined.status).toBe(201);
    const member = await ctx.db
      .selectFrom('organisation_members')
      .select('role')
      .where('organisation_id', '=', organisation?.id ?? '')
      .where('organiser_id', '=', joiner.id)
      .executeTakeFirst();
    expect(member).toEqual({ role: 'editor' });
  });

  it("mails an operator's sign-up invitation; a bad address is refused and makes no invitation", async () => {
    const { ctx } = mailed.chorus;
    const operator = await signedUpOrganiser(mailed.chorus.app);
    const actor = { kind: 'organiser' as const, organiserId: operator.id, clientIp: '127.0.0.1' };
    const before = await ctx.db.selectFrom('invitations').select('id').execute();
    const refused = await createInvitation(ctx, actor, { email: 'not an address' });
    expect(refused).toMatchObject({ kind: 'invalid', field: 'email' });
    expect(await ctx.db.selectFrom('invitations').select('id').execute()).toEqual(before);

    const made = await createInvitation(ctx, actor, { expiresInDays: 2, email: 'future-organiser@example.org' });
    if (made.kind !== 'done') throw new Error(made.message);
    expect(made.value.mailed).toBe(true);
    const mail = await mailed.mailWithSubject('future-organiser@example.org', 'Unison branch invites you to run campaigns on Chorus');
    expect(mail.text).toContain(made.value.url);
    expect(mail.text).toContain(`${mailed.chorus.config.PUBLIC_URL}, invites you to sign up`);
    expect(mail.text).toContain(`until ${made.value.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  });

  it("mails the link from the organisation page's form too, still showing it once, and refuses a bad address beside the field", async () => {
    const { app, ctx } = mailed.chorus;
    const owner = await signedUpOrganiser(app);
    const [organisation] = (await owner.browser.json<{ id: string }[]>('/api/v1/organisations')).body;
    const page = `/organiser/organisations/${organisation?.id ?? ''}`;
    const html = { accept: 'text/html' };
    const _csrf = await owner.browser.csrfTokenFrom(page);
    const count = async () => (await ctx.db.selectFrom('organisation_invitations').select('id').execute()).length;
    const before = await count();
    const refused = await owner.browser.request(`${page}/invitations`, {
      method: 'POST',
      form: { _csrf, role: 'viewer', expiresInDays: '7', email: 'nobody at all' },
      headers: html,
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('id="email-error"');
    expect(await count()).toBe(before);

    const made = await owner.browser.request(`${page}/invitations`, {
      method: 'POST',
      form: { _csrf, role: 'viewer', expiresInDays: '7', email: 'form-viewer@example.org' },
      headers: html,
    });
    expect(made.status).toBe(200);
    const text = await made.text();
    expect(text).toContain('on its way by mail to form-viewer@example.org');
    const link = (/id="new-invitation">([^<]+)</.exec(text)?.[1] ?? '').replaceAll('&amp;', '&');
    const mail = await mailed.mailWithSubject('form-viewer@example.org', 'Unison branch invites you to join Unison branch on Chorus');
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('as a viewer');
  });
});
