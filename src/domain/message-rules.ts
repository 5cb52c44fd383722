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
