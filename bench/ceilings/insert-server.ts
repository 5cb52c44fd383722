// Ceiling for the intake benchmark: a bare Fastify route doing one insert into the same Postgres.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(
  'create table if not exists ceiling_inserts (id uuid primary key default gen_random_uuid(), created_at timestamptz not null default now())',
);
const app = Fastify({ logger: false });
app.post('/insert', async (_request, reply) => {
  await pool.query('insert into ceiling_inserts default values');
  return reply.code(201).send({ ok: true });
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('ceiling listening');
