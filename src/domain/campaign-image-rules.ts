import { describeUnstorableText, isStorableText } from './storable-text.ts';

/** The largest campaign image accepted. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** The longest description of an image for people who cannot see it. */
export const MAX_IMAGE_ALT_LENGTH = 300;

/** The image types accepted, told apart by their first bytes, not by what the browser claims. */
const imageTypes = [
  {
    contentType: 'image/png',
    extension: 'png',
    matches: (b: Uint8Array) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((byte, i) => b[i] === byte),
  },
  { contentType: 'image/jpeg', extension: 'jpg', matches: (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    contentType: 'image/webp',
    extension: 'webp',
    matches: (b: Uint8Array) => latin1(b, 0, 4) === 'RIFF' && latin1(b, 8, 12) === 'WEBP',
  },
] as const;

export type ImageType = (typeof imageTypes)[number];
export type ImageContentType = ImageType['contentType'];
export type ImageExtension = ImageType['extension'];

/** Why an image, or its description, was refused; `unreadable`: the upload did not arrive whole or in the form's shape. */
export type ImageProblem = 'no-file' | 'too-large' | 'unreadable' | 'not-an-image' | 'no-description' | 'unstorable-description';

export type ImageCheck =
  { readonly kind: 'image'; readonly type: ImageType } | { readonly kind: 'refused'; readonly problem: ImageProblem };

/** Checks an image's size and recognises its type from its first bytes. */
export function checkImage(bytes: Uint8Array): ImageCheck {
  if (bytes.byteLength === 0) return { kind: 'refused', problem: 'no-file' };
  if (bytes.byteLength > MAX_IMAGE_BYTES) return { kind: 'refused', problem: 'too-large' };
  const type = imageTypes.find((t) => t.matches(bytes));
  return type === undefined ? { kind: 'refused', problem: 'not-an-image' } : { kind: 'image', type };
}

/** An image file as it arrived in a form: none chosen, past the size limit, not a whole form, or its bytes. */
export type ArrivedImageFile =
  | { readonly kind: 'no-file' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'file'; readonly bytes: Uint8Array };

/**
 * What is wrong with an image that is optional (the new-campaign form's), by field: nothing when neither a file nor a
 * description came; otherwise the file must be an image and the description (trimmed) usable. Both can be wrong.
 */
export function optionalImageProblems(file: ArrivedImageFile, alt: string): { image?: ImageProblem; imageAlt?: ImageProblem } {
  const description = alt.trim();
  if (file.kind === 'no-file' && description === '') return {};
  const fileCheck = file.kind === 'file' ? checkImage(file.bytes) : ({ kind: 'refused', problem: file.kind } as const);
  const altProblem = imageAltProblem(description);
  return {
    ...(fileCheck.kind === 'refused' ? { image: fileCheck.problem } : {}),
    ...(altProblem === null ? {} : { imageAlt: altProblem }),
  };
}

/** Why an image's description (trimmed) cannot be used: missing, too long, or holding a character the text rule refuses; null when it can. */
export function imageAltProblem(alt: string): 'no-description' | 'unstorable-description' | null {
  if (alt === '' || alt.length > MAX_IMAGE_ALT_LENGTH) return 'no-description';
  return isStorableText(alt) ? null : 'unstorable-description';
}

/** The file extension an image of this type is served under. */
export function imageExtension(contentType: ImageContentType): ImageExtension {
  const type = imageTypes.find((t) => t.contentType === contentType);
  if (type === undefined) throw new Error(`unknown image type ${contentType}`);
  return type.extension;
}

/** The type of image served under this extension. */
export function imageContentType(extension: ImageExtension): ImageContentType {
  const type = imageTypes.find((t) => t.extension === extension);
  if (type === undefined) throw new Error(`unknown image extension ${extension}`);
  return type.contentType;
}

/** The sentence an organiser reads beside the field at fault. */
export function describeImageProblem(problem: ImageProblem): string {
  switch (problem) {
    case 'no-file':
      return 'Choose an image file to upload.';
    case 'too-large':
      return `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB; make it smaller and try again.`;
    case 'unreadable':
      return 'The upload did not arrive whole; choose the file and send the form again.';
    case 'not-an-image':
      return 'The file is not a PNG, JPEG or WebP image.';
    case 'no-description':
      return `Describe the image for people who cannot see it (up to ${MAX_IMAGE_ALT_LENGTH} characters).`;
    case 'unstorable-description':
      return `${describeUnstorableText('The description', null)}.`;
  }
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
