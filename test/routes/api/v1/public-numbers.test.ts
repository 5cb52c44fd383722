import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { campaignBody, signUpIn } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

// The public numbers are served from a context without the session (src/app.ts); these are
// what that must not change for anyone reading them, nor for the session around them.
// No socket is needed: the app answers through app.inject().
describe('public campaign numbers', () => {
  let chorus: TestChorus;
  let organiser: InjectBrowser;
  let slug: string;

  beforeAll(async () => {
    chorus = await startTestChorus({ listen: false });
    organiser = await signUpIn(new InjectBrowser(chorus.app), chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    expect(created.status).toBe(201);
    slug = created.body.slug;
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('answers a signed-in organiser, a stranger and a garbled cookie alike, and sets no cookie', async () => {
    const answers = [
      await organiser.request(`${chorus.url}/api/v1/public/campaigns/${slug}`),
      await new InjectBrowser(chorus.app).request(`${chorus.url}/api/v1/public/campaigns/${slug}`),
      await new InjectBrowser(chorus.app).request(`${chorus.url}/api/v1/public/campaigns/${slug}`, {
        headers: { cookie: 'chorus_session=not-a-session' },
      }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.getSetCookie()).toEqual([]);
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await answer.json()).toMatchObject({
        slug,
        state: 'collecting',
        supporters: 0,
        goal: 3,
        secondsLeft: expect.any(Number) as number,
      });
    }
  });

  it('answers an unknown campaign with a JSON 404, also to a browser, and sets no cookie', async () => {
    for (const accept of ['application/json', 'text/html']) {
      const answer = await organiser.request(`${chorus.url}/api/v1/public/campaigns/no-such-campaign`, { headers: { accept } });
      expect(answer.status).toBe(404);
      expect(answer.headers.getSetCookie()).toEqual([]);
      expect(await answer.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
  });

  it('leaves the organiser signed in, and the routes beside it still keep a session', async () => {
    await organiser.request(`${chorus.url}/api/v1/public/campaigns/${slug}`);
    const mine = await organiser.json<{ slug: string }[]>(`${chorus.url}/api/v1/campaigns`);
    expect(mine.status).toBe(200);
    expect(mine.body.map((campaign) => campaign.slug)).toContain(slug);
    // A supporter's pledge starts by remembering its intent in the session, on a route under the same prefix.
    const connect = await new InjectBrowser(chorus.app).request(`${chorus.url}/api/v1/public/campaigns/${slug}/connect/x`);
    expect(connect.status).toBe(302);
    expect(connect.headers.getSetCookie().join(';')).toContain('chorus_session=');
  });
});
