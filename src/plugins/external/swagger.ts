import fastifySwagger from '@fastify/swagger';
import fp from 'fastify-plugin';

/** Builds the OpenAPI document from the route schemas; served at /api/v1/openapi.json. */
export default fp(async (app) => {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Chorus API', version: '1', description: 'Campaigns, pledges and launches of Chorus.' },
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'An organiser API token (POST /api/v1/api-tokens)' },
          session: { type: 'apiKey', in: 'cookie', name: 'chorus_session' },
          pledgeToken: { type: 'http', scheme: 'bearer', description: "A supporter's private pledge key (chorus_pledge_…)" },
        },
      },
    },
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
});
