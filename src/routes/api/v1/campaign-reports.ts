import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Db } from '../../../storage/database.ts';
import { reportCampaign } from '../../../use-cases/operators/report-campaign.ts';
import { valueOrHttpError } from '../../problem-status.ts';
import { ReportBody } from './operator.schemas.ts';
import { SlugParams } from './public-campaigns.ts';

/** Anyone may report a public campaign to the instance's operators (rate-limited per client). */
const campaignReportRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/public/campaigns/:slug/reports',
    {
      preHandler: app.rateLimited('campaign-report-per-client'),
      schema: {
        tags: ['public'],
        summary: "Report a campaign to this Chorus's operators",
        params: SlugParams,
        body: ReportBody,
        response: { 201: Type.Object({ id: Type.String(), message: Type.String() }) },
      },
    },
    async (request, reply) => {
      const report = valueOrHttpError(await reportCampaign(db, request.params.slug, request.body));
      return reply.code(201).send({ id: report.id, message: 'thank you: the operators of this Chorus will look at it' });
    },
  );
};

export default campaignReportRoutes;
