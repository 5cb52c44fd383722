/** Where Chorus's client metadata and keys are served when it is not the loopback client. */
export const blueskyClientMetadataPath = '/oauth/bluesky/client-metadata.json';
export const blueskyJwksPath = '/oauth/bluesky/jwks.json';
