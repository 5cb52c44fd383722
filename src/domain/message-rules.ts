import { checkStorableText } from './storable-text.ts';

/** How a network measures a post's text: its own counting (weights, link length), not String.length. */
export interface TextRules {
  readonly maxLength: number;
  measure(text: string): number;
}

/** Why a post's text cannot be used, in words for the person who wrote it. */
export type MessageProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'missing-link'; readonly link: string }
  | { readonly kind: 'too-long'; readonly length: number; readonly maxLength: number };

/** Checks a post's text against the campaign's rule (its link stays in) and the network's length rule. */
export function checkPostText(text: string, link: string, rules: TextRules): MessageProblem | null {
  if (text.trim() === '') return { kind: 'empty' };
  if (!text.includes(link)) return { kind: 'missing-link', link };
  const length = rules.measure(text);
  if (length > rules.maxLength) return { kind: 'too-long', length, maxLength: rules.maxLength };
  return null;
}

/** A message problem as a sentence. */
export function describeMessageProblem(problem: MessageProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'the text is empty';
    case 'missing-link':
      return `the text must include the campaign link ${problem.link}`;
    case 'too-long':
      return `the text is ${problem.length} characters as the network counts them; the limit is ${problem.maxLength}`;
  }
}

const hashtagPattern = /(?:^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu;

/** The hashtags every organiser text shares (lower-cased): a personalised post must keep them. */
export function campaignHashtags(texts: { readonly message: string; readonly variants: readonly string[] }): string[] {
  const [first, ...rest] = [texts.message, ...texts.variants].map((text) => new Set(hashtagsIn(text)));
  return [...(first ?? [])].filter((tag) => rest.every((tags) => tags.has(tag)));
}

/** Why a supporter's own wording cannot be used: the text rule, the campaign's rules, then the hashtags it must keep. */
export function checkPersonalText(
  text: string,
  campaign: { readonly link: string; readonly hashtags: readonly string[] },
  rules: TextRules,
): string | null {
  const characters = checkStorableText('your text', text);
  if (characters !== null) return characters;
  const problem = checkPostText(text, campaign.link, rules);
  if (problem !== null) return describeMessageProblem(problem);
  const present = new Set(hashtagsIn(text));
  const missing = campaign.hashtags.filter((tag) => !present.has(tag));
  return missing.length === 0
    ? null
    : `keep the campaign's hashtag${missing.length > 1 ? 's' : ''} ${missing.map((tag) => `#${tag}`).join(' ')}`;
}

function hashtagsIn(text: string): string[] {
  return [...text.matchAll(hashtagPattern)].map((match) => (match[1] ?? '').toLowerCase());
}
