import Type, { type Static } from 'typebox';

/** Something that will stop a pledge being posted unless the supporter acts before launch. */
export const AccessWarningSchema = Type.Object({
  kind: Type.Literal('access-expires-before-launch'),
  message: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  reauthoriseUrl: Type.String({ description: 'open it again shortly before launch: it renews the access and keeps the pledge' }),
});
export type AccessWarning = Static<typeof AccessWarningSchema>;

/**
 * Warns when a grant that cannot be renewed (LinkedIn's 60-day tokens) runs out before the
 * launch: re-authorising nearer the launch renews it.
 */
export function accessWarnings(
  // Only whether a refresh token is held matters: in clear, or sealed as a stored grant holds it.
  access: { readonly refreshToken: string | Uint8Array | null; readonly expiresAt: Date },
  campaign: { readonly launch_at: Date },
  reauthoriseUrl: string,
): AccessWarning[] {
  if (access.refreshToken !== null || access.expiresAt.getTime() > campaign.launch_at.getTime()) return [];
  return [
    {
      kind: 'access-expires-before-launch',
      message: `Your authorisation ends on ${access.expiresAt.toISOString().slice(0, 10)}, before the launch on ${campaign.launch_at.toISOString().slice(0, 10)}: authorise again nearer the launch (the link below keeps your pledge), or this post cannot be made.`,
      expiresAt: access.expiresAt.toISOString(),
      reauthoriseUrl,
    },
  ];
}
