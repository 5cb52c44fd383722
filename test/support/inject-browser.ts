import type { FastifyInstance } from 'fastify';
import { requestParts, type BrowserRequestInit, type TestBrowser } from './browser.ts';
import { CookieJar } from './cookie-jar.ts';

// Statuses whose answers have no body: a web Response refuses one.
const bodiless = new Set([101, 204, 205, 304]);

/**
 * The test browser over `app.inject()`: the same cookie jar and interface as `Browser`, with
 * no socket, for route tests of a Chorus started with `listen: false`. Absolute URLs are
 * accepted (the test Chorus's `url`), and only their path and query reach the app.
 */
export class InjectBrowser implements TestBrowser {
  private readonly jar = new CookieJar();
  private readonly app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.app = app;
  }

  async request(url: string | URL, init: BrowserRequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const { method, headers, body } = requestParts(this.jar, target, init);
    return this.send(target, method, headers, body);
  }

  async upload(url: string | URL, form: FormData): Promise<Response> {
    // The same bytes and boundary fetch would send.
    const encoded = new Request('http://upload.invalid/', { method: 'POST', body: form });
    const target = new URL(url);
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

  private async send(target: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined) {
    const answer = await this.app.inject({
      method: method as 'GET',
      url: `${target.pathname}${target.search}`,
      headers: { host: target.host, ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : Buffer.from(body) }),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) responseHeaders.append(name, v);
    }
    this.jar.remember(target.hostname, responseHeaders.getSetCookie());
    return new Response(bodiless.has(answer.statusCode) ? null : answer.rawPayload, {
      status: answer.statusCode,
      headers: responseHeaders,
    });
  }
}
