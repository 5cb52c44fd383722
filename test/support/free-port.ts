import { createServer, type Server } from 'node:net';

// Ports are drawn from below the kernel's ephemeral range (32768 to 60999 on Linux): a port the kernel hands out for
// `listen(0)` is also one it hands out as the local port of an outgoing connection (to Postgres, Redis, a sandbox), and
// a test Chorus must release its port for a moment before it listens on it (it must know its public URL first). In
// that moment an outgoing connection could take it (EADDRINUSE). Below the range only another test's draw can.
const LOWEST = 20_000;
const SPAN = 12_000;

function listenOn(port: number): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    });
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

/**
 * A free port held until `release()`: Chorus must know its public URL before it listens, and building it can take
 * seconds on a loaded machine, long enough for another process to take a port that was only free a moment ago.
 */
export async function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = LOWEST + Math.floor(Math.random() * SPAN);
    const server = await listenOn(port);
    if (server !== undefined) return { port, release: () => close(server) };
  }
  throw new Error('no free port below the ephemeral range after 200 tries');
}

/** A TCP port free on 127.0.0.1 right now (Chorus must know its public URL before it listens). */
export async function freePort(): Promise<number> {
  const { port, release } = await reservePort();
  await release();
  return port;
}
