import pino, { type LoggerOptions } from 'pino';
import type { Config } from '../config/config.ts';

/** How a process writes its log: JSON lines for collectors, or readable lines for a person at a terminal. */
export type LogFormat = NonNullable<Config['LOG_FORMAT']>;

/** The format asked for, else readable lines when a person watches a terminal outside production, else JSON. */
export function logFormatFor(config: Pick<Config, 'LOG_FORMAT' | 'NODE_ENV'>, isTerminal = process.stdout.isTTY): LogFormat {
  return config.LOG_FORMAT ?? (isTerminal && config.NODE_ENV !== 'production' ? 'pretty' : 'json');
}

/** pino settings for every Chorus process: secrets are redacted wherever they could appear. */
export function loggerOptions(level: string, format: LogFormat = 'json'): LoggerOptions {
  return {
    level,
    // pino-pretty formats in a worker thread of pino's, after redaction, so a readable line hides what JSON hides.
    ...(format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        '*.headers.authorization',
        'accessToken',
        'refreshToken',
        'access_token',
        'refresh_token',
        'token',
        'password',
        'manageToken',
        '*.accessToken',
        '*.refreshToken',
        '*.access_token',
        '*.refresh_token',
        '*.password',
        '*.token',
        '*.manageToken',
        '*.*.accessToken',
        '*.*.refreshToken',
        // Two-factor sign-in: the TOTP secret, its otpauth:// URI and the recovery codes.
        'secret',
        'otpauthUri',
        'recoveryCodes',
        '*.secret',
        '*.otpauthUri',
        '*.recoveryCodes',
      ],
      censor: '[redacted]',
    },
    serializers: {
      // The OAuth callback's query carries a one-time code: log the path only.
      req: (req: { method?: string; url?: string; id?: string }) => ({ id: req.id, method: req.method, path: req.url?.split('?')[0] }),
      // HTTP clients' errors carry the request they failed on, bearer token included: keep only what explains the error.
      err: safeError,
    },
  };
}

interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: LoggedError;
}

function safeError(error: unknown, depth = 0): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const standard = pino.stdSerializers.err(error);
  const logged: LoggedError = { type: standard.type, message: standard.message, stack: standard.stack };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') logged.code = code;
  if (error.cause !== undefined && depth < 3) logged.cause = safeError(error.cause, depth + 1);
  return logged;
}
