import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { can } from '../../domain/organisation-role.ts';
import { suggestedPostLimits } from '../../domain/suggested-post-rules.ts';
import { currentActor, currentOrganiser } from '../../plugins/app/organiser-auth.ts';
import { findMemberCampaign, type MemberCampaign } from '../../use-cases/organisations/organisation-access.ts';
import { addSuggestedPost } from '../../use-cases/share-kit/add-suggested-post.ts';
import { changeSuggestedPost } from '../../use-cases/share-kit/change-suggested-post.ts';
import { deleteSuggestedPost } from '../../use-cases/share-kit/delete-suggested-post.ts';
import { listSuggestedPosts } from '../../use-cases/share-kit/list-suggested-posts.ts';
import { shareToolsView } from '../../use-cases/share-kit/share-tools-view.ts';
import { shortLinkQr } from '../../use-cases/share-kit/short-link-qr.ts';
import { CampaignIdParams } from '../api/v1/campaign.schemas.ts';
import { asSentence, problemStatus, valueOrHttpError } from '../problem-status.ts';
import { requireOrganiserPage } from './organiser-guard.ts';
import { pageLocals } from './page-locals.ts';

// The text is checked by the use case (length, the text rule), so that a refusal comes back beside the field.
const SuggestedPostForm = Type.Object({ _csrf: Type.Optional(Type.String()), text: Type.Optional(Type.String({ maxLength: 20_000 })) });
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Type.String()) });
const PostParams = Type.Object({ ...CampaignIdParams.properties, postId: Type.String({ format: 'uuid' }) });

/** The organiser's sharing pages: "your campaign is ready", the share kit's suggested posts, and the short link's QR code. */
const shareKitPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);
  const publicUrl = ctx.config.PUBLIC_URL;
  app.addHook('preHandler', requireOrganiserPage(app));
  const writeLimit = app.rateLimited('share-kit-writes-per-organiser');

  /** A campaign of one of the caller's organisations (every member may see its sharing tools; writes check the role). */
  async function ownCampaign(request: FastifyRequest, id: string): Promise<MemberCampaign> {
    return valueOrHttpError(await findMemberCampaign(ctx.db, currentOrganiser(request).id, id, 'read-campaigns'));
  }

  async function showShareKit(
    request: FastifyRequest,
    reply: FastifyReply,
    campaign: MemberCampaign,
    forms: { errors?: Record<string, string>; text?: string; notice?: string } = {},
  ) {
    const [posts, tools] = await Promise.all([
      listSuggestedPosts(ctx.db, currentOrganiser(request).id, campaign.id),
      shareToolsView(ctx.db, campaign, publicUrl),
    ]);
    return reply.view('organiser/share-kit', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Suggested posts: ${campaign.title}`,
      campaign: { id: campaign.id, title: campaign.title },
      // A viewer reads the posts without the forms that would change them (the use cases refuse them all the same).
      canEdit: can(campaign.member_role, 'edit-campaigns'),
      role: campaign.member_role,
      shortUrl: tools.shortUrl,
      posts: valueOrHttpError(posts).map((p) => ({ id: p.id, text: p.body })),
      limits: suggestedPostLimits,
      errors: forms.errors ?? {},
      values: { text: forms.text ?? '' },
      notice: forms.notice,
    });
  }

  app.get('/organiser/campaigns/:id/ready', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) => {
    const campaign = await ownCampaign(request, request.params.id);
    return reply.view('organiser/ready', {
      ...pageLocals(request, reply),
      title: `Ready to share: ${campaign.title}`,
      campaign: { id: campaign.id, slug: campaign.slug, title: campaign.title },
      shareTools: await shareToolsView(ctx.db, campaign, publicUrl),
      scripts: ['/static/share-links.js'],
    });
  });

  app.get('/organiser/campaigns/:id/share-kit', { schema: { hide: true, params: CampaignIdParams } }, async (request, reply) =>
    showShareKit(request, reply, await ownCampaign(request, request.params.id)),
  );

  app.post(
    '/organiser/campaigns/:id/share-kit',
    { schema: { hide: true, params: CampaignIdParams, body: SuggestedPostForm }, preValidation: csrf, preHandler: writeLimit },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id);
      const text = (request.body.text ?? '').replaceAll('\r\n', '\n');
      const added = await addSuggestedPost(ctx.db, currentActor(request), campaign.id, text);
      if (added.kind !== 'done')
        return showShareKit(request, reply.code(problemStatus[added.kind]), campaign, {
          text,
          errors: { text: asSentence(added.message) },
        });
      return showShareKit(request, reply, campaign, { notice: 'The post is added: it is offered on the campaign page now.' });
    },
  );

  app.post(
    '/organiser/campaigns/:id/share-kit/:postId',
    { schema: { hide: true, params: PostParams, body: SuggestedPostForm }, preValidation: csrf, preHandler: writeLimit },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id);
      const text = (request.body.text ?? '').replaceAll('\r\n', '\n');
      const changed = await changeSuggestedPost(ctx.db, currentActor(request), campaign.id, request.params.postId, text);
      if (changed.kind !== 'done')
        return showShareKit(request, reply.code(problemStatus[changed.kind]), campaign, {
          errors: { [`text-${request.params.postId}`]: asSentence(changed.message) },
        });
      return showShareKit(request, reply, campaign, { notice: 'The post is saved.' });
    },
  );

  app.post(
    '/organiser/campaigns/:id/share-kit/:postId/delete',
    { schema: { hide: true, params: PostParams, body: CsrfOnly }, preValidation: csrf, preHandler: writeLimit },
    async (request, reply) => {
      const campaign = await ownCampaign(request, request.params.id);
      valueOrHttpError(await deleteSuggestedPost(ctx.db, currentActor(request), campaign.id, request.params.postId));
      return showShareKit(request, reply, campaign, { notice: 'The post is deleted.' });
    },
  );

  app.get(
    '/organiser/campaigns/:id/qr.:format',
    {
      schema: {
        hide: true,
        params: Type.Object({ ...CampaignIdParams.properties, format: Type.Union([Type.Literal('svg'), Type.Literal('png')]) }),
      },
      preHandler: app.rateLimited('qr-code-per-organiser'),
    },
    async (request, reply) => {
      const qr = valueOrHttpError(
        await shortLinkQr(ctx.db, currentOrganiser(request).id, request.params.id, publicUrl, request.params.format),
      );
      // An SVG from Chorus's origin is shown as an image or downloaded, never run: nothing in it is the organiser's text.
      return reply
        .headers({
          'cache-control': 'private, max-age=3600',
          'content-disposition': `inline; filename="${qr.filename}"`,
          'x-content-type-options': 'nosniff',
        })
        .type(qr.contentType)
        .send(qr.bytes);
    },
  );
};

export default shareKitPages;
