import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../../support/browser.ts';
import { startTestChorus, type TestChorus } from '../../../support/test-chorus.ts';

describe('organiser accounts', () => {
  let chorus: TestChorus;
  let api: string;
  beforeAll(async () => {
    chorus = await startTestChorus();
    api = `${chorus.url}/api/v1`;
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('signs up, stays signed in, signs out and back in', async () => {
    const browser = new Browser();
    const signup = await browser.json(`${api}/organisers`, {
      json: { email: 'Unison.Branch@Example.org', name: 'Unison branch', password: 'a long enough password' },
    });
    expect(signup.status).toBe(201);
    expect(signup.body).not.toHaveProperty('password_hash');
    expect((await browser.json(`${api}/me`)).body).toMatchObject({ name: 'Unison branch' });

    expect((await browser.request(`${api}/session`, { method: 'DELETE' })).status).toBe(204);
    expect((await browser.json(`${api}/me`)).status).toBe(401);

    const signin = await browser.json(`${api}/session`, {
      json: { email: 'unison.branch@example.org', password: 'a long enough password' },
    });
    expect(signin.status).toBe(200);
    expect((await browser.json(`${api}/me`)).status).toBe(200);
  });

  it('stores an argon2id hash, never the password', async () => {
    await new Browser().json(`${api}/organisers`, { json: { email: 'rcn@example.org', name: 'RCN', password: 'another long password' } });
    const row = await chorus.ctx.db
      .selectFrom('organisers')
      .select('password_hash')
      .where('email', '=', 'rcn@example.org')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('another long password');
  });

  it('refuses a second account for the same email, a short or common password (naming the field), and a wrong password', async () => {
    const body = { email: 'nhs-trust@example.org', name: 'Trust', password: 'correct horse battery' };
    expect((await new Browser().json(`${api}/organisers`, { json: body })).status).toBe(201);
    const again = await new Browser().json(`${api}/organisers`, { json: { ...body, email: 'NHS-Trust@example.org' } });
    expect(again.status).toBe(409);
    const short = await new Browser().json(`${api}/organisers`, {
      json: { ...body, email: 'other@example.org', password: 'fourteen chars' },
    });
    expect(short).toMatchObject({
      status: 400,
      body: { field: 'password', message: expect.stringMatching(/at least 15 characters/) as string },
    });
    const common = await new Browser().json(`${api}/organisers`, {
      json: { ...body, email: 'other@example.org', password: '1qaz2wsx3edc4rfv' },
    });
    expect(common).toMatchObject({
      status: 400,
      body: { field: 'password', message: expect.stringMatching(/common and breached/) as string },
    });
    expect(
      (await new Browser().json(`${api}/session`, { json: { email: 'other@example.org', password: '1qaz2wsx3edc4rfv' } })).status,
    ).toBe(401);
    const wrong = await new Browser().json(`${api}/session`, { json: { email: body.email, password: 'incorrect horse' } });
    expect(wrong.status).toBe(401);
    const unknown = await new Browser().json(`${api}/session`, { json: { email: 'nobody@example.org', password: 'incorrect horse' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('sends the session as an http-only, same-site cookie', async () => {
    const response = await fetch(`${api}/organisers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cookie@example.org', name: 'Cookie', password: 'a long enough password' }),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('chorus_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('serves an OpenAPI document describing the API', async () => {
    const { status, body } = await new Browser().json<{ openapi: string; paths: Record<string, unknown> }>(`${api}/openapi.json`);
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/campaigns', '/api/v1/campaigns/{id}', '/api/v1/public/campaigns/{slug}', '/api/v1/pledges/{id}']),
    );
  });
});
