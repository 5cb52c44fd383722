import { describe, expect, it } from 'vitest';
import {
  checkImage,
  describeImageProblem,
  imageContentType,
  imageExtension,
  imageAltProblem,
  MAX_IMAGE_ALT_LENGTH,
  MAX_IMAGE_BYTES,
} from '../../src/domain/campaign-image-rules.ts';

const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52];
const jpeg = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46];
const webp = [...ascii('RIFF'), 0x24, 0x00, 0x00, 0x00, ...ascii('WEBPVP8 ')];

function ascii(text: string): number[] {
  return [...new TextEncoder().encode(text)];
}

/** A file of `size` bytes that starts with `head`. */
function file(head: readonly number[], size = 1024): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(head);
  return bytes;
}

function recognised(bytes: Uint8Array): string | undefined {
  const check = checkImage(bytes);
  return check.kind === 'image' ? check.type.contentType : undefined;
}

describe('campaign image', () => {
  it('recognises PNG, JPEG and WebP by their first bytes', () => {
    expect(recognised(file(png))).toBe('image/png');
    expect(recognised(file(jpeg))).toBe('image/jpeg');
    expect(recognised(file(webp))).toBe('image/webp');
  });

  it('refuses SVG, GIF, text and other RIFF files as not an image', () => {
    const notImages = {
      svg: ascii('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      gif: ascii('GIF89a'),
      text: ascii('hello, this is not a picture'),
      wav: [...ascii('RIFF'), 0x24, 0x00, 0x00, 0x00, ...ascii('WAVEfmt ')],
      truncatedPng: png.slice(0, 7),
    };
    for (const [name, head] of Object.entries(notImages)) {
      expect(checkImage(file(head, head.length)), name).toEqual({ kind: 'refused', problem: 'not-an-image' });
    }
  });

  it('takes an image of exactly 2 MB and refuses one byte more', () => {
    expect(MAX_IMAGE_BYTES).toBe(2 * 1024 * 1024);
    expect(recognised(file(png, MAX_IMAGE_BYTES))).toBe('image/png');
    expect(checkImage(file(png, MAX_IMAGE_BYTES + 1))).toEqual({ kind: 'refused', problem: 'too-large' });
  });

  it('refuses an empty upload as no file', () => {
    expect(checkImage(new Uint8Array(0))).toEqual({ kind: 'refused', problem: 'no-file' });
  });

  it('serves each type under its own extension, and back', () => {
    expect(imageExtension('image/png')).toBe('png');
    expect(imageExtension('image/jpeg')).toBe('jpg');
    expect(imageExtension('image/webp')).toBe('webp');
    for (const extension of ['png', 'jpg', 'webp'] as const) expect(imageExtension(imageContentType(extension))).toBe(extension);
  });
});

describe('image description', () => {
  it('is needed, and up to 300 characters', () => {
    expect(MAX_IMAGE_ALT_LENGTH).toBe(300);
    expect(imageAltProblem('')).toBe('no-description');
    expect(imageAltProblem('Nurses applauding on a hospital ward')).toBeNull();
    expect(imageAltProblem('d'.repeat(300))).toBeNull();
    expect(imageAltProblem('d'.repeat(301))).toBe('no-description');
  });

  it('holds no character the text rule refuses', () => {
    expect(imageAltProblem('Nurses\u0000 applauding')).toBe('unstorable-description');
    expect(imageAltProblem('Nurses applauding \u{1F44F}')).toBeNull();
  });
});

describe('image problems in words', () => {
  it('tells the organiser what to do about each problem', () => {
    expect(describeImageProblem('no-file')).toBe('Choose an image file to upload.');
    expect(describeImageProblem('too-large')).toBe('The image is larger than 2 MB; make it smaller and try again.');
    expect(describeImageProblem('not-an-image')).toBe('The file is not a PNG, JPEG or WebP image.');
    expect(describeImageProblem('no-description')).toBe('Describe the image for people who cannot see it (up to 300 characters).');
    expect(describeImageProblem('unreadable')).toBe('The upload did not arrive whole; choose the file and send the form again.');
    expect(describeImageProblem('unstorable-description')).toMatch(/^The description holds a character that cannot be stored or posted: /);
  });
});
