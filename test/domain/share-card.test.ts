import { describe, expect, it } from 'vitest';
import { coarseCount, shareCard, type ShareCardFigures } from '../../src/domain/share-card.ts';

const now = new Date('2026-12-02T09:00:00Z');
const figures = (overrides: Partial<ShareCardFigures> = {}): ShareCardFigures => ({
  title: 'Our Health Heroes',
  organiser: 'Skills for Health',
  state: 'collecting',
  supporters: 40,
  goal: 100,
  reach: 12_345,
  launchAt: new Date(now.getTime() + 3 * 86_400_000 + 3_600_000),
  ...overrides,
});

describe('the share card', () => {
  it('counts supporters exactly below a thousand, then to two significant figures rounded down', () => {
    expect([0, 1, 189, 999, 1000, 1099, 1234, 12_999, 513_782].map(coarseCount)).toEqual([
      '0',
      '1',
      '189',
      '999',
      '1,000+',
      '1,000+',
      '1,200+',
      '12,000+',
      '510,000+',
    ]);
  });

  it('says where a collecting campaign stands in days, then hours, and when its goal is reached', () => {
    expect(shareCard(figures(), now).status).toBe('3 days left');
    expect(shareCard(figures({ launchAt: new Date(now.getTime() + 5 * 3_600_000 + 1) }), now).status).toBe('5 hours left');
    expect(shareCard(figures({ launchAt: new Date(now.getTime() + 30 * 60_000) }), now).status).toBe('under 2 hours left');
    expect(shareCard(figures({ supporters: 189 }), now).status).toBe('Goal reached · launching in 3 days');
  });

  it('has a status for every state once the collecting is over', () => {
    expect(
      ['launching', 'launched', 'missed_goal', 'cancelled', 'draft'].map(
        (state) => shareCard(figures({ state: state as ShareCardFigures['state'] }), now).status,
      ),
    ).toEqual(['Launching now', 'Launched', 'Ended without reaching its goal', 'Cancelled', 'Draft']);
  });

  it('caps the bar at 100% while the label says how far past the goal it is', () => {
    const card = shareCard(figures({ supporters: 189 }), now);
    expect(card.barPercent).toBe(100);
    expect(card.percentLabel).toBe('189% of goal');
    expect(card.reach).toBe('12k people reached');
    expect(shareCard(figures({ reach: 1 }), now).reach).toBe('1 person reached');
  });

  it('changes only when a figure visibly moves', () => {
    const at = (supporters: number) => JSON.stringify(shareCard(figures({ supporters, goal: 100_000 }), now));
    expect(at(12_001)).toBe(at(12_999));
    expect(at(12_999)).not.toBe(at(13_000));
    expect(JSON.stringify(shareCard(figures(), now))).toBe(JSON.stringify(shareCard(figures(), new Date(now.getTime() + 60_000))));
  });
});
