import { describe, expect, it } from 'vitest';
import { lateLaunchThresholdSeconds, launchLateness } from '../../src/domain/launch-lateness.ts';

const launchAt = new Date('2026-12-01T09:00:00Z');
const after = (ms: number) => new Date(launchAt.getTime() + ms);

describe('launch lateness', () => {
  it('is not late when the release starts on time', () => {
    expect(launchLateness(launchAt, launchAt)).toEqual({ lateBySeconds: 0, late: false });
  });

  it('does not call a release late within the first minute', () => {
    expect(lateLaunchThresholdSeconds).toBe(60);
    expect(launchLateness(launchAt, after(5_400))).toEqual({ lateBySeconds: 5, late: false });
    expect(launchLateness(launchAt, after(60_999))).toEqual({ lateBySeconds: 60, late: false });
  });

  it('calls a release late from 61 whole seconds after the launch time', () => {
    expect(launchLateness(launchAt, after(61_000))).toEqual({ lateBySeconds: 61, late: true });
    expect(launchLateness(launchAt, after(3_600_000))).toEqual({ lateBySeconds: 3600, late: true });
  });

  it('counts a release that started early as zero seconds late', () => {
    expect(launchLateness(launchAt, after(-30_000))).toEqual({ lateBySeconds: 0, late: false });
  });
});
