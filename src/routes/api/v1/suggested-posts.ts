import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { ChorusContext } from '../../../chorus-context.ts';
import { suggestedPostLimits } from '../../../domain/suggested-post-rules.ts';
import { currentActor, currentOrganiser } from '../../../plugins/app/organiser-auth.ts';
import type { SuggestedPost } from '../../../storage/database.ts';
import { addSuggestedPost } from '../../../use-cases/share-kit/add-suggested-post.ts';
import { changeSuggestedPost } from '../../../use-cases/share-kit/change-suggested-post.ts';
import { deleteSuggestedPost } from '../../../use-cases/share-kit/delete-suggested-post.ts';
import { listSuggestedPosts } from '../../../use-cases/share-kit/list-suggested-posts.ts';
import { StorableText } from '../../../use-cases/storable-text-schema.ts';
import { valueOrHttpError } from '../../problem-status.ts';
import { CampaignIdParams } from './campaign.schemas.ts';

const SuggestedPostView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  text: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const SuggestedPostBody = Type.Object(
  {
    text: StorableText({
      minLength: 1,
      maxLength: suggestedPostLimits.maxLength,
      description: "what people share by hand; the campaign's short link is added to the share links when the text does not carry it",
    }),
  },
  { additionalProperties: false },
);

const SuggestedPostParams = Type.Object({ ...CampaignIdParams.properties, postId: Type.String({ format: 'uuid' }) });

function suggestedPostView(post: SuggestedPost) {
  return { id: post.id, text: post.body, createdAt: post.created_at.toISOString(), updatedAt: post.updated_at.toISOString() };
}

/** A campaign's share kit: the posts its organiser suggests people share by hand on any network. */
const suggestedPostRoutes: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  app.addHook('preHandler', app.requireOrganiser);
  const writeLimit = app.rateLimited('share-kit-writes-per-organiser');

  app.get(
    '/campaigns/:id/suggested-posts',
    {
      schema: {
        tags: ['share kit'],
        summary: "Your campaign's suggested posts, in the order they were added",
        params: CampaignIdParams,
        response: { 200: Type.Array(SuggestedPostView) },
      },
    },
    async (request) =>
      valueOrHttpError(await listSuggestedPosts(ctx.db, currentOrganiser(request).id, request.params.id)).map(suggestedPostView),
  );

  app.post(
    '/campaigns/:id/suggested-posts',
    {
      preHandler: writeLimit,
      schema: {
        tags: ['share kit'],
        summary: `Suggest a post for people to share by hand (at most ${suggestedPostLimits.maxPerCampaign} a campaign)`,
        params: CampaignIdParams,
        body: SuggestedPostBody,
        response: { 201: SuggestedPostView },
      },
    },
    async (request, reply) => {
      const added = valueOrHttpError(await addSuggestedPost(ctx.db, currentActor(request), request.params.id, request.body.text));
      return reply.code(201).send(suggestedPostView(added));
    },
  );

  app.put(
    '/campaigns/:id/suggested-posts/:postId',
    {
      preHandler: writeLimit,
      schema: {
        tags: ['share kit'],
        summary: 'Rewrite a suggested post',
        params: SuggestedPostParams,
        body: SuggestedPostBody,
        response: { 200: SuggestedPostView },
      },
    },
    async (request) =>
      suggestedPostView(
        valueOrHttpError(
          await changeSuggestedPost(ctx.db, currentActor(request), request.params.id, request.params.postId, request.body.text),
        ),
      ),
  );

  app.delete(
    '/campaigns/:id/suggested-posts/:postId',
    {
      preHandler: writeLimit,
      schema: { tags: ['share kit'], summary: 'Delete a suggested post', params: SuggestedPostParams },
    },
    async (request, reply) => {
      valueOrHttpError(await deleteSuggestedPost(ctx.db, currentActor(request), request.params.id, request.params.postId));
      return reply.code(204).send();
    },
  );
};

export default suggestedPostRoutes;
