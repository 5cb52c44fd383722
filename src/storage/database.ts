import { Kysely, PostgresDialect, type ColumnType, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import pg from 'pg';
import { PreparingClient } from './prepared-statement.ts';
import type { CampaignState } from '../domain/campaign-state.ts';
import type { ImageContentType } from '../domain/campaign-image-rules.ts';
import type { DeliveryState } from '../domain/delivery-state.ts';
import type { MailState } from '../domain/mail-state.ts';
import type { CampaignReviewState } from '../domain/campaign-review.ts';
import type { OrganiserRole, OrganiserStanding } from '../domain/organiser-role.ts';
import type { SignUpMode } from '../domain/sign-up-mode.ts';
import type { NetworkPauseCause } from '../domain/network-pause.ts';
import type { SentWebhookEventType, WebhookEventType } from '../domain/webhook-event-type.ts';
import type { WebhookDeliveryState } from '../domain/webhook-attempt.ts';
import type { OrganisationRole } from '../domain/organisation-role.ts';
import type { OrganisationStanding } from '../domain/organisation-standing.ts';
import type { NetworkId } from '../networks/network-id.ts';
import type { XMode } from '../networks/x/x-mode.ts';

// The one description of the schema in TypeScript: rows, inserts and updates derive from it.

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface OrganisersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  created_at: CreatedAt;
  /** Who runs the instance (operator) or campaigns (organiser), migration 0018. */
  role: Generated<OrganiserRole>;
  standing: Generated<OrganiserStanding>;
}

/** The operator's choices for the instance (one row, migration 0018); null: the environment's default. */
export interface InstanceSettingsTable {
  id: Generated<boolean>;
  sign_up_mode: SignUpMode | null;
  campaign_review: boolean | null;
  /** The operators' contact shown to users (migration 0030); null: none given. */
  contact_email: string | null;
  updated_at: Generated<Date>;
}

/** A single-use invitation to sign up (migration 0018); only the hash of its token is kept. */
export interface InvitationsTable {
  id: Generated<string>;
  token_hash: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
  used_by: string | null;
}

/** A single-use link that lets a new operator choose a password (`npm run operator:create`), kept as a hash. */
export interface OperatorSignInLinksTable {
  id: Generated<string>;
  organiser_id: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

/** A visitor's report about a public campaign, for the operators' queue (migration 0018). */
export interface CampaignReportsTable {
  id: Generated<string>;
  campaign_id: string;
  reason: string;
  /** How to reach whoever reported, if they said; erased REPORT_CONTACT_RETENTION_DAYS after the report is closed. */
  contact: string | null;
  created_at: CreatedAt;
  closed_at: Date | null;
  closed_by: string | null;
}

/** An organiser's TOTP second factor (migration 0013); confirmed_at is null while they enrol. */
export interface OrganiserSecondFactorsTable {
  organiser_id: string;
  key_id: string;
  /** The TOTP secret (base32), sealed with the token cipher. */
  secret: Buffer;
  confirmed_at: Date | null;
  /** The TOTP time step of the last code accepted; codes of that step or earlier are replays. */
  last_used_step: number | null;
  failed_attempts: Generated<number>;
  last_failed_at: Date | null;
  created_at: CreatedAt;
}

/** The hashes of an organiser's single-use recovery codes. */
export interface OrganiserRecoveryCodesTable {
  organiser_id: string;
  code_hash: string;
  used_at: Date | null;
}

export interface OrganiserApiTokensTable {
  id: Generated<string>;
  organiser_id: string;
  name: string;
  token_hash: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  /** When the token stops working; null: until it is revoked (migration 0012). */
  expires_at: ColumnType<Date | null, Date | null | undefined, never>;
}

/** A signed-in browser session of an organiser (migration 0012); the cookie carries the token whose digest is `token_hash`. */
export interface OrganiserSessionsTable {
  id: Generated<string>;
  token_hash: string;
  organiser_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  /** The absolute end of the session, fixed at sign-in. */
  expires_at: ColumnType<Date, Date, never>;
  /** A short description of the browser, like "Firefox on Linux". */
  user_agent: string;
  /** The network the session was started from (a /24 or a /48), or null when unknown. */
  ip_prefix: string | null;
}

export interface CampaignsTable {
  id: Generated<string>;
  /** Who created it (migration 0021: campaigns belong to an organisation; this stays as "created by"); null once their account is deleted (0028). */
  organiser_id: string | null;
  /** The organisation it belongs to: its members see and run it, by their role (migration 0021). */
  organisation_id: string;
  slug: string;
  title: string;
  description: Generated<string>;
  link: string;
  message: string;
  variants: Generated<string[]>;
  goal: number;
  launch_at: Date;
  time_zone: string;
  networks: NetworkId[];
  x_mode: Generated<XMode>;
  state: Generated<CampaignState>;
  release_cursor: string | null;
  release_enqueued_at: Date | null;
  launch_started_at: Date | null;
  ended_at: Date | null;
  /** When the workers erased its supporters' personal data, SUPPORTER_DATA_RETENTION_DAYS after it ended (migration 0014). */
  supporters_erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Why an operator returned it from review; shown to the organiser until it is published again (migration 0018). */
  review_note: ColumnType<string | null, string | null | undefined, string | null>;
  /** While suspended: the state lifting the suspension goes back to. */
  suspended_from: ColumnType<CampaignReviewState | null, CampaignReviewState | null | undefined, CampaignReviewState | null>;
  /** Suspended because its organiser was: lifting theirs lifts this one. */
  suspended_with_organiser: Generated<boolean>;
  /** Suspended because its organisation was: lifting the organisation's suspension lifts this one (migration 0023). */
  suspended_with_organisation: Generated<boolean>;
  /**
   * An image file under the old UPLOAD_DIR not yet moved into campaign_images by `npm run images:import`
   * (a file name, never a path); null once moved or replaced. Only that command reads it.
   */
  image_file: ColumnType<string | null, string | null | undefined, string | null>;
  image_alt: ColumnType<string, string | undefined, string>;
  /** Whether the organiser chose to list it on the instance's home page while it is live (migration 0019; off by default). */
  listed: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A team that owns campaigns (migration 0021). */
export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
  /** An operator trusts this organisation: its campaigns skip review (migration 0023). */
  trusted: Generated<boolean>;
  /** Suspended by an operator (migration 0023): every request acting on it is refused. */
  standing: Generated<OrganisationStanding>;
  suspended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  suspended_by: ColumnType<string | null, string | null | undefined, string | null>;
  suspension_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Its only member deleted their account (migration 0029): nobody reaches it; the workers delete it once its supporters are told. */
  deleting_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** Who is in an organisation, and as what (src/domain/organisation-role.ts says what each role may do). */
export interface OrganisationMembersTable {
  organisation_id: string;
  organiser_id: string;
  role: OrganisationRole;
  created_at: CreatedAt;
}

/** A single-use link to join an organisation; only the SHA-256 of its token is kept. */
export interface OrganisationInvitationsTable {
  id: Generated<string>;
  organisation_id: string;
  role: OrganisationRole;
  token_hash: string;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
}

/** One recorded change (migration 0021): written in the change's transaction, never updated, deleted only by the retention sweep. */
export interface AuditEntriesTable {
  /** An identity (bigint), read as a number like every int8 here: safe far beyond any log's length. */
  id: ColumnType<number, never, never>;
  at: ColumnType<Date, Date | undefined, never>;
  organisation_id: string | null;
  /** null: the system did it (a worker), not an organiser. */
  actor_organiser_id: string | null;
  action: string;
  campaign_id: string | null;
  /** The other thing acted on, where there is one (a member's organiser id, an invitation's id, a pledge's id). */
  subject_id: string | null;
  /** The changed fields, never a secret nor a supporter's personal data. */
  changes: ColumnType<Record<string, unknown>, string | undefined, never>;
  client_ip: string | null;
}

export interface ShortLinksTable {
  code: string;
  campaign_id: string;
  visits: ColumnType<number, never, number>;
  created_at: CreatedAt;
}

export interface CampaignUpdatesTable {
  id: Generated<string>;
  campaign_id: string;
  body: string;
  created_at: CreatedAt;
}

/** Change in supporters and reach per campaign, network and minute: the dashboard's time series. */
export interface CampaignMinutesTable {
  campaign_id: string;
  network: NetworkId;
  minute: Date;
  /** Which of the tally's rows the change went to; see migration 0007. */
  stripe: Generated<number>;
  supporters: number;
  reach: number;
}

export interface SocialAccountsTable {
  id: Generated<string>;
  network: NetworkId;
  network_user_id: string;
  handle: string;
  display_name: string;
  followers: number;
  server: Generated<string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PledgesTable {
  id: Generated<string>;
  campaign_id: string;
  social_account_id: string;
  text: string;
  variant_index: number | null;
  followers: number;
  state: Generated<'active' | 'withdrawn'>;
  manage_token_hash: string;
  /** Whether the supporter chose to have their name on the campaign's public page (migration 0014). */
  shown_publicly: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  withdrawn_at: Date | null;
  /** The network's words when it refused the refresh ahead of the launch; cleared by a renewal (migration 0026). */
  access_refused_reason: Generated<string | null>;
}

/**
 * A grant given on the consent page, held until the supporter confirms on the review page (their session cookie
 * carries only the id): deleted by the confirmation, a withdrawal, or the workers once past `expires_at` (migration 0014).
 */
export interface PendingPledgesTable {
  id: Generated<string>;
  campaign_id: string;
  network: NetworkId;
  /** The wording chosen before the consent page (null: the main message). */
  variant_index: number | null;
  network_user_id: string;
  handle: string;
  display_name: string;
  followers: number;
  server: string | null;
  key_id: string;
  access_token: Buffer;
  refresh_token: Buffer | null;
  access_expires_at: Date;
  scopes: string;
  created_at: CreatedAt;
  expires_at: Date;
}

export interface PledgeCredentialsTable {
  pledge_id: string;
  key_id: string;
  access_token: Buffer;
  refresh_token: Buffer | null;
  access_expires_at: Date;
  scopes: string;
  updated_at: UpdatedAt;
}

export interface DeliveriesTable {
  id: Generated<string>;
  pledge_id: string;
  campaign_id: string;
  /** The network of the pledge's account, fixed when the delivery is made (migration 0008). */
  network: NetworkId;
  state: Generated<DeliveryState>;
  attempts: Generated<number>;
  claimed_at: Date | null;
  network_post_id: string | null;
  failure_reason: string | null;
  sent_at: Date | null;
  claim_id: string | null;
  lease_expires_at: Date | null;
  must_check: Generated<boolean>;
  next_attempt_at: Date | null;
  retry_deadline: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A campaign's deliveries in one state, kept by the deliveries' statement triggers in stripes (migration 0008). */
export interface CampaignDeliveryTalliesTable {
  campaign_id: string;
  network: NetworkId;
  state: DeliveryState;
  stripe: number;
  deliveries: number;
}

export interface PostBudgetSpendsTable {
  network: NetworkId;
  bucket_start: Date;
  spent: number;
}

/** A network paused as a whole for this Chorus (X's credits ran out, or its 24-hour app cap is spent): migration 0011. */
export interface NetworkHoldsTable {
  network: NetworkId;
  cause: NetworkPauseCause;
  reason: string;
  since: Date;
  next_probe_at: Date;
  /** Probes that met the pause again since it began. */
  probes: number;
  /** The one delivery that may be claimed while the pause lasts; none while no delivery probes. */
  probe_delivery_id: string | null;
  updated_at: Date;
}

export interface MastodonAppsTable {
  origin: string;
  redirect_uri: string;
  client_id: string;
  key_id: string;
  client_secret: Buffer;
  created_at: CreatedAt;
}

export interface CampaignAccountsTable {
  campaign_id: string;
  network: 'x';
  network_user_id: string;
  handle: string;
  // Null once the campaign's post is done: the grant is erased like a supporter's.
  key_id: string | null;
  access_token: Buffer | null;
  refresh_token: Buffer | null;
  access_expires_at: Date | null;
  scopes: string | null;
  post_state: Generated<'none' | 'sent' | 'failed'>;
  post_id: string | null;
  post_failure: string | null;
  /** Set while the launch job may be calling X for the campaign's post; left set by a worker that died. */
  post_claimed_at: Date | null;
  post_attempts: Generated<number>;
  updated_at: UpdatedAt;
}

export interface CampaignNetworkTalliesTable {
  campaign_id: string;
  network: NetworkId;
  /** Which of the tally's rows the change went to; see migration 0007. */
  stripe: Generated<number>;
  supporters: number;
  reach: number;
}

/** A Bluesky sign-in in progress: the OAuth client's state, encrypted (it holds a DPoP private key). */
export interface BlueskyOAuthStatesTable {
  key: string;
  key_id: string;
  value: Buffer;
  created_at: Generated<Date>;
}

/** A campaign's current image, kept in Postgres so that every API host serves it (migration 0009). */
export interface CampaignImagesTable {
  campaign_id: string;
  /** Lower-case hex SHA-256 of the bytes: the image's URL and its ETag. */
  sha256: string;
  content_type: ImageContentType;
  byte_length: number;
  bytes: Buffer;
  created_at: CreatedAt;
}

/** One mail to send, written with the event that causes it (migration 0015); see docs/mail.md. */
export interface MailOutboxTable {
  id: Generated<string>;
  kind: string;
  recipient: string;
  /** Unique: writing the same mail twice (a sweep, a retried transaction) leaves one row. */
  dedupe_key: string;
  /** What the mail's template shows, fixed when the event happened (JSON). */
  template_data: ColumnType<Record<string, unknown>, string, string>;
  organiser_id: string | null;
  campaign_id: string | null;
  pledge_id: string | null;
  state: Generated<MailState>;
  attempts: Generated<number>;
  failure_reason: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  failed_at: Date | null;
}

/** The address a supporter left at the review step, one per pledge (migration 0022; docs/mail.md). */
export interface SupporterMailAddressesTable {
  id: Generated<string>;
  pledge_id: string;
  campaign_id: string;
  address: string;
  follows_updates: Generated<boolean>;
  state: Generated<'unconfirmed' | 'confirmed'>;
  /** The pledge's manage token, sealed with the token key, until the confirmation mail carrying it is sent. */
  sealed_manage_token: Buffer | null;
  key_id: string | null;
  created_at: CreatedAt;
  confirmed_at: Date | null;
  /** When the mail about the campaign's outcome (post out, goal missed, cancelled) was written. */
  outcome_mailed_at: Date | null;
  reminder_mailed_at: Date | null;
  /** Updates posted up to this time were mailed (set on confirmation: earlier ones are on the campaign page). */
  updates_mailed_through: Date | null;
}

/** A mail kind an organiser changed from its default, on (migration 0015). */
export interface OrganiserMailSettingsTable {
  organiser_id: string;
  kind: string;
  enabled: boolean;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A campaign event whose mails were written to the organisation's members, told once (migration 0025; docs/mail.md). */
export interface OrganiserMailEventsTable {
  /** `<kind>:<campaign id>` or `<kind>:<cause>:<campaign id>`; each member's mail has this key and `:<organiser id>`. */
  event: string;
  campaign_id: string;
  written_at: CreatedAt;
}

/** A post the organiser suggests people share by hand, through share links (migration 0017). */
export interface SuggestedPostsTable {
  id: Generated<string>;
  campaign_id: string;
  body: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A campaign's link-preview image, rendered once per change of what it shows (migration 0017). */
export interface CampaignShareImagesTable {
  campaign_id: string;
  /** Hex SHA-256 naming what the image shows: its ETag, and the cache's key. */
  figures_key: string;
  png: Buffer;
  rendered_at: ColumnType<Date, Date | undefined, Date>;
}

/** An endpoint an organiser registered for webhooks (migration 0016); its secrets sealed with the token cipher. */
export interface WebhookEndpointsTable {
  id: Generated<string>;
  /** The owner: its owners manage it, and it gets the events of the organisation's campaigns (migration 0024). */
  organisation_id: string;
  /** Who registered it; null once that organiser is gone. */
  created_by: string | null;
  url: string;
  description: Generated<string>;
  events: WebhookEventType[];
  key_id: string;
  /** The signing secret (`whsec_…`), sealed. */
  secret: Buffer;
  previous_key_id: string | null;
  /** The secret before the last rotation, still signing until `previous_secret_expires_at`. */
  previous_secret: Buffer | null;
  previous_secret_expires_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The webhook outbox: one event, written with what it reports (migration 0016). */
export interface WebhookEventsTable {
  id: Generated<string>;
  /** Whose endpoints get it: the campaign's organisation (a test event: its endpoint's). */
  organisation_id: string;
  campaign_id: string | null;
  type: SentWebhookEventType;
  dedupe_key: string;
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: CreatedAt;
}

/** One event on its way to one endpoint (migration 0016). */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  event_id: string;
  endpoint_id: string;
  state: Generated<WebhookDeliveryState>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  enqueued_at: Date | null;
  claimed_until: Date | null;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

export interface Database {
  organisers: OrganisersTable;
  organisations: OrganisationsTable;
  organisation_members: OrganisationMembersTable;
  organisation_invitations: OrganisationInvitationsTable;
  audit_entries: AuditEntriesTable;
  organiser_api_tokens: OrganiserApiTokensTable;
  organiser_sessions: OrganiserSessionsTable;
  organiser_second_factors: OrganiserSecondFactorsTable;
  organiser_recovery_codes: OrganiserRecoveryCodesTable;
  campaigns: CampaignsTable;
  social_accounts: SocialAccountsTable;
  pledges: PledgesTable;
  pledge_credentials: PledgeCredentialsTable;
  pending_pledges: PendingPledgesTable;
  deliveries: DeliveriesTable;
  short_links: ShortLinksTable;
  campaign_updates: CampaignUpdatesTable;
  campaign_minutes: CampaignMinutesTable;
  post_budget_spends: PostBudgetSpendsTable;
  network_holds: NetworkHoldsTable;
  mastodon_apps: MastodonAppsTable;
  campaign_accounts: CampaignAccountsTable;
  campaign_network_tallies: CampaignNetworkTalliesTable;
  campaign_delivery_tallies: CampaignDeliveryTalliesTable;
  bluesky_oauth_states: BlueskyOAuthStatesTable;
  campaign_images: CampaignImagesTable;
  mail_outbox: MailOutboxTable;
  organiser_mail_settings: OrganiserMailSettingsTable;
  organiser_mail_events: OrganiserMailEventsTable;
  instance_settings: InstanceSettingsTable;
  invitations: InvitationsTable;
  operator_sign_in_links: OperatorSignInLinksTable;
  campaign_reports: CampaignReportsTable;
  suggested_posts: SuggestedPostsTable;
  campaign_share_images: CampaignShareImagesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  supporter_mail_addresses: SupporterMailAddressesTable;
}

export type Db = Kysely<Database>;
export type Organiser = Selectable<OrganisersTable>;
export type InstanceSettings = Selectable<InstanceSettingsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type CampaignReport = Selectable<CampaignReportsTable>;
export type Organisation = Selectable<OrganisationsTable>;
export type OrganisationMember = Selectable<OrganisationMembersTable>;
export type OrganisationInvitation = Selectable<OrganisationInvitationsTable>;
export type AuditEntry = Selectable<AuditEntriesTable>;
export type OrganiserSession = Selectable<OrganiserSessionsTable>;
export type ApiToken = Selectable<OrganiserApiTokensTable>;
/** Supporters and reach of a campaign: the sum of its tally stripes, read with the campaign (see campaign.repository.ts). */
export interface CampaignTotals {
  readonly supporter_count: number;
  readonly reach: number;
}
export type Campaign = Selectable<CampaignsTable> & CampaignTotals;
export type NewCampaign = Insertable<CampaignsTable>;
export type CampaignUpdate = Updateable<CampaignsTable>;
export type SocialAccount = Selectable<SocialAccountsTable>;
export type Pledge = Selectable<PledgesTable>;
export type PledgeCredentials = Selectable<PledgeCredentialsTable>;
export type PendingPledge = Selectable<PendingPledgesTable>;
export type Delivery = Selectable<DeliveriesTable>;
export type ShortLink = Selectable<ShortLinksTable>;
export type CampaignUpdateNote = Selectable<CampaignUpdatesTable>;
export type CampaignAccount = Selectable<CampaignAccountsTable>;
export type CampaignImage = Selectable<CampaignImagesTable>;
export type NewCampaignImage = Insertable<CampaignImagesTable>;
export type OutboxMailRow = Selectable<MailOutboxTable>;
export type SuggestedPost = Selectable<SuggestedPostsTable>;
export type WebhookEndpoint = Selectable<WebhookEndpointsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
export type SupporterMailAddressRow = Selectable<SupporterMailAddressesTable>;

// Reach and counts are int8 in Postgres but far below 2^53, so a JS number is exact.
const numericInt8: pg.CustomTypesConfig = {
  getTypeParser: (oid, format) =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format) as unknown),
};

/** Opens a pooled Kysely connection to Postgres. */
export function createDatabase(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, types: numericInt8, Client: PreparingClient });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
