import { storableNetworkReason, storablePostId } from '../domain/network-text.ts';
import type { DeliveryRecord } from '../storage/delivery.repository.ts';

/** A delivery's outcome as it is stored: the network's post id and words made storable (src/domain/network-text.ts). */
export function storableDeliveryRecord(record: DeliveryRecord): DeliveryRecord {
  switch (record.state) {
    case 'sent':
      return { ...record, postId: storablePostId(record.postId) };
    case 'failed':
    case 'unknown':
    case 'queued':
      return { ...record, reason: storableNetworkReason(record.reason) };
    case 'held':
      return record;
  }
}
