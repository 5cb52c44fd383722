// Ceiling for the reading benchmark: a bare Fastify server answering constants: the very
// documents the real routes answered once (CONSTANT_JSON at /constant.json, CONSTANT_HTML at
// /constant.html), so both sides send the same bytes.
import Fastify from 'fastify';

const json = process.env.CONSTANT_JSON ?? '{}';
const html = process.env.CONSTANT_HTML ?? '<!doctype html>';
const app = Fastify({ logger: false });
app.get('/constant.json', (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
app.get('/constant.html', (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('ceiling listening');
