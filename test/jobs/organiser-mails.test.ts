import { randomBytes } from 'node:crypto';
import type { Worker } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMails } from '../../src/jobs/enqueue-mails.ts';
import { startMailWorker } from '../../src/jobs/mail-worker.ts';
import { createSmtpTransport, type MailTransport } from '../../src/mail/mail-transport.ts';
import { sealTokens } from '../../src/security/sealed-tokens.ts';
import { createDeliveries } from '../../src/storage/delivery.repository.ts';
import { recordPledge } from '../../src/storage/pledge.repository.ts';
import { changeMailSettings } from '../../src/use-cases/mail/organiser-mail-settings.ts';
import { writeGoalReachedMail, writeOrganiserMails } from '../../src/use-cases/mail/write-organiser-mails.ts';
import { suspendOrganiser } from '../../src/use-cases/operators/suspend-organiser.ts';
import { acceptInvitation } from '../../src/use-cases/organisations/accept-invitation.ts';
import { inviteMember } from '../../src/use-cases/organisations/invite-member.ts';
import { removeMember } from '../../src/use-cases/organisations/remove-member.ts';
import type { OrganisationRole } from '../../src/domain/organisation-role.ts';
import type { Campaign, Db } from '../../src/storage/database.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { startMailedChorus, type MailedChorus } from '../support/mailed-chorus.ts';
import type { TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

const dayMs = 24 * 60 * 60 * 1000;
const hourMs = 60 * 60 * 1000;

describe("organisers' mails, received over SMTP by the sandbox mail server", () => {
  let mailed: MailedChorus;
  let chorus: TestChorus;
  let db: Db;
  let minted = 0;

  beforeAll(async () => {
    // The X app may post 3 a day here (the preflight warns beyond that); launches are put back on the queue every second.
    mailed = await startMailedChorus({ listen: false, env: { X_APP_POST_BUDGET: '3' } });
    ({ chorus } = mailed);
    db = chorus.ctx.db;
  });
  afterAll(async () => {
    await mailed.close();
  });

  async function organiserOf(campaign: Campaign) {
    return db.selectFrom('organisers').selectAll().where('id', '=', campaign.organiser_id).executeTakeFirstOrThrow();
  }

  const mailsTo = (address: string) => mailed.mailsTo(address);
  const mailWithSubject = (address: string, subject: string) => mailed.mailWithSubject(address, subject);

  async function pledgeTo(campaign: Campaign, count: number) {
    const names = Array.from({ length: count }, () => `m${campaign.id.slice(0, 6)}${(minted += 1)}`);
    await seedPledges(db, chorus.ctx.cipher, campaign, await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', names));
  }

  it('tells the organiser when the goal is reached, once, with the facts and a link to the dashboard at PUBLIC_URL', async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 2);
    const organiser = await organiserOf(campaign);
    await pledgeTo(campaign, 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailsTo(organiser.email)).toEqual([]);

    await pledgeTo(campaign, 2);
    const [received] = await waitFor(
      async () => mailsTo(organiser.email),
      (mails) => mails.length > 0,
    );
    expect(received?.subject).toBe(`Goal reached: ${campaign.title}`);
    expect(received?.from).toContain('<chorus@example.org>');
    // The sweep may look between the second and third pledge.
    expect(received?.text).toMatch(/"Our Health Heroes" has reached its goal: [23] of 2 supporters have pledged/);
    expect(received?.text).toContain(`${chorus.config.PUBLIC_URL}/organiser/campaigns/${campaign.id}`);
    expect(received?.html).toContain(`href="${chorus.config.PUBLIC_URL}/organiser/campaigns/${campaign.id}"`);
    expect(received?.html).not.toMatch(/<img/i);
    const row = await db.selectFrom('mail_outbox').selectAll().where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'goal-reached', state: 'sent', recipient: organiser.email, attempts: 1 });
    expect(received?.messageId).toBe(`<${row.id}@127.0.0.1>`);

    // Later sweeps and more pledges write no second mail.
    await pledgeTo(campaign, 1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(mailsTo(organiser.email)).toHaveLength(1);
  });

  it('sends the preflight the day before the launch: pledges beyond the X budget, access that lapses, the estimated cost', async () => {
    // Three days out while the pledges are seeded (the sweep runs every second), then brought within a day.
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 10);
    const organiser = await organiserOf(campaign);
    await pledgeTo(campaign, 3);
    // A grant that cannot be renewed and ends before the launch (as LinkedIn's do), on X here.
    const lapsing = await recordPledge(db, {
      campaignId: campaign.id,
      network: 'x',
      profile: { networkUserId: `lapsing-${randomBytes(4).toString('hex')}`, handle: 'lapsing', displayName: 'Lapsing', followers: 5 },
      text: `${campaign.message} lapsing`,
      variantIndex: null,
      credentials: sealTokens(chorus.ctx.cipher, {
        accessToken: 'access',
        refreshToken: null,
        expiresAt: new Date(Date.now() + 2 * hourMs),
        scopes: 'tweet.write',
      }),
      manageTokenHash: randomBytes(16).toString('hex'),
    });
    expect(lapsing.kind).not.toBe('not-collecting');
    await db
      .updateTable('campaigns')
      .set({ launch_at: new Date(Date.now() + 12 * hourMs) })
      .where('id', '=', campaign.id)
      .execute();

    const received = await mailWithSubject(organiser.email, `Launching within a day: ${campaign.title}`);
    const text = received.text;
    expect(text).toContain('It has 4 of the 10 supporters it needs. If the goal is not met by then, nothing is posted.');
    expect(text).toContain('- X: 4 pledges; the app may post 3 a day; estimated cost US$0.80');
    expect(text).toContain("Warning: posts beyond the app's daily budget: 1. They would not go out at the launch time.");
    expect(text).toContain(
      'Warning: supporters whose access ends before the launch: 1. Their posts will fail unless they authorise again.',
    );
    expect(text).toContain('Estimated cost of the launch: US$0.80.');
    expect(received.html).toContain("<strong>Warning:</strong> posts on X beyond the app's daily budget: 1.");
    expect(mailsTo(organiser.email).map((m) => m.subject)).toEqual([`Launching within a day: ${campaign.title}`]);
  });

  it('sends no mail of a kind the organiser switched off, and still the others', async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 12 * hourMs), 1);
    const organiser = await organiserOf(campaign);
    expect((await changeMailSettings(db, organiser.id, { 'goal-reached': false })).kind).toBe('done');
    await pledgeTo(campaign, 2);
    await mailWithSubject(organiser.email, `Launching within a day: ${campaign.title}`);
    // Three more sweeps.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(mailsTo(organiser.email).map((m) => m.subject)).toEqual([`Launching within a day: ${campaign.title}`]);
    expect(await db.selectFrom('mail_outbox').select('kind').where('campaign_id', '=', campaign.id).execute()).toEqual([
      { kind: 'launch-preflight' },
    ]);
  });

  it("tells a campaign's creator nothing more once they are no longer a member of its organisation", async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 1);
    const organiser = await organiserOf(campaign);
    // The creator left: the campaign's organisation is now one they are not in.
    const other = await db.insertInto('organisations').values({ name: 'Another team' }).returning('id').executeTakeFirstOrThrow();
    await db.updateTable('campaigns').set({ organisation_id: other.id }).where('id', '=', campaign.id).execute();
    await pledgeTo(campaign, 2);
    // Three sweeps.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(mailsTo(organiser.email)).toEqual([]);
    expect(await db.selectFrom('mail_outbox').select('kind').where('campaign_id', '=', campaign.id).execute()).toEqual([]);
  });

  it('reports a launch once it is over (sent, failed, held, late) and a missed goal, after the launch itself', async () => {
    const launchAt = new Date(Date.now() + 4000);
    const launched = await insertCollectingCampaign(db, launchAt, 2);
    const missed = await insertCollectingCampaign(db, launchAt, 5);
    await pledgeTo(launched, 2);
    await pledgeTo(missed, 1);
    const launchedTo = (await organiserOf(launched)).email;
    const missedTo = (await organiserOf(missed)).email;

    const report = await mailWithSubject(launchedTo, `Launch report: ${launched.title}`);
    expect(report.text).toMatch(/is over:\n\n- sent: 2\n- failed: 0\n- held \(a network paused\): 0\n- still being tried: 0\n/);
    expect(report.text).toContain(`Every supporter's result: ${chorus.config.PUBLIC_URL}/organiser/campaigns/${launched.id}`);
    const state = await db.selectFrom('campaigns').select('state').where('id', '=', launched.id).executeTakeFirstOrThrow();
    expect(state.state).toBe('launched');

    const missedReport = await mailWithSubject(missedTo, `Goal missed, nothing posted: ${missed.title}`);
    expect(missedReport.text).toContain(`missed its goal: 1 of the 5 supporters it needed`);
    expect(missedReport.text).toContain('Nothing was posted');
  });

  describe('to every member of the organisation who wants them', () => {
    const actorOf = (organiserId: string) => ({ kind: 'organiser' as const, organiserId, clientIp: '127.0.0.1' });

    /** A new organiser who joins the campaign's organisation as `role` through an owner's invitation link. */
    async function memberOf(campaign: Campaign, role: OrganisationRole) {
      const member = await db
        .insertInto('organisers')
        .values({ email: `${role}-${randomBytes(4).toString('hex')}@example.org`, name: `The ${role}`, password_hash: 'not-a-hash' })
        .returning(['id', 'email'])
        .executeTakeFirstOrThrow();
      const invited = await inviteMember(chorus.ctx, actorOf(campaign.organiser_id ?? ''), campaign.organisation_id, { role });
      if (invited.kind !== 'done') throw new Error(invited.message);
      const joined = await acceptInvitation(db, actorOf(member.id), new URL(invited.value.link).searchParams.get('token') ?? '');
      expect(joined.kind).toBe('done');
      return member;
    }

    async function outboxOf(campaign: Campaign) {
      return db
        .selectFrom('mail_outbox')
        .select(['kind', 'recipient', 'dedupe_key', 'organiser_id'])
        .where('campaign_id', '=', campaign.id)
        .orderBy('kind')
        .orderBy('recipient')
        .execute();
    }

    it('tells the owner, an editor and a viewer that the goal is reached, once each, each greeted by name', async () => {
      const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 2);
      const owner = await organiserOf(campaign);
      const editor = await memberOf(campaign, 'editor');
      const viewer = await memberOf(campaign, 'viewer');
      await pledgeTo(campaign, 2);

      const subject = `Goal reached: ${campaign.title}`;
      const [toOwner, toEditor, toViewer] = await Promise.all([owner, editor, viewer].map((m) => mailWithSubject(m.email, subject)));
      expect(toOwner?.text).toMatch(/^Hello Seeded organiser,/);
      expect(toEditor?.text).toMatch(/^Hello The editor,/);
      expect(toViewer?.text).toMatch(/^Hello The viewer,/);
      expect(toEditor?.text).toContain(`${chorus.config.PUBLIC_URL}/organiser/campaigns/${campaign.id}`);
      expect(toViewer?.text).toContain(
        `You get this mail because you are a member of Seeded organisation, which runs this campaign on Chorus.\nChoose which mails you get, about every organisation's campaigns, on your account page: ${chorus.config.PUBLIC_URL}/organiser/account#mail-settings`,
      );
      expect(toViewer?.html).toContain(
        'You get this mail because you are a member of Seeded organisation, which runs this campaign on Chorus.',
      );
      // Each mail is a message of its own, sent to that member alone.
      expect(new Set([toOwner, toEditor, toViewer].map((m) => m?.messageId)).size).toBe(3);
      expect(toEditor?.to).not.toContain(owner.email);

      // More pledges and later sweeps send nobody a second.
      await pledgeTo(campaign, 1);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      for (const member of [owner, editor, viewer]) expect(mailsTo(member.email).map((m) => m.subject)).toEqual([subject]);
      expect(await outboxOf(campaign)).toEqual(
        [owner, editor, viewer]
          .map((m) => ({ kind: 'goal-reached', recipient: m.email, dedupe_key: `goal-reached:${campaign.id}:${m.id}`, organiser_id: m.id }))
          .sort((a, b) => a.recipient.localeCompare(b.recipient)),
      );
    });

    it('sends nothing of a kind to an editor who switched it off, and still to the owner', async () => {
      const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 1);
      const owner = await organiserOf(campaign);
      const editor = await memberOf(campaign, 'editor');
      expect((await changeMailSettings(db, editor.id, { 'goal-reached': false })).kind).toBe('done');
      await pledgeTo(campaign, 1);

      await mailWithSubject(owner.email, `Goal reached: ${campaign.title}`);
      // Three more sweeps.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(mailsTo(editor.email)).toEqual([]);
      expect((await outboxOf(campaign)).map((row) => row.recipient)).toEqual([owner.email]);
    });

    it('writes one mail per member however often the same event is written (retries, the pledge and the sweep at once)', async () => {
      const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 1);
      const owner = await organiserOf(campaign);
      const editor = await memberOf(campaign, 'editor');
      await pledgeTo(campaign, 1);
      const written = await Promise.all([
        writeGoalReachedMail(db, campaign.id),
        writeGoalReachedMail(db, campaign.id),
        writeOrganiserMails({ db, networks: chorus.ctx.networks, now: new Date() }),
        writeGoalReachedMail(db, campaign.id),
      ]);
      expect(written.every((outcome) => outcome.kind === 'done')).toBe(true);
      expect(await writeGoalReachedMail(db, campaign.id)).toEqual({ kind: 'done', value: [] });

      const subject = `Goal reached: ${campaign.title}`;
      await Promise.all([owner, editor].map((m) => mailWithSubject(m.email, subject)));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(mailsTo(owner.email)).toHaveLength(1);
      expect(mailsTo(editor.email)).toHaveLength(1);
      expect(await outboxOf(campaign)).toHaveLength(2);
    });

    it('tells a member who was removed, or whose account was suspended, nothing more', async () => {
      const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 1);
      const owner = await organiserOf(campaign);
      const removed = await memberOf(campaign, 'editor');
      const suspended = await memberOf(campaign, 'viewer');
      const staying = await memberOf(campaign, 'editor');
      await pledgeTo(campaign, 1);
      const goal = `Goal reached: ${campaign.title}`;
      await Promise.all([owner, removed, suspended, staying].map((m) => mailWithSubject(m.email, goal)));

      expect((await removeMember(db, actorOf(owner.id), campaign.organisation_id, removed.id)).kind).toBe('done');
      expect((await suspendOrganiser(chorus.ctx, actorOf(owner.id), suspended.id)).kind).toBe('done');
      // The launch comes within a day: the preflight is due.
      await db
        .updateTable('campaigns')
        .set({ launch_at: new Date(Date.now() + 12 * hourMs) })
        .where('id', '=', campaign.id)
        .execute();
      const preflight = `Launching within a day: ${campaign.title}`;
      await Promise.all([owner, staying].map((m) => mailWithSubject(m.email, preflight)));
      // Three more sweeps.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(mailsTo(removed.email).map((m) => m.subject)).toEqual([goal]);
      expect(mailsTo(suspended.email).map((m) => m.subject)).toEqual([goal]);
      expect(
        (await outboxOf(campaign))
          .filter((row) => row.kind === 'launch-preflight')
          .map((row) => row.recipient)
          .sort(),
      ).toEqual([owner.email, staying.email].sort());
    });

    it('drops a mail already written to a member removed or suspended while it waited for a retry', async () => {
      const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 1);
      const owner = await organiserOf(campaign);
      const removed = await memberOf(campaign, 'editor');
      const suspended = await memberOf(campaign, 'viewer');
      // The server defers every mail until the two mails are dropped at their retry; then it takes them again.
      const refusedBefore = mailed.mail.refusals();
      mailed.mail.refuseNext({ code: 451, message: '4.3.0 Try again later', times: 1000 });
      await pledgeTo(campaign, 1);
      await waitFor(
        async () => mailed.mail.refusals(),
        (refused) => refused >= refusedBefore + 3,
      );
      expect((await removeMember(db, actorOf(owner.id), campaign.organisation_id, removed.id)).kind).toBe('done');
      expect((await suspendOrganiser(chorus.ctx, actorOf(owner.id), suspended.id)).kind).toBe('done');
      const finished = () =>
        db
          .selectFrom('mail_outbox')
          .select(['organiser_id', 'state', 'failure_reason'])
          .where('campaign_id', '=', campaign.id)
          .where('state', '<>', 'pending')
          .execute();
      const notSent = 'not sent: the recipient is no longer an active member of the campaign’s organisation';
      const dropped = await waitFor(finished, (rows) => rows.length === 2);
      expect(dropped.map((row) => row.organiser_id).sort()).toEqual([removed.id, suspended.id].sort());
      for (const row of dropped) expect(row).toMatchObject({ state: 'failed', failure_reason: notSent });
      mailed.mail.refuseNext({ code: 250, message: '', times: 0 });

      await mailWithSubject(owner.email, `Goal reached: ${campaign.title}`);
      const rows = await waitFor(finished, (all) => all.length === 3);
      expect(rows.find((row) => row.organiser_id === owner.id)).toMatchObject({ state: 'sent', failure_reason: null });
      expect(mailsTo(removed.email)).toEqual([]);
      expect(mailsTo(suspended.email)).toEqual([]);
    });
  });
});

describe('the goal-reached mail, written with the pledge that reaches the goal', () => {
  let mailed: MailedChorus;
  let chorus: TestChorus;

  beforeAll(async () => {
    // The sweep runs at the workers' start and then not for an hour: only the pledge can write the mail in this test.
    mailed = await startMailedChorus({ ownDatabase: true, env: { MAIL_SWEEP_SECONDS: '3600' } });
    ({ chorus } = mailed);
  });
  afterAll(async () => {
    await mailed.close();
  });

  it('arrives moments after the pledge, without waiting for the sweep', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const me = await organiser.json<{ email: string }>(`${chorus.url}/api/v1/me`);
    const created = await organiser.json<{ slug: string; title: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ goal: 2 }, 3 * 24 * 3600),
    });
    expect(created.status).toBe(201);
    expect((await pledgeThroughConsent(chorus.url, created.body.slug, { username: 'goal_first', followers: 10 })).status).toBe(201);
    expect((await pledgeThroughConsent(chorus.url, created.body.slug, { username: 'goal_second', followers: 20 })).status).toBe(201);
    const received = await mailed.mailWithSubject(me.body.email, `Goal reached: ${created.body.title}`);
    expect(received.text).toContain('has reached its goal: 2 of 2 supporters have pledged, with a combined reach of 30 followers.');
  });
});

describe('delivery trouble during a launch: one notice per campaign and cause', () => {
  let mailed: MailedChorus;
  let chorus: TestChorus;
  let db: Db;
  let worker: Worker | undefined;
  let transport: MailTransport | undefined;

  beforeAll(async () => {
    // Its own database and no workers running: the launching campaigns below are written by hand.
    mailed = await startMailedChorus({ listen: false, ownDatabase: true, workers: false });
    ({ chorus } = mailed);
    db = chorus.ctx.db;
  });
  afterAll(async () => {
    await worker?.close(true);
    transport?.close();
    await mailed.close();
  });

  async function launchingCampaign(pledges: number) {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 60_000), 1);
    const names = Array.from({ length: pledges }, () => `t${randomBytes(5).toString('hex')}`);
    const ids = await seedPledges(
      db,
      chorus.ctx.cipher,
      campaign,
      await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', names),
    );
    await db
      .updateTable('campaigns')
      .set({ state: 'launching', launch_started_at: new Date(), release_enqueued_at: new Date() })
      .where('id', '=', campaign.id)
      .execute();
    const deliveries = await createDeliveries(db, campaign.id, ids);
    const organiser = await db.selectFrom('organisers').select('email').where('id', '=', campaign.organiser_id).executeTakeFirstOrThrow();
    return { campaign, deliveries, email: organiser.email };
  }

  it('tells the organiser once when posts fail in bulk, and once when a paused network holds them', async () => {
    const failing = await launchingCampaign(12);
    await db
      .updateTable('deliveries')
      .set({ state: 'failed', failure_reason: 'X no longer accepts this supporter’s authorisation' })
      .where('id', 'in', failing.deliveries.slice(0, 10))
      .execute();
    await db
      .updateTable('deliveries')
      .set({ state: 'sent', network_post_id: '1', sent_at: new Date() })
      .where('id', 'in', failing.deliveries.slice(10))
      .execute();
    const held = await launchingCampaign(2);
    await db.updateTable('deliveries').set({ state: 'held' }).where('id', 'in', held.deliveries).execute();
    await db
      .insertInto('network_holds')
      .values({
        network: 'x',
        cause: 'out-of-credits',
        reason: 'credits ran out',
        since: new Date(),
        next_probe_at: new Date(Date.now() + 60_000),
        probes: 0,
        probe_delivery_id: null,
        updated_at: new Date(),
      })
      .execute();

    const first = await writeOrganiserMails({ db, networks: chorus.ctx.networks, now: new Date() });
    const again = await writeOrganiserMails({ db, networks: chorus.ctx.networks, now: new Date() });
    expect(first.kind === 'done' && first.value).toHaveLength(2);
    expect(again).toEqual({ kind: 'done', value: [] });
    if (first.kind !== 'done') return;

    transport = createSmtpTransport(mailed.mail.smtpUrl);
    worker = startMailWorker(chorus.ctx, pino({ level: 'silent' }), transport);
    await enqueueMails(chorus.ctx.queues.mail, first.value);
    const failingMail = await mailed.mailWithSubject(failing.email, `Posts failing: ${failing.campaign.title}`);
    expect(failingMail.text).toContain('are failing in bulk: 10 failed and 2 were sent so far');
    const heldMail = await mailed.mailWithSubject(held.email, `Posts held: ${held.campaign.title}`);
    expect(heldMail.text).toContain('are held: X refuses every post of this Chorus for now');
    expect(mailed.mailsTo(failing.email)).toHaveLength(1);
    expect(mailed.mailsTo(held.email)).toHaveLength(1);
  });
});
