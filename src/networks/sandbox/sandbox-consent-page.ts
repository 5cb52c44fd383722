// The consent page of the Mastodon and LinkedIn sandboxes: the sandbox user names an account
// and its follower count, then approves or cancels, as on the real network's consent page.

/** What the page needs to know about the request being approved. */
export interface ConsentRequest {
  /** The network's name, e.g. "Mastodon sandbox (127.0.0.1:4020)". */
  readonly network: string;
  readonly appName: string;
  readonly scopes: readonly string[];
  /** The authorisation request's own parameters, sent back with the decision. */
  readonly hiddenFields: readonly (readonly [string, string])[];
  /** Where the form posts, relative to the page (the page's own path's last segment). */
  readonly action: string;
}

/** Escapes text for HTML content and double-quoted attribute values. */
function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** The consent form, with what was typed so far and what was wrong with it. */
export function renderSandboxConsentPage(request: ConsentRequest, values: { username: string; followers: string; error?: string }): string {
  const hidden = request.hiddenFields
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n        ');
  const error = values.error === undefined ? '' : `<p role="alert" id="form-error" class="error">${escapeHtml(values.error)}</p>`;
  return page(
    `Authorize ${request.appName} (${request.network})`,
    `<h1>${escapeHtml(request.appName)} wants to use your account</h1>
      <p class="note">This is ${escapeHtml(request.network)}, part of Chorus. No real account is involved.</p>
      <p>It asks for: ${request.scopes.map((scope) => `<code>${escapeHtml(scope)}</code>`).join(', ')}</p>
      <form method="post" action="${escapeHtml(request.action)}">
        ${error}
        ${hidden}
        <p><label for="username">Username</label>
          <input id="username" name="username" type="text" required maxlength="30" pattern="[A-Za-z0-9_]{1,30}" autocomplete="username" value="${escapeHtml(values.username)}"></p>
        <p><label for="followers">Followers</label>
          <input id="followers" name="followers" type="number" required min="0" max="1000000000" step="1" value="${escapeHtml(values.followers)}"></p>
        <p><button type="submit" name="decision" value="approve">Authorize</button>
          <button type="submit" name="decision" value="deny" formnovalidate>Cancel</button></p>
      </form>`,
  );
}

/** The page shown when the request itself is unusable, so there is nowhere to send the user back to. */
export function renderSandboxErrorPage(reason: string): string {
  return page('Something went wrong', `<h1>Something went wrong</h1><p role="alert">${escapeHtml(reason)}</p>`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
    <style>body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5 }
      label { display: block; font-weight: 600 } input { font: inherit; padding: 0.4rem; width: 100%; box-sizing: border-box }
      .error { color: #b00020; font-weight: 600 } button { font: inherit; padding: 0.5rem 1.2rem; margin-right: 0.5rem }</style></head>
  <body><main>
      ${body}
  </main></body>
</html>
`;
}

/** Reads the approved account from the consent form, or says what is wrong with it. */
export function readConsentAccount(
  body: unknown,
): { username: string; followers: number } | { error: string; username: string; followers: string } {
  const field = (name: string) => {
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' ? value.trim() : '';
  };
  const username = field('username');
  const followersText = field('followers');
  if (!/^[A-Za-z0-9_]{1,30}$/.test(username))
    return { error: 'Username must be 1 to 30 letters, digits or underscores.', username, followers: followersText };
  if (!/^\d{1,10}$/.test(followersText) || Number(followersText) > 1_000_000_000) {
    return { error: 'Followers must be a whole number from 0 to 1,000,000,000.', username, followers: followersText };
  }
  return { username, followers: Number(followersText) };
}
