// Ceiling for the reading and share-image benchmarks: a bare Fastify server answering constants: the very
// documents the real routes answered once (CONSTANT_JSON at /constant.json, CONSTANT_HTML at
// /constant.html, the PNG in the file CONSTANT_PNG_FILE at /constant.png), so both sides send the same bytes.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const json = process.env.CONSTANT_JSON ?? '{}';
const html = process.env.CONSTANT_HTML ?? '<!doctype html>';
const png = process.env.CONSTANT_PNG_FILE === undefined ? Buffer.alloc(0) : readFileSync(process.env.CONSTANT_PNG_FILE);
const app = Fastify({ logger: false });
app.get('/constant.json', (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
app.get('/constant.html', (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
app.get('/constant.png', (_request, reply) => reply.type('image/png').send(png));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('ceiling listening');
