/** A network people share to by hand, through its own share page (or mail). */
export type ShareTarget = 'x' | 'bluesky' | 'linkedin' | 'facebook' | 'whatsapp' | 'email';

/** One share link: where it leads, and what the person sees. */
export interface ShareLink {
  readonly target: ShareTarget;
  readonly label: string;
  readonly href: string;
}

const targets: readonly ShareTarget[] = ['x', 'bluesky', 'linkedin', 'facebook', 'whatsapp', 'email'];

/** The text a person shares: the suggested words, with the campaign's link added when they do not carry it. */
export function textToShare(text: string, link: string): string {
  const trimmed = text.trim();
  return trimmed.includes(link) ? trimmed : `${trimmed} ${link}`;
}

/**
 * Share links for one text. X, Bluesky, LinkedIn, WhatsApp and mail carry the whole text (with the link); Facebook's
 * sharer takes only a link, so its post starts empty. Mastodon has no single share page (each instance has its own),
 * so its link is built in the browser from the instance the person names (see share-links.js).
 */
export function shareLinks(text: string, link: string, subject: string): ShareLink[] {
  const full = textToShare(text, link);
  return targets.map((target) => ({ target, label: labels[target], href: hrefFor(target, full, link, subject) }));
}

const labels: Record<ShareTarget, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  linkedin: 'LinkedIn',
  facebook: 'Facebook',
  whatsapp: 'WhatsApp',
  email: 'Email',
};

function hrefFor(target: ShareTarget, text: string, link: string, subject: string): string {
  switch (target) {
    case 'x':
      return `https://x.com/intent/post?${query({ text })}`;
    case 'bluesky':
      return `https://bsky.app/intent/compose?${query({ text })}`;
    case 'linkedin':
      // share-offsite takes only a URL; the feed's share box takes the text, link included.
      return `https://www.linkedin.com/feed/?${query({ shareActive: 'true', text })}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?${query({ u: link })}`;
    case 'whatsapp':
      return `https://wa.me/?${query({ text })}`;
    case 'email':
      return `mailto:?${query({ subject, body: text })}`;
  }
}

// Spaces as %20, not '+': mail clients and some share pages show a '+' literally.
function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString().replaceAll('+', '%20');
}
