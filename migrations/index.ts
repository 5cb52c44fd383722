import type { Migration } from 'kysely/migration';
import * as initial from './0001_initial.ts';
import * as campaignPages from './0002_campaign_pages.ts';
import * as deliveryReliability from './0003_delivery_reliability.ts';
import * as moreNetworks from './0004_more_networks.ts';
import * as statementTallies from './0005_statement_tallies.ts';
import * as blueskyOAuth from './0006_bluesky_oauth.ts';
import * as stripedTallies from './0007_striped_tallies.ts';
import * as deliveryTallies from './0008_delivery_tallies.ts';
import * as campaignPostClaim from './0009_campaign_post_claim.ts';
import * as campaignImages from './0010_campaign_images.ts';
import * as networkHolds from './0011_network_holds.ts';
import * as organiserSessions from './0012_organiser_sessions.ts';
import * as secondFactor from './0013_second_factor.ts';
import * as supportersPrivacy from './0014_supporters_privacy.ts';
import * as mailOutbox from './0015_mail_outbox.ts';
import * as webhooks from './0016_webhooks.ts';
import * as shareKit from './0017_share_kit.ts';
import * as operators from './0018_operators.ts';
import * as listedCampaigns from './0019_listed_campaigns.ts';
import * as organisations from './0021_organisations.ts';
import * as supporterMail from './0022_supporter_mail.ts';
import * as organisationStanding from './0023_organisation_standing.ts';
import * as organisationWebhooks from './0024_organisation_webhooks.ts';
import * as memberMails from './0025_member_mails.ts';
import * as refusedAccessReason from './0026_refused_access_reason.ts';
import * as auditLogFilters from './0027_audit_log_filters.ts';
import * as accountDeletion from './0028_account_deletion.ts';
import * as deferredOrganisationDeletion from './0029_deferred_organisation_deletion.ts';
import * as operatorContact from './0030_operator_contact.ts';

/** Every migration, in order. Add each new file here; its key is its name in kysely_migration. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_campaign_pages': campaignPages,
  '0003_delivery_reliability': deliveryReliability,
  '0004_more_networks': moreNetworks,
  '0005_statement_tallies': statementTallies,
  '0006_bluesky_oauth': blueskyOAuth,
  '0007_striped_tallies': stripedTallies,
  '0008_delivery_tallies': deliveryTallies,
  '0009_campaign_post_claim': campaignPostClaim,
  '0010_campaign_images': campaignImages,
  '0011_network_holds': networkHolds,
  '0012_organiser_sessions': organiserSessions,
  '0013_second_factor': secondFactor,
  '0014_supporters_privacy': supportersPrivacy,
  '0015_mail_outbox': mailOutbox,
  '0016_webhooks': webhooks,
  '0017_share_kit': shareKit,
  '0018_operators': operators,
  '0019_listed_campaigns': listedCampaigns,
  '0021_organisations': organisations,
  '0022_supporter_mail': supporterMail,
  '0023_organisation_standing': organisationStanding,
  '0024_organisation_webhooks': organisationWebhooks,
  '0025_member_mails': memberMails,
  '0026_refused_access_reason': refusedAccessReason,
  '0027_audit_log_filters': auditLogFilters,
  '0028_account_deletion': accountDeletion,
  '0029_deferred_organisation_deletion': deferredOrganisationDeletion,
  '0030_operator_contact': operatorContact,
};
