import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair as a client makes one. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The query of an authorisation request, with the scopes Chorus asks for unless told otherwise. */
export function authorizeQuery(params: {
  clientId: string;
  redirectUri: string;
  challenge: string;
  state?: string;
  scope?: string;
  method?: string;
}): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    scope: params.scope ?? 'tweet.read tweet.write users.read offline.access',
    state: params.state ?? randomBytes(8).toString('hex'),
    code_challenge: params.challenge,
    code_challenge_method: params.method ?? 'S256',
  });
}

function decodeHtml(text: string): string {
  return text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * Does what a person does on the consent page: loads it, fills in the account, presses
 * a button. Returns the redirect the browser would follow.
 */
export async function submitConsent(
  authorizeUrl: string,
  answer: { username?: string; followers?: string; decision?: 'approve' | 'deny' },
): Promise<URL> {
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}`);
  const html = await page.text();
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(decodeHtml(match[1] ?? ''), decodeHtml(match[2] ?? ''));
  }
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (action === undefined) throw new Error('the consent page has no form');
  form.set('username', answer.username ?? 'supporter');
  form.set('followers', answer.followers ?? '100');
  form.set('decision', answer.decision ?? 'approve');
  const response = await fetch(new URL(decodeHtml(action), authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  if (response.status !== 302) throw new Error(`the consent form answered ${response.status}`);
  return new URL(response.headers.get('location') ?? '');
}
