import { spawn, type ChildProcess } from 'node:child_process';

/** A Chorus process (the API or a worker) started as `npm run api` / `npm run worker` would, with its output kept. */
export class ChorusProcess {
  private child: ChildProcess | undefined;
  private readonly output: string[] = [];
  private exited: Promise<number | null> = Promise.resolve(null);

  readonly name: string;
  private readonly entry: string;
  private readonly env: Record<string, string>;

  constructor(name: string, entry: string, env: Record<string, string>) {
    this.name = name;
    this.entry = entry;
    this.env = env;
  }

  /** Starts the process and waits until it logs `readyMessage`. */
  async start(readyMessage: string, timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, [this.entry], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.name} did not log "${readyMessage}" within ${timeoutMs} ms:\n${this.log().slice(-2000)}`));
      }, timeoutMs);
      let ready = false;
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        this.output.push(text);
        if (!ready && text.includes(readyMessage)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code}) before it was ready:\n${this.log().slice(-2000)}`));
      });
    });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal and waits for the exit; resolves to the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child?.kill(signal);
    return this.exited;
  }

  /** Everything the process wrote to stdout and stderr, over all its starts. */
  log(): string {
    return this.output.join('');
  }
}
