import Type, { type TStringOptions } from 'typebox';
import Format from 'typebox/format';
import { STORABLE_TEXT_FORMAT, isStorableText } from '../domain/storable-text.ts';

// TypeBox's own checks (Value.Errors, which the pages' campaign form runs) know the format once this module is
// loaded; Fastify's validator is given it through `inputFormats` in src/app.ts.
Format.Set(STORABLE_TEXT_FORMAT, isStorableText);

/**
 * A string input Chorus stores, posts or looks up: the text rule (src/domain/storable-text.ts) on top of the
 * field's own limits. Every such field of every route's schema is one of these, so the OpenAPI document shows it.
 */
export function StorableText(options: Omit<TStringOptions, 'format'> = {}) {
  return Type.String({ ...options, format: STORABLE_TEXT_FORMAT });
}

/** The string formats Chorus adds to Fastify's validator. */
export const inputFormats = { [STORABLE_TEXT_FORMAT]: isStorableText };
