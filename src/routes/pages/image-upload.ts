import type { FastifyRequest } from 'fastify';
import type { ImageUpload } from '../../use-cases/campaigns/campaign-image.ts';
import type { ImageProblem } from '../../domain/campaign-image-rules.ts';

/** The image upload form as sent: the file (read up to the multipart limit) and its description. */
export async function readImageForm(request: FastifyRequest): Promise<{ upload: ImageUpload; alt: string }> {
  const part = await request.file();
  const altField = part?.fields.imageAlt;
  const alt = altField !== undefined && !Array.isArray(altField) && altField.type === 'field' ? String(altField.value) : '';
  if (part === undefined || part.filename === '') return { upload: { kind: 'no-file' }, alt };
  try {
    return { upload: { kind: 'file', bytes: await part.toBuffer() }, alt };
  } catch {
    // @fastify/multipart stops reading at its fileSize limit and throws.
    return { upload: { kind: 'too-large' }, alt };
  }
}

/** The status a refused upload is answered with. */
export function imageProblemStatus(problem: ImageProblem): 400 | 413 | 415 {
  switch (problem) {
    case 'too-large':
      return 413;
    case 'not-an-image':
      return 415;
    case 'no-file':
    case 'no-description':
      return 400;
  }
}
