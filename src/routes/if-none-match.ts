/** Whether a request's If-None-Match names `etag` (or is `*`), compared weakly as RFC 9110 §13.1.2 asks. */
export function ifNoneMatchIncludes(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}
