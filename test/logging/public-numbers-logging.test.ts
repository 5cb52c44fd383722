import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { buildApp } from '../../src/app.ts';
import { createChorusContext } from '../../src/chorus-context.ts';
import { campaignBody, signUpOrganiser } from '../support/organiser.ts';
import { startTestChorus, testEnvironment, type TestChorus } from '../support/test-chorus.ts';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  route?: string;
  req?: { path?: string };
}

/** A stream that keeps each line Chorus logs. */
function logCapture(): { stream: Writable; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { stream, lines };
}

// The public numbers are read thousands of times a second: at `info` their request lines are
// left out (docs/decisions.md), while their errors are still logged.
describe('logging of the public numbers', () => {
  const log = logCapture();
  let chorus: TestChorus;

  beforeAll(async () => {
    chorus = await startTestChorus({ env: { LOG_LEVEL: 'info' }, logStream: log.stream });
  });
  afterAll(async () => {
    await chorus.close();
  });

  it('writes no line for reading them at info, while other requests are still logged', async () => {
    const organiser = await signUpOrganiser(chorus.url);
    const { body } = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, { json: campaignBody() });
    log.lines.length = 0;
    for (let i = 0; i < 3; i++) expect((await fetch(`${chorus.url}/api/v1/public/campaigns/${body.slug}`)).status).toBe(200);
    expect((await fetch(`${chorus.url}/api/v1/public/campaigns/no-such-campaign`)).status).toBe(404);
    expect(log.lines).toEqual([]);

    await fetch(`${chorus.url}/api/v1/campaigns`);
    expect(log.lines).toContainEqual(
      expect.objectContaining({ msg: 'incoming request', req: expect.objectContaining({ path: '/api/v1/campaigns' }) as unknown }),
    );
  });

  it('still logs an error in them, tagged with the route', async () => {
    // Postgres unreachable: reading the numbers fails.
    const ctx = createChorusContext(
      loadConfig(testEnvironment({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/chorus', LOG_LEVEL: 'info' })),
    );
    const failing = logCapture();
    const app = await buildApp(ctx, { logStream: failing.stream });
    try {
      const answer = await app.inject({ method: 'GET', url: '/api/v1/public/campaigns/some-campaign' });
      expect(answer.statusCode).toBe(500);
      expect(failing.lines).toContainEqual(
        expect.objectContaining({ level: 50, msg: 'unexpected error', route: 'public campaign numbers' }),
      );
      expect(failing.lines.filter((line) => line.level < 40)).toEqual([]);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
