// Ceiling for the reading benchmark: a bare Fastify route that returns a constant: the very
// document the real route answered once (CONSTANT_BODY), so both send the same bytes.
import Fastify from 'fastify';

const body = process.env.CONSTANT_BODY ?? '{}';
const app = Fastify({ logger: false });
app.get('/constant', (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('ceiling listening');
