import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const wcag22aa = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** A violation as a line a person can act on. */
export type AxeFinding = string;

/** Runs axe-core in the page (evaluated, so the page's CSP still holds) and lists WCAG 2.2 AA violations. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(axeSource);
  // A string, as the test project has no DOM types: it runs in the page.
  const violations = await page.evaluate<AxeFinding[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(wcag22aa)} } }).then((result) =>
      result.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.map((n) => JSON.stringify(n.target)).join(', ') + ')'))`,
  );
  return violations;
}
