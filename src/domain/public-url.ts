/** The address with a trailing slash, so that `new URL(path, base)` resolves a relative path under it, not beside it. */
export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
