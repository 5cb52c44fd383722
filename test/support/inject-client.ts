import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { CookieJar } from './cookie-jar.ts';

// inject() asks one app, so every cookie is kept under one host.
const host = 'localhost';

/**
 * A method-first client for route tests that need no socket (see InjectBrowser for the `TestBrowser` one): asks
 * the app through `app.inject()`, keeps its cookies as a browser does (the test browsers' CookieJar), and follows
 * no redirects, so a test sees each answer.
 */
export class InjectClient {
  private readonly jar = new CookieJar();
  private readonly app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  /** Sends a request with this browser's cookies: `json` as a JSON body, `form` as a form body. */
  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    init: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.jar.headerFor(host);
    if (cookie !== undefined) headers.cookie = cookie;
    let payload: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = JSON.stringify(init.json);
    } else if (init.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(init.form).toString();
    }
    const response = await this.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    // Kept as sent (still URL-encoded), as a browser keeps them.
    const setCookies = response.headers['set-cookie'] ?? [];
    this.jar.remember(host, Array.isArray(setCookies) ? setCookies : [setCookies]);
    return response;
  }

  /** The Cookie header this browser sends: copy it into another to replay the session. */
  cookieHeader(): string {
    return this.jar.headerFor(host) ?? '';
  }

  /** A second browser holding a copy of this one's cookies (a stolen or copied cookie). */
  copy(): InjectClient {
    const other = new InjectClient(this.app);
    other.jar.copyFrom(this.jar);
    return other;
  }

  /** The CSRF token the page at `url` puts in its forms. */
  async csrfTokenFrom(url: string): Promise<string> {
    const page = await this.request('GET', url, { headers: { accept: 'text/html' } });
    expect(page.statusCode, url).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (token === undefined) throw new Error(`no CSRF token on ${url}`);
    return token;
  }
}

/** Signs up a new organiser through the JSON API in a fresh browser; answers the browser and the email. */
export async function signedUpOrganiser(
  app: FastifyInstance,
  password = 'correct horse battery staple',
): Promise<{ browser: InjectClient; email: string; id: string }> {
  const browser = new InjectClient(app);
  const email = `organiser-${Math.random().toString(36).slice(2, 10)}@example.org`;
  const response = await browser.request('POST', '/api/v1/organisers', { json: { email, name: 'Unison branch', password } });
  expect(response.statusCode).toBe(201);
  return { browser, email, id: response.json<{ id: string }>().id };
}
