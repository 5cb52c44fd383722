import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { requestParts, type BrowserRequestInit, type TestBrowser } from './browser.ts';
import { CookieJar } from './cookie-jar.ts';

// Statuses whose answers have no body: a web Response refuses one.
const bodiless = new Set([101, 204, 205, 304]);

// A path alone is asked of this origin (inject() asks one app, whatever the host).
const defaultOrigin = 'http://localhost';

/**
 * The test browser over `app.inject()`: the same cookie jar and interface as `Browser`, with
 * no socket, for route tests of a Chorus started with `listen: false`. Absolute URLs (the test
 * Chorus's `url`) and paths are accepted, and only the path and query reach the app.
 */
export class InjectBrowser implements TestBrowser {
  private readonly jar = new CookieJar();
  private readonly app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  async request(url: string | URL, init: BrowserRequestInit = {}): Promise<Response> {
    const target = new URL(url, defaultOrigin);
    const { method, headers, body } = requestParts(this.jar, target, init);
    return this.send(target, method, headers, body);
  }

  async upload(url: string | URL, form: FormData): Promise<Response> {
    // The same bytes and boundary fetch would send.
    const encoded = new Request('http://upload.invalid/', { method: 'POST', body: form });
    const target = new URL(url, defaultOrigin);
    const headers: Record<string, string> = { accept: 'text/html', 'content-type': encoded.headers.get('content-type') ?? '' };
    const cookie = this.jar.headerFor(target.hostname);
    if (cookie !== undefined) headers.cookie = cookie;
    return this.send(target, 'POST', headers, new Uint8Array(await encoded.arrayBuffer()));
  }

  async json<T = Record<string, unknown>>(
    url: string | URL,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await this.request(url, init);
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
  }

  /** The Cookie header this browser sends to `url`'s host: copy it into a request of another kind to replay the session. */
  cookieHeader(url: string | URL = defaultOrigin): string {
    return this.jar.headerFor(new URL(url, defaultOrigin).hostname) ?? '';
  }

  /** Another browser holding a copy of this one's cookies as they are now, as an attacker who copied them would. */
  copy(): InjectBrowser {
    const copy = new InjectBrowser(this.app);
    copy.jar.copyFrom(this.jar);
    return copy;
  }

  /** The CSRF token the page at `url` puts in its forms. */
  async csrfTokenFrom(url: string | URL): Promise<string> {
    const page = await this.request(url, { headers: { accept: 'text/html' } });
    expect(page.status, String(url)).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    if (token === undefined) throw new Error(`no CSRF token on ${String(url)}`);
    return token;
  }

  /** The same request as `request`, method first, answered as Fastify's own inject response (status code, text body, `json()`). */
  async inject(method: string, url: string | URL, init: Omit<BrowserRequestInit, 'method'> = {}): Promise<LightMyRequestResponse> {
    const target = new URL(url, defaultOrigin);
    const parts = requestParts(this.jar, target, { ...init, method });
    return this.injectParts(target, parts.method, parts.headers, parts.body);
  }

  private async send(target: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined) {
    const answer = await this.injectParts(target, method, headers, body);
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) responseHeaders.append(name, v);
    }
    return new Response(bodiless.has(answer.statusCode) ? null : answer.rawPayload, {
      status: answer.statusCode,
      headers: responseHeaders,
    });
  }

  /** Asks the app, and keeps the cookies it sets. */
  private async injectParts(target: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined) {
    const answer = await this.app.inject({
      method: method as 'GET',
      url: `${target.pathname}${target.search}`,
      headers: { host: target.host, ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : Buffer.from(body) }),
    });
    const setCookie = answer.headers['set-cookie'];
    this.jar.remember(target.hostname, setCookie === undefined ? [] : [setCookie].flat().map(String));
    return answer;
  }
}
