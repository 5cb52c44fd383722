/** An instant to the minute in UTC, as mails about the instance (not a campaign, which has its own zone) write it: "2026-12-02 13:05 UTC". */
export function formatUtcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
