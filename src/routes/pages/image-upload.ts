import type { FastifyRequest } from 'fastify';
import type { ImageUpload } from '../../use-cases/campaigns/campaign-image.ts';
import type { ImageProblem } from '../../domain/campaign-image-rules.ts';

/**
 * The image upload form as sent: the file (read up to the multipart limit) and its description. A body that is
 * not a whole multipart form (no boundary, cut short, a malformed part, too many parts) is an `unreadable` upload,
 * and a file past the size limit a `too-large` one: answered beside the file field, never as a server error.
 */
export async function readImageForm(request: FastifyRequest): Promise<{ upload: ImageUpload; alt: string }> {
  let part: Awaited<ReturnType<FastifyRequest['file']>>;
  try {
    part = await request.file();
  } catch (error) {
    return { upload: uploadFailure(error), alt: '' };
  }
  const altField = part?.fields.imageAlt;
  const alt = altField !== undefined && !Array.isArray(altField) && altField.type === 'field' ? String(altField.value) : '';
  if (part === undefined || part.filename === '') return { upload: { kind: 'no-file' }, alt };
  try {
    return { upload: { kind: 'file', bytes: await part.toBuffer() }, alt };
  } catch (error) {
    return { upload: uploadFailure(error), alt };
  }
}

// @fastify/multipart throws FST_REQ_FILE_TOO_LARGE at the file size limit; every other failure (busboy's: no
// boundary, an unexpected end, a malformed header; the plugin's: more parts or fields than the form has) is a body
// that is not the form.
function uploadFailure(error: unknown): ImageUpload {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'FST_REQ_FILE_TOO_LARGE' ? { kind: 'too-large' } : { kind: 'unreadable' };
}

/** The status a refused upload is answered with. */
export function imageProblemStatus(problem: ImageProblem): 400 | 413 | 415 {
  switch (problem) {
    case 'too-large':
      return 413;
    case 'not-an-image':
      return 415;
    case 'no-file':
    case 'unreadable':
    case 'no-description':
    case 'unstorable-description':
      return 400;
  }
}
