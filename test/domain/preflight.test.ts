import { describe, expect, it } from 'vitest';
import { preflight } from '../../src/domain/preflight.ts';

describe('preflight', () => {
  it('has nothing over the allowance when the pledges fit, up to exactly the allowance', () => {
    expect(preflight(0, 100, 0.01)).toEqual({ pledges: 0, dailyAllowance: 100, estimatedCost: 0, overAllowance: 0 });
    expect(preflight(100, 100, 0.01)).toEqual({ pledges: 100, dailyAllowance: 100, estimatedCost: 1, overAllowance: 0 });
  });

  it('counts the pledges beyond the daily allowance', () => {
    expect(preflight(101, 100, 0).overAllowance).toBe(1);
    expect(preflight(2500, 100, 0).overAllowance).toBe(2400);
  });

  it('estimates the cost to the cent, without floating-point dust', () => {
    expect(preflight(3, 100, 0.1).estimatedCost).toBe(0.3);
    expect(preflight(7, 100, 0.015).estimatedCost).toBe(0.11);
    expect(preflight(1234, 10_000, 0.01).estimatedCost).toBe(12.34);
  });

  it('costs nothing on a free network', () => {
    expect(preflight(5000, 17, 0).estimatedCost).toBe(0);
  });
});
