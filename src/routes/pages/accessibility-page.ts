import type { FastifyPluginAsync } from 'fastify';
import { pageLocals } from './page-locals.ts';

/** The accessibility statement: the standard Chorus's pages aim at, how they are checked, and what is known to fall short. */
const accessibilityPage: FastifyPluginAsync = async (app) => {
  app.get('/accessibility', { schema: { hide: true } }, async (request, reply) =>
    reply.view('accessibility', { ...pageLocals(request, reply), title: 'Accessibility statement' }),
  );
};

export default accessibilityPage;
