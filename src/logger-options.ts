import type { LoggerOptions } from 'pino';

/** pino settings for every Chorus process: secrets are redacted wherever they could appear. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.accessToken',
        '*.refreshToken',
        '*.access_token',
        '*.refresh_token',
        '*.password',
        '*.token',
        '*.manageToken',
      ],
      censor: '[redacted]',
    },
    serializers: {
      // The OAuth callback's query carries a one-time code: log the path only.
      req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
    },
  };
}
