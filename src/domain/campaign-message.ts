import { checkPostText, describeMessageProblem, type TextRules } from './message-rules.ts';

/** A rule a campaign's texts break, with the field at fault. */
export interface CampaignTextProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Checks the campaign's message and each variant against every network it will post to, so
 * that any text a supporter can pick will post as written.
 */
export function checkCampaignTexts(
  texts: { readonly message: string; readonly variants: readonly string[]; readonly link: string },
  networks: readonly { readonly displayName: string; readonly textRules: TextRules }[],
): CampaignTextProblem | null {
  const candidates = [{ field: 'message', text: texts.message }, ...texts.variants.map((text, i) => ({ field: `variants/${i}`, text }))];
  for (const { field, text } of candidates) {
    for (const network of networks) {
      const problem = checkPostText(text, texts.link, network.textRules);
      if (problem !== null) return { field, message: `${field} on ${network.displayName}: ${describeMessageProblem(problem)}` };
    }
  }
  return null;
}

/** The text a supporter posts for a variant choice: null is the main message. */
export function textForVariant(
  texts: { readonly message: string; readonly variants: readonly string[] },
  variantIndex: number | null,
): string | undefined {
  return variantIndex === null ? texts.message : texts.variants[variantIndex];
}

/** A URL-safe slug from a title ("Our Health Heroes!" → "our-health-heroes"). */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug === '' ? 'campaign' : slug;
}
