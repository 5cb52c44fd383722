import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserJourney, type BrowserJourney } from '../support/browser-journey.ts';
import { pledgesHoldingGrants } from '../support/campaign-grants.ts';
import { createCampaignForReviewOnPage, signInOperatorOnPage, signUpOnPage } from '../support/journey-steps.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';

// Review before publishing, and a report that ends in a suspension, as an organiser, an operator and a visitor do them
// in Chromium, with review on (the other tests turn it off).
describe('operators in a browser', () => {
  let chorus: TestChorus;
  let journey: BrowserJourney;
  let organiser: Page;
  let operator: Page;
  let dashboardUrl = '';
  let slug = '';
  let campaignId = '';
  const link = 'https://example.org/ourhealthheroes';

  beforeAll(async () => {
    chorus = await startTestChorus({ env: { CAMPAIGN_REVIEW: 'on' } });
    journey = await startBrowserJourney();
  });
  afterAll(async () => {
    await journey.close();
    await chorus.close();
  });

  const bodyText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

  it("takes an organiser's campaign through review: returned with a reason, fixed, then approved and open", async () => {
    organiser = await journey.person();
    await signUpOnPage(organiser, chorus.url, { email: 'journey-organiser@example.org' });
    // The "ready" step says it waits for review (its link is not public yet), then leads to the dashboard.
    await createCampaignForReviewOnPage(organiser, {
      title: 'Our Health Heroes',
      link,
      message: `Thank you, support workers! ${link} #OurHealthHeroes`,
      goal: 1,
      launchIn: { hours: 2 },
    });
    dashboardUrl = organiser.url();
    campaignId = new URL(dashboardUrl).pathname.split('/')[3] ?? '';
    slug = (await organiser.getByRole('link', { name: 'Public page' }).getAttribute('href'))?.replace('/c/', '') ?? '';
    await journey.audit(organiser, 'dashboard in review');
    // Not public while in review.
    expect((await fetch(`${chorus.url}/c/${slug}`)).status).toBe(404);

    // The operator signs in with their password and a code, and returns it with a reason.
    operator = await journey.person();
    await signInOperatorOnPage(operator, chorus);
    await expect.poll(() => operator.getByRole('heading', { name: /Reviews waiting \(1\)/ }).isVisible()).toBe(true);
    await journey.audit(operator, 'operator view with a review');
    await operator.getByLabel('Reason for the organiser').fill('Say who is thanking them: name Skills for Health in the message.');
    await operator.getByRole('button', { name: 'Return to the organiser' }).click();
    await expect.poll(() => operator.locator('#operator-notice').textContent()).toContain('Returned “Our Health Heroes”');

    // The organiser sees the reason, fixes the message and publishes again.
    await organiser.goto(dashboardUrl);
    expect(await organiser.locator('#review-note').textContent()).toContain('name Skills for Health in the message');
    await organiser.goto(`${dashboardUrl}/edit`);
    await organiser.getByLabel('The message').fill(`Skills for Health thanks you, support workers! ${link} #OurHealthHeroes`);
    await organiser.getByRole('button', { name: /Save/ }).click();
    await organiser.goto(dashboardUrl);
    await organiser.getByRole('button', { name: 'Open to supporters' }).click();
    await expect.poll(() => organiser.locator('#review-waiting').isVisible()).toBe(true);
    expect(await organiser.locator('#review-note').count()).toBe(0);

    // The operator approves it: it is open to supporters.
    await operator.goto(`${chorus.url}/operator`);
    expect(await bodyText(operator)).toContain('Skills for Health thanks you');
    await operator.getByRole('button', { name: 'Approve “Our Health Heroes”' }).click();
    await expect.poll(() => operator.locator('#operator-notice').textContent()).toContain('it is open to supporters');
    const row = await chorus.ctx.db
      .selectFrom('campaigns')
      .select(['state', 'review_note'])
      .where('id', '=', campaignId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'collecting', review_note: null });
    await organiser.goto(`${chorus.url}/c/${slug}`);
    expect(await organiser.getByRole('heading', { name: 'Our Health Heroes' }).isVisible()).toBe(true);
  });

  it("turns a visitor's report into a suspension: the page says so, and the supporters' grants are gone", async () => {
    await pledgeThroughConsent(chorus.url, slug, { username: 'first_fan', followers: 120 });
    await pledgeThroughConsent(chorus.url, slug, { username: 'second_fan', followers: 40 });
    const grants = () => pledgesHoldingGrants(chorus.ctx.db, campaignId);
    expect(await grants()).toHaveLength(2);

    const visitor = await journey.person({ phone: true });
    await visitor.goto(`${chorus.url}/c/${slug}`);
    await visitor.getByRole('link', { name: 'Report this campaign' }).click();
    await journey.audit(visitor, 'report form');
    await visitor.getByLabel('What is wrong').fill('This charity never ran this campaign; it asks people to post for someone else.');
    await visitor.getByLabel('Your email (optional)').fill('worried@example.org');
    await visitor.getByRole('button', { name: 'Send the report' }).click();
    await expect.poll(() => visitor.getByRole('heading', { name: 'Thank you' }).isVisible()).toBe(true);

    await operator.goto(`${chorus.url}/operator`);
    expect(await operator.locator('#reports').textContent()).toContain('never ran this campaign');
    await operator.locator('#reports').getByRole('button', { name: 'Suspend the campaign' }).click();
    await expect.poll(() => operator.locator('#operator-notice').textContent()).toContain('Suspended “Our Health Heroes”');
    await journey.audit(operator, 'operator view after a suspension');

    expect(await grants()).toEqual([]);
    expect(
      await chorus.ctx.db
        .selectFrom('campaigns')
        .select(['state', 'suspended_from'])
        .where('id', '=', campaignId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ state: 'suspended', suspended_from: 'collecting' });
    await visitor.goto(`${chorus.url}/c/${slug}`);
    await expect.poll(async () => bodyText(visitor)).toContain("withdrawn by this Chorus's operators");
    await organiser.goto(dashboardUrl);
    expect(await organiser.locator('#suspended-notice').isVisible()).toBe(true);

    for (const [page, violations] of journey.audited) expect(violations, page).toEqual([]);
    expect(journey.cspProblems).toEqual([]);
  });
});
