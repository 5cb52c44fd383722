import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { prepareDemoOperator } from '../../src/use-cases/operators/prepare-demo-operator.ts';
import type { TestChorus } from './test-chorus.ts';
import { totpCode } from './totp-codes.ts';

// The steps several browser journeys take the same way, written once.

/** Signs an organiser up on the sign-up page, and waits for their campaign list. */
export async function signUpOnPage(
  page: Page,
  chorusUrl: string,
  who: { organisation?: string; email?: string; password?: string } = {},
): Promise<void> {
  await page.goto(`${chorusUrl}/organiser/sign-up`);
  await page.getByLabel('Organisation name').fill(who.organisation ?? 'Skills for Health');
  await page.getByLabel('Email').fill(who.email ?? `organiser-${Date.now()}@example.org`);
  await page.getByLabel('Password').fill(who.password ?? 'correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Your campaigns' }).isVisible()).toBe(true);
}

/** Makes the demo operator (two-factor sign-in on), signs them in with their password and a code, and opens `/operator`. */
export async function signInOperatorOnPage(page: Page, chorus: Pick<TestChorus, 'ctx' | 'url'>): Promise<void> {
  const demo = await prepareDemoOperator(chorus.ctx);
  if (demo.kind !== 'done') throw new Error(demo.message);
  await page.goto(`${chorus.url}/organiser/sign-in`);
  await page.getByLabel('Email').fill(demo.value.email);
  await page.getByLabel('Password').fill(demo.value.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code').fill(totpCode(demo.value.totpSecret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Operator' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe('/operator');
}

/** A launch time as the campaign form's "Date and time" takes it, in Europe/London, this far from now. */
export function londonLaunchTime(from: Parameters<DateTime['plus']>[0]): string {
  return DateTime.now().setZone('Europe/London').plus(from).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/**
 * Brings the launch (of a campaign set in Europe/London) forward to `seconds` from now on the campaign's edit page,
 * in a tab of the organiser's own beside the dashboard (which keeps following the campaign live), and closes it.
 */
export async function moveLaunchOnPage(organiser: Page, dashboardUrl: string, seconds: number): Promise<void> {
  const edit = await organiser.context().newPage();
  await edit.goto(`${dashboardUrl}/edit`);
  await edit.getByLabel('Date and time').fill(londonLaunchTime({ seconds }));
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(() => edit.locator('.notice').textContent()).toMatch(/Saved\. The launch is at .* \(Europe\/London\)\./);
  await edit.close();
}

/**
 * From "Your campaigns", creates a campaign launching `launchIn` from now (Europe/London) and opens it to supporters;
 * with review on it waits for review: checks the "ready" step says so, and leaves the organiser on its dashboard.
 */
export async function createCampaignForReviewOnPage(
  organiser: Page,
  campaign: {
    title: string;
    link: string;
    message: string;
    goal: number;
    launchIn: Parameters<DateTime['plus']>[0];
    uncheckNetworks?: readonly string[];
  },
): Promise<void> {
  await organiser.getByRole('link', { name: 'Start a new campaign' }).click();
  await organiser.getByLabel('Title').fill(campaign.title);
  await organiser.getByLabel('Campaign link').fill(campaign.link);
  await organiser.getByLabel('The message').fill(campaign.message);
  await organiser.getByLabel('Goal (supporters)').fill(String(campaign.goal));
  await organiser.getByLabel('Time zone').selectOption('Europe/London');
  await organiser.getByLabel('Date and time').fill(londonLaunchTime(campaign.launchIn));
  for (const other of campaign.uncheckNetworks ?? [])
    await organiser.getByRole('checkbox', { name: new RegExp(`^${other} \\(up to`) }).uncheck();
  await organiser.getByLabel('Open to supporters now').check();
  await organiser.getByRole('button', { name: 'Create campaign' }).click();
  await expect
    .poll(() => organiser.getByRole('heading', { name: 'Your campaign waits for review: this will be its link' }).isVisible())
    .toBe(true);
  await organiser.getByRole('link', { name: 'Go to the dashboard' }).click();
  await expect.poll(() => organiser.locator('#review-waiting').isVisible()).toBe(true);
}
