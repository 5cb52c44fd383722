import { startXSandbox } from './x-sandbox-server.ts';

const port = Number(process.env['PORT'] ?? 4010);
const clientId = process.env['X_CLIENT_ID'] ?? 'sandbox-client';
const clientSecret = process.env['X_CLIENT_SECRET'] ?? 'sandbox-secret';

const sandbox = await startXSandbox({
  port,
  host: process.env['HOST'] ?? '127.0.0.1',
  clients: [{ clientId, clientSecret, name: 'Chorus' }],
  logger: (process.env['LOG_LEVEL'] ?? 'info') !== 'silent',
});

// The secret is the operator's own, so only the id is printed.
console.log(`X sandbox listening: X_API_URL=${sandbox.url} X_AUTHORIZE_URL=${sandbox.authorizeUrl} X_CLIENT_ID=${clientId}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
