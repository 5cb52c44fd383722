/**
 * Every rate limit Chorus applies, by name, in one table. Routes attach them by name
 * (`preHandler: app.rateLimited('sign-in-per-client', 'sign-in-per-account')`, see rate-limits.ts);
 * RATE_LIMIT_SCALE multiplies every `max`. Why each number is what it is: docs/security/rate-limits.md.
 */

/** Whose requests a limit counts together. */
export type RateLimitSubject =
  /** The client's address (IPv6 by its /64, which one host usually holds whole), as TRUST_PROXY says to find it. */
  | 'client'
  /** The account a sign-in names: the email in the body, trimmed and lower-cased, kept in Redis only as a hash. */
  | 'account-email'
  /** The signed-in organiser (after `requireOrganiser`). */
  | 'organiser';

/**
 * Where a limit counts: `redis`, shared by every API process (one round trip per request); or
 * `process`, in each API process's memory (a client whose requests a load balancer spreads over N
 * processes gets up to N times the limit). Only the generous public-read limits count in the
 * process: a Redis round trip on every read would halve the throughput of the busiest routes.
 */
export type RateLimitStore = 'redis' | 'process';

/** One limit: at most `max` requests per subject in a fixed window of `windowSeconds`. */
export interface RateLimitRule {
  readonly per: RateLimitSubject;
  readonly store: RateLimitStore;
  readonly max: number;
  readonly windowSeconds: number;
  /** What is counted, as the 429 answer names it: "too many <counts>". */
  readonly counts: string;
}

const minute = 60;

export const rateLimitTable = {
  // Guessing passwords: a person mistypes a few times; a script tries thousands. Every attempt
  // counts (a success too), so that a burst of parallel guesses cannot all pass one check.
  'sign-in-per-account': {
    per: 'account-email',
    store: 'redis',
    max: 10,
    windowSeconds: 15 * minute,
    counts: 'sign-in attempts for this account',
  },
  'sign-in-per-client': {
    per: 'client',
    store: 'redis',
    max: 30,
    windowSeconds: 15 * minute,
    counts: 'sign-in attempts from your network',
  },
  // The TOTP code step of a sign-in (attached by the two-factor routes).
  'totp-code-per-client': {
    per: 'client',
    store: 'redis',
    max: 10,
    windowSeconds: 15 * minute,
    counts: 'two-factor codes from your network',
  },
  'sign-up-per-client': { per: 'client', store: 'redis', max: 10, windowSeconds: 60 * minute, counts: 'new accounts from your network' },
  'api-token-creation-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 20,
    windowSeconds: 60 * minute,
    counts: 'new API tokens for this account',
  },
  // Deleting the account asks for the password (and a code): a stolen session trying passwords gets a few tries an hour,
  // as many as a person who mistypes needs.
  'account-deletion-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 10,
    windowSeconds: 60 * minute,
    counts: 'attempts to delete this account',
  },
  // An organiser's settings (mail), read and changed from the account page or a script: far above what a person
  // clicks, against a script looping on them.
  'account-settings-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 120,
    windowSeconds: 15 * minute,
    counts: 'changes to your account settings',
  },
  // Operators' reads and actions: a person reviewing and acting, never thousands a minute; a stolen operator session
  // driven by a script is slowed down (every action also needs two-factor sign-in on).
  'operator-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 300,
    windowSeconds: minute,
    counts: 'operator requests from this account',
  },
  // Reports about a campaign: a person reports once or twice; a flood from one address would bury the operators' queue.
  'campaign-report-per-client': {
    per: 'client',
    store: 'redis',
    max: 10,
    windowSeconds: 60 * minute,
    counts: 'reports from your network',
  },
  // Webhooks: each endpoint registered or changed makes Chorus resolve a name the organiser typed, and each
  // test event makes it call their server; an integration is set up by hand, a few dozen changes at most.
  'webhook-changes-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 60,
    windowSeconds: 60 * minute,
    counts: 'changes to webhook endpoints by this account, in any of its organisations',
  },
  'webhook-tests-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 30,
    windowSeconds: 60 * minute,
    counts: 'test events sent by this account',
  },
  // Reading endpoints and the delivery log: a page refreshed by hand, or a script polling the log.
  'webhook-reads-per-organiser': {
    per: 'organiser',
    store: 'process',
    max: 300,
    windowSeconds: minute,
    counts: 'reads of webhook endpoints and deliveries by this account',
  },
  // Organisations: a team's owners change members, roles and the name now and then; a script gone wrong does it in a loop.
  'organisation-changes-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 120,
    windowSeconds: 60 * minute,
    counts: 'changes to organisations and their members',
  },
  'invitations-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 50,
    windowSeconds: 60 * minute,
    counts: 'invitations made by this account',
  },
  // Invitation links are 256-bit secrets, beyond guessing; the limit only keeps a loop of tries cheap.
  'invitation-use-per-client': {
    per: 'client',
    store: 'redis',
    max: 30,
    windowSeconds: 15 * minute,
    counts: 'invitation links opened from your network',
  },
  // Reading the audit log pages through entries, and the CSV export reads them all.
  'audit-log-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 120,
    windowSeconds: 15 * minute,
    counts: 'audit log reads for this account',
  },
  'organisation-reads-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 600,
    windowSeconds: 15 * minute,
    counts: 'organisation and member reads for this account',
  },
  // The supporters' path: each connect may make Chorus call a server the supporter named, and a
  // crowd behind one address (an event's Wi-Fi, a mobile operator's shared address) may pledge at once.
  'supporter-connect-per-client': {
    per: 'client',
    store: 'redis',
    max: 30,
    windowSeconds: minute,
    counts: 'pledges started from your network',
  },
  'supporter-callback-per-client': {
    per: 'client',
    store: 'redis',
    max: 30,
    windowSeconds: minute,
    counts: 'authorisations from your network',
  },
  'pledge-confirm-per-client': {
    per: 'client',
    store: 'redis',
    max: 30,
    windowSeconds: minute,
    counts: 'pledges confirmed from your network',
  },
  // An address left for a pledge's mails through the API: each sends a mail asking to confirm it, so it is limited like
  // confirming a pledge (a campaign's own site may relay many supporters from one address).
  'supporter-address-per-client': {
    per: 'client',
    store: 'redis',
    max: 30,
    windowSeconds: minute,
    counts: 'mail addresses left from your network',
  },
  // The links in supporters' mails (confirm, unsubscribe). The one-click unsubscribe (RFC 8058) is posted by the
  // recipient's mail provider, whose few addresses carry many people's clicks: generous. Each link carries a MAC, so
  // the limit is against load, not guessing.
  'supporter-mail-link-per-client': {
    per: 'client',
    store: 'redis',
    max: 300,
    windowSeconds: minute,
    counts: 'mail links opened from your network',
  },
  // Public reads: generous, against one client hammering, never in the way of readers; counted in
  // each process, as they are the busiest answers (see RateLimitStore).
  'campaign-page-per-client': {
    per: 'client',
    store: 'process',
    max: 600,
    windowSeconds: minute,
    counts: 'campaign pages from your network',
  },
  'public-numbers-per-client': {
    per: 'client',
    store: 'process',
    max: 1200,
    windowSeconds: minute,
    counts: 'requests for campaign numbers from your network',
  },
  'campaign-image-per-client': {
    per: 'client',
    store: 'process',
    max: 1200,
    windowSeconds: minute,
    counts: 'campaign images from your network',
  },
  // The floor: every route that names no limit of its own gets this one (rate-limits.ts adds it
  // as the route is declared), so that nothing a user can reach is unlimited. As generous as the
  // busiest public read: only one client hammering ever meets it.
  'any-request-per-client': {
    per: 'client',
    store: 'process',
    max: 1200,
    windowSeconds: minute,
    counts: 'requests from your network',
  },
  // Sharing (docs/pages.md, "Sharing a campaign"). A share image is rendered only when its figures change and is
  // otherwise read from Postgres or memory; link-preview crawlers fetch it once per share.
  'share-image-per-client': {
    per: 'client',
    store: 'process',
    max: 300,
    windowSeconds: minute,
    counts: 'share images from your network',
  },
  'oembed-per-client': {
    per: 'client',
    store: 'process',
    max: 300,
    windowSeconds: minute,
    counts: 'oEmbed requests from your network',
  },
  // An organiser edits a handful of suggested posts; a script editing thousands is a mistake.
  'share-kit-writes-per-organiser': {
    per: 'organiser',
    store: 'redis',
    max: 120,
    windowSeconds: 60 * minute,
    counts: 'changes to suggested posts for this account',
  },
  // A poster's QR code is downloaded a few times; each PNG is rendered on the server.
  'qr-code-per-organiser': {
    per: 'organiser',
    store: 'process',
    max: 120,
    windowSeconds: minute,
    counts: 'QR codes for this account',
  },
} as const satisfies Record<string, RateLimitRule>;

/** The name of a limit in the table. */
export type RateLimitName = keyof typeof rateLimitTable;

/** The most requests a limit lets through in its window at this scale (at least one; a scale of 0 turns limits off before this). */
export function scaledMax(rule: RateLimitRule, scale: number): number {
  return Math.max(1, Math.round(rule.max * scale));
}
