import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (Chorus must know its public URL before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * A free port held until `release()`: Chorus must know its public URL before it listens, and building it can take
 * seconds on a loaded machine, long enough for another process to take a port that was only free a moment ago.
 */
export function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const release = () =>
        new Promise<void>((released) => {
          server.close(() => {
            released();
          });
        });
      resolve({ port, release });
    });
  });
}
