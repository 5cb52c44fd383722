import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator } from '../../src/use-cases/operators/create-operator.ts';
import { prepareDemoOperator } from '../../src/use-cases/operators/prepare-demo-operator.ts';
import { registerSupporterAddress } from '../../src/use-cases/supporter-mail/register-supporter-address.ts';
import { supporterMailLinks } from '../../src/use-cases/supporter-mail/supporter-mail-links.ts';
import { artifacts, startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { totpCode } from '../support/totp-codes.ts';

const phoneScreen = { width: 390, height: 844 };
const desktopScreen = { width: 1280, height: 900 };
const password = 'correct horse battery';

// The pages the older journeys never reached (webhooks, organisations, operators, reports, mail links, the account
// and sign-in steps, the plain pages), each checked with axe at phone and desktop widths and for sideways scrolling.
describe('every other page in a browser, at 390 and 1280 px', () => {
  let chorus: TestChorus;
  let journey: BrowserJourney;
  let organiser: Page;
  let slug = '';
  let campaignId = '';
  /** Sideways scrolling found, by page and width (a journey expects none). */
  const overflows = new Map<string, number>();

  beforeAll(async () => {
    // A mail server configured (none listens), so that supporters' addresses are kept; a local webhook origin allowed.
    chorus = await startTestChorus({ env: { SMTP_URL: 'smtp://127.0.0.1:9', WEBHOOK_LOCAL_ORIGINS: 'http://127.0.0.1:9' } });
    journey = await startBrowserJourney();
  });
  afterAll(async () => {
    await journey.close();
    await chorus.close();
  });

  const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

  /** Axe and a full-page screenshot at 390 and 1280 px, and the sideways overflow at 320 and 640 px (200 % zoom). */
  async function inspect(page: Page, name: string) {
    for (const [label, size] of [
      ['390', phoneScreen],
      ['1280', desktopScreen],
    ] as const) {
      await page.setViewportSize(size);
      await journey.audit(page, `${name} at ${label}`);
      await page.screenshot({ path: new URL(`more-${name.replaceAll(' ', '-')}-${label}.png`, artifacts).pathname, fullPage: true });
    }
    for (const width of [320, 640]) {
      await page.setViewportSize({ width, height: 800 });
      overflows.set(`${name} at ${width} px`, await overflow(page));
    }
    await page.setViewportSize(desktopScreen);
  }

  async function signUp(page: Page, organisation: string, email: string) {
    await page.goto(`${chorus.url}/organiser/sign-up`);
    await page.getByLabel('Organisation name').fill(organisation);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Your campaigns' }).isVisible()).toBe(true);
  }

  it('the plain pages: home, privacy, accessibility, sign-in and a page that is not there', async () => {
    const visitor = await journey.person();
    await visitor.goto(`${chorus.url}/`);
    await inspect(visitor, 'home');
    await visitor.goto(`${chorus.url}/privacy`);
    await inspect(visitor, 'privacy');
    await visitor.goto(`${chorus.url}/accessibility`);
    await inspect(visitor, 'accessibility');
    await visitor.goto(`${chorus.url}/organiser/sign-in`);
    await inspect(visitor, 'sign-in');
    const missing = await visitor.goto(`${chorus.url}/c/no-such-campaign`);
    expect(missing?.status()).toBe(404);
    await inspect(visitor, 'not found');
  });

  it("an organiser's campaign, ready page, share kit, account, two-factor set-up and webhooks", async () => {
    organiser = await journey.person();
    await signUp(organiser, 'Skills for Health', 'more-pages-organiser@example.org');
    const link = 'https://example.org/ourhealthheroes';
    await organiser.getByRole('link', { name: 'Start a new campaign' }).click();
    await organiser.getByLabel('Title').fill('Our Health Heroes');
    await organiser.getByLabel('Campaign link').fill(link);
    await organiser.getByLabel('The message').fill(`Thank you, support workers! ${link} #OurHealthHeroes`);
    await organiser.getByLabel('Goal (supporters)').fill('10');
    await organiser.getByLabel('Time zone').selectOption('Europe/London');
    await organiser
      .getByLabel('Date and time')
      .fill(DateTime.now().setZone('Europe/London').plus({ days: 2 }).toFormat("yyyy-MM-dd'T'HH:mm:ss"));
    await organiser.getByLabel('Open to supporters now').check();
    await organiser.getByRole('button', { name: 'Create campaign' }).click();
    await expect.poll(() => organiser.url()).toMatch(/\/ready$/);
    campaignId = new URL(organiser.url()).pathname.split('/')[3] ?? '';
    await inspect(organiser, 'ready');
    await organiser.goto(`${chorus.url}/organiser/campaigns/${campaignId}/share-kit`);
    await inspect(organiser, 'share kit');
    const row = await chorus.ctx.db.selectFrom('campaigns').select('slug').where('id', '=', campaignId).executeTakeFirstOrThrow();
    slug = row.slug;

    await organiser.goto(`${chorus.url}/organiser/account`);
    await inspect(organiser, 'account');
    await organiser.goto(`${chorus.url}/organiser/account/two-factor`);
    await inspect(organiser, 'two-factor set-up');

    // Webhooks are the organisation's: its owners reach them from its page.
    await organiser.goto(`${chorus.url}/organiser/campaigns`);
    await organiser.getByRole('link', { name: 'Members and settings' }).click();
    await organiser.getByRole('link', { name: 'Webhooks' }).click();
    await expect.poll(() => organiser.url()).toMatch(/\/organisations\/[0-9a-f-]{36}\/webhooks$/);
    const webhooksUrl = organiser.url();
    await inspect(organiser, 'webhooks, none yet');
    await organiser.getByLabel('Address').fill('not an address');
    await organiser.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => organiser.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
    await inspect(organiser, 'webhooks with an error');
    await organiser.getByLabel('Address').fill('http://127.0.0.1:9/chorus-hook');
    await organiser.getByLabel('Description (optional)').fill('Our CRM');
    await organiser.locator('input[name="events"]').first().check();
    await organiser.getByRole('button', { name: 'Add endpoint' }).click();
    await organiser.goto(webhooksUrl);
    await inspect(organiser, 'webhooks with an endpoint');
    await organiser.getByRole('link', { name: 'http://127.0.0.1:9/chorus-hook' }).click();
    await expect.poll(() => organiser.url()).toMatch(/\/webhooks\/[0-9a-f-]{36}$/);
    // A test event (no worker runs: it stays pending) puts a row in the delivery log.
    const endpointUrl = organiser.url();
    await organiser.getByRole('button', { name: 'Send a test event' }).click();
    await organiser.goto(endpointUrl);
    await expect.poll(() => organiser.locator('table code').first().textContent()).toBe('webhook.test');
    await inspect(organiser, 'webhook endpoint');
  });

  it('the organisation page with members and invitations, its audit log and the invitation page', async () => {
    await organiser.goto(`${chorus.url}/organiser/campaigns`);
    await organiser.getByRole('link', { name: 'Members and settings' }).click();
    await expect.poll(() => organiser.url()).toMatch(/\/organisations\/[0-9a-f-]{36}$/);
    const organisationUrl = organiser.url();
    await organiser.getByRole('button', { name: 'Make an invitation link' }).click();
    const invitation = (await organiser.locator('#new-invitation').textContent())?.trim() ?? '';
    expect(invitation).toMatch(/\/organiser\/invitation\?token=/);
    // A second one, left pending, so that the list has a row after the first is used.
    await organiser.getByRole('button', { name: 'Make an invitation link' }).click();

    const signedOut = await journey.person();
    await signedOut.goto(invitation);
    await inspect(signedOut, 'invitation signed out');

    const joiner = await journey.person();
    await signUp(joiner, 'Unison branch', 'more-pages-joiner@example.org');
    await joiner.goto(invitation);
    await inspect(joiner, 'invitation');
    expect((await joiner.locator('main').textContent())?.replace(/\s+/g, ' ')).toContain('on Chorus as an editor.');
    await joiner.getByRole('button', { name: 'Join Skills for Health' }).click();

    await organiser.goto(organisationUrl);
    await expect.poll(async () => (await organiser.locator('main').textContent()) ?? '').toContain('Unison branch');
    await inspect(organiser, 'organisation');
    await organiser.getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => organiser.url()).toMatch(/\/audit$/);
    await inspect(organiser, 'audit log');
    // Filtered through its form, then a bad organiser id, refused beside its field.
    await organiser.getByLabel('What').selectOption('member.joined');
    await organiser.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => organiser.url()).toContain('action=member.joined');
    await inspect(organiser, 'audit log filtered');
    await organiser.getByLabel('Who').fill('someone');
    await organiser.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => organiser.locator('#actor-error').isVisible()).toBe(true);
    await inspect(organiser, 'audit log refused filter');
    await organiser.goto(`${chorus.url}/organiser/organisations/new`);
    await inspect(organiser, 'new organisation');
  });

  it('the report page, the mail confirm and unsubscribe pages', async () => {
    const visitor = await journey.person();
    await visitor.goto(`${chorus.url}/c/${slug}/report`);
    await inspect(visitor, 'report form');
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await inspect(visitor, 'report form with an error');
    await visitor.getByLabel('What is wrong').fill('This charity never ran this campaign; it asks people to post for someone else.');
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await expect.poll(() => visitor.getByRole('heading', { name: 'Thank you' }).isVisible()).toBe(true);
    await inspect(visitor, 'report sent');

    const pledged = await pledgeThroughConsent(chorus.url, slug, { username: 'mail_mo', followers: 90 });
    expect(pledged.status).toBe(201);
    const campaign = await chorus.ctx.db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirstOrThrow();
    const registered = await registerSupporterAddress(
      chorus.ctx,
      { ...campaign, supporter_count: 1, reach: 90 },
      pledged.body.id ?? '',
      pledged.body.manageToken ?? '',
      { address: 'mail-mo@example.net', followsUpdates: true },
    );
    if (registered.kind !== 'done') throw new Error(registered.message);
    const links = supporterMailLinks(chorus.config);
    const supporter = await journey.person();
    await supporter.goto(links.link('confirm', registered.value.addressId));
    await inspect(supporter, 'mail confirm');
    await supporter.getByRole('button', { name: 'Confirm my address' }).click();
    await expect.poll(() => supporter.getByRole('heading', { name: 'Your address is confirmed' }).isVisible()).toBe(true);
    await inspect(supporter, 'mail confirmed');
    await supporter.goto(links.link('unsubscribe', registered.value.addressId));
    await inspect(supporter, 'mail unsubscribe');
    await supporter.getByRole('button', { name: 'Unsubscribe' }).click();
    await expect.poll(() => supporter.getByRole('heading', { name: 'You are unsubscribed' }).isVisible()).toBe(true);
    await inspect(supporter, 'mail unsubscribed');
    // Unsubscribing deletes the address.
    expect(
      await chorus.ctx.db
        .selectFrom('supporter_mail_addresses')
        .select('id')
        .where('id', '=', registered.value.addressId)
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it('the operator pages: the welcome page from a sign-in link, the code step and the operator view', async () => {
    const created = await createOperator(chorus.ctx.db, chorus.ctx.passwords, chorus.url, 'more-pages-operator@example.org');
    if (created.kind !== 'done') throw new Error(created.message);
    const newcomer = await journey.person();
    await newcomer.goto(created.value.signInUrl);
    await expect.poll(() => newcomer.getByRole('heading', { name: 'Welcome, operator' }).isVisible()).toBe(true);
    await inspect(newcomer, 'operator welcome');

    const demo = await prepareDemoOperator(chorus.ctx);
    if (demo.kind !== 'done') throw new Error(demo.message);
    const operator = await journey.person();
    await operator.goto(`${chorus.url}/organiser/sign-in`);
    await operator.getByLabel('Email').fill(demo.value.email);
    await operator.getByLabel('Password').fill(demo.value.password);
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => operator.getByLabel('Code').isVisible()).toBe(true);
    await inspect(operator, 'sign-in code');
    await operator.getByLabel('Code').fill(totpCode(demo.value.totpSecret));
    await operator.getByRole('button', { name: 'Sign in' }).click();
    await operator.getByRole('link', { name: 'Operator' }).click();
    await expect.poll(() => operator.locator('#reports').isVisible()).toBe(true);
    await inspect(operator, 'operator view with a report');
    await operator.goto(`${chorus.url}/operator/audit-log?action=organisation.created`);
    await inspect(operator, 'operator audit log filtered');
  });

  it('finds no axe violations, no sideways scrolling and no content security complaints on any of them', () => {
    expect(journey.audited.size).toBeGreaterThan(40);
    const violations = [...journey.audited].filter(([, found]) => found.length > 0);
    expect(Object.fromEntries(violations)).toEqual({});
    const scrolling = [...overflows].filter(([, pixels]) => pixels !== 0);
    expect(Object.fromEntries(scrolling)).toEqual({});
    expect(journey.cspProblems).toEqual([]);
  });
});
