import type { NetworkOutline } from '../social-network.ts';
import { xTextRules } from './x-text-rules.ts';

/** X as Chorus shows it before twitter-api-v2 and its passport strategy are loaded (every account is on x.com: no server to choose). */
export function xOutline(requestTimeoutMs: number): Omit<NetworkOutline, 'serverChoice'> {
  return { id: 'x', displayName: 'X', textRules: xTextRules, requestTimeoutMs };
}
