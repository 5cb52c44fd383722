import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/logger-options.ts';
import { startXSandbox, type RunningXSandbox } from '../../src/networks/x/sandbox/x-sandbox-server.ts';
import { createXClient } from '../../src/networks/x/x-api-client.ts';
import { mintSupporters } from '../support/seed-pledges.ts';

describe("logs never carry a supporter's token", () => {
  let sandbox: RunningXSandbox;
  beforeAll(async () => {
    sandbox = await startXSandbox({ clients: [{ clientId: 'redaction', clientSecret: 'redaction-secret' }] });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('redacts tokens in log objects and strips the request out of HTTP client errors', async () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = pino(loggerOptions('trace'), capture);
    const [supporter] = await mintSupporters(sandbox.url, 'redaction', ['redaction_rae']);
    if (supporter === undefined) throw new Error('no supporter minted');
    await fetch(new URL('__sandbox/revoke', sandbox.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: supporter.username }),
    });
    // A real error from twitter-api-v2: it holds the request, Authorization header and all.
    const error: unknown = await createXClient({ apiUrl: sandbox.url, accessToken: supporter.accessToken })
      .v2.tweet('hello')
      .catch((e: unknown) => e);

    log.error({ err: error }, 'post failed');
    log.info({ accessToken: supporter.accessToken, refreshToken: supporter.refreshToken }, 'grant at the top level');
    log.info({ tokens: { accessToken: supporter.accessToken, refreshToken: supporter.refreshToken } }, 'grant one level down');
    log.info({ grant: { tokens: { accessToken: supporter.accessToken } } }, 'grant two levels down');
    log.info({ req: { headers: { authorization: `Bearer ${supporter.accessToken}` } } }, 'incoming request');
    log.info({ headers: { authorization: `Bearer ${supporter.accessToken}` } }, 'outgoing headers');

    const output = lines.join('');
    expect(lines).toHaveLength(6);
    expect(output).toContain('Request failed with code 401');
    expect(output).toContain('[redacted]');
    expect(output).not.toContain(supporter.accessToken);
    expect(output).not.toContain(supporter.refreshToken);
  });

  it("redacts an organiser's TOTP secret, its otpauth:// URI and recovery codes", () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = pino(loggerOptions('trace'), capture);
    const enrolment = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/Chorus:a?secret=JBSWY3DPEHPK3PXP' };
    log.info(enrolment, 'enrolment at the top level');
    log.info({ enrolment, recoveryCodes: ['abcd-efgh-ijkl'] }, 'one level down');
    const output = lines.join('');
    expect(output).toContain('[redacted]');
    expect(output).not.toContain('JBSWY3DPEHPK3PXP');
    expect(output).not.toContain('abcd-efgh-ijkl');
  });
});
