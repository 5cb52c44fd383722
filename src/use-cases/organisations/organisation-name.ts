import { checkStorableText } from '../../domain/storable-text.ts';
import { done, invalid, type Outcome } from '../use-case-outcome.ts';

/** The longest organisation name. */
export const MAX_ORGANISATION_NAME = 200;

/** A typed organisation name, trimmed; invalid on `name` when it is empty, too long or holds a refused character. */
export function checkOrganisationName(typed: string): Outcome<string> {
  const name = typed.trim();
  if (name === '' || name.length > MAX_ORGANISATION_NAME)
    return invalid(`Give the organisation a name (up to ${MAX_ORGANISATION_NAME} characters).`, 'name');
  const characters = checkStorableText('the name', name);
  return characters === null ? done(name) : invalid(characters, 'name');
}
