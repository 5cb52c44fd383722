import type { FastifyPluginAsync } from 'fastify';
import type { ChorusContext } from '../../chorus-context.ts';
import { readOperatorContact } from '../../use-cases/operators/instance-policy.ts';
import { PENDING_PLEDGE_LIFETIME_MS } from '../../use-cases/pledges/pending-pledge.ts';
import { pageLocals } from './page-locals.ts';

/** The privacy page: what Chorus keeps about supporters and organisers, why, and for how long, in plain words. */
const privacyPage: FastifyPluginAsync<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  app.get('/privacy', { schema: { hide: true } }, async (request, reply) =>
    reply.view('privacy', {
      ...pageLocals(request, reply),
      title: 'Privacy: what Chorus keeps, and for how long',
      // The operator sets the retention time; the page says this install's figure.
      retentionDays: ctx.config.SUPPORTER_DATA_RETENTION_DAYS,
      mailRetentionDays: ctx.config.MAIL_RETENTION_DAYS,
      auditRetentionDays: ctx.config.AUDIT_LOG_RETENTION_DAYS,
      pendingMinutes: PENDING_PLEDGE_LIFETIME_MS / 60_000,
      contactEmail: await readOperatorContact(ctx.db),
    }),
  );
};

export default privacyPage;
