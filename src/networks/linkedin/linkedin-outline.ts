import type { NetworkOutline } from '../social-network.ts';
import { linkedInRequestTimeoutMs } from './linkedin-api-client.ts';
import { linkedInTextRules } from './linkedin-commentary.ts';

/** LinkedIn as Chorus shows it before passport-oauth2 is loaded (one server: nothing to choose). */
export const linkedInOutline: Omit<NetworkOutline, 'serverChoice'> = {
  id: 'linkedin',
  displayName: 'LinkedIn',
  textRules: linkedInTextRules,
  requestTimeoutMs: linkedInRequestTimeoutMs,
  // The member scopes Chorus asks for give no follower count.
  sharesReach: false,
  reposts: false,
};
