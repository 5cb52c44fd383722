import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { describeImageProblem, optionalImageProblems } from '../../domain/campaign-image-rules.ts';
import { isCampaignEditable } from '../../domain/campaign-state.ts';
import { isGoalMet } from '../../domain/goal.ts';
import { formatLaunchTime } from '../../domain/launch-time.ts';
import { campaignHashtags, checkPostText, describeMessageProblem } from '../../domain/message-rules.ts';
import { can, type OrganisationAction } from '../../domain/organisation-role.ts';
import { currentActor, currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import type { Campaign } from '../../storage/database.ts';
import { campaignImageAddress, saveUploadedImage, type ImageUpload } from '../../use-cases/campaigns/campaign-image.ts';
import { cancelCampaign } from '../../use-cases/campaigns/cancel-campaign.ts';
import { createCampaignWithImage } from '../../use-cases/campaigns/create-campaign-with-image.ts';
import { editCampaign } from '../../use-cases/campaigns/edit-campaign.ts';
import { findMemberCampaign } from '../../use-cases/organisations/organisation-access.ts';
import { listOrganisations } from '../../use-cases/organisations/list-organisations.ts';
import { readOrganisationCampaigns } from '../../use-cases/organisations/read-organisation-campaigns.ts';
import { publishCampaign } from '../../use-cases/campaigns/publish-campaign.ts';
import { CampaignIdParams } from '../api/v1/campaign.schemas.ts';
import { HttpError } from '../http-error.ts';
import { fieldMessagesOf, problemStatus, valueOrHttpError } from '../problem-status.ts';
import {
  CampaignFormBody,
  campaignFormValues,
  createBodyFromForm,
  patchBodyFromForm,
  type CampaignFormValues,
  type FieldErrors,
} from './campaign-form.ts';
import { imageProblemStatus, readCampaignFormWithImage, readImageForm } from './image-upload.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
/** Which of the organiser's organisations a page works in (the switcher); the one they joined first when absent. */
const OrganisationQuery = Type.Object({ organisation: Type.Optional(Type.String({ format: 'uuid' })) });

/** Organisers' campaign pages: the list, create and edit (with the image), open, cancel, and the launch preview. */
const organiserCampaignPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  app.addHook('preHandler', requireOrganiserPage(app));

  /** A campaign of one of the caller's organisations, if their role there allows `action` (404 for others' campaigns, 403 for the role). */
  async function ownCampaign(request: FastifyRequest, id: string, action: OrganisationAction = 'read-campaigns'): Promise<Campaign> {
    return valueOrHttpError(await findMemberCampaign(ctx.db, currentOrganiser(request).id, id, action));
  }

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    mode: { kind: 'new' } | { kind: 'edit'; campaign: Campaign },
    values: CampaignFormValues,
    errors: FieldErrors = {},
    notice?: string,
    imageAlt = '',
  ) {
    const campaign = mode.kind === 'edit' ? mode.campaign : null;
    const imagePath = campaign === null ? null : await campaignImageAddress(ctx.db, campaign.id);
    // A new campaign goes into the organisation chosen on the campaign list (by default the organiser's own).
    const memberships = campaign === null ? await listOrganisations(ctx.db, currentOrganiser(request).id) : [];
    const organisation =
      values.organisationId === '' ? memberships[0] : memberships.find((m) => m.organisation_id === values.organisationId);
    return reply.view('organiser/campaign-form', {
      ...pageLocals(request, reply, { forms: true }),
      title: campaign === null ? 'New campaign' : `Edit “${campaign.title}”`,
      mode: mode.kind,
      organisation: organisation === undefined ? null : { id: organisation.organisation_id, name: organisation.name },
      campaign:
        campaign === null
          ? null
          : {
              id: campaign.id,
              slug: campaign.slug,
              state: campaign.state,
              goal: campaign.goal,
              link: campaign.link,
              imageUrl: imagePath === null ? null : `/${imagePath}`,
              imageAlt: campaign.image_alt,
              launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
              timeZone: campaign.time_zone,
            },
      values,
      imageAlt,
      errors,
      notice,
      timeZones,
      networks: ctx.networks.outlines().map((n) => ({ id: n.id, name: n.displayName, maxLength: n.textRules.maxLength })),
      // X's mode applies to new campaigns that may post to X, and to campaigns that do.
      offerXMode: ctx.networks.outline('x') !== undefined && (campaign === null || campaign.networks.includes('x')),
      scripts: ['/static/text-counter.js', '/static/time-zone.js'],
    });
  }

  app.get('/organiser/campaigns', { schema: { hide: true, querystring: OrganisationQuery } }, async (request, reply) => {
    const read = valueOrHttpError(await readOrganisationCampaigns(ctx.db, currentOrganiser(request).id, request.query.organisation));
    switch (read.kind) {
      case 'no-organisation':
        return reply.view('organiser/campaign-list', {
          ...pageLocals(request, reply, { forms: true }),
          title: 'Your campaigns',
          organiser: currentOrganiser(request).name,
          organisation: null,
        });
      case 'member':
        break;
    }
    const { memberships, current, campaigns, operatorContact } = read;
    // A suspended organisation's page says so (refused, as every request acting on it), beside the switcher to the others.
    const suspended = current.standing === 'suspended';
    return reply.code(suspended ? 403 : 200).view('organiser/campaign-list', {
      ...pageLocals(request, reply),
      title: 'Your campaigns',
      organiser: currentOrganiser(request).name,
      organisation: {
        id: current.organisation_id,
        name: current.name,
        role: current.role,
        canEdit: !suspended && can(current.role, 'edit-campaigns'),
        suspended,
        operatorContact,
      },
      organisations: memberships.map((m) => ({
        id: m.organisation_id,
        name: m.name,
        role: m.standing === 'suspended' ? `${m.role}, suspended` : m.role,
        current: m === current,
      })),
      campaigns: campaigns.map((c) => ({
        id: c.id,
        slug: c.slug,
        title: c.title,
        state: c.state.replace('_', ' '),
        editable: isCampaignEditable(c.state),
        supporters: c.supporter_count,
        goal: c.goal,
        launchAt: formatLaunchTime(c.launch_at, c.time_zone),
      })),
    });
  });

  app.get('/organiser/campaigns/new', { schema: { hide: true, querystring: OrganisationQuery } }, async (request, reply) =>
    showForm(
      request,
      reply,
      { kind: 'new' },
      {
        title: '',
        slug: '',
        description: '',
        link: 'https://',
        message: '',
        variants: [],
        goal: '100',
        launchAt: '',
        timeZone: '',
        networks: ctx.networks.outlines().map((n) => n.id),
        xMode: 'post',
        listed: false,
        publish: true,
        organisationId: request.query.organisation ?? '',
      },
    ),
  );

  app.post(
    '/organiser/campaigns',
    // Multipart for its image: the body is read after the CSRF check, so the form carries its token in the query.
    { schema: { hide: true }, config: { csrfTokenInQuery: true }, preValidation: csrf },
    async (request, reply) => {
      if (!request.isMultipart()) throw new HttpError(400, 'send the new campaign with its form');
      const form = await readCampaignFormWithImage(request);
      const values = campaignFormValues(form.fields);
      const refuse = (status: number, errors: FieldErrors) =>
        showForm(request, reply.code(status), { kind: 'new' }, values, withImageReminder(errors, form.upload.kind), undefined, form.alt);
      const parsed = createBodyFromForm(values);
      // Every field at fault at once, the image's among them.
      if ('errors' in parsed) return refuse(400, { ...parsed.errors, ...imageFieldErrors(form.upload, form.alt) });
      const created = await createCampaignWithImage(ctx, currentActor(request), parsed.body, { upload: form.upload, alt: form.alt });
      if (created.kind !== 'done') return refuse(problemStatus[created.kind], fieldMessagesOf(created));
      // Next: the "your campaign is ready: share this link" step.
      return reply.redirect(`/organiser/campaigns/${created.value.id}/ready`, 303);
    },
  );

  app.get('/organiser/campaigns/:id/edit', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) => {
    const campaign = await ownCampaign(request, request.params.id, 'edit-campaigns');
    return showForm(request, reply, { kind: 'edit', campaign }, formValuesOf(campaign));
  });

  app.post(
    '/organiser/campaigns/:id/edit',
    { schema: { hide: true, params: CampaignIdParams, body: CampaignFormBody }, preValidation: csrf },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id, 'edit-campaigns');
      const values = { ...formValuesOf(campaign), ...pick(campaignFormValues(request.body)) };
      const parsed = patchBodyFromForm(values);
      if ('errors' in parsed) return showForm(request, reply.code(400), { kind: 'edit', campaign }, values, parsed.errors);
      const edited = await editCampaign(ctx, currentActor(request), campaign.id, parsed.body);
      if (edited.kind !== 'done')
        return showForm(request, reply.code(problemStatus[edited.kind]), { kind: 'edit', campaign }, values, fieldMessagesOf(edited));
      const updated = edited.value;
      return showForm(
        request,
        reply,
        { kind: 'edit', campaign: updated },
        formValuesOf(updated),
        {},
        `Saved. The launch is at ${formatLaunchTime(updated.launch_at, updated.time_zone)} (${updated.time_zone}).`,
      );
    },
  );

  app.post(
    '/organiser/campaigns/:id/image',
    // The multipart body is read after the CSRF check, so this form carries its token in the query.
    { schema: { hide: true, params: CampaignIdParams }, config: { csrfTokenInQuery: true }, preValidation: csrf },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id, 'edit-campaigns');
      if (!request.isMultipart()) throw new HttpError(400, 'send the image with the upload form');
      const form = await readImageForm(request);
      const outcome = await saveUploadedImage(ctx, currentActor(request), campaign.id, form.upload, form.alt);
      switch (outcome.kind) {
        case 'refused':
          return showForm(request, reply.code(imageProblemStatus(outcome.problem)), { kind: 'edit', campaign }, formValuesOf(campaign), {
            [outcome.field]: describeImageProblem(outcome.problem),
          });
        case 'saved':
          return showForm(
            request,
            reply,
            { kind: 'edit', campaign: outcome.campaign },
            formValuesOf(outcome.campaign),
            {},
            'The image is saved.',
          );
        case 'too-late':
          throw new HttpError(409, outcome.message);
        case 'denied':
          throw new HttpError(problemStatus[outcome.problem.kind], outcome.problem.message);
      }
    },
  );

  app.post(
    '/organiser/campaigns/:id/publish',
    { schema: { hide: true, params: CampaignIdParams, body: CsrfOnly }, preValidation: csrf },
    async (request, reply) => {
      const campaign = valueOrHttpError(await publishCampaign(ctx, currentActor(request), request.params.id));
      return reply.redirect(`/organiser/campaigns/${campaign.id}`, 303);
    },
  );

  app.post(
    '/organiser/campaigns/:id/cancel',
    { schema: { hide: true, params: CampaignIdParams, body: CsrfOnly }, preValidation: csrf },
    async (request, reply) => {
      const campaign = valueOrHttpError(await cancelCampaign(ctx, currentActor(request), request.params.id));
      return reply.redirect(`/organiser/campaigns/${campaign.id}`, 303);
    },
  );

  app.get('/organiser/campaigns/:id/preview', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) => {
    const campaign = await ownCampaign(request, request.params.id);
    const networks = campaign.networks.flatMap((id) => {
      const network = ctx.networks.outline(id);
      return network === undefined ? [] : [network];
    });
    return reply.view('organiser/preview', {
      ...pageLocals(request, reply),
      title: `Launch preview: ${campaign.title}`,
      campaign: { id: campaign.id, slug: campaign.slug, title: campaign.title, editable: isCampaignEditable(campaign.state) },
      launchAt: formatLaunchTime(campaign.launch_at, campaign.time_zone),
      timeZone: campaign.time_zone,
      launchAtUtc: formatLaunchTime(campaign.launch_at, 'UTC'),
      supporters: campaign.supporter_count,
      goal: campaign.goal,
      goalMet: isGoalMet(campaign.supporter_count, campaign.goal),
      hashtags: campaignHashtags(campaign).map((t) => `#${t}`),
      texts: [campaign.message, ...campaign.variants].map((text, i) => ({
        label: i === 0 ? 'Main message' : `Wording ${i}`,
        text,
        checks: networks.map((n) => {
          const problem = checkPostText(text, campaign.link, n.textRules);
          return {
            network: n.displayName,
            length: n.textRules.measure(text),
            maxLength: n.textRules.maxLength,
            problem: problem === null ? null : describeMessageProblem(problem),
          };
        }),
      })),
    });
  });
};

/** The image fields' problems as sentences beside them. */
function imageFieldErrors(upload: ImageUpload, alt: string): FieldErrors {
  return Object.fromEntries(
    Object.entries(optionalImageProblems(upload, alt)).map(([field, problem]) => [field, describeImageProblem(problem)]),
  );
}

/**
 * A form that comes back cannot keep the file chosen in it (a browser never lets a page fill a file field): when the
 * organiser had chosen one and the image itself was not at fault, the file field says to choose it again.
 */
function withImageReminder(errors: FieldErrors, upload: ImageUpload['kind']): FieldErrors {
  if (upload !== 'file' || errors.image !== undefined) return errors;
  return { ...errors, image: 'Choose the image file again: a form that comes back cannot keep it.' };
}

function formValuesOf(campaign: Campaign): CampaignFormValues {
  return {
    title: campaign.title,
    slug: campaign.slug,
    description: campaign.description,
    link: campaign.link,
    message: campaign.message,
    variants: campaign.variants,
    goal: String(campaign.goal),
    launchAt: DateTime.fromJSDate(campaign.launch_at, { zone: campaign.time_zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss"),
    timeZone: campaign.time_zone,
    networks: campaign.networks,
    xMode: campaign.x_mode,
    listed: campaign.listed,
    publish: campaign.state !== 'draft',
    organisationId: campaign.organisation_id,
  };
}

// The edit form changes what the API's PATCH can change; slug, link and networks stay as created.
function pick(values: CampaignFormValues): Partial<CampaignFormValues> {
  const { title, description, message, variants, goal, launchAt, timeZone, xMode, listed } = values;
  return { title, description, message, variants, goal, launchAt, timeZone, xMode, listed };
}

export default organiserCampaignPages;
