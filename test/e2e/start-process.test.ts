import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { freePort } from '../support/free-port.ts';
import { pledgeThroughConsent } from '../support/supporter.ts';
import { testEnvironment } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

// `npm start` as a user runs it: one process with the API, the workers and, with no X
// credentials configured, the sandbox X network.
describe('the start command', () => {
  let child: ChildProcess;
  let url: string;
  let output = '';
  let env: Record<string, string> = {};
  let mailPagePort = 0;

  beforeAll(async () => {
    const port = await freePort();
    const [sandboxPort, mastodonPort, linkedinPort] = [await freePort(), await freePort(), await freePort()];
    mailPagePort = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = testEnvironment({
      PORT: String(port),
      PUBLIC_URL: url,
      X_SANDBOX_PORT: String(sandboxPort),
      MASTODON_SANDBOX_PORT: String(mastodonPort),
      LINKEDIN_SANDBOX_PORT: String(linkedinPort),
      MAIL_SANDBOX_PORT: String(mailPagePort),
      MAIL_SANDBOX_SMTP_PORT: String(await freePort()),
      MAIL_SWEEP_SECONDS: '1',
      LOG_LEVEL: 'info',
    });
    child = spawn(process.execPath, ['src/main.ts'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      () =>
        fetch(`${url}/health`).then(
          (r) => r.status,
          () => 0,
        ),
      (status) => status === 200,
      30_000,
    );
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('runs the TypeScript sources on Node 24 or later itself, with no loader', () => {
    const pid = child.pid ?? 0;
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(commandLine.slice(1)).toEqual(['src/main.ts']);
    const version = execFileSync(readlinkSync(`/proc/${pid}/exe`), ['-p', 'process.versions.node'], { encoding: 'utf8' });
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(24);
    const environment = readFileSync(`/proc/${pid}/environ`, 'utf8');
    expect(environment).not.toMatch(/NODE_OPTIONS=[^\0]*(tsx|--import|--loader)/);
  });

  it('reports healthy with a worker listening', async () => {
    const health = (await (await fetch(`${url}/health`)).json()) as { ok: boolean; workers: number };
    expect(health).toMatchObject({ ok: true });
    expect(health.workers).toBeGreaterThan(0);
  });

  it('takes a pledge through the built-in sandbox X network', async () => {
    const organiser = await signUpOrganiser(url);
    const created = await organiser.json<{ slug: string }>(`${url}/api/v1/campaigns`, { json: campaignBody() });
    expect(created.status).toBe(201);
    const pledge = await pledgeThroughConsent(url, created.body.slug, { username: 'first_run', followers: 7 });
    expect(pledge.status).toBe(201);
    expect(output).toContain('using the sandbox X network');
    // A demo operator, with two-factor sign-in on, so the review and report story can be tried at once.
    expect(output).toMatch(/Demo operator \(sandbox only[^\n]*\n {2}email {5}operator@demo\.chorus\.invalid\n {2}password {2}\S{16}\n/);
  });

  it('sends mail to its sandbox mail server, whose page shows each mail, text and HTML', async () => {
    const organiser = await signUpOrganiser(url);
    // Launching within the hour: the organiser's preflight is due at once.
    const created = await organiser.json<{ id: string; title: string }>(`${url}/api/v1/campaigns`, {
      json: campaignBody({ title: 'Mail sandbox check' }),
    });
    expect(created.status).toBe(201);
    const page = `http://127.0.0.1:${mailPagePort}/`;
    const list = await waitFor(
      () => fetch(page).then((r) => r.text()),
      (text) => text.includes('Launching within a day: Mail sandbox check'),
      30_000,
    );
    const link = /<a href="(\/messages\/[0-9a-f-]+)">Launching within a day: Mail sandbox check<\/a>/.exec(list)?.[1] ?? '';
    const message = await (await fetch(new URL(link, page))).text();
    expect(message).toContain(`${url}/organiser/campaigns/${created.body.id}`);
    expect(message).toContain('<iframe sandbox');
    const html = await fetch(new URL(`${link}/html`, page));
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    expect(await html.text()).toContain('Launching within a day');
    expect(output).toContain('no SMTP_URL configured: mail goes to the sandbox mail server');
  });

  it('offers its sandbox Mastodon instance and sandbox LinkedIn', async () => {
    const networks = (await (await fetch(`${url}/api/v1/public/networks`)).json()) as { id: string; instances?: string[] }[];
    expect(networks.map((n) => n.id)).toEqual(['x', 'mastodon', 'bluesky', 'linkedin']);
    const instance = networks.find((n) => n.id === 'mastodon')?.instances?.[0] ?? '';
    const organiser = await signUpOrganiser(url);
    const created = await organiser.json<{ slug: string }>(`${url}/api/v1/campaigns`, {
      json: campaignBody({ networks: ['mastodon', 'linkedin'] }),
    });
    expect(created.status).toBe(201);
    const toot = await pledgeThroughConsent(url, created.body.slug, {
      username: 'first_toot',
      followers: 3,
      network: 'mastodon',
      instance,
    });
    const share = await pledgeThroughConsent(url, created.body.slug, { username: 'first_share', followers: 0, network: 'linkedin' });
    expect([toot.status, share.status]).toEqual([201, 201]);
  });

  it('logs no secrets', () => {
    expect(output).not.toMatch(/chorus_pledge_[A-Za-z0-9_-]{20,}/);
    expect(output).not.toMatch(/[?&]code=/);
    expect(output).toContain('"msg":"request completed"');
    expect(output).not.toContain(env.SESSION_SECRET);
    expect(output).not.toContain(env.TOKEN_ENCRYPTION_KEY);
    expect(output).not.toMatch(/chorus_session=/);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
