import { CookieJar } from './cookie-jar.ts';

/** What a test browser sends: a method, and JSON, a form or a raw body (with its content type in `headers`). */
export interface BrowserRequestInit {
  method?: string;
  json?: unknown;
  form?: Record<string, string | string[]>;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** Aborts the request (a stream the test stops reading). */
  signal?: AbortSignal;
}

/**
 * A browser for route tests: keeps cookies per host, as a browser does, and does not follow
 * redirects on its own so a test can see each hop. `Browser` asks over a real socket;
 * `InjectBrowser` (./inject-browser.ts) asks the app in process, with the same interface.
 */
export interface TestBrowser {
  request(url: string | URL, init?: BrowserRequestInit): Promise<Response>;
  /** Posts a multipart form (a file upload) with this browser's cookies, as a page asks for HTML. */
  upload(url: string | URL, body: FormData): Promise<Response>;
  /** Sends JSON and returns the status and the parsed answer. */
  json<T = Record<string, unknown>>(
    url: string | URL,
    init?: { method?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
}

/** The headers and body of a request as a browser sends it: cookies from the jar, then JSON, a form or raw bytes. */
export function requestParts(
  jar: CookieJar,
  target: URL,
  init: BrowserRequestInit,
): { method: string; headers: Record<string, string>; body: string | Uint8Array | undefined } {
  const headers: Record<string, string> = { ...init.headers };
  const cookie = jar.headerFor(target.hostname);
  if (cookie !== undefined) headers.cookie = cookie;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(init.form)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
    body = form.toString();
  }
  return { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body };
}

/** A test browser over a real socket (fetch), for tests of what only a listening server shows. */
export class Browser implements TestBrowser {
  private readonly jar = new CookieJar();

  async request(url: string | URL, init: BrowserRequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const { method, headers, body } = requestParts(this.jar, target, init);
    const response = await fetch(target, {
      method,
      headers,
      body,
      redirect: 'manual',
      ...(init.signal === undefined ? {} : { signal: init.signal }),
    });
    this.jar.remember(target.hostname, response.headers.getSetCookie());
    return response;
  }

  async upload(url: string | URL, body: FormData): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = this.jar.headerFor(target.hostname);
    if (cookie !== undefined) headers.cookie = cookie;
    const response = await fetch(target, { method: 'POST', headers, body, redirect: 'manual' });
    this.jar.remember(target.hostname, response.headers.getSetCookie());
    return response;
  }

  async json<T = Record<string, unknown>>(
    url: string | URL,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const response = await this.request(url, init);
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
  }

  /** Another browser holding a copy of this one's cookies as they are now, as an attacker who copied them would. */
  copy(): Browser {
    const copy = new Browser();
    copy.jar.copyFrom(this.jar);
    return copy;
  }
}
