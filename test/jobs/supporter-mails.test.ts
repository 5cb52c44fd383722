import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokensAheadOfLaunch } from '../../src/launch/refresh-ahead-of-launch.ts';
import { sealTokens } from '../../src/security/sealed-tokens.ts';
import { hashSecretToken } from '../../src/security/secret-token.ts';
import type { Campaign, Db } from '../../src/storage/database.ts';
import { recordPledge } from '../../src/storage/pledge.repository.ts';
import { cancelCampaign } from '../../src/use-cases/campaigns/cancel-campaign.ts';
import { postCampaignUpdate } from '../../src/use-cases/campaigns/post-campaign-update.ts';
import { writePledge } from '../../src/use-cases/pledges/record-pledge.ts';
import { confirmSupporterAddressFromLink } from '../../src/use-cases/supporter-mail/confirm-supporter-address.ts';
import { registerSupporterAddress } from '../../src/use-cases/supporter-mail/register-supporter-address.ts';
import { supporterMailLinks } from '../../src/use-cases/supporter-mail/supporter-mail-links.ts';
import { eraseExpiredSupporterData } from '../../src/use-cases/supporter-data/erase-expired-supporter-data.ts';
import { eraseSupporter } from '../../src/use-cases/supporter-data/erase-supporter.ts';
import { submitConsent } from '../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from '../support/browser.ts';
import { sandboxPosts } from '../support/sandbox-posts.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { startMailedChorus, type MailedChorus } from '../support/mailed-chorus.ts';
import type { TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

const html = { accept: 'text/html' };
const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("supporters' mails, received over SMTP by the sandbox mail server", () => {
  let mailed: MailedChorus;
  let chorus: TestChorus;
  let db: Db;
  let minted = 0;

  beforeAll(async () => {
    mailed = await startMailedChorus();
    ({ chorus } = mailed);
    db = chorus.ctx.db;
  });
  afterAll(async () => {
    await mailed.close();
  });

  const newAddress = () => `supporter-${randomBytes(4).toString('hex')}@example.net`;
  const mailsTo = (address: string) => mailed.mailsTo(address);
  const mailWithSubject = (address: string, subject: string) => mailed.mailWithSubject(address, subject);
  const linkIn = (text: string, path: string) => new RegExp(`(http://[^\\s]+/mail/${path}/[^\\s]+)`).exec(text)?.[1] ?? '';

  /** A supporter who approved on the sandbox X's consent page and now looks at the review page, with its CSRF token. */
  async function reachReview(slug: string, username = `s${randomBytes(3).toString('hex')}`) {
    const browser = new Browser();
    const connect = await browser.request(`${chorus.url}/c/${slug}/support/x`, { headers: html });
    const back = await submitConsent(connect.headers.get('location') ?? '', {
      username,
      followers: '10',
    });
    await browser.request(back, { headers: html });
    const review = await (await browser.request(`${chorus.url}/c/${slug}/review`, { headers: html })).text();
    return { browser, review, token: /name="_csrf" value="([^"]+)"/.exec(review)?.[1] ?? '' };
  }

  /** A pledge seeded as the consent callback writes it, with an address confirmed through the use cases. */
  /** The organiser who created the campaign, acting on it (the use cases check their membership). */
  async function creatorOf(campaignId: string) {
    const { organiser_id: organiserId } = await db
      .selectFrom('campaigns')
      .select('organiser_id')
      .where('id', '=', campaignId)
      .executeTakeFirstOrThrow();
    if (organiserId === null) throw new Error('the campaign has no creator');
    return { kind: 'organiser' as const, organiserId, clientIp: '127.0.0.1' };
  }

  async function confirmedSupporter(campaign: Campaign, address = newAddress(), followsUpdates = false) {
    const name = `m${campaign.id.slice(0, 6)}${(minted += 1)}`;
    const [pledgeId = ''] = await seedPledges(
      db,
      chorus.ctx.cipher,
      campaign,
      await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [name]),
    );
    const registered = await registerSupporterAddress(chorus.ctx, campaign, pledgeId, 'chorus_pledge_seeded', { address, followsUpdates });
    if (registered.kind !== 'done') throw new Error(registered.message);
    const token = new URL(supporterMailLinks(chorus.config).link('confirm', registered.value.addressId)).searchParams.get('token') ?? '';
    expect(await confirmSupporterAddressFromLink(chorus.ctx, registered.value.addressId, token)).toMatchObject({
      value: { kind: 'confirmed' },
    });
    return { address, pledgeId, addressId: registered.value.addressId, username: name };
  }

  it('the review step keeps an address, sends only the request to confirm, then the manage link and the launch .ics; updates follow', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const { slug, id: campaignId } = created.body;
    const campaign = { id: campaignId };

    // The field is offered with its purpose; a malformed address is refused beside it and nothing is written.
    const first = await reachReview(slug);
    expect(first.review).toContain('name="email"');
    expect(first.review).toContain('Only to tell you about this pledge');
    const refused = await first.browser.request(`${chorus.url}/c/${slug}/review`, {
      headers: html,
      form: { _csrf: first.token, choice: 'message', text: '', email: 'not an address' },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('id="email-error"');
    expect(await db.selectFrom('pledges').select('id').where('campaign_id', '=', campaignId).execute()).toEqual([]);

    const address = newAddress();
    const confirmed = await first.browser.request(`${chorus.url}/c/${slug}/review`, {
      headers: html,
      form: { _csrf: first.token, choice: 'message', text: '', email: ` ${address} `, followUpdates: 'yes' },
    });
    expect(confirmed.status).toBe(201);
    const page = await confirmed.text();
    expect(page).toContain(`We sent a mail to <strong>${address}</strong>`);
    const manageUrl = /id="manage-link">([^<]+)</.exec(page)?.[1]?.replaceAll('&amp;', '&') ?? '';

    const request = await mailWithSubject(address, 'Confirm your address for "Our Health Heroes"');
    const unsubscribeUrl = linkIn(request.text, 'unsubscribe');
    expect(request.headers.get('list-unsubscribe')).toBe(`<${unsubscribeUrl}>`);
    expect(request.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(request.text).not.toContain('/p/');
    const confirmUrl = linkIn(request.text, 'confirm');
    expect(confirmUrl).toMatch(/\/mail\/confirm\/[0-9a-f-]{36}\?token=/);

    // Before confirmation nothing else goes, not even an update to a supporter who chose to follow.
    expect(await postCampaignUpdate(db, await creatorOf(campaign.id), campaign.id, 'Before you confirmed: 100 supporters!')).toMatchObject({
      kind: 'done',
    });
    await sleep(2500);
    expect(mailsTo(address)).toHaveLength(1);

    // A wrong token opens nothing; following the link shows a button (a scanner fetching it confirms nothing).
    const browser = new Browser();
    expect((await browser.request(confirmUrl.replace(/token=.{4}/, 'token=AAAA'), { headers: html })).status).toBe(404);
    const confirmPage = await (await browser.request(confirmUrl, { headers: html })).text();
    expect(confirmPage).toContain('Confirm my address');
    expect(
      (await db.selectFrom('supporter_mail_addresses').select('state').where('address', '=', address).executeTakeFirstOrThrow()).state,
    ).toBe('unconfirmed');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(confirmPage)?.[1] ?? '';
    const done = await browser.request(confirmUrl, { headers: html, form: { _csrf: csrf } });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('your address is confirmed');

    const pledged = await mailWithSubject(address, 'Your pledge to "Our Health Heroes": your private link and the launch');
    expect(pledged.text).toContain(manageUrl);
    expect(pledged.html).toContain(manageUrl.replaceAll('&', '&amp;'));
    expect(pledged.headers.get('list-unsubscribe')).toBe(`<${unsubscribeUrl}>`);
    const [ics] = pledged.attachments;
    expect(ics?.filename).toBe(`${slug}-launch.ics`);
    expect(ics?.contentType).toBe('text/calendar');
    expect(ics?.content).toContain('BEGIN:VEVENT');
    expect(ics?.content).toContain('SUMMARY:Launch: Our Health Heroes');
    // The manage token's sealed copy goes once the mail carrying it is sent.
    await waitFor(
      () =>
        db.selectFrom('supporter_mail_addresses').select('sealed_manage_token').where('address', '=', address).executeTakeFirstOrThrow(),
      (row) => row.sealed_manage_token === null,
    );
    // A second click is no error and sends nothing more.
    expect((await browser.request(confirmUrl, { headers: html, form: { _csrf: csrf } })).status).toBe(200);

    expect(await postCampaignUpdate(db, await creatorOf(campaign.id), campaign.id, 'Halfway there: 150 supporters!')).toMatchObject({
      kind: 'done',
    });
    const update = await mailWithSubject(address, 'Update from "Our Health Heroes"');
    expect(update.text).toContain('Halfway there: 150 supporters!');
    expect(update.text).not.toContain('Before you confirmed');

    // One-click unsubscribe (RFC 8058): a POST with no session and no CSRF token; later mails are not sent.
    // RFC 8058 asks mail providers for multipart/form-data (and allows a urlencoded form, which the fuzz test sends).
    const oneClickForm = new FormData();
    oneClickForm.set('List-Unsubscribe', 'One-Click');
    const oneClick = await fetch(unsubscribeUrl, { method: 'POST', body: oneClickForm });
    expect(oneClick.status).toBe(200);
    expect(await db.selectFrom('supporter_mail_addresses').select('id').where('address', '=', address).execute()).toEqual([]);
    expect(await postCampaignUpdate(db, await creatorOf(campaign.id), campaign.id, 'Nearly there!')).toMatchObject({ kind: 'done' });
    await sleep(2500);
    expect(mailsTo(address).map((m) => m.subject)).toEqual([
      'Confirm your address for "Our Health Heroes"',
      'Your pledge to "Our Health Heroes": your private link and the launch',
      'Update from "Our Health Heroes"',
    ]);
    // The unsubscribe page says so again, and the pledge stands.
    expect(await (await fetch(unsubscribeUrl, { headers: html })).text()).toContain('You are unsubscribed');
    expect((await db.selectFrom('pledges').select('state').where('campaign_id', '=', campaignId).executeTakeFirstOrThrow()).state).toBe(
      'active',
    );
  }, 90_000);

  it('the review step writes the pledge, the address and the mail asking to confirm it together: when the address cannot be kept, no pledge is', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const { slug, id: campaignId } = created.body;
    // A fault in the address's insert, as a full disk or a lost connection would be, for addresses starting "refused-".
    await sql`create or replace function refuse_test_address() returns trigger language plpgsql as $$
      begin if new.address like 'refused-%' then raise exception 'the address cannot be kept'; end if; return new; end $$`.execute(db);
    await sql`create trigger refuse_test_address before insert on supporter_mail_addresses
      for each row execute function refuse_test_address()`.execute(db);
    try {
      const refused = `refused-${newAddress()}`;
      const first = await reachReview(slug);
      const failed = await first.browser.request(`${chorus.url}/c/${slug}/review`, {
        headers: html,
        form: { _csrf: first.token, choice: 'message', text: '', email: refused },
      });
      expect(failed.status).toBe(500);
      expect(await db.selectFrom('pledges').select('id').where('campaign_id', '=', campaignId).execute()).toEqual([]);
      expect(await db.selectFrom('mail_outbox').select('id').where('recipient', '=', refused).execute()).toEqual([]);
      expect(await db.selectFrom('supporter_mail_addresses').select('id').where('campaign_id', '=', campaignId).execute()).toEqual([]);

      // With an address that can be kept, the three are there at once, as the page says.
      const address = newAddress();
      const username = `s${randomBytes(3).toString('hex')}`;
      const second = await reachReview(slug, username);
      const pledged = await second.browser.request(`${chorus.url}/c/${slug}/review`, {
        headers: html,
        form: { _csrf: second.token, choice: 'message', text: '', email: address },
      });
      expect(pledged.status).toBe(201);
      const [pledge] = await db.selectFrom('pledges').select('id').where('campaign_id', '=', campaignId).execute();
      expect(
        await db.selectFrom('supporter_mail_addresses').select(['pledge_id', 'state']).where('campaign_id', '=', campaignId).execute(),
      ).toEqual([{ pledge_id: pledge?.id, state: 'unconfirmed' }]);
      expect(
        await db
          .selectFrom('mail_outbox')
          .select('kind')
          .where('pledge_id', '=', pledge?.id ?? '')
          .execute(),
      ).toEqual([{ kind: 'supporter-address-confirm' }]);
      await mailWithSubject(address, 'Confirm your address for "Our Health Heroes"');

      // A renewal that leaves another address replaces the first in the same statement: a new row, asked to confirm again.
      const [before] = await db.selectFrom('supporter_mail_addresses').select('id').where('campaign_id', '=', campaignId).execute();
      const other = newAddress();
      const third = await reachReview(slug, username);
      const renewed = await third.browser.request(`${chorus.url}/c/${slug}/review`, {
        headers: html,
        form: { _csrf: third.token, choice: 'message', text: '', email: other, followUpdates: 'yes' },
      });
      expect(renewed.status).toBe(200);
      const after = await db
        .selectFrom('supporter_mail_addresses')
        .select(['id', 'pledge_id', 'address', 'follows_updates', 'state'])
        .where('campaign_id', '=', campaignId)
        .execute();
      expect(after.map(({ id: _id, ...rest }) => rest)).toEqual([
        { pledge_id: pledge?.id, address: other, follows_updates: true, state: 'unconfirmed' },
      ]);
      expect(after[0]?.id).not.toBe(before?.id);
      await mailWithSubject(other, 'Confirm your address for "Our Health Heroes"');
    } finally {
      await sql`drop trigger refuse_test_address on supporter_mail_addresses`.execute(db);
    }
  }, 90_000);

  it('the API leaves an address with PUT /api/v1/pledges/:id/email (the same double opt-in), and DELETE removes it', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ id: string; slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    const { slug } = created.body;
    const pledge = await pledgeThroughConsent(chorus.url, slug, { username: `api${randomBytes(3).toString('hex')}`, followers: 20 });
    expect(pledge.status).toBe(201);
    const url = `${chorus.url}/api/v1/pledges/${pledge.body.id ?? ''}/email`;
    const bearer = { authorization: `Bearer ${pledge.body.manageToken ?? ''}` };
    const api = new Browser();

    // The private key is needed; a malformed address is refused and writes nothing.
    expect((await api.json(url, { method: 'PUT', json: { email: newAddress(), followUpdates: false } })).status).toBe(401);
    const wrongKey = { authorization: 'Bearer chorus_pledge_guess' };
    expect((await api.json(url, { method: 'PUT', headers: wrongKey, json: { email: newAddress(), followUpdates: false } })).status).toBe(
      404,
    );
    const malformed = await api.json<{ message: string }>(url, {
      method: 'PUT',
      headers: bearer,
      json: { email: 'not an address', followUpdates: false },
    });
    expect(malformed.status).toBe(400);
    expect(
      await db
        .selectFrom('supporter_mail_addresses')
        .select('id')
        .where('pledge_id', '=', pledge.body.id ?? '')
        .execute(),
    ).toEqual([]);

    const address = newAddress();
    const kept = await api.json(url, { method: 'PUT', headers: bearer, json: { email: ` ${address} `, followUpdates: true } });
    expect(kept.status).toBe(202);
    expect(kept.body).toEqual({ email: address, followUpdates: true, confirmed: false });
    const request = await mailWithSubject(address, 'Confirm your address for "Our Health Heroes"');
    const confirmUrl = linkIn(request.text, 'confirm');
    const browser = new Browser();
    const confirmPage = await (await browser.request(confirmUrl, { headers: html })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(confirmPage)?.[1] ?? '';
    expect((await browser.request(confirmUrl, { headers: html, form: { _csrf: csrf } })).status).toBe(200);
    // The confirmation carries the private link made from the key the API client sent.
    const pledged = await mailWithSubject(address, 'Your pledge to "Our Health Heroes": your private link and the launch');
    expect(pledged.text).toContain(pledge.body.manageToken ?? 'none');

    // DELETE removes the address (and is no error a second time); the pledge stays.
    expect((await api.json(url, { method: 'DELETE', headers: bearer })).status).toBe(204);
    expect((await api.json(url, { method: 'DELETE', headers: bearer })).status).toBe(204);
    expect(await db.selectFrom('supporter_mail_addresses').select('id').where('address', '=', address).execute()).toEqual([]);
    expect((await api.json(`${chorus.url}/api/v1/pledges/${pledge.body.id ?? ''}`, { headers: bearer })).status).toBe(200);

    // Once the campaign no longer collects, no address can be left.
    expect((await cancelCampaign(chorus.ctx, await creatorOf(created.body.id), created.body.id)).kind).toBe('done');
    expect((await api.json(url, { method: 'PUT', headers: bearer, json: { email: newAddress(), followUpdates: false } })).status).toBe(409);
  }, 90_000);

  it('"your post is out" with its link after the launch, "the goal was missed", "the campaign was cancelled"', async () => {
    const launchAt = new Date(Date.now() + 4000);
    const launched = await insertCollectingCampaign(db, launchAt, 1);
    const missed = await insertCollectingCampaign(db, launchAt, 5);
    const cancelled = await insertCollectingCampaign(db, new Date(Date.now() + dayMs), 1);
    const poster = await confirmedSupporter(launched);
    const loser = await confirmedSupporter(missed);
    const cancelledOne = await confirmedSupporter(cancelled);
    expect((await cancelCampaign(chorus.ctx, await creatorOf(cancelled.id), cancelled.id)).kind).toBe('done');

    const out = await mailWithSubject(poster.address, `Your post for "${launched.title}" is out`);
    const delivery = await db.selectFrom('deliveries').selectAll().where('pledge_id', '=', poster.pledgeId).executeTakeFirstOrThrow();
    expect(out.text).toContain(`/status/${delivery.network_post_id ?? 'none'}`);
    expect(out.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const missedMail = await mailWithSubject(loser.address, `"${missed.title}" missed its goal: nothing was posted`);
    expect(missedMail.text).toContain('nothing was posted');
    const cancelledMail = await mailWithSubject(cancelledOne.address, `"${cancelled.title}" was cancelled: nothing will be posted`);
    expect(cancelledMail.text).toContain('cancelled');

    // Each once: later sweeps write nothing more, however long the outbox keeps its rows. Each supporter had the pledge's
    // confirmation and the outcome, and the request to confirm unless its job ran after the test confirmed the address
    // (a request to an address already confirmed is dropped, not sent).
    const received = new Map<string, number>();
    for (const one of [poster, loser, cancelledOne]) {
      const mails = await waitFor(
        async () => mailsTo(one.address),
        (mails) => mails.length >= 2 && mails.some((m) => m.subject.startsWith('Your pledge to')),
      );
      expect(new Set(mails.map((m) => m.subject)).size).toBe(mails.length);
      received.set(one.address, mails.length);
    }
    await db.deleteFrom('mail_outbox').where('pledge_id', 'in', [poster.pledgeId, loser.pledgeId, cancelledOne.pledgeId]).execute();
    await sleep(2500);
    for (const one of [poster, loser, cancelledOne]) expect(mailsTo(one.address)).toHaveLength(received.get(one.address) ?? 0);
  }, 90_000);

  it('a post that failed at the launch mails why and that nothing was posted, once; a post sent gets "post is out" only', async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 8000), 1);
    const poster = await confirmedSupporter(campaign);
    const revoked = await confirmedSupporter(campaign);
    // Revoked on the sandbox X after the pledge, with a grant that needs no refresh: the post itself is refused at the launch.
    await fetch(new URL('__sandbox/revoke', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: revoked.username }),
    });

    const failed = await mailWithSubject(revoked.address, `Your post for "${campaign.title}" could not be made`);
    const delivery = await db.selectFrom('deliveries').selectAll().where('pledge_id', '=', revoked.pledgeId).executeTakeFirstOrThrow();
    expect(delivery.state).toBe('failed');
    expect(delivery.failure_reason ?? '').toMatch(/revoked|no longer accepts/);
    expect(failed.text).toContain(`Why: ${delivery.failure_reason ?? 'none'}`);
    expect(failed.text).toContain('Nothing was posted from your account.');
    expect(failed.text).toContain(`${chorus.config.PUBLIC_URL}/c/${campaign.slug}`);
    expect(failed.html).toContain('Nothing was posted from your account.');
    expect(failed.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    await mailWithSubject(poster.address, `Your post for "${campaign.title}" is out`);

    // Once each, and only its own outcome: later sweeps write nothing more, even once the outbox rows are gone.
    await db.deleteFrom('mail_outbox').where('pledge_id', 'in', [poster.pledgeId, revoked.pledgeId]).execute();
    await sleep(2500);
    const subjects = (address: string) => mailsTo(address).map((m) => m.subject);
    expect(subjects(revoked.address).filter((s) => s.startsWith('Your post for'))).toEqual([
      `Your post for "${campaign.title}" could not be made`,
    ]);
    expect(subjects(poster.address).filter((s) => s.startsWith('Your post for'))).toEqual([`Your post for "${campaign.title}" is out`]);
  }, 90_000);

  it('reminds a supporter whose grant cannot be renewed and ends before the launch, with a link that keeps their wording', async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * hourMs), 1);
    const lapsing = await recordPledge(db, {
      campaignId: campaign.id,
      network: 'x',
      profile: { networkUserId: `lapsing-${randomBytes(4).toString('hex')}`, handle: 'lapsing', displayName: 'Lapsing', followers: 5 },
      text: campaign.variants[0] ?? '',
      variantIndex: 0,
      credentials: sealTokens(chorus.ctx.cipher, {
        accessToken: 'a',
        refreshToken: null,
        expiresAt: new Date(Date.now() + 2 * hourMs),
        scopes: 'tweet.write',
      }),
      manageTokenHash: randomBytes(16).toString('hex'),
    });
    if (lapsing.kind === 'not-collecting') throw new Error('not collecting');
    const address = newAddress();
    const registered = await registerSupporterAddress(chorus.ctx, campaign, lapsing.pledge.id, 'chorus_pledge_x', {
      address,
      followsUpdates: false,
    });
    if (registered.kind !== 'done') throw new Error(registered.message);
    // Granted two days ago: a new grant made now (lasting as long) reaches past the launch, so the reminder is due.
    await db
      .updateTable('pledge_credentials')
      .set({ updated_at: new Date(Date.now() - 2 * dayMs) })
      .where('pledge_id', '=', lapsing.pledge.id)
      .execute();
    await mailWithSubject(address, `Confirm your address for "${campaign.title}"`);
    await sleep(2000);
    // Unconfirmed: only the request to confirm.
    expect(mailsTo(address).map((m) => m.subject)).toEqual([`Confirm your address for "${campaign.title}"`]);
    const token = new URL(supporterMailLinks(chorus.config).link('confirm', registered.value.addressId)).searchParams.get('token') ?? '';
    await confirmSupporterAddressFromLink(chorus.ctx, registered.value.addressId, token);

    const reminder = await mailWithSubject(address, `Authorise again for "${campaign.title}", or your post cannot be made`);
    expect(reminder.text).toContain(`${chorus.config.PUBLIC_URL}/c/${campaign.slug}/support/x?variant=0`);
    await sleep(2000);
    expect(mailsTo(address).filter((m) => m.subject.startsWith('Authorise again'))).toHaveLength(1);
  }, 90_000);

  it('a refresh refused before the launch mails the renew link; renewing through it brings the post back at the launch', async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 25_000), 1);
    const username = `rf${randomBytes(3).toString('hex')}`;
    // Minted with a token about to lapse, then revoked on the sandbox X, so the refresh ahead of the launch is refused.
    const minted = await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [username], 1);
    await fetch(new URL('__sandbox/revoke', chorus.sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username }),
    });
    const [pledgeId = ''] = await seedPledges(db, chorus.ctx.cipher, campaign, minted);
    const address = newAddress();
    const registered = await registerSupporterAddress(chorus.ctx, campaign, pledgeId, 'chorus_pledge_seeded', {
      address,
      followsUpdates: false,
    });
    if (registered.kind !== 'done') throw new Error(registered.message);
    const token = new URL(supporterMailLinks(chorus.config).link('confirm', registered.value.addressId)).searchParams.get('token') ?? '';
    await confirmSupporterAddressFromLink(chorus.ctx, registered.value.addressId, token);

    // The worker's own pass may get there first; either way the grant is erased and the pledge is not failed.
    await refreshTokensAheadOfLaunch({ ...chorus.ctx, refreshesPerSecond: 50, stopping: () => false }, campaign);
    const refused = await mailWithSubject(address, `Authorise again for "${campaign.title}": X refused Chorus's access`);
    const renewUrl = `${chorus.config.PUBLIC_URL}/c/${campaign.slug}/support/x`;
    expect(refused.text).toContain(renewUrl);
    expect(refused.html).toContain(renewUrl);
    expect(refused.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(await db.selectFrom('pledge_credentials').select('pledge_id').where('pledge_id', '=', pledgeId).execute()).toEqual([]);
    expect(await db.selectFrom('deliveries').select('id').where('pledge_id', '=', pledgeId).execute()).toEqual([]);
    // Their pledge's page says so too, with the same link (the seeded pledge is given a key the test knows).
    const key = 'chorus_pledge_refused_refresh';
    await db
      .updateTable('pledges')
      .set({ manage_token_hash: hashSecretToken(key) })
      .where('id', '=', pledgeId)
      .execute();
    const managePage = await (await fetch(`${chorus.url}/p/${pledgeId}?key=${key}`, { headers: html })).text();
    expect(managePage).toContain("X refused to renew Chorus's access to your account");
    expect(managePage).toContain(`href="${renewUrl}"`);

    // The supporter follows the link, approves on X again, and confirms the review: the same pledge, renewed.
    const browser = new Browser();
    const connect = await browser.request(`${chorus.url}${new URL(renewUrl).pathname}`, { headers: html });
    const back = await submitConsent(connect.headers.get('location') ?? '', { username, followers: '10' });
    await browser.request(back, { headers: html });
    const review = await (await browser.request(`${chorus.url}/c/${campaign.slug}/review`, { headers: html })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(review)?.[1] ?? '';
    const renewed = await browser.request(`${chorus.url}/c/${campaign.slug}/review`, {
      headers: html,
      form: { _csrf: csrf, choice: 'message', text: '' },
    });
    expect(renewed.status).toBe(200);
    expect(await db.selectFrom('pledge_credentials').select('pledge_id').where('pledge_id', '=', pledgeId).execute()).toHaveLength(1);

    // At the launch the post goes out from the supporter's account.
    const posts = await waitFor(
      () => sandboxPosts(chorus.sandbox.url),
      (all) => all.some((post) => post.username === username),
      60_000,
    );
    expect(posts.filter((post) => post.username === username)).toHaveLength(1);
    await waitFor(
      () => db.selectFrom('deliveries').select('state').where('pledge_id', '=', pledgeId).executeTakeFirst(),
      (delivery) => delivery?.state === 'sent',
    );
    expect(mailsTo(address).filter((m) => m.subject.startsWith('Authorise again'))).toHaveLength(1);
  }, 120_000);

  it('a renewal before the address is confirmed mails the new private link, not the one it replaced', async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + dayMs), 5);
    const profile = {
      networkUserId: `renewing-${randomBytes(4).toString('hex')}`,
      handle: 'renewing',
      displayName: 'Renewing',
      followers: 5,
    };
    const grant = () =>
      sealTokens(chorus.ctx.cipher, {
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: new Date(Date.now() + dayMs),
        scopes: 'tweet.write',
      });
    const wording = { kind: 'wording', variantIndex: null } as const;
    const input = { network: 'x', profile, wording, shownPublicly: false } as const;
    const first = await writePledge(chorus.ctx, campaign, input, campaign.message, grant());
    if (first.kind !== 'done') throw new Error(first.message);
    const address = newAddress();
    const registered = await registerSupporterAddress(chorus.ctx, campaign, first.value.pledge.id, first.value.manageToken, {
      address,
      followsUpdates: false,
    });
    if (registered.kind !== 'done') throw new Error(registered.message);
    const renewed = await writePledge(chorus.ctx, campaign, input, campaign.message, grant());
    if (renewed.kind !== 'done') throw new Error(renewed.message);
    expect(renewed.value).toMatchObject({ created: false, pledge: { id: first.value.pledge.id } });

    const token = new URL(supporterMailLinks(chorus.config).link('confirm', registered.value.addressId)).searchParams.get('token') ?? '';
    await confirmSupporterAddressFromLink(chorus.ctx, registered.value.addressId, token);
    const pledged = await mailWithSubject(address, `Your pledge to "${campaign.title}": your private link and the launch`);
    expect(pledged.text).toContain(`key=${renewed.value.manageToken}`);
    expect(pledged.text).not.toContain(first.value.manageToken);
  }, 90_000);

  it("erasing a supporter or a campaign's supporters erases the addresses and their mails; an unconfirmed address is dropped after 3 days", async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + dayMs), 1);
    const erased = await confirmedSupporter(campaign);
    await mailWithSubject(erased.address, `Your pledge to "${campaign.title}": your private link and the launch`);
    expect(await db.selectFrom('mail_outbox').select('id').where('recipient', '=', erased.address).execute()).toHaveLength(2);
    expect((await eraseSupporter(db, await creatorOf(campaign.id), campaign.id, erased.pledgeId)).kind).toBe('done');
    expect(await db.selectFrom('supporter_mail_addresses').select('id').where('address', '=', erased.address).execute()).toEqual([]);
    expect(await db.selectFrom('mail_outbox').select('id').where('recipient', '=', erased.address).execute()).toEqual([]);

    // The campaign's erasure after the retention time takes the addresses and mails of all its supporters.
    const ended = await insertCollectingCampaign(db, new Date(Date.now() + dayMs), 1);
    const kept = await confirmedSupporter(ended);
    expect((await cancelCampaign(chorus.ctx, await creatorOf(ended.id), ended.id)).kind).toBe('done');
    await mailWithSubject(kept.address, `"${ended.title}" was cancelled: nothing will be posted`);
    await db
      .updateTable('campaigns')
      .set({ ended_at: new Date(Date.now() - 31 * dayMs) })
      .where('id', '=', ended.id)
      .execute();
    expect((await eraseExpiredSupporterData({ db, retentionDays: 30, stopping: () => false })).kind).toBe('done');
    expect(await db.selectFrom('supporter_mail_addresses').select('id').where('campaign_id', '=', ended.id).execute()).toEqual([]);
    expect(await db.selectFrom('mail_outbox').select('id').where('recipient', '=', kept.address).execute()).toEqual([]);

    const [pledgeId = ''] = await seedPledges(
      db,
      chorus.ctx.cipher,
      campaign,
      await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', [`late${(minted += 1)}`]),
    );
    const late = newAddress();
    const registered = await registerSupporterAddress(chorus.ctx, campaign, pledgeId, 'chorus_pledge_x', {
      address: late,
      followsUpdates: false,
    });
    if (registered.kind !== 'done') throw new Error(registered.message);
    await sql`update supporter_mail_addresses set created_at = now() - interval '3 days 1 minute' where id = ${registered.value.addressId}`.execute(
      db,
    );
    await waitFor(
      () => db.selectFrom('supporter_mail_addresses').select('id').where('address', '=', late).execute(),
      (rows) => rows.length === 0,
    );
  }, 90_000);
});
