import Type from 'typebox';
import { reviewTextLimits } from '../../../domain/campaign-review.ts';
import { organiserRoles, organiserStandings } from '../../../domain/organiser-role.ts';
import { organisationStandings, organisationSuspensionLimits } from '../../../domain/organisation-standing.ts';
import { invitationLifetimes, signUpModes } from '../../../domain/sign-up-mode.ts';
import type { OperatorCampaign } from '../../../storage/campaign.repository.ts';
import type { Organisation, Organiser } from '../../../storage/database.ts';
import type { OperatorOrganisation } from '../../../storage/organisation.repository.ts';
import type { InstancePolicy } from '../../../use-cases/operators/instance-policy.ts';
import { StorableText } from '../../../use-cases/storable-text-schema.ts';
import { CampaignStateSchema, CampaignView, campaignView } from './campaign.schemas.ts';

export const OrganiserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const OrganisationIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ReportIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const CampaignStateQuery = Type.Object({ state: CampaignStateSchema }, { additionalProperties: false });

export const ReturnBody = Type.Object(
  {
    reason: StorableText({
      minLength: 1,
      maxLength: reviewTextLimits.reasonMaxLength,
      description: 'what the organiser must change; they see it',
    }),
  },
  { additionalProperties: false },
);
export const TrustBody = Type.Object(
  { trusted: Type.Boolean({ description: "the organisation's campaigns skip review" }) },
  { additionalProperties: false },
);
export const SuspendOrganisationBody = Type.Object(
  {
    reason: StorableText({
      minLength: 1,
      maxLength: organisationSuspensionLimits.reasonMaxLength,
      description: "why (for the operators and the audit log; the organisation's members are told only that it is suspended)",
    }),
  },
  { additionalProperties: false },
);
export const SettingsBody = Type.Object(
  {
    signUpMode: Type.Optional(Type.Enum(signUpModes)),
    campaignReview: Type.Optional(Type.Boolean()),
    contactEmail: Type.Optional(
      Type.Union([StorableText({ maxLength: 254 }), Type.Null()], {
        description:
          "the operators' contact shown to users (privacy page, report page, suspension notices and mails); empty or null takes it away",
      }),
    ),
  },
  { additionalProperties: false },
);
export const InvitationBody = Type.Object(
  {
    expiresInDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: invitationLifetimes.maxDays, default: invitationLifetimes.defaultDays }),
    ),
    email: Type.Optional(
      StorableText({
        maxLength: 254,
        description: 'also mail the link to this address, where this Chorus sends mail (the invitation stays untied to it)',
      }),
    ),
  },
  { additionalProperties: false },
);
export const ReportBody = Type.Object(
  {
    reason: StorableText({ minLength: 1, maxLength: reviewTextLimits.reasonMaxLength, description: 'what is wrong with the campaign' }),
    contact: Type.Optional(
      StorableText({
        maxLength: reviewTextLimits.contactMaxLength,
        description: 'an email address an operator may answer (optional; erased a stated time after the report is closed)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const PolicyView = Type.Object({
  signUpMode: Type.Enum(signUpModes),
  campaignReview: Type.Boolean(),
  contactEmail: Type.Union([Type.String(), Type.Null()]),
});

/** The policy in force, as the API shows it. */
export function policyView(policy: InstancePolicy) {
  return { signUpMode: policy.signUpMode, campaignReview: policy.campaignReview, contactEmail: policy.contactEmail };
}

export const OperatorCampaignView = Type.Object({
  ...CampaignView.properties,
  organiser: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() }), Type.Null()], {
    description: 'who created it; null once their account is deleted',
  }),
});

/** A campaign on an operator's list, with who runs it. */
export function operatorCampaignView(campaign: OperatorCampaign, publicUrl: string) {
  return {
    ...campaignView(campaign, publicUrl),
    organiser:
      campaign.organiser_id === null || campaign.organiser_name === null || campaign.organiser_email === null
        ? null
        : { id: campaign.organiser_id, name: campaign.organiser_name, email: campaign.organiser_email },
  };
}

export const OrganiserAccountView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum(organiserRoles),
  standing: Type.Enum(organiserStandings),
  createdAt: Type.String({ format: 'date-time' }),
});

/** An account as an operator sees it. */
export function organiserAccountView(organiser: Organiser) {
  return {
    id: organiser.id,
    email: organiser.email,
    name: organiser.name,
    role: organiser.role,
    standing: organiser.standing,
    createdAt: organiser.created_at.toISOString(),
  };
}

export const OrganisationStandingView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  trusted: Type.Boolean({ description: 'its campaigns skip review' }),
  standing: Type.Enum(organisationStandings),
  suspendedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  suspensionReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

/** An organisation's trust and standing, as an operator sees them. */
export function organisationStandingView(organisation: Organisation) {
  return {
    id: organisation.id,
    name: organisation.name,
    trusted: organisation.trusted,
    standing: organisation.standing,
    suspendedAt: organisation.suspended_at?.toISOString() ?? null,
    suspensionReason: organisation.suspension_reason,
    createdAt: organisation.created_at.toISOString(),
  };
}

export const OperatorOrganisationView = Type.Object({
  ...OrganisationStandingView.properties,
  owners: Type.Array(Type.String(), { description: "the owners' email addresses" }),
  campaigns: Type.Integer(),
});

/** An organisation on the operator's list: its standing, owners and number of campaigns. */
export function operatorOrganisationView(organisation: OperatorOrganisation) {
  return { ...organisationStandingView(organisation), owners: organisation.owners, campaigns: organisation.campaign_count };
}

export const ReportView = Type.Object({
  id: Type.String(),
  campaign: Type.Object({ id: Type.String(), title: Type.String(), slug: Type.String(), state: CampaignStateSchema }),
  reason: Type.String(),
  contact: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
