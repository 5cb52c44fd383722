import { describe, expect, it } from 'vitest';
import { readSecondFactorCode, secondFactorLockedUntil } from '../../src/domain/second-factor-code.ts';

describe('what was typed at the code step', () => {
  it('reads six digits as an app code, spaces ignored', () => {
    expect(readSecondFactorCode('123456')).toEqual({ kind: 'totp', code: '123456' });
    expect(readSecondFactorCode(' 123 456 ')).toEqual({ kind: 'totp', code: '123456' });
  });

  it('reads anything else as a recovery code', () => {
    expect(readSecondFactorCode('abcd-efgh-ijkl')).toEqual({ kind: 'recovery', code: 'abcd-efgh-ijkl' });
    expect(readSecondFactorCode('12345')).toEqual({ kind: 'recovery', code: '12345' });
  });
});

describe('the lock on the code step', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it('stays open for fewer than ten wrong codes in a row', () => {
    expect(secondFactorLockedUntil({ count: 9, lastAt: now }, now)).toBeUndefined();
  });

  it('closes for fifteen minutes after the tenth, then opens again', () => {
    expect(secondFactorLockedUntil({ count: 10, lastAt: now }, now)).toEqual(new Date('2026-12-01T10:15:00Z'));
    expect(secondFactorLockedUntil({ count: 10, lastAt: now }, new Date('2026-12-01T10:15:00Z'))).toBeUndefined();
  });
});
