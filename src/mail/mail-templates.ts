import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

const mailViews = fileURLToPath(new URL('../views/mail/', import.meta.url));

/** A mail as its templates make it: the subject, the plain text part and the HTML part. */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Renders outbox mails from the templates in src/views/mail: `<kind>.subject.eta`, `<kind>.text.eta`, `<kind>.html.eta`. */
export interface MailTemplates {
  /** Whether the three templates of `kind` exist. */
  has(kind: string): boolean;
  render(kind: string, data: Readonly<Record<string, unknown>>): RenderedMail;
}

/**
 * The mail templates. The text part and the subject are not HTML-escaped (they are not HTML); the HTML part is,
 * and is laid out by `layout.html.eta` with inline styles only and no images, so it reads the same in a client that
 * blocks images or styles.
 */
export function createMailTemplates(): MailTemplates {
  const plain = new Eta({ views: mailViews, autoEscape: false, autoTrim: false, cache: true });
  const html = new Eta({ views: mailViews, autoEscape: true, cache: true });
  return {
    has(kind) {
      return /^[a-z][a-z0-9-]*$/.test(kind) && ['subject', 'text', 'html'].every((part) => existsSync(`${mailViews}${kind}.${part}.eta`));
    },
    render(kind, data) {
      return {
        subject: plain.render(`./${kind}.subject.eta`, data).replace(/\s+/g, ' ').trim(),
        text: plain.render(`./${kind}.text.eta`, data),
        html: html.render(`./${kind}.html.eta`, data),
      };
    },
  };
}
