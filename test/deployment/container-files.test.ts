// There is no Docker engine on the machines that run these tests, so the image is checked by reading what it is
// built and run from: every command, file and script the Dockerfile and docker-compose.yml name must exist, and
// the image must run Node 24+ itself, as the `node` user, with no npm, npx or loader between tini and Node.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const exists = (path: string) => existsSync(new URL(path, root));

interface DockerInstruction {
  readonly keyword: string;
  readonly argument: string;
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function dockerInstructions(): DockerInstruction[] {
  return read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), argument: rest.join(' ') };
    });
}

const instructions = dockerInstructions();
const argumentsOf = (keyword: string) => instructions.filter((i) => i.keyword === keyword).map((i) => i.argument);
/** A JSON-form (exec form) command: a list, or undefined when the shell form was used. */
const execForm = (argument: string): string[] | undefined => (argument.startsWith('[') ? (JSON.parse(argument) as string[]) : undefined);

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  environment?: Record<string, string>;
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const chorusServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string>; engines: { node: string } };

/** Files a `node …` command runs: the arguments that name a path in the project. */
const scriptsRun = (command: readonly string[]) => command.slice(1).filter((word) => /\.(ts|js|mjs)$/.test(word));

describe('the image', () => {
  it('starts from a Node 24 or later slim image and runs as its unprivileged node user', () => {
    const [base = ''] = argumentsOf('FROM');
    const major = Number(/^node:(\d+)-[a-z]+-slim$/.exec(base)?.[1]);
    expect(major).toBeGreaterThanOrEqual(24);
    expect(argumentsOf('USER').at(-1)).toBe('node');
  });

  it('runs Node directly under tini, with no npm, npx or loader', () => {
    const entrypoint = execForm(argumentsOf('ENTRYPOINT').at(-1) ?? '');
    expect(entrypoint?.[0]).toMatch(/\/tini$/);
    const command = execForm(argumentsOf('CMD').at(-1) ?? '') ?? [];
    expect(command[0]).toBe('node');
    expect(command.join(' ')).not.toMatch(/\b(npm|npx|tsx)\b|--import|--loader/);
    for (const script of scriptsRun(command)) expect(exists(script), script).toBe(true);
  });

  it('installs production dependencies only, from the lock file', () => {
    expect(argumentsOf('RUN').some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
  });

  it('copies only files that exist, and its health check runs a script that exists', () => {
    for (const copy of argumentsOf('COPY')) {
      const sources = copy
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) expect(exists(source), source).toBe(true);
    }
    const health =
      execForm(
        argumentsOf('HEALTHCHECK')
          .at(-1)
          ?.replace(/^.*?CMD\s+/, '') ?? '',
      ) ?? [];
    expect(health[0]).toBe('node');
    for (const script of scriptsRun(health)) expect(exists(script), script).toBe(true);
  });

  it('keeps dependencies, secrets, data, tests and the development tools out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const entry of ['**/node_modules', '.env', 'data', 'test', 'bench', 'bluesky-dev-network', '.node-runtime', '.git']) {
      expect(ignored).toContain(entry);
    }
  });
});

describe('docker compose', () => {
  it('runs every Chorus service as `node` on a file that exists, with no npm, npx or loader', () => {
    expect(chorusServices.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'worker']);
    for (const [name, service] of chorusServices) {
      const command = service.command ?? [];
      expect(command[0], name).toBe('node');
      expect(command.join(' '), name).not.toMatch(/\b(npm|npx|tsx)\b|--import|--loader/);
      const scripts = scriptsRun(command);
      expect(scripts, name).toHaveLength(1);
      for (const script of scripts) expect(exists(script), script).toBe(true);
    }
  });

  it('runs the migrations once, before the API and the worker start', () => {
    expect(compose.services.migrate?.command).toEqual(['node', 'scripts/migrate.ts']);
    for (const name of ['api', 'worker']) {
      expect(compose.services[name]?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('checks the health of the API and the worker with a script that exists, on the ports they answer on', () => {
    const api = compose.services.api;
    const worker = compose.services.worker;
    expect(api?.healthcheck?.test).toEqual(['CMD', 'node', 'scripts/check-health.ts', api?.environment?.PORT]);
    expect(worker?.healthcheck?.test).toEqual(['CMD', 'node', 'scripts/check-health.ts', worker?.environment?.WORKER_HEALTH_PORT]);
    expect(exists('scripts/check-health.ts')).toBe(true);
  });

  it('runs the worker with the node options of `npm run worker`, and keeps no campaign data on a Chorus volume', () => {
    const options = (packageJson.scripts.worker ?? '').replace(/^exec /, '').split(/\s+/);
    expect(compose.services.worker?.command).toEqual(options);
    for (const [name, service] of chorusServices) expect(service.volumes ?? [], name).toEqual([]);
  });
});

describe('the runtime the project names', () => {
  it('needs Node 24 or later, and starts every process with Node itself', () => {
    expect(packageJson.engines.node).toBe('>=24');
    for (const name of ['start', 'api', 'worker', 'migrate']) {
      expect(packageJson.scripts[name], name).not.toMatch(/\b(tsx|ts-node)\b|--import|--loader/);
    }
  });
});
