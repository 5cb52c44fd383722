import { createHash } from 'node:crypto';

const base32Sortable = '234567abcdefghijklmnopqrstuvwxyz';
// The time part stays in a past year (2024), whatever the hash, so no key looks like the future.
const earliestMicros = 1_704_067_200_000_000n;
const timeSpanMicros = 1n << 44n;

/**
 * The record key of a delivery's post: a TID (posts' keys must be TIDs) computed from the
 * delivery's idempotency key, so every attempt of one delivery writes to the same key and a
 * retry can find the post an earlier attempt made instead of making a second one. Its time part
 * is not the post's time (the record's createdAt is).
 */
export function blueskyRecordKey(idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest();
  const micros = earliestMicros + (digest.readBigUInt64BE(0) % timeSpanMicros);
  const clockId = BigInt(digest.readUInt16BE(8) & 0x3ff);
  let value = (micros << 10n) | clockId;
  let key = '';
  for (let i = 0; i < 13; i++) {
    key = base32Sortable.charAt(Number(value & 31n)) + key;
    value >>= 5n;
  }
  return key;
}
