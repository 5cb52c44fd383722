import { outboundRefusals, type RefusedDestination } from './outbound-refusal.ts';

/**
 * Logs every call the outbound guard refuses in this process (host, port, address and range; the
 * guard never sees a path, a query or a header, so no token can reach the log). Each entry point
 * calls it once; it answers the function that stops it.
 */
export function logOutboundRefusals(log: { warn(obj: object, msg: string): void }): () => void {
  const write = (message: unknown) => {
    log.warn({ refused: message as RefusedDestination }, 'refused an outbound call to an address inside the network');
  };
  outboundRefusals.subscribe(write);
  return () => {
    outboundRefusals.unsubscribe(write);
  };
}
