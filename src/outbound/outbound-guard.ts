import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { classifyAddress } from './address-class.ts';
import { OutboundRefusal, outboundRefusals, type RefusedDestination } from './outbound-refusal.ts';

/**
 * The one way Chorus calls a server someone else named (a supporter's Mastodon instance, their
 * Bluesky handle, DID document, PDS and authorisation server, later an organiser's webhook).
 */
export interface OutboundGuard {
  /** An undici dispatcher whose every connection, on every redirect hop, is checked as it is opened. */
  readonly dispatcher: Dispatcher;
  /** `fetch` over that dispatcher. */
  readonly fetch: typeof fetch;
}

export interface OutboundGuardOptions {
  /**
   * Origins called although they are inside the network or plain http (the operator's listed local
   * servers: a sandbox, a test server, an instance on their own network). Matched on the whole origin:
   * listing http://127.0.0.1:4020 does not open 127.0.0.1's other ports.
   */
  readonly allowedOrigins: readonly string[];
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Builds the guard. The check is made where the socket is opened, on the address connected to,
 * not on the URL beforehand: an address literal in any notation is judged as the address it is,
 * a name by every address it resolves to at that moment (so a name that pointed outside when it
 * was typed and inside later, DNS rebinding, is still refused), and each redirect's hop opens its
 * own connection through the same check. After connecting, the socket's remote address is checked
 * once more, so no way of reaching an address can slip between the checks.
 */
export function createOutboundGuard(options: OutboundGuardOptions): OutboundGuard {
  const allowed = new Set(options.allowedOrigins.map((origin) => new URL(origin).origin));
  const open = buildConnector({});
  const checked = buildConnector({ lookup: refusingLookup });

  const connect: buildConnector.connector = (target, callback) => {
    const port = Number(target.port === '' ? (target.protocol === 'https:' ? 443 : 80) : target.port);
    if (allowed.has(originOf(target.protocol, target.hostname, port))) {
      open(target, callback);
      return;
    }
    const refuse = (destination: RefusedDestination) => {
      const refusal = new OutboundRefusal(destination);
      outboundRefusals.publish(destination);
      callback(refusal, null);
    };
    if (isIP(target.hostname) !== 0) {
      const literal = classifyAddress(target.hostname);
      if (literal.kind !== 'public') {
        refuse({ host: target.hostname, port, address: target.hostname, range: literal.kind === 'special' ? literal.range : 'unknown' });
        return;
      }
    }
    checked(target, (...result) => {
      const [error, socket] = result;
      if (error !== null) {
        const refused = error instanceof OutboundRefusal ? error.destination : undefined;
        if (refused === undefined) callback(error, null);
        else refuse({ ...refused, port });
        return;
      }
      const remote = socket.remoteAddress ?? '';
      const connected = classifyAddress(remote);
      if (connected.kind === 'public') {
        callback(null, socket);
        return;
      }
      socket.destroy();
      refuse({ host: target.hostname, port, address: remote, range: connected.kind === 'special' ? connected.range : 'unknown' });
    });
  };

  const dispatcher = new Agent({ connect });
  return {
    dispatcher,
    // Node's fetch takes an undici dispatcher; ours comes from the undici package, whose class is not Node's own.
    fetch: (input, init) => fetch(input, { ...init, dispatcher: dispatcher as unknown as RequestInit['dispatcher'] }),
  };
}

/** Resolves a name as Node would, refusing it when any of its addresses is not public. */
function refusingLookup(hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
    if (error !== null) {
      callback(error, []);
      return;
    }
    for (const entry of addresses) {
      const found = classifyAddress(entry.address);
      if (found.kind !== 'public') {
        const range = found.kind === 'special' ? found.range : 'unknown';
        // The port is filled in by the connector, which knows it.
        callback(new OutboundRefusal({ host: hostname, port: 0, address: entry.address, range }), []);
        return;
      }
    }
    if (lookupOptions.all === true) {
      callback(null, addresses);
      return;
    }
    const first = addresses[0];
    if (first === undefined) {
      callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      return;
    }
    callback(null, first.address, first.family);
  });
}

function originOf(protocol: string, hostname: string, port: number): string {
  const host = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  return new URL(`${protocol}//${host}:${port}`).origin;
}
