/** The time left before a moment, in the units a person would say it in. */
export interface TimeLeft {
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * The two largest units of `ms` ("3 days, 4 hours", "2 hours, 10 minutes", "2 minutes, 39 seconds"), without
 * zero units; null once the moment has come. Two units are as precise as a countdown needs to be read.
 */
export function timeLeftParts(ms: number): TimeLeft | null {
  if (ms <= 0) return null;
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Math.floor((ms % MINUTE) / SECOND);
  const nonZero = (parts: TimeLeft): TimeLeft => Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== 0));
  if (days > 0) return nonZero({ days, hours });
  if (hours > 0) return nonZero({ hours, minutes });
  if (minutes > 0) return nonZero({ minutes, seconds });
  return { seconds: Math.max(1, seconds) };
}

/** The time left as words in `locale` ("2 hrs, 10 mins" in en-GB), through Intl.DurationFormat; null once it has come. */
export function formatTimeLeft(ms: number, locale = 'en-GB'): string | null {
  const parts = timeLeftParts(ms);
  return parts === null ? null : new Intl.DurationFormat(locale, { style: 'short' }).format(parts);
}
