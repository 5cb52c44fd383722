import type { FastifyPluginAsync } from 'fastify';
import type { ChorusContext } from '../../chorus-context.ts';
import accountPage from './account-page.ts';
import homePage from './home-page.ts';
import organiserAccountPages from './organiser-account-pages.ts';
import organiserCampaignPages from './organiser-campaign-pages.ts';
import organisationPages from './organisation-pages.ts';
import organiserTwoFactorPages from './organiser-two-factor-pages.ts';
import privacyPage from './privacy-page.ts';
import publicCampaignPages from './public-campaign-pages.ts';
import reachDashboardPages from './reach-dashboard-pages.ts';
import supporterPages from './supporter-pages.ts';

/** Every page people use in a browser, beside the JSON API. */
const pageRoutes: FastifyPluginAsync<{ ctx: ChorusContext }> = async (app, { ctx }) => {
  await app.register(homePage);
  await app.register(privacyPage, { ctx });
  await app.register(publicCampaignPages, { ctx });
  await app.register(supporterPages, { ctx });
  await app.register(organiserAccountPages, { ctx });
  await app.register(accountPage, { ctx });
  await app.register(organiserTwoFactorPages, { ctx });
  await app.register(organiserCampaignPages, { ctx });
  await app.register(reachDashboardPages, { ctx });
  await app.register(organisationPages, { ctx });
};

export default pageRoutes;
