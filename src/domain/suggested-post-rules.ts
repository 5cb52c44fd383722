import { checkStorableText } from './storable-text.ts';

/** How many suggested posts a campaign may have, and how long each may be (the longest a network Chorus links to takes). */
export const suggestedPostLimits = { maxPerCampaign: 20, maxLength: 1000 } as const;

/** Why a suggested post's text cannot be kept, as a sentence's worth; null when it can. */
export function suggestedPostTextProblem(text: string): string | null {
  if (text.trim() === '') return 'write the suggested post';
  if (text.length > suggestedPostLimits.maxLength) return `a suggested post holds at most ${suggestedPostLimits.maxLength} characters`;
  return checkStorableText('the suggested post', text);
}
