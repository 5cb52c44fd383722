import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { Browser, type TestBrowser } from './browser.ts';
import { InjectBrowser } from './inject-browser.ts';

/** A signed-up organiser with a browser session on a running Chorus. */
export async function signUpOrganiser(chorusUrl: string, name = 'Skills for Health'): Promise<Browser> {
  return signUpIn(new Browser(), chorusUrl, name);
}

/** Signs an organiser up in this browser (a socket's or the in-process one), which keeps the session. */
export async function signUpIn<B extends TestBrowser>(browser: B, chorusUrl: string, name = 'Skills for Health'): Promise<B> {
  const email = `organiser-${randomBytes(4).toString('hex')}@example.org`;
  const { status } = await browser.json(`${chorusUrl}/api/v1/organisers`, { json: { email, name, password: 'correct horse battery' } });
  expect(status).toBe(201);
  return browser;
}

/** A campaign body that passes every rule, launching `secondsAhead` from now. */
export function campaignBody(overrides: Record<string, unknown> = {}, secondsAhead = 3600): Record<string, unknown> {
  const link = 'https://example.org/ourhealthheroes';
  return {
    title: 'Our Health Heroes',
    slug: `our-health-heroes-${randomBytes(3).toString('hex')}`,
    description: 'Say thank you to the healthcare support workforce.',
    link,
    message: `Support workers keep our health service going. Thank you! ${link} #OurHealthHeroes`,
    variants: [`Let's talk about the healthcare support workforce! ${link} #OurHealthHeroes`],
    goal: 3,
    launchAt: new Date(Date.now() + secondsAhead * 1000).toISOString(),
    networks: ['x'],
    publish: true,
    ...overrides,
  };
}

/** Signs up a new organiser through the JSON API in a fresh in-process browser; answers the browser, the email and the id. */
export async function signedUpOrganiser(
  app: FastifyInstance,
  password = 'correct horse battery staple',
): Promise<{ browser: InjectBrowser; email: string; id: string }> {
  const browser = new InjectBrowser(app);
  const email = `organiser-${randomBytes(4).toString('hex')}@example.org`;
  const { status, body } = await browser.json<{ id: string }>('/api/v1/organisers', { json: { email, name: 'Unison branch', password } });
  expect(status).toBe(201);
  return { browser, email, id: body.id };
}
