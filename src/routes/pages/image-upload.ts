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

/** The new-campaign form's parts: at most this many fields (10 wordings, every network, the image's description…). */
const CAMPAIGN_FORM_LIMITS = { files: 1, fields: 60, parts: 61, fieldSize: 64 * 1024 } as const;

/**
 * The new-campaign form as sent (multipart, for its image): its text fields as the urlencoded form would give them
 * (a repeated name as a list), the image file or why it could not be read, and the image's description. A body that
 * is not a whole multipart form keeps the fields read before the fault, and its upload is `unreadable`.
 */
export async function readCampaignFormWithImage(
  request: FastifyRequest,
): Promise<{ fields: Record<string, string | string[]>; upload: ImageUpload; alt: string }> {
  // A Map, not an object: a field named __proto__ is a field like any other.
  const fields = new Map<string, string | string[]>();
  let upload: ImageUpload = { kind: 'no-file' };
  try {
    for await (const part of request.parts({ limits: CAMPAIGN_FORM_LIMITS })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'image' || part.filename === '') {
          // An empty file field (no file chosen) or a file the form has no place for: read past it.
          await part.toBuffer();
          continue;
        }
        upload = { kind: 'file', bytes: await part.toBuffer() };
        continue;
      }
      const value = String(part.value);
      const earlier = fields.get(part.fieldname);
      fields.set(part.fieldname, earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value]);
    }
  } catch (error) {
    upload = uploadFailure(error);
  }
  const altField = fields.get('imageAlt');
  fields.delete('imageAlt');
  return { fields: Object.fromEntries(fields), upload, alt: typeof altField === 'string' ? altField : '' };
}
