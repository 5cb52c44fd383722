import type { Browser as Chromium } from 'playwright-core';
import type { PledgeAnswer } from './supporter.ts';

/**
 * A Bluesky supporter pledging in a real browser: Chorus's connect link sends them to their
 * PDS's own sign-in and consent pages (the reference OAuth provider's), where they sign in
 * with their password and authorise Chorus, and the PDS sends them back to Chorus's callback.
 */
export async function pledgeOnBluesky(
  chromium: Chromium,
  chorusUrl: string,
  slug: string,
  supporter: { handle: string; variant?: number },
): Promise<PledgeAnswer> {
  const context = await chromium.newContext();
  try {
    const page = await context.newPage();
    const callback = page.waitForResponse((response) => response.url().includes('/auth/bluesky/callback'), { timeout: 30_000 });
    const query = new URLSearchParams({ handle: supporter.handle });
    if (supporter.variant !== undefined) query.set('variant', String(supporter.variant));
    await page.goto(`${chorusUrl}/api/v1/public/campaigns/${slug}/connect/bluesky?${query.toString()}`);
    await page.getByPlaceholder('Enter your password').fill('password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^(authorize|accept|allow)$/i }).click();
    const answer = await callback;
    const text = await answer.text();
    if (!text.startsWith('{'))
      throw new Error(
        `callback ${answer.status()}: ${text
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 600)}`,
      );
    return { status: answer.status(), body: JSON.parse(text) as PledgeAnswer['body'] };
  } finally {
    await context.close();
  }
}
