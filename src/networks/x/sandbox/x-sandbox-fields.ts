/**
 * Reading fields out of request bodies and query strings. Form bodies and query strings
 * may repeat a key (giving an array) and JSON bodies may carry any type, so every read
 * insists on exactly one string and the routes can treat anything else as missing.
 */

/** The value of `key` in a parsed body or query when it is a single string, else undefined. */
export function stringField(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  const value: unknown = (source as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** The value of `key` as a non-empty string, else undefined (clients often send `key=` for "absent"). */
export function nonEmptyField(source: unknown, key: string): string | undefined {
  const value = stringField(source, key);
  return value === undefined || value === '' ? undefined : value;
}
