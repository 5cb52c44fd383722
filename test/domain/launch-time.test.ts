import { describe, expect, it } from 'vitest';
import { checkLaunchWindow, formatLaunchTime, parseLaunchTime } from '../../src/domain/launch-time.ts';

describe('launch time', () => {
  it('reads ISO 8601 with an offset', () => {
    expect(parseLaunchTime('2026-12-01T09:00:00+01:00', undefined)).toEqual({
      kind: 'launch-time',
      at: new Date('2026-12-01T08:00:00Z'),
      timeZone: 'UTC+01:00',
    });
  });

  it('reads a local time in a named zone, honouring summer time', () => {
    const winter = parseLaunchTime('2026-12-01T09:00', 'Europe/London');
    const summer = parseLaunchTime('2026-07-01T09:00', 'Europe/London');
    expect(winter).toMatchObject({ at: new Date('2026-12-01T09:00:00Z'), timeZone: 'Europe/London' });
    expect(summer).toMatchObject({ at: new Date('2026-07-01T08:00:00Z') });
  });

  it('refuses a local time with no zone, an unknown zone, and a time the clocks skip', () => {
    expect(parseLaunchTime('2026-12-01T09:00', undefined)).toMatchObject({ kind: 'problem', field: 'launchAt' });
    expect(parseLaunchTime('2026-12-01T09:00', 'Mars/Olympus')).toMatchObject({ kind: 'problem', field: 'timeZone' });
    expect(parseLaunchTime('2026-03-29T01:30', 'Europe/London')).toMatchObject({ kind: 'problem', field: 'launchAt' });
    expect(parseLaunchTime('1 December', 'Europe/London')).toMatchObject({ kind: 'problem', field: 'launchAt' });
  });

  it('keeps launches in the future and at most 60 days away', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    expect(checkLaunchWindow(new Date('2026-11-25T11:59:59Z'), now)).toMatch(/future/);
    expect(checkLaunchWindow(new Date('2027-01-24T12:00:00Z'), now)).toBeNull();
    expect(checkLaunchWindow(new Date('2027-01-24T12:00:01Z'), now)).toMatch(/60 days/);
  });

  it("writes the time out in the organiser's zone, with the zone", () => {
    expect(formatLaunchTime(new Date('2026-02-09T08:00:00Z'), 'Europe/London')).toBe('9 Feb 2026, 08:00 GMT');
    // Asked again, and for other times and zones: each answer is its own, summer time included.
    expect(formatLaunchTime(new Date('2026-02-09T08:00:00Z'), 'Europe/London')).toBe('9 Feb 2026, 08:00 GMT');
    expect(formatLaunchTime(new Date('2026-07-09T08:00:00Z'), 'Europe/London')).toBe('9 Jul 2026, 09:00 GMT+1');
    expect(formatLaunchTime(new Date('2026-02-09T08:00:00Z'), 'America/New_York')).toBe('9 Feb 2026, 03:00 EST');
  });
});
