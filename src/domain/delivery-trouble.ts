/**
 * Failures worth an organiser's attention during a launch: at least this many posts failed, and at least this
 * share of the posts finished so far. A few failures are expected (supporters revoke access); a burst means
 * something is wrong for many supporters at once (a network refusing the wording, expired grants).
 */
export const bulkFailureThreshold = { minimumFailed: 10, minimumShare: 0.25 } as const;

/** Whether a launch's deliveries are failing in bulk. */
export function isFailingInBulk(counts: { readonly sent: number; readonly failed: number }): boolean {
  const finished = counts.sent + counts.failed;
  return counts.failed >= bulkFailureThreshold.minimumFailed && counts.failed >= finished * bulkFailureThreshold.minimumShare;
}

/** The two troubles a notice is sent for, once per campaign each. */
export const deliveryTroubleCauses = ['held', 'failing'] as const;

export type DeliveryTroubleCause = (typeof deliveryTroubleCauses)[number];
