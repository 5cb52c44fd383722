/** Cookies kept per host, as a browser keeps them: what the test browsers send back with each request. */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  /** The Cookie header for a request to this host, or undefined when the jar holds none for it. */
  headerFor(host: string): string | undefined {
    const jar = this.cookies.get(host);
    return jar === undefined || jar.size === 0 ? undefined : [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Keeps what an answer's Set-Cookie headers set, and forgets what they expire. */
  remember(host: string, setCookies: readonly string[]): void {
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

  /** Takes a copy of every cookie another jar holds now (a copied or stolen cookie). */
  copyFrom(other: CookieJar): void {
    for (const [host, jar] of other.cookies) this.cookies.set(host, new Map(jar));
  }
}
