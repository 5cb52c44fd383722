import fastifyMultipart from '@fastify/multipart';
import fp from 'fastify-plugin';

/** The largest campaign image accepted. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** multipart/form-data for the image upload form: one file, a few small fields. */
export default fp(async (app) => {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 } });
});
