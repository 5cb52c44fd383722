// Sharing enhancements. "Copy" buttons (a suggested post's text, the short link, the widget code). Mastodon's share
// page is on each person's own instance, so its link is built here from the instance they name, with no call to
// Chorus. Without JavaScript the buttons stay hidden and the other networks' links still work.
(() => {
  const status = document.querySelector('[data-share-status]');
  for (const hidden of document.querySelectorAll('[data-needs-script]')) hidden.hidden = false;

  const field = document.querySelector('[data-mastodon-instance]');
  const input = field?.querySelector('input');
  const error = field?.querySelector('[data-mastodon-error]');
  const stored = 'chorus.mastodonInstance';
  if (field) {
    field.hidden = false;
    try {
      input.value = window.localStorage.getItem(stored) ?? '';
    } catch {
      // Storage may be refused (private windows, settings): the field starts empty.
    }
  }

  // "mastodon.social", "https://mastodon.social/", "@me@mastodon.social": the host, or null when it is not one.
  function instanceHost(typed) {
    let text = typed.trim().replace(/^@?[^@\s/]+@/, '');
    if (!/^https?:\/\//i.test(text)) text = `https://${text}`;
    try {
      const url = new window.URL(text);
      return /^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$|^127\.0\.0\.1$/i.test(url.hostname) ? url.host : null;
    } catch {
      return null;
    }
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = message === '';
    const hint = 'share-mastodon-instance-hint';
    input.setAttribute('aria-describedby', message === '' ? hint : `${hint} share-mastodon-instance-error`);
    if (message === '') input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  }

  async function copy(text) {
    try {
      await window.navigator.clipboard.writeText(text);
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'Copying was refused by the browser: select the text and copy it.';
    }
  }

  document.addEventListener('click', (event) => {
    const target = typeof event.target?.closest === 'function' ? event.target : null;
    const mastodon = target?.closest('[data-share-mastodon]');
    if (mastodon && field) {
      const host = instanceHost(input.value);
      if (host === null) {
        showError('Type your Mastodon instance first, e.g. mastodon.social.');
        input.focus();
        return;
      }
      showError('');
      try {
        window.localStorage.setItem(stored, host);
      } catch {
        // Not remembered; it still works this time.
      }
      const scheme = /^(localhost|127\.0\.0\.1)(:|$)/.test(host) ? 'http' : 'https';
      window.open(
        `${scheme}://${host}/share?${new window.URLSearchParams({ text: mastodon.dataset.shareMastodon })}`,
        '_blank',
        'noopener',
      );
      return;
    }
    const copyText = target?.closest('[data-copy-text]');
    if (copyText) return void copy(copyText.dataset.copyText);
    const copyFrom = target?.closest('[data-copy-from]');
    if (copyFrom) return void copy(document.getElementById(copyFrom.dataset.copyFrom)?.value ?? '');
  });
})();
