import { describe, expect, it } from 'vitest';
import { claimableDeliveryStates, deliveryStates, isDeliveryFinal, mayAlreadyBePosted } from '../../src/domain/delivery-state.ts';

describe('delivery state', () => {
  it('is final only once sent or failed', () => {
    expect(deliveryStates.filter(isDeliveryFinal)).toEqual(['sent', 'failed']);
  });

  it('lets a worker claim every delivery that is not final, and none that is', () => {
    expect([...claimableDeliveryStates].sort()).toEqual(deliveryStates.filter((state) => !isDeliveryFinal(state)).sort());
  });

  it('looks at the account first when a delivery was claimed before or its outcome is unknown', () => {
    expect(mayAlreadyBePosted('claimed')).toBe(true);
    expect(mayAlreadyBePosted('unknown')).toBe(true);
  });

  it('posts straight away from queued or held: nothing was sent from them', () => {
    expect(mayAlreadyBePosted('queued')).toBe(false);
    expect(mayAlreadyBePosted('held')).toBe(false);
  });

  it('refuses to claim a final delivery again', () => {
    expect(() => mayAlreadyBePosted('sent')).toThrow('a sent delivery is final and cannot be claimed');
    expect(() => mayAlreadyBePosted('failed')).toThrow('a failed delivery is final and cannot be claimed');
  });
});
