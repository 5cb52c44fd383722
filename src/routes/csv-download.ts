import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Answers a CSV download written as its lines come (never whole in memory), never cached: exports hold what only their reader may see. */
export function sendCsvDownload(reply: FastifyReply, filename: string, lines: AsyncIterable<string>): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(lines));
}
