/**
 * A minimal browser for API tests: keeps cookies per host, as a browser does, and does not
 * follow redirects on its own so a test can see each hop.
 */
export class Browser {
  private readonly cookies = new Map<string, Map<string, string>>();

  async request(
    url: string | URL,
    init: {
      method?: string;
      json?: unknown;
      form?: Record<string, string | string[]>;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { ...init.headers };
    const jar = this.cookies.get(target.hostname);
    if (jar !== undefined && jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    let body: string | undefined = init.json === undefined ? undefined : JSON.stringify(init.json);
    if (init.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(init.form)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
      body = form.toString();
    }
    const response = await fetch(target, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
      ...(init.signal === undefined ? {} : { signal: init.signal }),
    });
    this.remember(target.hostname, response.headers.getSetCookie());
    return response;
  }

  /** Posts a multipart form (a file upload) with this browser's cookies. */
  async upload(url: string | URL, body: FormData): Promise<Response> {
    const target = new URL(url);
    const jar = this.cookies.get(target.hostname);
    const headers: Record<string, string> = { accept: 'text/html' };
    if (jar !== undefined && jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(target, { method: 'POST', headers, body, redirect: 'manual' });
    this.remember(target.hostname, response.headers.getSetCookie());
    return response;
  }

  /** Sends JSON and returns the status and the parsed answer. */
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
    for (const [host, jar] of this.cookies) copy.cookies.set(host, new Map(jar));
    return copy;
  }

  private remember(host: string, setCookies: string[]): void {
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    for (const header of setCookies) {
      const [pair = ''] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(host, jar);
  }
}
