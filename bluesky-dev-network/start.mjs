// Starts the AT Protocol reference servers for Chorus's tests: a PLC directory, a PDS with its
// OAuth provider, and the Bluesky AppView (for profiles and follower counts), from
// @atproto/dev-env, installed in this folder of their own (their dependencies resolve apart from
// Chorus's), and run on the same Node as Chorus in a process of their own; Chorus's tests talk to
// it over HTTP. It prints one JSON line with the servers' addresses once they are up, and stops on
// SIGTERM or when its parent closes stdin.
//
// A small control server (the "control" address) does what the reference servers have no
// public API for: making accounts with followers (waiting until the AppView has counted them)
// and losing the answer to the next createRecord calls (the PDS makes the record, the caller
// sees the connection drop), so that tests can check a retried publish.
import { createServer } from 'node:http';
import { TestNetwork } from '@atproto/dev-env';

const env = process.env;
const network = await TestNetwork.create({
  dbPostgresUrl: env.DB_POSTGRES_URL,
  dbPostgresSchema: env.DB_POSTGRES_SCHEMA,
  pds: env.PDS_PORT ? { port: Number(env.PDS_PORT) } : {},
});
const pds = network.pds;

let answersToLose = 0;
pds.server.server.prependListener('request', (request, response) => {
  if (answersToLose === 0 || request.method !== 'POST' || !request.url?.startsWith('/xrpc/com.atproto.repo.createRecord')) return;
  answersToLose -= 1;
  // The PDS does its work; only the answer never arrives.
  response.writeHead = () => response;
  response.end = () => {
    request.socket.destroy();
    return response;
  };
});

let accountNumber = 0;
async function createAccount(handle, password) {
  const agent = pds.getAgent();
  accountNumber += 1;
  await agent.createAccount({ handle, password, email: `account${accountNumber}-${Date.now()}@example.test` });
  return agent;
}

async function accountWithFollowers({ handle, password, followers = 0 }) {
  const agent = await createAccount(handle, password);
  const did = agent.session.did;
  const prefix = handle.split('.')[0].slice(0, 10);
  for (let i = 0; i < followers; i++) {
    const fan = await createAccount(`${prefix}-f${i}-${Math.random().toString(36).slice(2, 6)}.test`, 'fan-password');
    await fan.app.bsky.graph.follow.create({ repo: fan.session.did }, { subject: did, createdAt: new Date().toISOString() });
  }
  await network.processAll();
  // The AppView indexes follows from the PDS's event stream; wait until it counts them all.
  for (let tries = 0; tries < 300; tries++) {
    const response = await fetch(`${network.bsky.url}/xrpc/app.bsky.actor.getProfile?actor=${did}`);
    if (response.ok && (await response.json()).followersCount === followers) return { did, handle };
    await new Promise((resolve) => setTimeout(resolve, 100));
    await network.processAll();
  }
  throw new Error(`the AppView did not count ${followers} followers of ${handle} in time`);
}

function readJson(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      try {
        resolve(body === '' ? {} : JSON.parse(body));
      } catch (error) {
        reject(error);
      }
    });
  });
}

const control = createServer((request, response) => {
  const answer = (status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  readJson(request)
    .then(async (body) => {
      if (request.method === 'POST' && request.url === '/accounts') return answer(201, await accountWithFollowers(body));
      if (request.method === 'POST' && request.url === '/lose-answers') {
        answersToLose = Number(body.count ?? 1);
        return answer(200, { answersToLose });
      }
      if (request.method === 'POST' && request.url === '/process-all') {
        await network.processAll();
        return answer(200, {});
      }
      return answer(404, { error: 'not found' });
    })
    .catch((error) => answer(500, { error: String(error?.message ?? error) }));
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  control.close();
  await network.close().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();

process.stdout.write(
  `${JSON.stringify({ pds: pds.url, plc: network.plc.url, appview: network.bsky.url, control: `http://127.0.0.1:${control.address().port}` })}\n`,
);
