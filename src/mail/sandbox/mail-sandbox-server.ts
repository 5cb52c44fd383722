import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail the sandbox accepted, as a mail client would show it. */
export interface SandboxMail {
  readonly id: string;
  readonly receivedAt: Date;
  readonly messageId: string;
  readonly from: string;
  /** The envelope's recipients (RCPT TO), as the server was told. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Every header, lower-case names. */
  readonly headers: ReadonlyMap<string, string>;
  /** The files sent with it (a supporter's launch .ics), as text. */
  readonly attachments: readonly { readonly filename: string; readonly contentType: string; readonly content: string }[];
}

/** A refusal the sandbox answers the next mails with: `code` 4xx (try later) or 5xx (never), `times` mails long. */
export interface SandboxRefusal {
  readonly code: number;
  readonly message: string;
  readonly times: number;
}

/** The sandbox mail server, listening: SMTP for Chorus, and a web page of what it received. */
export interface RunningMailSandbox {
  /** `smtp://127.0.0.1:<port>`: the SMTP_URL for Chorus. */
  readonly smtpUrl: string;
  /** The page listing received mail. */
  readonly pageUrl: string;
  /** Every mail received so far, oldest first. */
  mails(): readonly SandboxMail[];
  /** Refuses the next `times` mails with `code` (tests: a server that defers, or refuses for good). */
  refuseNext(refusal: SandboxRefusal): void;
  /** How many mails were refused so far. */
  refusals(): number;
  /** Answers each mail's end of data this much later (tests: a slow server, to stop a worker mid-batch). */
  slowDown(delayMs: number): void;
  close(): Promise<void>;
}

/** The most mails the sandbox keeps (the oldest go first): it runs for days under `npm start`. */
const keptMails = 500;

/**
 * Starts a real SMTP server that accepts any mail without authentication (for development and tests only: it
 * listens on the host given, 127.0.0.1 by default) and a page at `pageUrl` showing each mail, its text and its HTML.
 */
export async function startMailSandbox(options: { smtpPort?: number; pagePort?: number; host?: string } = {}): Promise<RunningMailSandbox> {
  const host = options.host ?? '127.0.0.1';
  const received: SandboxMail[] = [];
  let refusal: { code: number; message: string; left: number } | undefined;
  let refused = 0;
  let delayMs = 0;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Chorus sandbox mail server',
    size: 10 * 1024 * 1024,
    closeTimeout: 1000,
    logger: false,
    onData(stream, session, callback) {
      const refuse = refusal;
      if (refuse !== undefined && refuse.left > 0) {
        refuse.left -= 1;
        refused += 1;
        stream.resume();
        stream.on('end', () => {
          callback(Object.assign(new Error(refuse.message), { responseCode: refuse.code }));
        });
        return;
      }
      simpleParser(stream)
        .then(async (parsed) => {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          const headers = new Map<string, string>();
          for (const line of parsed.headerLines) headers.set(line.key.toLowerCase(), line.line.slice(line.key.length + 1).trim());
          received.push({
            id: randomUUID(),
            receivedAt: new Date(),
            messageId: parsed.messageId ?? '',
            from: parsed.from?.text ?? '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            headers,
            attachments: parsed.attachments.map((file) => ({
              filename: file.filename ?? '',
              contentType: file.contentType,
              content: file.content.toString('utf8'),
            })),
          });
          if (received.length > keptMails) received.shift();
          callback();
        })
        .catch((error: unknown) => {
          callback(error instanceof Error ? error : new Error('the mail could not be read'));
        });
    },
  });
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, host, () => {
      resolve();
    });
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const page = Fastify({ logger: false });
  page.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
  page.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(listPage(received)),
  );
  page.get<{ Params: { id: string } }>('/messages/:id', async (request, reply) => {
    const mail = received.find((m) => m.id === request.params.id);
    if (mail === undefined)
      return reply.code(404).type('text/plain').send('No such mail (the sandbox keeps the last 500, until it stops).');
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'")
      .send(messagePage(mail));
  });
  page.get<{ Params: { id: string } }>('/messages/:id/html', async (request, reply) => {
    const mail = received.find((m) => m.id === request.params.id);
    if (mail === undefined) return reply.code(404).type('text/plain').send('No such mail.');
    // The mail's own HTML, shown in a sandboxed frame: no scripts, no requests out (images stay blank, as they would for a reader who blocks them).
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "sandbox; default-src 'none'; style-src 'unsafe-inline'")
      .send(mail.html);
  });
  page.get('/messages.json', async () =>
    received.map((m) => ({
      id: m.id,
      receivedAt: m.receivedAt.toISOString(),
      messageId: m.messageId,
      from: m.from,
      to: m.to,
      subject: m.subject,
    })),
  );
  await page.listen({ port: options.pagePort ?? 0, host });
  const pagePort = (page.server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    smtpUrl: `smtp://${urlHost}:${smtpPort}`,
    pageUrl: `http://${urlHost}:${pagePort}/`,
    mails: () => received,
    refuseNext(next) {
      refusal = { code: next.code, message: next.message, left: next.times };
    },
    refusals: () => refused,
    slowDown(ms) {
      delayMs = ms;
    },
    async close() {
      await page.close();
      await new Promise<void>((resolve) => {
        smtp.close(() => {
          resolve();
        });
      });
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ccc;vertical-align:top}
pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}iframe{width:100%;height:40rem;border:1px solid #ccc}`;

function listPage(mails: readonly SandboxMail[]): string {
  const rows = [...mails]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt.toISOString())}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox mail · Chorus</title><style>${style}</style></head><body>
<h1>Sandbox mail</h1>
<p>Every mail Chorus sent while no <code>SMTP_URL</code> is set: nothing here left this machine. Newest first; reload for more.</p>
${mails.length === 0 ? '<p>No mail yet.</p>' : `<table><thead><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`}
</body></html>`;
}

function messagePage(mail: SandboxMail): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(mail.subject)} · Sandbox mail</title><style>${style}</style></head><body>
<p><a href="/">All mail</a></p>
<h1>${escapeHtml(mail.subject || '(no subject)')}</h1>
<table>
<tr><th>From</th><td>${escapeHtml(mail.from)}</td></tr>
<tr><th>To</th><td>${escapeHtml(mail.to.join(', '))}</td></tr>
<tr><th>Received</th><td>${escapeHtml(mail.receivedAt.toISOString())}</td></tr>
<tr><th>Message-ID</th><td>${escapeHtml(mail.messageId)}</td></tr>
</table>
<h2>Plain text</h2>
<pre>${escapeHtml(mail.text)}</pre>
<h2>HTML</h2>
${mail.html === '' ? '<p>No HTML part.</p>' : `<iframe sandbox title="The mail's HTML part" src="/messages/${mail.id}/html"></iframe>`}
</body></html>`;
}
