/**
 * Who may sign up, as an operator sets it: anyone (`open`), anyone but an operator approves the account before it can
 * sign in (`approval`), or only with an invitation link (`invitation`).
 */
export const signUpModes = ['open', 'approval', 'invitation'] as const;

export type SignUpMode = (typeof signUpModes)[number];

/** How long an invitation link works unless the operator says otherwise, and the longest it may. */
export const invitationLifetimes = { defaultDays: 7, maxDays: 30 } as const;

/** The sign-up mode when no operator has chosen one: invitation only on a production instance, open elsewhere. */
export function defaultSignUpMode(nodeEnv: 'development' | 'test' | 'production'): SignUpMode {
  return nodeEnv === 'production' ? 'invitation' : 'open';
}
