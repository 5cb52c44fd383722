import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseExpiredAuditEntries } from '../../../../src/use-cases/organisations/erase-expired-audit-entries.ts';
import { InjectClient, signedUpOrganiser } from '../../../support/inject-client.ts';
import { campaignBody } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

type Role = 'owner' | 'editor' | 'viewer';
interface Member {
  browser: InjectClient;
  id: string;
}

// Organisations and roles (docs/organisations.md): every role against every action through the API, organisations
// kept apart (404 for another's), invitations single-use and expiring, the last owner kept, and the audit log.
describe('organisations, roles and the audit log', () => {
  let chorus: TestChorus;
  let owner: Member;
  let editor: Member;
  let viewer: Member;
  let stranger: Member;
  let organisationId: string;
  let strangerOrganisationId: string;

  async function ownOrganisation(member: Member): Promise<string> {
    const listed = await member.browser.request('GET', '/api/v1/organisations');
    expect(listed.statusCode).toBe(200);
    return listed.json<{ id: string }[]>()[0]?.id ?? '';
  }

  async function invite(role: Role, by: Member = owner): Promise<{ id: string; link: string; token: string }> {
    const created = await by.browser.request('POST', `/api/v1/organisations/${organisationId}/invitations`, { json: { role } });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; link: string }>();
    return { ...body, token: new URL(body.link).searchParams.get('token') ?? '' };
  }

  async function join(role: Role): Promise<Member> {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const { token } = await invite(role);
    const joined = await browser.request('POST', '/api/v1/invitations/acceptance', { json: { token } });
    expect(joined.statusCode).toBe(201);
    expect(joined.json()).toMatchObject({ id: organisationId, role });
    return { browser, id };
  }

  async function campaignIn(by: Member, overrides: Record<string, unknown> = {}): Promise<{ id: string; title: string }> {
    const created = await by.browser.request('POST', '/api/v1/campaigns', { json: campaignBody(overrides) });
    expect(created.statusCode).toBe(201);
    return created.json();
  }

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    const signedUp = await signedUpOrganiser(chorus.app);
    owner = { browser: signedUp.browser, id: signedUp.id };
    organisationId = await ownOrganisation(owner);
    editor = await join('editor');
    viewer = await join('viewer');
    const other = await signedUpOrganiser(chorus.app);
    stranger = { browser: other.browser, id: other.id };
    strangerOrganisationId = await ownOrganisation(stranger);
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('gives an organiser who signs up an organisation of their own, which their campaigns go into', async () => {
    const listed = await stranger.browser.request('GET', '/api/v1/organisations');
    expect(listed.json()).toEqual([
      { id: strangerOrganisationId, name: 'Unison branch', role: 'owner', joinedAt: expect.any(String) as string },
    ]);
    const campaign = await campaignIn(stranger);
    expect(campaign).toMatchObject({ organisationId: strangerOrganisationId, createdBy: stranger.id });
    const row = await chorus.ctx.db
      .selectFrom('campaigns')
      .select(['organisation_id', 'organiser_id'])
      .where('id', '=', campaign.id)
      .executeTakeFirst();
    expect(row).toEqual({ organisation_id: strangerOrganisationId, organiser_id: stranger.id });
  });

  it('lets each role do what its row of the table allows, and nothing more', async () => {
    const campaign = await campaignIn(owner);
    const draft = await campaignIn(owner, { publish: false });
    const members: Record<Role | 'stranger', Member> = { owner, editor, viewer, stranger };
    // What each asks, and the status each gets: 404 for the stranger everywhere (they cannot tell it exists).
    const table: [string, (m: Member) => Promise<number>, Record<Role | 'stranger', number>][] = [
      [
        'read a campaign',
        async (m) => (await m.browser.request('GET', `/api/v1/campaigns/${campaign.id}`)).statusCode,
        { owner: 200, editor: 200, viewer: 200, stranger: 404 },
      ],
      [
        'list its supporters',
        async (m) => (await m.browser.request('GET', `/api/v1/campaigns/${campaign.id}/supporters`)).statusCode,
        { owner: 200, editor: 200, viewer: 200, stranger: 404 },
      ],
      [
        'edit a campaign',
        async (m) =>
          (await m.browser.request('PATCH', `/api/v1/campaigns/${campaign.id}`, { json: { description: `by ${m.id}` } })).statusCode,
        { owner: 200, editor: 200, viewer: 403, stranger: 404 },
      ],
      [
        'create a campaign in the organisation',
        async (m) =>
          (await m.browser.request('POST', '/api/v1/campaigns', { json: campaignBody({ organisationId, publish: false }) })).statusCode,
        { owner: 201, editor: 201, viewer: 403, stranger: 404 },
      ],
      [
        'read the organisation and its members',
        async (m) => (await m.browser.request('GET', `/api/v1/organisations/${organisationId}`)).statusCode,
        { owner: 200, editor: 200, viewer: 200, stranger: 404 },
      ],
      [
        'rename the organisation',
        async (m) =>
          (await m.browser.request('PATCH', `/api/v1/organisations/${organisationId}`, { json: { name: 'Skills for Health' } })).statusCode,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'list invitations',
        async (m) => (await m.browser.request('GET', `/api/v1/organisations/${organisationId}/invitations`)).statusCode,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'invite someone',
        async (m) =>
          (await m.browser.request('POST', `/api/v1/organisations/${organisationId}/invitations`, { json: { role: 'owner' } })).statusCode,
        { owner: 201, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        "change a member's role",
        async (m) =>
          (await m.browser.request('PATCH', `/api/v1/organisations/${organisationId}/members/${viewer.id}`, { json: { role: 'viewer' } }))
            .statusCode,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'read the audit log',
        async (m) => (await m.browser.request('GET', `/api/v1/organisations/${organisationId}/audit-log`)).statusCode,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'export the audit log',
        async (m) => (await m.browser.request('GET', `/api/v1/organisations/${organisationId}/audit-log.csv`)).statusCode,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
    ];
    const answers: string[] = [];
    const wanted: string[] = [];
    for (const [action, ask, expected] of table)
      for (const who of ['stranger', 'viewer', 'editor', 'owner'] as const) {
        answers.push(`${who} ${action}: ${await ask(members[who])}`);
        wanted.push(`${who} ${action}: ${expected[who]}`);
      }
    expect(answers).toEqual(wanted);

    // The campaign's changes are the owner's and the editor's only; the refused ones left nothing.
    const row = await chorus.ctx.db.selectFrom('campaigns').select('description').where('id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(row.description).toBe(`by ${owner.id}`);
    // Moves last, as they end what the others worked on: a viewer cannot publish or cancel, a stranger cannot even see.
    for (const [who, status] of [
      [viewer, 403],
      [stranger, 404],
    ] as const) {
      expect((await who.browser.request('POST', `/api/v1/campaigns/${draft.id}/publish`)).statusCode).toBe(status);
      expect((await who.browser.request('POST', `/api/v1/campaigns/${campaign.id}/cancel`)).statusCode).toBe(status);
    }
    const states = await chorus.ctx.db.selectFrom('campaigns').select(['id', 'state']).where('id', 'in', [draft.id, campaign.id]).execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [draft.id]: 'draft', [campaign.id]: 'collecting' });
    expect((await editor.browser.request('POST', `/api/v1/campaigns/${draft.id}/publish`)).statusCode).toBe(200);
    expect((await editor.browser.request('POST', `/api/v1/campaigns/${campaign.id}/cancel`)).statusCode).toBe(200);
  });

  it("keeps organisation A's campaigns out of B's lists, and B's out of A's", async () => {
    const mine = await campaignIn(owner);
    const theirs = await campaignIn(stranger);
    const seenBy = async (m: Member) =>
      (await m.browser.request('GET', '/api/v1/campaigns')).json<{ id: string; organisationId: string }[]>();
    expect((await seenBy(stranger)).map((c) => c.id)).toContain(theirs.id);
    expect((await seenBy(stranger)).map((c) => c.id)).not.toContain(mine.id);
    expect((await seenBy(viewer)).map((c) => c.id)).toContain(mine.id);
    expect((await seenBy(viewer)).map((c) => c.id)).not.toContain(theirs.id);
    const viewersOwn = await campaignIn(viewer);
    expect(new Set((await seenBy(viewer)).map((c) => c.organisationId))).toEqual(new Set([organisationId, await ownOrganisation(viewer)]));
    expect((await seenBy(viewer)).map((c) => c.id)).toContain(viewersOwn.id);
    expect((await stranger.browser.request('GET', `/api/v1/campaigns?organisationId=${organisationId}`)).statusCode).toBe(404);
    // A stranger naming A's organisation for a new campaign gets 404 and makes nothing.
    const before = await chorus.ctx.db.selectFrom('campaigns').select('id').where('organisation_id', '=', organisationId).execute();
    const refused = await stranger.browser.request('POST', '/api/v1/campaigns', { json: campaignBody({ organisationId }) });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ field: 'organisationId' });
    const after = await chorus.ctx.db.selectFrom('campaigns').select('id').where('organisation_id', '=', organisationId).execute();
    expect(after).toHaveLength(before.length);
  });

  it('makes invitation links single-use and expiring, keeps only their hash, and lets owners withdraw them', async () => {
    const first = await invite('editor');
    const stored = await chorus.ctx.db
      .selectFrom('organisation_invitations')
      .selectAll()
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(first.token);
    const a = await signedUpOrganiser(chorus.app);
    const b = await signedUpOrganiser(chorus.app);
    expect((await a.browser.request('POST', '/api/v1/invitations/acceptance', { json: { token: first.token } })).statusCode).toBe(201);
    expect((await b.browser.request('POST', '/api/v1/invitations/acceptance', { json: { token: first.token } })).statusCode).toBe(404);

    const expired = await invite('viewer');
    await sql`update organisation_invitations set created_at = now() - interval '9 days', expires_at = now() - interval '1 second'
      where id = ${expired.id}`.execute(chorus.ctx.db);
    expect((await b.browser.request('POST', '/api/v1/invitations/acceptance', { json: { token: expired.token } })).statusCode).toBe(404);

    const withdrawn = await invite('viewer');
    expect((await editor.browser.request('DELETE', `/api/v1/organisations/${organisationId}/invitations/${withdrawn.id}`)).statusCode).toBe(
      403,
    );
    expect((await owner.browser.request('DELETE', `/api/v1/organisations/${organisationId}/invitations/${withdrawn.id}`)).statusCode).toBe(
      204,
    );
    expect((await b.browser.request('POST', '/api/v1/invitations/acceptance', { json: { token: withdrawn.token } })).statusCode).toBe(404);
    const members = (await owner.browser.request('GET', `/api/v1/organisations/${organisationId}`)).json<{
      members: { organiserId: string }[];
    }>();
    expect(members.members.map((m) => m.organiserId)).toContain(a.id);
    expect(members.members.map((m) => m.organiserId)).not.toContain(b.id);
    // A member already there is told so, and the invitation stays for someone else.
    const again = await invite('viewer');
    expect((await a.browser.request('POST', '/api/v1/invitations/acceptance', { json: { token: again.token } })).statusCode).toBe(409);
    expect((await b.browser.request('POST', '/api/v1/invitations/acceptance', { json: { token: again.token } })).statusCode).toBe(201);
  });

  it('keeps the last owner: they cannot leave or be demoted until someone else owns it too', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const lone: Member = { browser, id };
    const own = await ownOrganisation(lone);
    expect((await browser.request('DELETE', `/api/v1/organisations/${own}/members/${id}`)).statusCode).toBe(409);
    expect((await browser.request('PATCH', `/api/v1/organisations/${own}/members/${id}`, { json: { role: 'editor' } })).statusCode).toBe(
      409,
    );

    const created = await browser.request('POST', `/api/v1/organisations/${own}/invitations`, { json: { role: 'editor' } });
    const token = new URL(created.json<{ link: string }>().link).searchParams.get('token') ?? '';
    const partner = await signedUpOrganiser(chorus.app);
    expect((await partner.browser.request('POST', '/api/v1/invitations/acceptance', { json: { token } })).statusCode).toBe(201);
    // An editor cannot make themselves an owner, nor remove the owner.
    expect(
      (await partner.browser.request('PATCH', `/api/v1/organisations/${own}/members/${partner.id}`, { json: { role: 'owner' } }))
        .statusCode,
    ).toBe(403);
    expect((await partner.browser.request('DELETE', `/api/v1/organisations/${own}/members/${id}`)).statusCode).toBe(403);
    expect(
      (await browser.request('PATCH', `/api/v1/organisations/${own}/members/${partner.id}`, { json: { role: 'owner' } })).statusCode,
    ).toBe(200);
    expect((await browser.request('DELETE', `/api/v1/organisations/${own}/members/${id}`)).statusCode).toBe(204);
    expect((await browser.request('GET', `/api/v1/organisations/${own}`)).statusCode).toBe(404);
    // Now the partner is the last owner.
    expect((await partner.browser.request('DELETE', `/api/v1/organisations/${own}/members/${partner.id}`)).statusCode).toBe(409);
  });

  it('lets an editor or viewer leave, and an owner remove a member, who then sees nothing of it', async () => {
    const leaver = await join('viewer');
    expect((await leaver.browser.request('DELETE', `/api/v1/organisations/${organisationId}/members/${leaver.id}`)).statusCode).toBe(204);
    expect((await leaver.browser.request('GET', `/api/v1/organisations/${organisationId}`)).statusCode).toBe(404);
    const removed = await join('editor');
    const campaign = await campaignIn(owner);
    expect((await removed.browser.request('GET', `/api/v1/campaigns/${campaign.id}`)).statusCode).toBe(200);
    expect((await owner.browser.request('DELETE', `/api/v1/organisations/${organisationId}/members/${removed.id}`)).statusCode).toBe(204);
    expect((await removed.browser.request('GET', `/api/v1/campaigns/${campaign.id}`)).statusCode).toBe(404);
  });

  it('records who changed what, when and from where, in pages of the log and its CSV; entries cannot be changed', async () => {
    const campaign = await campaignIn(editor, { publish: false, organisationId });
    await editor.browser.request('PATCH', `/api/v1/campaigns/${campaign.id}`, { json: { goal: 7 } });
    await editor.browser.request('POST', `/api/v1/campaigns/${campaign.id}/publish`);
    const log = await owner.browser.request('GET', `/api/v1/organisations/${organisationId}/audit-log?limit=3`);
    expect(log.statusCode).toBe(200);
    const page = log.json<{
      entries: { id: string; action: string; actorOrganiserId: string; campaignId: string; changes: object; clientIp: string }[];
      nextBefore: string;
    }>();
    expect(page.entries.map((e) => e.action)).toEqual(['campaign.published', 'campaign.edited', 'campaign.created']);
    expect(page.entries[1]).toMatchObject({
      actorOrganiserId: editor.id,
      campaignId: campaign.id,
      changes: { fields: ['goal'], goal: 7 },
      clientIp: '127.0.0.1',
    });
    const next = await owner.browser.request('GET', `/api/v1/organisations/${organisationId}/audit-log?limit=3&before=${page.nextBefore}`);
    expect(Number(next.json<{ entries: { id: string }[] }>().entries[0]?.id)).toBeLessThan(Number(page.entries[2]?.id));

    const csv = await owner.browser.request('GET', `/api/v1/organisations/${organisationId}/audit-log.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe('id,at,actor,action,campaign,subject,changes,client_ip');
    expect(csv.body).toContain(`,${editor.id},campaign.published,${campaign.id},`);
    // Nothing of another organisation, and no token of an invitation.
    const entries = await chorus.ctx.db.selectFrom('audit_entries').select(['organisation_id', 'changes']).execute();
    expect(csv.body).not.toContain('chorus_invite_');
    expect(entries.filter((e) => e.organisation_id === strangerOrganisationId).length).toBeGreaterThan(0);
    expect(csv.body.split('\n').length - 2).toBe(entries.filter((e) => e.organisation_id === organisationId).length);

    await expect(sql`update audit_entries set action = 'campaign.nothing'`.execute(chorus.ctx.db)).rejects.toThrow(/cannot be changed/);
    await expect(sql`delete from audit_entries`.execute(chorus.ctx.db)).rejects.toThrow(/cannot be changed/);
    await expect(sql`truncate audit_entries`.execute(chorus.ctx.db)).rejects.toThrow(/cannot be changed/);
  });

  it('deletes entries past AUDIT_LOG_RETENTION_DAYS, and expired invitations, in the retention sweep only', async () => {
    await chorus.ctx.db
      .insertInto('audit_entries')
      .values({
        at: new Date(Date.now() - 401 * 86_400_000),
        action: 'campaign.edited',
        organisation_id: organisationId,
        actor_organiser_id: null,
        campaign_id: null,
        subject_id: null,
        client_ip: null,
      })
      .execute();
    const expired = await invite('viewer');
    await sql`update organisation_invitations set created_at = now() - interval '9 days', expires_at = now() - interval '1 day'
      where id = ${expired.id}`.execute(chorus.ctx.db);
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from audit_entries`.execute(chorus.ctx.db)).rows[0]?.n);
    const before = await count();
    expect(await eraseExpiredAuditEntries(chorus.ctx.db, 400)).toMatchObject({ entries: 1 });
    expect(await chorus.ctx.db.selectFrom('organisation_invitations').select('id').where('expires_at', '<=', new Date()).execute()).toEqual(
      [],
    );
    expect(await count()).toBe(before - 1);
    // The sweep's permission ended with its transaction.
    await expect(sql`delete from audit_entries`.execute(chorus.ctx.db)).rejects.toThrow(/cannot be changed/);
  });
});
