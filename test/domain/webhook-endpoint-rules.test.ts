import { describe, expect, it } from 'vitest';
import {
  auditedWebhookAddress,
  checkWebhookDescription,
  checkWebhookUrlText,
  readWebhookEvents,
} from '../../src/domain/webhook-endpoint-rules.ts';

describe("an endpoint's events, description and address", () => {
  it('takes known events, each once, and refuses none or an unknown one', () => {
    expect(readWebhookEvents(['delivery.sent', 'pledge.created', 'delivery.sent'])).toEqual({
      events: ['delivery.sent', 'pledge.created'],
    });
    expect(readWebhookEvents([])).toEqual({ problem: 'pick at least one event' });
    expect(readWebhookEvents(['pledge.created', 'webhook.test'])).toEqual({ problem: 'webhook.test is not an event Chorus sends' });
  });

  it('refuses a long description or one the text rule refuses, and an address with characters URL parsing would hide', () => {
    expect(checkWebhookDescription('our CRM')).toBeNull();
    expect(checkWebhookDescription('x'.repeat(201))).toMatch(/200 characters/);
    expect(checkWebhookDescription('a\u0000b')).toMatch(/U\+0000/);
    expect(checkWebhookUrlText('https://example.org/hook')).toBeNull();
    expect(checkWebhookUrlText('https://example.org/hook\u0000')).toMatch(/U\+0000/);
    expect(checkWebhookUrlText(`https://example.org/${'x'.repeat(2000)}`)).toMatch(/2000 characters/);
  });

  it('keeps only the origin of an address in the audit log: a path or query may be the credential of the tool behind it', () => {
    expect(auditedWebhookAddress('https://hooks.example.org/services/T000/B000/secretpart?token=abc')).toBe('https://hooks.example.org');
    expect(auditedWebhookAddress('http://127.0.0.1:9/crm')).toBe('http://127.0.0.1:9');
    expect(auditedWebhookAddress('not an address')).toBe('');
  });
});
