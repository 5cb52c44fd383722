import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSandbox, type RunningMailSandbox } from '../../src/mail/sandbox/mail-sandbox-server.ts';
import { createSmtpTransport, type MailTransport } from '../../src/mail/mail-transport.ts';

// The sandbox mail server as `npm start` runs it, reached over real SMTP by Chorus's own transport.
describe('the sandbox mail server', () => {
  let sandbox: RunningMailSandbox;
  let transport: MailTransport;

  beforeAll(async () => {
    sandbox = await startMailSandbox();
    transport = createSmtpTransport(sandbox.smtpUrl);
  });
  afterAll(async () => {
    transport.close();
    await sandbox.close();
  });

  const mail = {
    from: 'Chorus <chorus@example.org>',
    to: 'organiser@example.org',
    subject: 'Goal reached: <Save> the park',
    text: 'Plain words.\nA second line.',
    html: '<p>Rich <strong>words</strong></p><script>alert(1)</script>',
    messageId: '<abc-123@chorus.example.org>',
  };

  it('receives a mail with both parts, its Message-ID and envelope, and lists it on its page, escaped', async () => {
    await transport.send(mail);
    const [received] = sandbox.mails();
    expect(received).toMatchObject({ to: ['organiser@example.org'], subject: mail.subject, messageId: mail.messageId });
    expect(received?.text.trim()).toBe('Plain words.\nA second line.');
    expect(received?.html).toContain('<strong>words</strong>');
    expect(received?.headers.get('auto-submitted')).toBe('auto-generated');

    const list = await fetch(sandbox.pageUrl);
    expect(list.headers.get('content-type')).toContain('text/html');
    const listed = await list.text();
    expect(listed).toContain('Goal reached: &#60;Save&#62; the park');
    expect(listed).not.toContain('<Save>');

    const message = await (await fetch(new URL(`messages/${received?.id ?? ''}`, sandbox.pageUrl))).text();
    expect(message).toContain('Plain words.\nA second line.');
    expect(message).toContain(`<iframe sandbox title="The mail's HTML part" src="/messages/${received?.id ?? ''}/html">`);
    const html = await fetch(new URL(`messages/${received?.id ?? ''}/html`, sandbox.pageUrl));
    // The mail's own HTML runs nothing and loads nothing.
    expect(html.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'; style-src 'unsafe-inline'");
    expect(await html.text()).toContain('<script>alert(1)</script>');
    expect((await fetch(new URL('messages/no-such-mail', sandbox.pageUrl))).status).toBe(404);
  });

  it('defers or refuses the next mails with the reply code it is given, then accepts again', async () => {
    const before = sandbox.mails().length;
    sandbox.refuseNext({ code: 451, message: '4.3.0 Try later', times: 1 });
    await expect(transport.send({ ...mail, messageId: '<deferred@chorus.example.org>' })).rejects.toMatchObject({ responseCode: 451 });
    sandbox.refuseNext({ code: 550, message: '5.1.1 No such mailbox', times: 1 });
    await expect(transport.send({ ...mail, messageId: '<refused@chorus.example.org>' })).rejects.toMatchObject({ responseCode: 550 });
    await transport.send({ ...mail, messageId: '<accepted@chorus.example.org>' });
    expect(
      sandbox
        .mails()
        .slice(before)
        .map((m) => m.messageId),
    ).toEqual(['<accepted@chorus.example.org>']);
    expect(sandbox.refusals()).toBe(2);
  });
});
