import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import fp from 'fastify-plugin';

const viewsDir = fileURLToPath(new URL('../../views/', import.meta.url));

/** Eta templates from src/views, escaped by default; cached outside development. */
export default fp<{ cache: boolean }>(async (app, options) => {
  const eta = new Eta({ views: viewsDir, autoEscape: true, cache: options.cache, autoTrim: false });
  await app.register(fastifyView, { engine: { eta }, root: viewsDir, viewExt: 'eta', production: options.cache });
});
