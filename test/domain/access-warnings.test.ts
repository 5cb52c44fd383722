import { describe, expect, it } from 'vitest';
import { accessWarnings } from '../../src/domain/access-warnings.ts';

const campaign = { launch_at: new Date('2026-12-01T09:00:00Z') };
const url = 'https://chorus.example/c/health-heroes/connect/linkedin';

describe('access warnings', () => {
  it('warns when a grant that cannot be renewed ends before the launch', () => {
    const expiresAt = new Date('2026-11-20T14:30:00Z');
    expect(accessWarnings({ refreshToken: null, expiresAt }, campaign, url)).toEqual([
      {
        kind: 'access-expires-before-launch',
        message:
          'Your authorisation ends on 2026-11-20, before the launch on 2026-12-01: authorise again nearer the launch (the link below keeps your pledge), or this post cannot be made.',
        expiresAt: '2026-11-20T14:30:00.000Z',
        reauthoriseUrl: url,
      },
    ]);
  });

  it('warns when the grant ends at the very moment of the launch', () => {
    expect(accessWarnings({ refreshToken: null, expiresAt: campaign.launch_at }, campaign, url)).toHaveLength(1);
  });

  it('says nothing when the grant lasts past the launch, even by a millisecond', () => {
    const expiresAt = new Date(campaign.launch_at.getTime() + 1);
    expect(accessWarnings({ refreshToken: null, expiresAt }, campaign, url)).toEqual([]);
  });

  it('says nothing when the grant can be renewed, however soon it ends', () => {
    const expiresAt = new Date('2026-10-01T00:00:00Z');
    expect(accessWarnings({ refreshToken: 'refresh-me', expiresAt }, campaign, url)).toEqual([]);
  });
});
