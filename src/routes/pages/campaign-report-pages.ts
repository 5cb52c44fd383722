import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ChorusContext } from '../../chorus-context.ts';
import { findReportedCampaign } from '../../use-cases/campaign-views/find-public-campaign.ts';
import { reportCampaign } from '../../use-cases/operators/report-campaign.ts';
import { SlugParams } from '../api/v1/public-campaigns.ts';
import { notFound } from '../http-error.ts';
import { fieldMessagesOf, problemStatus } from '../problem-status.ts';
import { pageLocals } from './page-locals.ts';

const ReportForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String({ maxLength: 5000 })),
  contact: Type.Optional(Type.String({ maxLength: 500 })),
});

/** "Report this campaign": a form beside every public campaign page, to the operators' queue (rate-limited per client). */
const campaignReportPages: FastifyPluginAsyncTypebox<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  const csrf = app.csrfProtection.bind(app);

  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    values: { reason: string; contact: string },
    errors: Record<string, string> = {},
  ) {
    const found = await findReportedCampaign(ctx.db, slug);
    if (found.kind !== 'done') throw notFound('campaign');
    const { campaign, operatorContact } = found.value;
    return reply.view('campaign/report', {
      ...pageLocals(request, reply, { forms: true }),
      title: `Report “${campaign.title}”`,
      noindex: true,
      campaign: { slug: campaign.slug, title: campaign.title },
      operatorContact,
      retentionDays: ctx.config.REPORT_CONTACT_RETENTION_DAYS,
      values,
      errors,
    });
  }

  app.get(
    '/c/:slug/report',
    { onRequest: app.rateLimited('campaign-page-per-client'), schema: { hide: true, params: SlugParams } },
    (request, reply) => show(request, reply, request.params.slug, { reason: '', contact: '' }),
  );

  app.post(
    '/c/:slug/report',
    {
      schema: { hide: true, params: SlugParams, body: ReportForm },
      preValidation: csrf,
      preHandler: app.rateLimited('campaign-report-per-client'),
    },
    async (request, reply) => {
      const values = { reason: request.body.reason ?? '', contact: request.body.contact ?? '' };
      const outcome = await reportCampaign(ctx.db, request.params.slug, values);
      switch (outcome.kind) {
        case 'done':
          return reply.view('error', {
            ...pageLocals(request, reply),
            title: 'Thank you',
            status: 200,
            message:
              'Your report is with the operators of this Chorus. They look at every report, and suspend a campaign that breaks the rules.',
          });
        case 'not-found':
          throw notFound('campaign');
        case 'invalid':
        case 'unauthenticated':
        case 'forbidden':
        case 'conflict':
        case 'unpostable':
          return show(request, reply.code(problemStatus[outcome.kind]), request.params.slug, values, fieldMessagesOf(outcome));
      }
    },
  );
};

export default campaignReportPages;
