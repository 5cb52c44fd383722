import { describe, expect, it } from 'vitest';
import { logFormatFor, loggerOptions } from '../../src/logger-options.ts';

describe('the log format', () => {
  it('is readable lines for a person at a terminal outside production, and JSON for collectors', () => {
    expect(logFormatFor({ NODE_ENV: 'development', LOG_FORMAT: undefined }, true)).toBe('pretty');
    expect(logFormatFor({ NODE_ENV: 'development', LOG_FORMAT: undefined }, false)).toBe('json');
    expect(logFormatFor({ NODE_ENV: 'production', LOG_FORMAT: undefined }, true)).toBe('json');
    expect(logFormatFor({ NODE_ENV: 'test', LOG_FORMAT: undefined }, undefined)).toBe('json');
  });

  it('follows LOG_FORMAT when an operator sets it', () => {
    expect(logFormatFor({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logFormatFor({ NODE_ENV: 'development', LOG_FORMAT: 'json' }, true)).toBe('json');
  });

  it('sends readable lines through pino-pretty and keeps the same redaction either way', () => {
    const pretty = loggerOptions('info', 'pretty');
    const json = loggerOptions('info', 'json');
    expect(pretty.transport).toMatchObject({ target: 'pino-pretty' });
    expect(json.transport).toBeUndefined();
    expect(pretty.redact).toEqual(json.redact);
  });
});
