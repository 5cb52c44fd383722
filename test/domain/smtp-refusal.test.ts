import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../src/domain/smtp-refusal.ts';

describe('an SMTP problem, permanent or temporary', () => {
  it('is permanent on a 5xx reply, with the server’s words', () => {
    expect(classifySmtpError({ responseCode: 550, response: '550 5.1.1 No such\r\n mailbox', message: 'x' })).toEqual({
      kind: 'permanent',
      reason: 'the mail server refused it: 550 5.1.1 No such mailbox',
    });
  });

  it('is temporary on a 4xx reply, and when the server cannot be reached', () => {
    expect(classifySmtpError({ responseCode: 451, response: '451 4.3.0 later', message: 'x' }).kind).toBe('temporary');
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:25' })).toEqual({
      kind: 'temporary',
      reason: 'the mail server could not be reached: ECONNECTION',
    });
    expect(classifySmtpError({ message: 'Greeting never received' })).toEqual({
      kind: 'temporary',
      reason: 'the mail server could not be reached: Greeting never received',
    });
  });
});
