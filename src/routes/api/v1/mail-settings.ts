import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { organiserMailKindLabels, organiserMailKinds } from '../../../domain/organiser-mail-kind.ts';
import { currentCaller } from '../../../plugins/app/organiser-auth.ts';
import type { Db } from '../../../storage/database.ts';
import { changeMailSettings, readMailSettings } from '../../../use-cases/mail/organiser-mail-settings.ts';
import { valueOrHttpError } from '../../problem-status.ts';

const kindProperty = (kind: (typeof organiserMailKinds)[number]) => Type.Boolean({ description: organiserMailKindLabels[kind] });

const Settings = Type.Object(Object.fromEntries(organiserMailKinds.map((kind) => [kind, kindProperty(kind)])), {
  description: 'each kind of mail Chorus sends the organiser, on (true) or off',
});
const SettingsChange = Type.Object(Object.fromEntries(organiserMailKinds.map((kind) => [kind, Type.Optional(kindProperty(kind))])), {
  additionalProperties: false,
  description: 'the kinds to switch on (true) or off (false); kinds left out stay as they are',
});

/** The organiser's mail settings: which mails about their campaigns they get (docs/mail.md). */
const mailSettingsRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.addHook('preHandler', app.requireOrganiser);
  // After the file's requireOrganiser hook: route hooks run after the plugin's.
  const limit = app.rateLimited('account-settings-per-organiser');

  app.get(
    '/me/mail-settings',
    {
      preHandler: limit,
      schema: { tags: ['organisers'], summary: 'Which mails about your campaigns you get', response: { 200: Settings } },
    },
    async (request) => valueOrHttpError(await readMailSettings(db, currentCaller(request).organiser.id)),
  );

  app.put(
    '/me/mail-settings',
    {
      preHandler: limit,
      schema: {
        tags: ['organisers'],
        summary: 'Switch mails about your campaigns on or off; answers every setting',
        body: SettingsChange,
        response: { 200: Settings },
      },
    },
    async (request) => valueOrHttpError(await changeMailSettings(db, currentCaller(request).organiser.id, request.body)),
  );
};

export default mailSettingsRoutes;
