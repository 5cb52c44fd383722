import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const require = createRequire(import.meta.url);

/** Our CSS and scripts under /static/, and Chart.js from node_modules. Campaign images come from Postgres (routes/campaign-image.ts). */
export default fp(async (app) => {
  await app.register(fastifyStatic, { root: fileURLToPath(new URL('../../public/', import.meta.url)), prefix: '/static/', maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: join(dirname(require.resolve('chart.js/auto')), '..', 'dist'),
    prefix: '/vendor/chart.js/',
    allowedPath: (path) => path === '/chart.umd.min.js',
    decorateReply: false,
    maxAge: '1d',
  });
});
