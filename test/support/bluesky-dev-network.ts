import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { inject } from 'vitest';
import { testDatabaseUrl } from './test-database.ts';

const folder = fileURLToPath(new URL('../../bluesky-dev-network/', import.meta.url));
const sqlite = `${folder}node_modules/better-sqlite3/build/Release/better_sqlite3.node`;

/** The AT Protocol reference servers (PLC, PDS with its OAuth provider, AppView) running in a Node process of their own. */
export interface BlueskyDevNetwork {
  readonly pds: string;
  readonly plc: string;
  readonly appview: string;
  /** Origins Chorus must be allowed to call over http (BLUESKY_LOCAL_SERVERS). */
  readonly origins: string;
  /** Makes an account (password `password`) with this many followers, counted by the AppView. */
  account(handle: string, followers?: number): Promise<{ did: string; handle: string }>;
  /** The PDS makes the next `count` records, but their answers never arrive. */
  loseAnswers(count: number): Promise<void>;
  /** Chorus configuration pointing Bluesky at this network. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/** Starts the dev network (see bluesky-dev-network/start.mjs); its databases are schemas in this test file's database. */
export async function startBlueskyDevNetwork(): Promise<BlueskyDevNetwork> {
  if (!existsSync(sqlite)) throw new Error('the Bluesky dev network is not installed: run scripts/ensure-test-machine.sh');
  const schema = `bsky_${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
  const child: ChildProcess = spawn(process.execPath, ['start.mjs'], {
    cwd: folder,
    env: {
      PATH: process.env.PATH ?? '',
      DB_POSTGRES_URL: testDatabaseUrl(),
      DB_POSTGRES_SCHEMA: schema,
      REDIS_HOST: new URL(inject('redisUrl')).host,
      LOG_ENABLED: 'false',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const addresses = await new Promise<{ pds: string; plc: string; appview: string; control: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    const timer = setTimeout(() => {
      reject(new Error(`the Bluesky dev network did not start within 90 s: ${stderr}`));
    }, 90_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { pds: string; plc: string; appview: string; control: string });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Bluesky dev network stopped (${String(code)}): ${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });

  async function control(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${addresses.control}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`dev network ${path}: ${JSON.stringify(answer)}`);
    return answer;
  }

  const origins = [addresses.pds, addresses.plc, addresses.appview].join(',');
  return {
    ...addresses,
    origins,
    account: async (handle, followers = 0) =>
      (await control('/accounts', { handle, password: 'password', followers })) as { did: string; handle: string },
    loseAnswers: async (count) => {
      await control('/lose-answers', { count });
    },
    env: () => ({ BLUESKY_LOCAL_SERVERS: origins, BLUESKY_PLC_URL: addresses.plc, BLUESKY_HANDLE_RESOLVER: addresses.pds }),
    async close() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
