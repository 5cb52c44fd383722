import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { processCpuSeconds } from './process-cpu.ts';

/** Resolves true once `url` answers 200 (for `startChild`'s `ready`). */
export function answers(url: string): () => Promise<boolean> {
  return () =>
    fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
}

/** A TypeScript entry point run as its own Node process, as an operator runs it. */
export interface RunningChild {
  readonly process: ChildProcess;
  /** The process's peak resident set so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  /** CPU time the process has used so far (user and system), in seconds. */
  cpuSeconds(): number;
  /** What it printed, for when it fails. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `entry` with Node itself (type stripping) and `env`, and waits until `ready(output)` holds. */

export async function startChild(
  entry: string,
  env: Record<string, string>,
  ready: (output: string) => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  nodeArgs: readonly string[] = [],
): Promise<RunningChild> {
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A benchmark stopped half-way (Ctrl-C, a time-out) must not leave servers running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const deadline = Date.now() + timeoutMs;
  while (!(await ready(output))) {
    if (child.exitCode !== null) throw new Error(`${entry} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${entry} was not ready after ${timeoutMs} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: child,
    peakRssMiB() {
      const status = readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8');
      const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return Math.round(kib / 1024);
    },
    cpuSeconds: () => processCpuSeconds(child.pid ?? 0),
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}
