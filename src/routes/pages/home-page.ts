import type { FastifyPluginAsync } from 'fastify';
import { pageLocals } from './page-locals.ts';

/** The front page: what Chorus is, and the way in for organisers. */
const homePage: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, async (request, reply) =>
    reply.view('home', { ...pageLocals(request, reply), title: 'Many voices, one moment' }),
  );
};

export default homePage;
