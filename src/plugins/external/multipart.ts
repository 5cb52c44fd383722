import fastifyMultipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import { MAX_IMAGE_BYTES } from '../../domain/campaign-image-rules.ts';

/** multipart/form-data for the image upload form: one file, a few small fields. */
export default fp(async (app) => {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12 } });
});
