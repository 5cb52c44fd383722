import { describe, expect, it } from 'vitest';
import { formatTimeLeft, timeLeftParts } from '../../src/domain/time-left.ts';

const s = 1000;
const min = 60 * s;
const h = 60 * min;
const d = 24 * h;

describe('time left, as a countdown reads', () => {
  it('gives the two largest units without zeros, and nothing once the moment has come', () => {
    expect(timeLeftParts(3 * d + 4 * h + 5 * min)).toEqual({ days: 3, hours: 4 });
    expect(timeLeftParts(2 * d + 30 * min)).toEqual({ days: 2 });
    expect(timeLeftParts(2 * h + 10 * min + 59 * s)).toEqual({ hours: 2, minutes: 10 });
    expect(timeLeftParts(2 * min + 39 * s + 999)).toEqual({ minutes: 2, seconds: 39 });
    expect(timeLeftParts(400)).toEqual({ seconds: 1 });
    expect(timeLeftParts(0)).toBeNull();
    expect(timeLeftParts(-5 * s)).toBeNull();
  });

  it('words it with Intl.DurationFormat: "2 mins, 39 secs", not "0 hours, 2 minutes, 39 seconds"', () => {
    expect(formatTimeLeft(2 * min + 39 * s)).toBe('2 mins, 39 secs');
    expect(formatTimeLeft(2 * h + 10 * min)).toBe('2 hrs, 10 mins');
    expect(formatTimeLeft(1 * d + 1 * h)).toBe('1 day, 1 hr');
    expect(formatTimeLeft(2 * h + 10 * min, 'de-DE')).toBe('2 Std., 10 Min.');
    expect(formatTimeLeft(-1)).toBeNull();
  });
});
