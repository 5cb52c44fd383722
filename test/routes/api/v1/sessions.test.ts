import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweepingEndedSessions } from '../../../../src/jobs/session-sweep-task.ts';
import { InjectBrowser } from '../../../support/inject-browser.ts';
import { signedUpOrganiser } from '../../../support/organiser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

const hour = 60 * 60 * 1000;

// Sessions are records Chorus can end (docs/security/sessions.md): the cookie carries only a token.
// Time is moved by rewriting the stored timestamps, never by sleeping.
describe('organiser sessions', () => {
  let chorus: TestChorus;
  beforeAll(async () => {
    chorus = await startTestChorus({
      listen: false,
      env: { SESSION_IDLE_SECONDS: String(12 * 3600), SESSION_LIFETIME_SECONDS: String(7 * 24 * 3600) },
    });
  });
  afterAll(async () => {
    await chorus.close();
  });

  /** Moves an organiser's sessions back in time: signed in `signedInAgoMs` ago, last used `lastSeenAgoMs` ago. */
  async function backdateSessions(organiserId: string, times: { signedInAgoMs: number; lastSeenAgoMs: number }) {
    const signedIn = new Date(Date.now() - times.signedInAgoMs);
    await sql`
      update organiser_sessions
         set created_at = ${signedIn}, expires_at = ${signedIn}::timestamptz + (expires_at - created_at),
             last_seen_at = ${new Date(Date.now() - times.lastSeenAgoMs)}
       where organiser_id = ${organiserId}`.execute(chorus.ctx.db);
  }

  function sessionsOf(organiserId: string) {
    return chorus.ctx.db.selectFrom('organiser_sessions').selectAll().where('organiser_id', '=', organiserId).execute();
  }

  async function signIn(email: string, password = 'correct horse battery staple'): Promise<InjectBrowser> {
    const browser = new InjectBrowser(chorus.app);
    const response = await browser.request('/api/v1/session', { method: 'POST', json: { email, password } });
    expect(response.status).toBe(200);
    return browser;
  }

  it('ends the session on sign-out, so a copy of the cookie taken before is refused too', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const copied = browser.copy();
    expect((await copied.request('/api/v1/me')).status).toBe(200);

    expect((await browser.request('/api/v1/session', { method: 'DELETE' })).status).toBe(204);
    expect((await browser.request('/api/v1/me')).status).toBe(401);
    expect((await copied.request('/api/v1/me')).status).toBe(401);
    expect(await sessionsOf(id)).toEqual([]);
  });

  it('ends the session when signing out from the pages, for a copied cookie too', async () => {
    const { browser } = await signedUpOrganiser(chorus.app);
    const copied = browser.copy();
    const csrf = await browser.csrfTokenFrom('/organiser/campaigns');
    const signOut = await browser.request('/organiser/sign-out', {
      method: 'POST',
      form: { _csrf: csrf },
      headers: { accept: 'text/html' },
    });
    expect(signOut.status).toBe(303);
    const page = await copied.request('/organiser/campaigns', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/organiser/sign-in');
    expect((await copied.request('/api/v1/me')).status).toBe(401);
  });

  it('lists the sessions with their device and network, marking the one asking, and never the token', async () => {
    const { browser, email } = await signedUpOrganiser(chorus.app);
    const other = new InjectBrowser(chorus.app);
    await other.request('/api/v1/session', {
      method: 'POST',
      json: { email, password: 'correct horse battery staple' },
      headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' },
    });
    const listed = await browser.request('/api/v1/sessions');
    expect(listed.status).toBe(200);
    const text = await listed.text();
    const sessions = JSON.parse(text) as { device: string; ipPrefix: string | null; current: boolean }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions.map((s) => s.device)).toContain('Firefox on Linux');
    expect(sessions[0]?.ipPrefix).toBe('127.0.0.0/24');
    expect(text).not.toMatch(/token|hash/i);
  });

  it('signs out everywhere: every session of the organiser ends, and only theirs', async () => {
    const { browser, email, id } = await signedUpOrganiser(chorus.app);
    const laptop = await signIn(email);
    const bystander = await signedUpOrganiser(chorus.app);
    expect(await sessionsOf(id)).toHaveLength(2);

    expect((await browser.request('/api/v1/sessions', { method: 'DELETE' })).status).toBe(204);
    expect((await browser.request('/api/v1/me')).status).toBe(401);
    expect((await laptop.request('/api/v1/me')).status).toBe(401);
    expect(await sessionsOf(id)).toEqual([]);
    expect((await bystander.browser.request('/api/v1/me')).status).toBe(200);
  });

  it('signs out everywhere from the account page button', async () => {
    const { browser, email } = await signedUpOrganiser(chorus.app);
    const laptop = await signIn(email);
    const csrf = await browser.csrfTokenFrom('/organiser/account');
    const answer = await browser.request('/organiser/account/sign-out-everywhere', {
      method: 'POST',
      form: { _csrf: csrf },
      headers: { accept: 'text/html' },
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/organiser/sign-in');
    expect((await laptop.request('/api/v1/me')).status).toBe(401);
    expect((await browser.request('/api/v1/me')).status).toBe(401);
  });

  it('changes the password given the current one, ending the other sessions but not this one', async () => {
    const { browser, email } = await signedUpOrganiser(chorus.app);
    const stolen = await signIn(email);
    const wrong = await browser.request('/api/v1/me/password', {
      method: 'PUT',
      json: { currentPassword: 'not my password at all', newPassword: 'a brand new passphrase' },
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ field: 'currentPassword' });
    expect((await stolen.request('/api/v1/me')).status).toBe(200);

    const changed = await browser.request('/api/v1/me/password', {
      method: 'PUT',
      json: { currentPassword: 'correct horse battery staple', newPassword: 'a brand new passphrase' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ endedSessions: 1 });
    expect((await browser.request('/api/v1/me')).status).toBe(200);
    expect((await stolen.request('/api/v1/me')).status).toBe(401);

    const old = await new InjectBrowser(chorus.app).request('/api/v1/session', {
      method: 'POST',
      json: { email, password: 'correct horse battery staple' },
    });
    expect(old.status).toBe(401);
    await signIn(email, 'a brand new passphrase');
  });

  it('changes the password from the account page form, with the same rules', async () => {
    const { browser, email } = await signedUpOrganiser(chorus.app);
    const other = await signIn(email);
    const csrf = await browser.csrfTokenFrom('/organiser/account');
    const short = await browser.request('/organiser/account/password', {
      method: 'POST',
      form: { _csrf: csrf, currentPassword: 'correct horse battery staple', newPassword: 'short' },
      headers: { accept: 'text/html' },
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Choose a password');
    expect((await other.request('/api/v1/me')).status).toBe(200);

    const changed = await browser.request('/organiser/account/password', {
      method: 'POST',
      form: { _csrf: csrf, currentPassword: 'correct horse battery staple', newPassword: 'another good passphrase' },
      headers: { accept: 'text/html' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('1 other session was signed out');
    expect((await other.request('/api/v1/me')).status).toBe(401);
    expect((await browser.request('/api/v1/me')).status).toBe(200);
  });

  it('ends a session left unused for the idle lifetime, and deletes its record when it is presented', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const [session] = await sessionsOf(id);
    // Used 11 hours ago: still within the 12-hour idle lifetime, and noted as used again now.
    await backdateSessions(id, { signedInAgoMs: 20 * hour, lastSeenAgoMs: 11 * hour });
    expect((await browser.request('/api/v1/me')).status).toBe(200);
    const [touched] = await sessionsOf(id);
    expect(Date.now() - (touched?.last_seen_at.getTime() ?? 0)).toBeLessThan(60_000);

    await backdateSessions(id, { signedInAgoMs: 20 * hour, lastSeenAgoMs: 12 * hour + 60_000 });
    expect((await browser.copy().request('/api/v1/me')).status).toBe(401);
    expect(await sessionsOf(id)).toEqual([]);
    expect(session?.user_agent).toBeTypeOf('string');
  });

  it('ends a session at its absolute lifetime however busy it is', async () => {
    const { browser, id } = await signedUpOrganiser(chorus.app);
    const [session] = await sessionsOf(id);
    expect((session?.expires_at.getTime() ?? 0) - (session?.created_at.getTime() ?? 0)).toBe(7 * 24 * hour);
    // Used a moment ago, but signed in just over 7 days ago: the absolute end has come.
    await backdateSessions(id, { signedInAgoMs: 7 * 24 * hour + 1000, lastSeenAgoMs: 10_000 });
    expect((await browser.request('/api/v1/me')).status).toBe(401);
    expect(await sessionsOf(id)).toEqual([]);
  });

  it("deletes ended sessions that nobody presents again in the workers' sweep, and keeps the others", async () => {
    const idle = await signedUpOrganiser(chorus.app);
    const expired = await signedUpOrganiser(chorus.app);
    const active = await signedUpOrganiser(chorus.app);
    await backdateSessions(idle.id, { signedInAgoMs: 20 * hour, lastSeenAgoMs: 13 * hour });
    await backdateSessions(expired.id, { signedInAgoMs: 8 * 24 * hour, lastSeenAgoMs: 60_000 });
    await backdateSessions(active.id, { signedInAgoMs: 6 * 24 * hour, lastSeenAgoMs: 11 * hour });

    // The task runs once at once; stopping waits for that run.
    await startSweepingEndedSessions(chorus.ctx, pino({ level: 'silent' })).stop();

    expect(await sessionsOf(idle.id)).toEqual([]);
    expect(await sessionsOf(expired.id)).toEqual([]);
    expect(await sessionsOf(active.id)).toHaveLength(1);
  });

  it('stores only a digest of the cookie token, and starts a new record at each sign-in', async () => {
    const { browser, email, id } = await signedUpOrganiser(chorus.app);
    await browser.request('/api/v1/session', { method: 'POST', json: { email, password: 'correct horse battery staple' } });
    // Signing in again on the same browser ends the session it had.
    const sessions = await sessionsOf(id);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(browser.cookieHeader()).not.toContain(sessions[0]?.token_hash ?? '-');
  });
});
