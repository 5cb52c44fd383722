import type { FastifyPluginAsync } from 'fastify';
import type { ChorusContext } from '../../chorus-context.ts';
import accessibilityPage from './accessibility-page.ts';
import accountPage from './account-page.ts';
import campaignReportPages from './campaign-report-pages.ts';
import homePage from './home-page.ts';
import operatorPages from './operator-pages.ts';
import operatorWelcomePages from './operator-welcome-pages.ts';
import organiserAccountPages from './organiser-account-pages.ts';
import organiserCampaignPages from './organiser-campaign-pages.ts';
import organisationPages from './organisation-pages.ts';
import organiserTwoFactorPages from './organiser-two-factor-pages.ts';
import privacyPage from './privacy-page.ts';
import publicCampaignPages from './public-campaign-pages.ts';
import reachDashboardPages from './reach-dashboard-pages.ts';
import shareKitPages from './share-kit-pages.ts';
import supporterMailPages from './supporter-mail-pages.ts';
import supporterPages from './supporter-pages.ts';
import webhookPages from './webhook-pages.ts';

/** Every page people use in a browser, beside the JSON API. */
const pageRoutes: FastifyPluginAsync<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  await app.register(homePage, { ctx });
  await app.register(privacyPage, { ctx });
  await app.register(accessibilityPage);
  await app.register(publicCampaignPages, { ctx });
  await app.register(supporterPages, { ctx });
  await app.register(supporterMailPages, { ctx });
  await app.register(organiserAccountPages, { ctx });
  await app.register(accountPage, { ctx });
  await app.register(organiserTwoFactorPages, { ctx });
  await app.register(webhookPages, { ctx });
  await app.register(organiserCampaignPages, { ctx });
  await app.register(reachDashboardPages, { ctx });
  await app.register(campaignReportPages, { ctx });
  await app.register(operatorWelcomePages, { ctx });
  await app.register(operatorPages, { ctx });
  await app.register(shareKitPages, { ctx });
  await app.register(organisationPages, { ctx });
};

export default pageRoutes;
