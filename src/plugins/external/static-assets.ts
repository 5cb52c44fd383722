import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const require = createRequire(import.meta.url);

/**
 * Our CSS and scripts under /static/, and from node_modules the browser builds of Chart.js, Luxon and the adapter
 * that gives Chart.js's time axis Luxon's time zones (one file each). Campaign images come from Postgres
 * (routes/campaign-image.ts).
 */
export default fp(async (app) => {
  await app.register(fastifyStatic, { root: fileURLToPath(new URL('../../public/', import.meta.url)), prefix: '/static/', maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: join(dirname(require.resolve('chart.js/auto')), '..', 'dist'),
    prefix: '/vendor/chart.js/',
    allowedPath: (path) => path === '/chart.umd.min.js',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: join(dirname(require.resolve('luxon')), '..', 'global'),
    prefix: '/vendor/luxon/',
    allowedPath: (path) => path === '/luxon.min.js',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: dirname(require.resolve('chartjs-adapter-luxon')),
    prefix: '/vendor/chartjs-adapter-luxon/',
    allowedPath: (path) => path === '/chartjs-adapter-luxon.umd.min.js',
    decorateReply: false,
    maxAge: '1d',
  });
});
