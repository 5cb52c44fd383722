import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';

/**
 * Logging for the routes of one Fastify context that are answered thousands of times a second
 * (the public numbers). By default Fastify gives every request a child logger carrying its id,
 * and with Chorus's redaction (paths starting with `*`) making one costs a few microseconds, a
 * tenth of such a request; at `info` it also writes two lines per request, which would drown
 * the log and cost more than the answer.
 *
 * So, unless the operator asked for `debug` or `trace` (then every request keeps its own logger,
 * id and lines), the context's requests share one logger, made once, that writes warnings and
 * errors only: errors still reach the log, tagged with the `route` given here rather than a
 * request id (no other line of such a request is written for the id to tie it to).
 */
export function shareOneQuietLogger(app: FastifyInstance, level: Config['LOG_LEVEL'], route: string): void {
  if (level === 'debug' || level === 'trace') return;
  const shared = app.log.child({ route }, { level: level === 'info' ? 'warn' : level });
  app.setChildLoggerFactory(() => shared);
}
