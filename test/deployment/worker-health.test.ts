// The worker container's health check: the worker process, run as `docker compose` runs it, answers GET /health on
// WORKER_HEALTH_PORT, and scripts/check-health.ts (the check both containers run) tells a live port from a dead one.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { testEnvironment } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

function checkHealth(port: number): Promise<number> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/check-health.ts', String(port)], (error) => {
      resolve(error === null ? 0 : Number(error.code ?? 1));
    });
  });
}

describe('the worker health check', () => {
  let worker: ChildProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    worker = spawn(process.execPath, ['workers/worker.ts'], {
      env: { ...process.env, ...testEnvironment({ WORKER_HEALTH_PORT: String(port) }) },
      stdio: 'ignore',
    });
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.status,
          () => 0,
        ),
      (status) => status === 200,
      30_000,
    );
  });

  afterAll(async () => {
    if (worker.exitCode === null) {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }
  });

  it('answers 200 with Postgres and Redis reachable, and nothing on other paths', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.headers.get('cache-control')).toBe('no-store');
    expect(await health.json()).toEqual({ ok: true, database: true, redis: true });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
  });

  it('passes the container check while the worker runs, and fails it once the worker has stopped', async () => {
    expect(await checkHealth(port)).toBe(0);
    worker.kill('SIGTERM');
    await once(worker, 'exit');
    expect(await checkHealth(port)).toBe(1);
  });
});
