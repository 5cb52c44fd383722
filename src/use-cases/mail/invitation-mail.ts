import type { Config } from '../../../config/config.ts';
import type { InvitationMailKind } from '../../domain/invitation-mail-kind.ts';
import type { TokenCipher } from '../../security/token-cipher.ts';
import type { Db } from '../../storage/database.ts';
import { writeOutboxMails } from '../../storage/mail-outbox.repository.ts';

/** What an invitation mail says besides its link: who invited whom to what, and until when. */
export interface InvitationMail {
  readonly kind: InvitationMailKind;
  readonly invitationId: string;
  readonly recipient: string;
  /** The link with its token: sealed in the outbox row, never kept in clear. */
  readonly link: string;
  readonly templateData: Readonly<Record<string, unknown>>;
}

/** What writing an invitation mail needs: whether this Chorus sends mail, and the key that seals the link. */
export interface InvitationMailDeps {
  readonly config: Pick<Config, 'SMTP_URL'>;
  readonly cipher: TokenCipher;
}

/**
 * Writes the mail carrying an invitation's link, in the invitation's transaction; answers the outbox ids to enqueue
 * after the commit, none where this Chorus sends no mail. The address is the outbox row's only: the invitation stays
 * untied to it (docs/organisations.md). The link holds the token, so it is sealed like a supporter's manage token
 * (outbox data is kept in clear) and opened by the mail worker.
 */
export async function writeInvitationMail(trx: Db, deps: InvitationMailDeps, mail: InvitationMail): Promise<string[]> {
  if (deps.config.SMTP_URL === undefined) return [];
  return writeOutboxMails(trx, [
    {
      kind: mail.kind,
      recipient: mail.recipient,
      dedupeKey: `${mail.kind}:${mail.invitationId}`,
      templateData: {
        ...mail.templateData,
        sealedLink: { keyId: deps.cipher.keyId, sealed: deps.cipher.encrypt(mail.link).toString('base64') },
      },
    },
  ]);
}

/** The link an invitation mail carries, opened from its sealed copy; undefined where the row holds none it can open. */
export function openInvitationLink(cipher: TokenCipher, templateData: Readonly<Record<string, unknown>>): string | undefined {
  const sealedLink = templateData.sealedLink as { keyId?: unknown; sealed?: unknown } | undefined;
  if (typeof sealedLink?.keyId !== 'string' || typeof sealedLink.sealed !== 'string') return undefined;
  return cipher.decrypt(sealedLink.keyId, Buffer.from(sealedLink.sealed, 'base64'));
}
