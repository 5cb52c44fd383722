import type { AuthorizationRequest } from './x-sandbox-authorization-request.ts';
import { xScopeDescriptions } from './x-sandbox-scopes.ts';

/** What the consent form shows besides the request: the values typed so far and what was wrong with them. */
export interface ConsentFormValues {
  username: string;
  followers: string;
  error?: string;
}

/** The follower count offered when the form is first shown. */
export const defaultFollowers = 100;

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** The page where the sandbox user picks an account and approves or cancels, like X's consent page. */
export function renderConsentPage(request: AuthorizationRequest, values: ConsentFormValues): string {
  const appName = escapeHtml(request.client.name ?? request.client.clientId);
  const hiddenFields: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', request.client.clientId],
    ['redirect_uri', request.redirectUri],
    ['scope', request.scopes.join(' ')],
    ['state', request.state],
    ['code_challenge', request.codeChallenge],
    ['code_challenge_method', 'S256'],
  ];
  const scopeItems = request.scopes
    .map((scope) => `<li><code>${escapeHtml(scope)}</code>: ${escapeHtml(xScopeDescriptions.get(scope) ?? '')}</li>`)
    .join('\n        ');
  const errorBlock = values.error === undefined ? '' : `<p role="alert" id="form-error" class="error">${escapeHtml(values.error)}</p>`;
  const describedBy =
    values.error === undefined ? ' aria-describedby="username-hint"' : ' aria-describedby="form-error username-hint" aria-invalid="true"';
  return page(
    `Authorize ${appName} (X sandbox)`,
    `<h1>${appName} wants to access your X account</h1>
      <p class="note">This is the Chorus X sandbox. No real X account is involved.</p>
      <h2>${appName} will be able to:</h2>
      <ul>
        ${scopeItems}
      </ul>
      <form method="post" action="authorize">
        ${errorBlock}
        ${hiddenFields.map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`).join('\n        ')}
        <p>
          <label for="username">Username</label>
          <input id="username" name="username" type="text" required maxlength="15" pattern="[A-Za-z0-9_]{1,15}"
            autocomplete="username" autocapitalize="none" spellcheck="false" value="${escapeHtml(values.username)}"${describedBy}>
          <small id="username-hint">1 to 15 letters, digits or underscores.</small>
        </p>
        <p>
          <label for="followers">Followers</label>
          <input id="followers" name="followers" type="number" required min="0" max="1000000000" step="1"
            inputmode="numeric" value="${escapeHtml(values.followers)}">
        </p>
        <p class="actions">
          <button type="submit" name="decision" value="approve">Authorize app</button>
          <button type="submit" name="decision" value="deny" formnovalidate>Cancel</button>
        </p>
      </form>`,
  );
}

/** The page shown when the authorisation request itself is unusable, so there is nowhere to redirect. */
export function renderErrorPage(reason: string): string {
  return page(
    'Something went wrong (X sandbox)',
    `<h1>Something went wrong</h1>
      <p>You weren't able to give access to the app. Go back and try logging in again.</p>
      <p role="alert"><strong>Reason:</strong> ${escapeHtml(reason)}</p>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #0f1419; }
      label { display: block; font-weight: 600; }
      input[type=text], input[type=number] { font: inherit; padding: 0.4rem; width: 100%; box-sizing: border-box; }
      small { color: #536471; }
      .note { color: #536471; }
      .error { color: #b00020; font-weight: 600; }
      .actions button { font: inherit; padding: 0.5rem 1.2rem; border-radius: 999px; margin-right: 0.5rem; cursor: pointer; }
      .actions button[value=approve] { background: #0f1419; color: #fff; border: 1px solid #0f1419; }
      .actions button[value=deny] { background: #fff; color: #0f1419; border: 1px solid #cfd9de; }
      :focus-visible { outline: 3px solid #1d9bf0; outline-offset: 2px; }
    </style>
  </head>
  <body>
    <main>
      ${body}
    </main>
  </body>
</html>
`;
}
