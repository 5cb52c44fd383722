import { mkdir } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './axe.ts';
import { launchChromium } from './chromium.ts';

/** Where browser journeys keep their screenshots, to be looked at by people. */
export const artifacts = new URL('../artifacts/', import.meta.url);

/** A phone-sized window. */
export const phone = { viewport: { width: 360, height: 780 }, deviceScaleFactor: 1 };

/** One browser test's Chromium: each person in a context of their own, and what axe and the CSP found on every page. */
export interface BrowserJourney {
  /** A new person: desktop unless `phone`, in `timezoneId` (Europe/London unless given), reading `locale` (en-GB unless given). */
  person(options?: { phone?: boolean; timezoneId?: string; locale?: string }): Promise<Page>;
  /** Checks the page with axe (WCAG 2.2 AA) and keeps what it found under `name`. */
  audit(page: Page, name: string): Promise<void>;
  /** Every page audited, and its violations (a journey expects none). */
  readonly audited: ReadonlyMap<string, string[]>;
  /** Content security policy complaints any page printed (a journey expects none). */
  readonly cspProblems: readonly string[];
  close(): Promise<void>;
}

/** Starts Debian's Chromium for one journey. */
export async function startBrowserJourney(): Promise<BrowserJourney> {
  const browser = await launchChromium();
  await mkdir(artifacts, { recursive: true });
  const contexts: BrowserContext[] = [];
  const audited = new Map<string, string[]>();
  const cspProblems: string[] = [];
  return {
    audited,
    cspProblems,
    async person(options = {}) {
      const size = options.phone === true ? phone : { viewport: { width: 1280, height: 900 } };
      const context = await browser.newContext({
        ...size,
        timezoneId: options.timezoneId ?? 'Europe/London',
        locale: options.locale ?? 'en-GB',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (/content security policy/i.test(message.text())) cspProblems.push(message.text());
      });
      return page;
    },
    async audit(page, name) {
      audited.set(name, await axeViolations(page));
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
    },
  };
}
