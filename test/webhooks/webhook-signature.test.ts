import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret } from '../../src/security/webhook-secret.ts';
import { signWebhook } from '../../src/webhooks/webhook-signature.ts';

/** The Standard Webhooks signature, computed here with node:crypto alone (independent of the library Chorus signs with). */
function expectedSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

describe('webhook signatures (Standard Webhooks)', () => {
  const body = JSON.stringify({ type: 'pledge.created', timestamp: '2026-12-02T06:00:00.000Z', data: { pledgeId: 'p' } });

  it('signs id.timestamp.body with HMAC-SHA256 under the secret, whole seconds in the header', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signWebhook([secret], 'msg_1', new Date('2026-12-02T06:00:00.750Z'), body);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe('1796191200');
    expect(headers['webhook-signature']).toBe(expectedSignature(secret, 'msg_1', '1796191200', body));
  });

  it('sends one signature per secret during a rotation, each verifying on its own', () => {
    const [old, current] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook([current, old], 'msg_2', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toEqual([
      expectedSignature(current, 'msg_2', headers['webhook-timestamp'], body),
      expectedSignature(old, 'msg_2', headers['webhook-timestamp'], body),
    ]);
    for (const secret of [old, current]) expect(new Webhook(secret).verify(body, { ...headers })).toMatchObject({ type: 'pledge.created' });
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });
});
