import { describe, expect, it } from 'vitest';
import { isFailingInBulk } from '../../src/domain/delivery-trouble.ts';

describe('deliveries failing in bulk', () => {
  it('takes at least 10 failed posts and at least a quarter of those finished', () => {
    expect(isFailingInBulk({ sent: 2, failed: 10 })).toBe(true);
    expect(isFailingInBulk({ sent: 30, failed: 10 })).toBe(true);
    expect(isFailingInBulk({ sent: 31, failed: 10 })).toBe(false);
    expect(isFailingInBulk({ sent: 0, failed: 9 })).toBe(false);
    expect(isFailingInBulk({ sent: 0, failed: 0 })).toBe(false);
  });
});
