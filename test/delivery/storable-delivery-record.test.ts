import { describe, expect, it } from 'vitest';
import { storableDeliveryRecord } from '../../src/delivery/storable-delivery-record.ts';

describe("a delivery's outcome as it is stored", () => {
  it("keeps a post id exactly, and cleans the network's words", () => {
    expect(storableDeliveryRecord({ state: 'sent', postId: 'at://did:plc:abc/app.bsky.feed.post/3k' })).toEqual({
      state: 'sent',
      postId: 'at://did:plc:abc/app.bsky.feed.post/3k',
    });
    expect(storableDeliveryRecord({ state: 'failed', reason: 'the instance answered 422 (\u202Eevil\u0000)' })).toEqual({
      state: 'failed',
      reason: 'the instance answered 422 (evil)',
    });
    const retry = { state: 'queued', reason: 'x'.repeat(5000), nextAttemptAt: new Date(0), retryDeadline: null } as const;
    expect(storableDeliveryRecord(retry)).toEqual({ ...retry, reason: 'x'.repeat(1000) });
  });

  it('records a post that went out even when the network answered an id Postgres would refuse', () => {
    expect(storableDeliveryRecord({ state: 'sent', postId: '12\u000034' })).toEqual({ state: 'sent', postId: '1234' });
  });
});
