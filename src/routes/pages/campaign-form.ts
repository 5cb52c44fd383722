import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { STORABLE_TEXT_FORMAT, describeUnstorableText, findUnstorableCharacter } from '../../domain/storable-text.ts';
import { CampaignCreateBody, CampaignPatchBody } from '../api/v1/campaign.schemas.ts';

/** The campaign form's fields as the browser sends them: strings, or lists for repeated names. */
export const CampaignFormBody = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));
export type CampaignFormBody = Static<typeof CampaignFormBody>;

/** What the form shows back: the organiser's input as typed. */
export interface CampaignFormValues {
  title: string;
  slug: string;
  description: string;
  link: string;
  message: string;
  variants: string[];
  goal: string;
  launchAt: string;
  timeZone: string;
  networks: string[];
  /** X: each supporter posts ("post") or the campaign's own account posts and supporters repost ("repost"). */
  xMode: string;
  /** Listed on the home page while live (the organiser's choice, off by default). */
  listed: boolean;
  publish: boolean;
  /** The organisation a new campaign goes into (the one chosen on the campaign list); '' for the default. */
  organisationId: string;
}

/** Messages beside the fields, by field name (variants by "variants-N"). */
export type FieldErrors = Record<string, string>;

// How each rule of the API's schema reads to a person filling in the form.
const fieldMessages: Record<string, string> = {
  title: 'Give the campaign a title (up to 140 characters).',
  slug: 'Use lower-case letters, digits and single hyphens (up to 60 characters), or leave it empty.',
  description: 'Keep the description under 10,000 characters.',
  link: 'Give the campaign link, starting with https:// (every post carries it).',
  message: 'Write the message (up to 2,000 characters); it must include the campaign link.',
  variants: 'Each wording can be up to 2,000 characters, and there can be up to 10.',
  goal: 'Give the goal as a whole number of supporters, 1 or more.',
  launchAt: 'Pick the launch date and time.',
  timeZone: 'Pick the time zone the launch time is in.',
  networks: 'Choose at least one network.',
  xMode: 'Choose how X supporters take part: post or repost.',
};

// What each text field is called in a sentence beside it, when it holds a character the text rule refuses.
const fieldSubjects: Record<string, string> = {
  title: 'The title',
  description: 'The description',
  link: 'The link',
  message: 'The message',
  variants: 'This wording',
  launchAt: 'The launch time',
  timeZone: 'The time zone',
};

function text(raw: CampaignFormBody, name: string): string {
  const value = raw[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).replaceAll('\r\n', '\n');
}

function list(raw: CampaignFormBody, name: string): string[] {
  const value = raw[name];
  return (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((v) => v.replaceAll('\r\n', '\n'));
}

/** The form's values as typed. */
export function campaignFormValues(raw: CampaignFormBody): CampaignFormValues {
  return {
    title: text(raw, 'title').trim(),
    slug: text(raw, 'slug').trim(),
    description: text(raw, 'description'),
    link: text(raw, 'link').trim(),
    message: text(raw, 'message').trim(),
    variants: list(raw, 'variants')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    goal: text(raw, 'goal').trim(),
    launchAt: text(raw, 'launchAt').trim(),
    timeZone: text(raw, 'timeZone').trim(),
    networks: list(raw, 'networks'),
    xMode: text(raw, 'xMode').trim(),
    listed: text(raw, 'listed') === 'yes',
    publish: text(raw, 'publish') === 'yes',
    organisationId: text(raw, 'organisationId').trim(),
  };
}

/** The API's create body from the form, or the fields that break its schema. */
export function createBodyFromForm(values: CampaignFormValues): { body: CampaignCreateBody } | { errors: FieldErrors } {
  const candidate = {
    title: values.title,
    ...(values.slug === '' ? {} : { slug: values.slug }),
    description: values.description,
    link: values.link,
    message: values.message,
    variants: values.variants,
    goal: /^\d{1,9}$/.test(values.goal) ? Number(values.goal) : Number.NaN,
    launchAt: values.launchAt,
    timeZone: values.timeZone,
    networks: values.networks,
    ...(values.xMode === '' ? {} : { xMode: values.xMode }),
    listed: values.listed,
    publish: values.publish,
    ...(values.organisationId === '' ? {} : { organisationId: values.organisationId }),
  };
  const errors = schemaErrors(CampaignCreateBody, candidate);
  return Object.keys(errors).length > 0 ? { errors } : { body: candidate as CampaignCreateBody };
}

/** The API's edit body from the form (slug, link and networks stay as created; X's mode where X is one of them), or the fields at fault. */
export function patchBodyFromForm(values: CampaignFormValues): { body: CampaignPatchBody } | { errors: FieldErrors } {
  const candidate = {
    title: values.title,
    description: values.description,
    message: values.message,
    variants: values.variants,
    goal: /^\d{1,9}$/.test(values.goal) ? Number(values.goal) : Number.NaN,
    launchAt: values.launchAt,
    timeZone: values.timeZone,
    ...(values.networks.includes('x') && values.xMode !== '' ? { xMode: values.xMode } : {}),
    listed: values.listed,
  };
  const errors = schemaErrors(CampaignPatchBody, candidate);
  return Object.keys(errors).length > 0 ? { errors } : { body: candidate as CampaignPatchBody };
}

function schemaErrors(
  schema: typeof CampaignCreateBody | typeof CampaignPatchBody,
  candidate: { launchAt: string; timeZone: string },
): FieldErrors {
  const errors: FieldErrors = {};
  // The API takes an offset instead of a zone; the form always asks for both.
  if (candidate.launchAt === '') errors.launchAt = fieldMessages.launchAt ?? '';
  if (candidate.timeZone === '') errors.timeZone = fieldMessages.timeZone ?? '';
  for (const error of Value.Errors(schema, candidate)) {
    const [name = 'form', index] = error.instancePath.split('/').slice(1);
    if (error.keyword === 'format' && 'format' in error.params && error.params.format === STORABLE_TEXT_FORMAT) {
      // Beside the very field: a wording's box is `variants-N`, as the form numbers them.
      const field = index === undefined ? name : `${name}-${index}`;
      errors[field] ??=
        `${describeUnstorableText(fieldSubjects[name] ?? 'This field', findUnstorableCharacter(valueAt(candidate, name, index)))}.`;
      continue;
    }
    errors[name] ??= fieldMessages[name] ?? error.message;
  }
  return errors;
}

function valueAt(candidate: object, name: string, index: string | undefined): string {
  const value: unknown = (candidate as Record<string, unknown>)[name];
  const item: unknown = index === undefined ? value : Array.isArray(value) ? (value as unknown[])[Number(index)] : undefined;
  return typeof item === 'string' ? item : '';
}
