import { randomInt } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../../support/browser.ts';
import { campaignBody, signUpOrganiser } from '../../support/organiser.ts';
import { pledgeThroughConsent } from '../../support/supporter.ts';
import { startTestChorus, type TestChorus } from '../../support/test-chorus.ts';

// A loopback address of this run's own (the whole of 127/8 is loopback), so a parallel run cannot share its port 443.
const octets = [127, randomInt(1, 255), randomInt(0, 256), randomInt(2, 255)] as const;
const dotted = octets.join('.');
const asNumber = octets.reduce((value, octet) => value * 256 + octet, 0);
/** The same address as a URL, a DID or a resolver may carry it: dotted, short, hex, decimal, octal. */
const notations = [
  dotted,
  `127.${asNumber - 127 * 2 ** 24}`,
  `0x${asNumber.toString(16)}`,
  String(asNumber),
  octets.map((octet) => `0${octet.toString(8)}`).join('.'),
  `0x7f.${octets.slice(1).join('.')}`,
];

/** A TCP server on `port` of this run's loopback address that counts the connections it is offered. */
async function countingServer(port: number): Promise<{ server: Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, dotted, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port, connections: () => connections };
}

// Chorus as the tests run it, with the sandbox Mastodon instance listed (MASTODON_LOCAL_INSTANCES) and, for
// Bluesky, only a PLC directory of the test's own listed: every DID document it serves names a PDS inside.
describe('a server a supporter names that is inside the network', () => {
  let chorus: TestChorus;
  let onHttps: Awaited<ReturnType<typeof countingServer>>;
  let onPort: Awaited<ReturnType<typeof countingServer>>;
  let plc: HttpServer;
  let plcUrl: string;
  const pdsOf = new Map<string, string>();
  let parEndpoint = '';
  const serverMetadata: Record<string, (() => unknown) | undefined> = {
    '/.well-known/oauth-protected-resource': () => ({ resource: plcUrl, authorization_servers: [plcUrl] }),
    '/.well-known/oauth-authorization-server': () => ({
      issuer: plcUrl,
      authorization_endpoint: `${plcUrl}/oauth/authorize`,
      token_endpoint: `${plcUrl}/oauth/token`,
      pushed_authorization_request_endpoint: parEndpoint,
      require_pushed_authorization_requests: true,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256'],
      scopes_supported: ['atproto'],
      dpop_signing_alg_values_supported: ['ES256'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    }),
  };
  const visitor = new Browser();

  beforeAll(async () => {
    // did:web has no port but 443 (the AT Protocol refuses did:web with one), so one server listens there;
    // the machine that runs the tests runs them as root, as scripts/ensure-test-machine.sh needs.
    onHttps = await countingServer(443);
    onPort = await countingServer(0);
    plc = createHttpServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      // Listed, it also serves as a PDS and its authorisation server, whose PAR endpoint is inside.
      const metadata = serverMetadata[request.url ?? ''];
      if (metadata !== undefined) {
        response.end(JSON.stringify(metadata()));
        return;
      }
      const did = decodeURIComponent((request.url ?? '').slice(1));
      const pds = pdsOf.get(did);
      if (pds === undefined) {
        response.writeHead(404).end();
        return;
      }
      response.end(
        JSON.stringify({
          '@context': ['https://www.w3.org/ns/did/v1'],
          id: did,
          alsoKnownAs: ['at://sly.example.org'],
          service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pds }],
        }),
      );
    });
    await new Promise<void>((resolve) => plc.listen(0, '127.0.0.1', resolve));
    plcUrl = `http://127.0.0.1:${(plc.address() as AddressInfo).port}`;
    chorus = await startTestChorus({ env: { BLUESKY_PLC_URL: plcUrl, BLUESKY_LOCAL_SERVERS: plcUrl } });
  });
  afterAll(async () => {
    await chorus.close();
    await Promise.all([onHttps.server, onPort.server, plc].map((server) => new Promise((resolve) => server.close(resolve))));
  });

  async function campaign(networks: string[]) {
    const organiser = await signUpOrganiser(chorus.url);
    const created = await organiser.json<{ slug: string }>(`${chorus.url}/api/v1/campaigns`, {
      json: campaignBody({ networks }, 2 * 24 * 3600),
    });
    expect(created.status).toBe(201);
    return created.body.slug;
  }

  async function connectBluesky(slug: string, handle: string) {
    return visitor.json<{ message: string; field: string }>(
      `${chorus.url}/api/v1/public/campaigns/${slug}/connect/bluesky?handle=${encodeURIComponent(handle)}`,
    );
  }

  it('is refused with a 400 beside the handle when a did:web names it, in any notation, and never connected to', async () => {
    const slug = await campaign(['bluesky']);
    for (const host of notations) {
      const answer = await connectBluesky(slug, `did:web:${host}`);
      expect(answer.status, host).toBe(400);
      expect(answer.body.field).toBe('handle');
      expect(answer.body.message, host).toContain('that server is not reachable from Chorus');
    }
    // The campaign page's form answers the same, beside the field.
    const page = await visitor.request(`${chorus.url}/c/${slug}/support/bluesky?handle=${encodeURIComponent(`did:web:${notations[3]}`)}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('That server is not reachable from Chorus');
    expect(onHttps.connections()).toBe(0);
  });

  it('is refused with a 400 when a DID document names a PDS inside, in any notation, and never connected to', async () => {
    const slug = await campaign(['bluesky']);
    for (const [index, host] of notations.entries()) {
      const did = `did:plc:${String.fromCharCode(97 + index).repeat(24)}`;
      pdsOf.set(did, `https://${host}:${onPort.port}`);
      const answer = await connectBluesky(slug, did);
      expect(answer.status, host).toBe(400);
      expect(answer.body.field).toBe('handle');
      expect(answer.body.message, host).toContain('that server is not reachable from Chorus');
    }
    expect(onPort.connections()).toBe(0);
  });

  it('is refused with a 400 when an authorisation server that passed the check sends Chorus inside, and never connected to', async () => {
    const slug = await campaign(['bluesky']);
    const did = `did:plc:${'p'.repeat(24)}`;
    pdsOf.set(did, plcUrl);
    parEndpoint = `https://${notations[3] ?? dotted}:${onPort.port}/oauth/par`;
    const answer = await connectBluesky(slug, did);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ field: 'handle', message: 'that server is not reachable from Chorus' });
    const page = await visitor.request(`${chorus.url}/c/${slug}/support/bluesky?handle=${encodeURIComponent(did)}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('That server is not reachable from Chorus');
    expect(onPort.connections()).toBe(0);
  });

  it('is refused with a 400 beside the instance when typed as a Mastodon instance, in any notation, and never connected to', async () => {
    const slug = await campaign(['mastodon']);
    const before = onPort.connections() + onHttps.connections();
    const hosts = [...notations, `[::ffff:${dotted}]`];
    for (const instance of hosts.flatMap((host) => [`http://${host}:${onPort.port}`, `https://${host}:${onPort.port}`, host])) {
      const answer = await visitor.json<{ message: string; field: string }>(
        `${chorus.url}/api/v1/public/campaigns/${slug}/connect/mastodon?instance=${encodeURIComponent(instance)}`,
      );
      expect(answer.status, instance).toBe(400);
      expect(answer.body.field, instance).toBe('instance');
    }
    expect(onPort.connections() + onHttps.connections()).toBe(before);
  });

  it('still lets a supporter pledge through a listed local instance: registration, consent and code exchange', async () => {
    const slug = await campaign(['mastodon']);
    const pledged = await pledgeThroughConsent(chorus.url, slug, {
      username: 'listed_lou',
      followers: 7,
      network: 'mastodon',
      instance: chorus.mastodon.origin,
    });
    expect(pledged.status).toBe(201);
    expect(pledged.body.handle).toBe(`listed_lou@${new URL(chorus.mastodon.origin).host}`);
  });
});
