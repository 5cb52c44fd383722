import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

const require = createRequire(import.meta.url);

/** Our CSS and scripts under /static/, Chart.js from node_modules, and uploaded images under /uploads/. */
export default fp<{ uploadDir: string }>(async (app, options) => {
  await app.register(fastifyStatic, { root: fileURLToPath(new URL('../../public/', import.meta.url)), prefix: '/static/', maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: join(dirname(require.resolve('chart.js/auto')), '..', 'dist'),
    prefix: '/vendor/chart.js/',
    allowedPath: (path) => path === '/chart.umd.min.js',
    decorateReply: false,
    maxAge: '1d',
  });
  await app.register(fastifyStatic, {
    root: options.uploadDir,
    prefix: '/uploads/',
    // Only the names Chorus itself gives stored images.
    allowedPath: (path) => /^\/[a-f0-9-]{36}-[a-f0-9]{12}\.(png|jpg|webp)$/.test(path),
    decorateReply: false,
    index: false,
    maxAge: '1d',
  });
});
