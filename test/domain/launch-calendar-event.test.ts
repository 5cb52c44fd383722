import { describe, expect, it } from 'vitest';
import { launchCalendarEvent } from '../../src/domain/launch-calendar-event.ts';

describe("a campaign's launch as a calendar file", () => {
  const campaign = {
    id: '5b7c9d1e-0000-4000-8000-000000000001',
    slug: 'health-heroes',
    title: 'Health Heroes',
    launchAt: new Date('2027-03-01T09:30:00Z'),
  };

  it('holds one event at the launch time in UTC, a quarter of an hour long, with a stable UID and the campaign link', () => {
    const file = launchCalendarEvent(campaign, 'https://chorus.example.org/');
    expect(file.fileName).toBe('health-heroes-launch.ics');
    expect(file.body).toContain('BEGIN:VCALENDAR');
    expect(file.body).toContain('DTSTART:20270301T093000Z');
    expect(file.body).toContain('DURATION:PT15M');
    expect(file.body).toContain(`UID:launch-${campaign.id}@chorus.example.org`);
    expect(file.body).toContain('SUMMARY:Launch: Health Heroes');
    expect(file.body).toContain('URL:https://chorus.example.org/c/health-heroes');
    // Made twice, the same event: a calendar updates it rather than adding a second.
    expect(launchCalendarEvent(campaign, 'https://chorus.example.org/').body.match(/UID:.*/)?.[0]).toBe(file.body.match(/UID:.*/)?.[0]);
  });
});
