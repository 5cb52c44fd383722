import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseExpiredAuditEntries } from '../../../../src/use-cases/organisations/erase-expired-audit-entries.ts';
import type { InjectBrowser } from '../../../support/inject-browser.ts';
import { signedUpOrganiser } from '../../../support/organiser.ts';
import { campaignBody } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

type Role = 'owner' | 'editor' | 'viewer';
interface Member {
  browser: InjectBrowser;
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
    const listed = await member.browser.json<{ id: string }[]>('/api/v1/organisations');
    expect(listed.status).toBe(200);
    return listed.body[0]?.id ?? '';
  }

  async function invite(role: Role, by: Member = owner): Promise<{ id: string; link: string; token: string }> {
    const created = await by.browser.json<{ id: string; link: string }>(`/api/v1/organisations/${organisationId}/invitations`, {
      method: 'POST',
      json: { role },
    });
    expect(created.status).toBe(201);
    const body = created.body;
    return { ...body, token: new URL(body.link).searchParams.get('token') ?? '' };
  }

  async function join(role: Role): Promise<Member> {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const { token } = await invite(role);
    const joined = await browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token } });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({ id: organisationId, role });
    return { browser, id };
  }

  async function campaignIn(by: Member, overrides: Record<string, unknown> = {}): Promise<{ id: string; title: string }> {
    const created = await by.browser.json<{ id: string; title: string }>('/api/v1/campaigns', {
      method: 'POST',
      json: campaignBody(overrides),
    });
    expect(created.status).toBe(201);
    return created.body;
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
    const listed = await stranger.browser.json('/api/v1/organisations');
    expect(listed.body).toEqual([
      { id: strangerOrganisationId, name: 'Unison branch', role: 'owner', joinedAt: expect.any(String) as string, standing: 'active' },
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
        async (m) => (await m.browser.json(`/api/v1/campaigns/${campaign.id}`)).status,
        { owner: 200, editor: 200, viewer: 200, stranger: 404 },
      ],
      [
        'list its supporters',
        async (m) => (await m.browser.json(`/api/v1/campaigns/${campaign.id}/supporters`)).status,
        { owner: 200, editor: 200, viewer: 200, stranger: 404 },
      ],
      [
        'edit a campaign',
        async (m) =>
          (await m.browser.json(`/api/v1/campaigns/${campaign.id}`, { method: 'PATCH', json: { description: `by ${m.id}` } })).status,
        { owner: 200, editor: 200, viewer: 403, stranger: 404 },
      ],
      [
        'create a campaign in the organisation',
        async (m) =>
          (await m.browser.json('/api/v1/campaigns', { method: 'POST', json: campaignBody({ organisationId, publish: false }) })).status,
        { owner: 201, editor: 201, viewer: 403, stranger: 404 },
      ],
      [
        'read the organisation and its members',
        async (m) => (await m.browser.json(`/api/v1/organisations/${organisationId}`)).status,
        { owner: 200, editor: 200, viewer: 200, stranger: 404 },
      ],
      [
        'rename the organisation',
        async (m) =>
          (await m.browser.json(`/api/v1/organisations/${organisationId}`, { method: 'PATCH', json: { name: 'Skills for Health' } }))
            .status,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'list invitations',
        async (m) => (await m.browser.json(`/api/v1/organisations/${organisationId}/invitations`)).status,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'invite someone',
        async (m) =>
          (await m.browser.json(`/api/v1/organisations/${organisationId}/invitations`, { method: 'POST', json: { role: 'owner' } })).status,
        { owner: 201, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        "change a member's role",
        async (m) =>
          (
            await m.browser.json(`/api/v1/organisations/${organisationId}/members/${viewer.id}`, {
              method: 'PATCH',
              json: { role: 'viewer' },
            })
          ).status,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'read the audit log',
        async (m) => (await m.browser.json(`/api/v1/organisations/${organisationId}/audit-log`)).status,
        { owner: 200, editor: 403, viewer: 403, stranger: 404 },
      ],
      [
        'export the audit log',
        async (m) => (await m.browser.request(`/api/v1/organisations/${organisationId}/audit-log.csv`)).status,
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
      expect((await who.browser.json(`/api/v1/campaigns/${draft.id}/publish`, { method: 'POST' })).status).toBe(status);
      expect((await who.browser.json(`/api/v1/campaigns/${campaign.id}/cancel`, { method: 'POST' })).status).toBe(status);
    }
    const states = await chorus.ctx.db.selectFrom('campaigns').select(['id', 'state']).where('id', 'in', [draft.id, campaign.id]).execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [draft.id]: 'draft', [campaign.id]: 'collecting' });
    expect((await editor.browser.json(`/api/v1/campaigns/${draft.id}/publish`, { method: 'POST' })).status).toBe(200);
    expect((await editor.browser.json(`/api/v1/campaigns/${campaign.id}/cancel`, { method: 'POST' })).status).toBe(200);
  });

  it("keeps organisation A's campaigns out of B's lists, and B's out of A's", async () => {
    const mine = await campaignIn(owner);
    const theirs = await campaignIn(stranger);
    const seenBy = async (m: Member) => (await m.browser.json<{ id: string; organisationId: string }[]>('/api/v1/campaigns')).body;
    expect((await seenBy(stranger)).map((c) => c.id)).toContain(theirs.id);
    expect((await seenBy(stranger)).map((c) => c.id)).not.toContain(mine.id);
    expect((await seenBy(viewer)).map((c) => c.id)).toContain(mine.id);
    expect((await seenBy(viewer)).map((c) => c.id)).not.toContain(theirs.id);
    const viewersOwn = await campaignIn(viewer);
    expect(new Set((await seenBy(viewer)).map((c) => c.organisationId))).toEqual(new Set([organisationId, await ownOrganisation(viewer)]));
    expect((await seenBy(viewer)).map((c) => c.id)).toContain(viewersOwn.id);
    expect((await stranger.browser.json(`/api/v1/campaigns?organisationId=${organisationId}`)).status).toBe(404);
    // A stranger naming A's organisation for a new campaign gets 404 and makes nothing.
    const before = await chorus.ctx.db.selectFrom('campaigns').select('id').where('organisation_id', '=', organisationId).execute();
    const refused = await stranger.browser.json('/api/v1/campaigns', { method: 'POST', json: campaignBody({ organisationId }) });
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ field: 'organisationId' });
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
    expect((await a.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token: first.token } })).status).toBe(201);
    expect((await b.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token: first.token } })).status).toBe(404);

    const expired = await invite('viewer');
    await sql`update organisation_invitations set created_at = now() - interval '9 days', expires_at = now() - interval '1 second'
      where id = ${expired.id}`.execute(chorus.ctx.db);
    expect((await b.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token: expired.token } })).status).toBe(404);

    const withdrawn = await invite('viewer');
    expect(
      (await editor.browser.json(`/api/v1/organisations/${organisationId}/invitations/${withdrawn.id}`, { method: 'DELETE' })).status,
    ).toBe(403);
    expect(
      (await owner.browser.json(`/api/v1/organisations/${organisationId}/invitations/${withdrawn.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await b.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token: withdrawn.token } })).status).toBe(404);
    const members = (await owner.browser.json<{ members: { organiserId: string }[] }>(`/api/v1/organisations/${organisationId}`)).body;
    expect(members.members.map((m) => m.organiserId)).toContain(a.id);
    expect(members.members.map((m) => m.organiserId)).not.toContain(b.id);
    // A member already there is told so, and the invitation stays for someone else.
    const again = await invite('viewer');
    expect((await a.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token: again.token } })).status).toBe(409);
    expect((await b.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token: again.token } })).status).toBe(201);
  });

  it('keeps the last owner: they cannot leave or be demoted until someone else owns it too', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const lone: Member = { browser, id };
    const own = await ownOrganisation(lone);
    expect((await browser.json(`/api/v1/organisations/${own}/members/${id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await browser.json(`/api/v1/organisations/${own}/members/${id}`, { method: 'PATCH', json: { role: 'editor' } })).status).toBe(
      409,
    );

    const created = await browser.json<{ link: string }>(`/api/v1/organisations/${own}/invitations`, {
      method: 'POST',
      json: { role: 'editor' },
    });
    const token = new URL(created.body.link).searchParams.get('token') ?? '';
    const partner = await signedUpOrganiser(chorus.app);
    expect((await partner.browser.json('/api/v1/invitations/acceptance', { method: 'POST', json: { token } })).status).toBe(201);
    // An editor cannot make themselves an owner, nor remove the owner.
    expect(
      (await partner.browser.json(`/api/v1/organisations/${own}/members/${partner.id}`, { method: 'PATCH', json: { role: 'owner' } }))
        .status,
    ).toBe(403);
    expect((await partner.browser.json(`/api/v1/organisations/${own}/members/${id}`, { method: 'DELETE' })).status).toBe(403);
    expect(
      (await browser.json(`/api/v1/organisations/${own}/members/${partner.id}`, { method: 'PATCH', json: { role: 'owner' } })).status,
    ).toBe(200);
    expect((await browser.json(`/api/v1/organisations/${own}/members/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await browser.json(`/api/v1/organisations/${own}`)).status).toBe(404);
    // Now the partner is the last owner.
    expect((await partner.browser.json(`/api/v1/organisations/${own}/members/${partner.id}`, { method: 'DELETE' })).status).toBe(409);
  });

  it('lets an editor or viewer leave, and an owner remove a member, who then sees nothing of it', async () => {
    const leaver = await join('viewer');
    expect((await leaver.browser.json(`/api/v1/organisations/${organisationId}/members/${leaver.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await leaver.browser.json(`/api/v1/organisations/${organisationId}`)).status).toBe(404);
    const removed = await join('editor');
    const campaign = await campaignIn(owner);
    expect((await removed.browser.json(`/api/v1/campaigns/${campaign.id}`)).status).toBe(200);
    expect((await owner.browser.json(`/api/v1/organisations/${organisationId}/members/${removed.id}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await removed.browser.json(`/api/v1/campaigns/${campaign.id}`)).status).toBe(404);
  });

  it('records who changed what, when and from where, in pages of the log and its CSV; entries cannot be changed', async () => {
    const campaign = await campaignIn(editor, { publish: false, organisationId });
    await editor.browser.json(`/api/v1/campaigns/${campaign.id}`, { method: 'PATCH', json: { goal: 7 } });
    await editor.browser.json(`/api/v1/campaigns/${campaign.id}/publish`, { method: 'POST' });
    const log = await owner.browser.json<{
      entries: { id: string; action: string; actorOrganiserId: string; campaignId: string; changes: object; clientIp: string }[];
      nextBefore: string;
    }>(`/api/v1/organisations/${organisationId}/audit-log?limit=3`);
    expect(log.status).toBe(200);
    const page = log.body;
    expect(page.entries.map((e) => e.action)).toEqual(['campaign.published', 'campaign.edited', 'campaign.created']);
    expect(page.entries[1]).toMatchObject({
      actorOrganiserId: editor.id,
      campaignId: campaign.id,
      changes: { fields: ['goal'], goal: 7 },
      clientIp: '127.0.0.1',
    });
    const next = await owner.browser.json<{ entries: { id: string }[] }>(
      `/api/v1/organisations/${organisationId}/audit-log?limit=3&before=${page.nextBefore}`,
    );
    expect(Number(next.body.entries[0]?.id)).toBeLessThan(Number(page.entries[2]?.id));

    const csvAnswer = await owner.browser.request(`/api/v1/organisations/${organisationId}/audit-log.csv`);
    expect(csvAnswer.headers.get('content-type')).toContain('text/csv');
    const csv = { body: await csvAnswer.text() };
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
