import twitterText from 'twitter-text';
import type { TextRules } from '../../domain/message-rules.ts';

/** X's own counting: 280 weighted characters, any link counts as 23, some scripts count double. */
export const xTextRules: TextRules = {
  maxLength: 280,
  measure: (text) => twitterText.parseTweet(text).weightedLength,
};
