/** A form as a page renders it: where it goes, how, and the values a browser would send if submitted as it is. */
export interface HtmlForm {
  readonly method: 'GET' | 'POST';
  readonly action: string;
  readonly multipart: boolean;
  /** Each field's values as submitted unchanged: a checked radio's or checkbox's, a select's chosen option, a textarea's text. */
  readonly fields: Readonly<Record<string, string[]>>;
  /** The fields a person types into (text inputs and textareas, not hidden, file or choice fields). */
  readonly typed: readonly string[];
}

/** Decodes the entities Eta writes when it escapes a value. */
export function decodeHtml(text: string): string {
  return text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match === null ? undefined : decodeHtml(match[1] ?? '');
}

function hasAttribute(tag: string, name: string): boolean {
  return new RegExp(`\\s${name}(?:[\\s>=]|$)`).test(tag);
}

/** Every form in a page of Chorus's own HTML (its templates write attributes in double quotes). */
export function htmlForms(html: string): HtmlForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, formTag = '', inner = '']) => {
    const fields: Record<string, string[]> = {};
    const typed: string[] = [];
    const add = (name: string, value: string) => (fields[name] ??= []).push(value);
    for (const [tag] of inner.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(tag, 'name');
      if (name === undefined) continue;
      const type = attribute(tag, 'type') ?? 'text';
      const value = attribute(tag, 'value') ?? '';
      if (type === 'radio' || type === 'checkbox') {
        fields[name] ??= [];
        if (hasAttribute(tag, 'checked')) add(name, value);
      } else if (type !== 'file' && type !== 'submit') {
        add(name, value);
        if (type !== 'hidden') typed.push(name);
      }
    }
    for (const [, tag = '', text = ''] of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attribute(tag, 'name');
      if (name === undefined) continue;
      add(name, decodeHtml(text));
      typed.push(name);
    }
    for (const [, tag = '', options = ''] of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attribute(tag, 'name');
      if (name === undefined) continue;
      const all = [...options.matchAll(/<option\b([^>]*)>/g)].map(([, option = '']) => option);
      const chosen = all.find((option) => hasAttribute(option, 'selected')) ?? all[0];
      add(name, chosen === undefined ? '' : (attribute(chosen, 'value') ?? ''));
    }
    return {
      method: (attribute(formTag, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      action: attribute(formTag, 'action') ?? '',
      multipart: attribute(formTag, 'enctype') === 'multipart/form-data',
      fields,
      typed,
    };
  });
}
