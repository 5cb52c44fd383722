import { launchCalendarEvent } from '../../domain/launch-calendar-event.ts';
import { addressStateNeededFor, type SupporterMailKind } from '../../domain/supporter-mail-kind.ts';
import type { MailAttachment } from '../../mail/mail-transport.ts';
import type { TokenCipher } from '../../security/token-cipher.ts';
import type { Db, OutboxMailRow } from '../../storage/database.ts';
import { findAddressOfPledge } from '../../storage/supporter-mail-address.repository.ts';
import type { SupporterMailLinks } from './supporter-mail-links.ts';

/** What sending a supporter's mail adds at the last moment, from the address as it is then. */
export type SupporterMailExtras =
  | {
      readonly kind: 'ready';
      readonly templateData: Readonly<Record<string, unknown>>;
      readonly headers: Readonly<Record<string, string>>;
      readonly attachments: readonly MailAttachment[];
    }
  /** The address is gone (unsubscribed, erased) or not in the state this kind needs: the mail is not sent. */
  | { readonly kind: 'dropped'; readonly reason: string };

/**
 * The links and headers of a supporter's mail, made when it is sent rather than kept in the outbox: the unsubscribe
 * link (RFC 8058 one-click: `List-Unsubscribe` with the HTTPS link and `List-Unsubscribe-Post`), the confirm link of
 * the request to confirm, and for the pledge's confirmation the manage link (opened from its sealed copy) and the
 * launch as an .ics file. A mail whose address was deleted, or (but for the request to confirm) never confirmed, is
 * dropped: this is what keeps an unsubscribe final for mails already written.
 */
export async function supporterMailExtras(
  deps: { readonly db: Db; readonly cipher: TokenCipher; readonly links: SupporterMailLinks; readonly publicUrl: string },
  kind: SupporterMailKind,
  row: Pick<OutboxMailRow, 'pledge_id' | 'recipient' | 'template_data'>,
): Promise<SupporterMailExtras> {
  const address = row.pledge_id === null ? undefined : await findAddressOfPledge(deps.db, row.pledge_id);
  if (address === undefined || address.address !== row.recipient) return { kind: 'dropped', reason: 'the supporter’s address was removed' };
  if (address.state !== addressStateNeededFor(kind)) return { kind: 'dropped', reason: `the address is ${address.state}` };
  const unsubscribeUrl = deps.links.link('unsubscribe', address.id);
  const headers = { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  const data: Record<string, unknown> = { unsubscribeUrl };
  const attachments: MailAttachment[] = [];
  switch (kind) {
    case 'supporter-address-confirm':
      data.confirmUrl = deps.links.link('confirm', address.id);
      break;
    case 'supporter-pledge-confirmed': {
      const template = row.template_data;
      if (address.sealed_manage_token !== null && address.key_id !== null) {
        const manageToken = deps.cipher.decrypt(address.key_id, address.sealed_manage_token);
        data.manageUrl = `${deps.publicUrl}/p/${address.pledge_id}?${new URLSearchParams({ key: manageToken }).toString()}`;
      }
      const calendar = launchCalendarEvent(
        {
          id: String(template.campaignId),
          slug: String(template.campaignSlug),
          title: String(template.campaignTitle),
          launchAt: new Date(String(template.launchAtIso)),
        },
        `${deps.publicUrl}/`,
      );
      attachments.push({
        filename: calendar.fileName,
        content: calendar.body,
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      });
      break;
    }
    case 'supporter-access-reminder':
    case 'supporter-refresh-failed':
    case 'supporter-post-out':
    case 'supporter-post-failed':
    case 'supporter-goal-missed':
    case 'supporter-campaign-cancelled':
    case 'supporter-campaign-update':
      break;
  }
  return { kind: 'ready', templateData: data, headers, attachments };
}
