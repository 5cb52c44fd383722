import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';

/** The original's rule: a campaign runs at most 60 days. */
export const MAX_DAYS_AHEAD = 60;

export type LaunchTime = { readonly kind: 'launch-time'; readonly at: Date; readonly timeZone: string };
export type LaunchTimeProblem = { readonly kind: 'problem'; readonly field: 'launchAt' | 'timeZone'; readonly message: string };

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const hasOffset = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Reads a launch time given as ISO 8601 with an offset ("2026-12-01T09:00:00+01:00"),
 * or as a local time with an IANA time zone name ("2026-12-01T09:00" in "Europe/London").
 */
export function parseLaunchTime(launchAt: string, timeZone: string | undefined): LaunchTime | LaunchTimeProblem {
  if (timeZone !== undefined && !IANAZone.isValidZone(timeZone)) {
    return { kind: 'problem', field: 'timeZone', message: `"${timeZone}" is not a time zone name (e.g. Europe/London)` };
  }
  if (!isoDateTime.test(launchAt)) {
    return { kind: 'problem', field: 'launchAt', message: `"${launchAt}" is not an ISO 8601 date and time (e.g. 2026-12-01T09:00)` };
  }
  const offsetGiven = hasOffset.test(launchAt);
  if (!offsetGiven && timeZone === undefined) {
    return { kind: 'problem', field: 'launchAt', message: 'give an offset (e.g. +01:00 or Z) or a timeZone' };
  }
  const parsed = offsetGiven ? DateTime.fromISO(launchAt, { setZone: true }) : DateTime.fromISO(launchAt, { zone: timeZone });
  if (!parsed.isValid) {
    return { kind: 'problem', field: 'launchAt', message: `"${launchAt}" is not an ISO 8601 date and time` };
  }
  if (!offsetGiven && timeZone !== undefined && parsed.toFormat("yyyy-MM-dd'T'HH:mm") !== launchAt.slice(0, 16)) {
    // Luxon moves a wall-clock time that falls in a spring-forward gap; say so rather than launch at a surprise hour.
    return { kind: 'problem', field: 'launchAt', message: `${launchAt} does not exist in ${timeZone} (the clocks skip it)` };
  }
  return { kind: 'launch-time', at: parsed.toJSDate(), timeZone: timeZone ?? zoneNameFor(parsed) };
}

/** A launch must be in the future and at most MAX_DAYS_AHEAD days away. */
export function checkLaunchWindow(at: Date, now: Date): string | null {
  if (at.getTime() <= now.getTime()) return 'the launch time must be in the future';
  const latest = DateTime.fromJSDate(now).plus({ days: MAX_DAYS_AHEAD });
  if (at.getTime() > latest.toMillis()) return `the launch time must be at most ${MAX_DAYS_AHEAD} days away`;
  return null;
}

// Luxon finds a zone's short name through Intl on every call (about 0.4 ms), and a campaign's
// launch time is written out in every pledge answer and many pages: each is worked out once.
const formattedLaunchTimes = new LRUCache<string, string>({ max: 10_000 });

/** The launch time written out in a zone, with the zone, e.g. "1 Dec 2026, 09:00 GMT". */
export function formatLaunchTime(at: Date, timeZone: string): string {
  const key = `${at.getTime()} ${timeZone}`;
  let text = formattedLaunchTimes.get(key);
  if (text === undefined) {
    text = DateTime.fromJSDate(at, { zone: timeZone }).toFormat('d LLL yyyy, HH:mm ZZZZ');
    formattedLaunchTimes.set(key, text);
  }
  return text;
}

function zoneNameFor(parsed: DateTime): string {
  return parsed.offset === 0 ? 'UTC' : `UTC${parsed.toFormat('ZZ')}`;
}
