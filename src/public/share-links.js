// Sharing enhancements. "Copy" buttons (a suggested post's text, the short link, the widget code). Mastodon's share
// page is on each person's own instance, so its link is built here from the instance they name, with no call to
// Chorus. Without JavaScript the buttons stay hidden and the other networks' links still work.
(function () {
  'use strict';
  var status = document.querySelector('[data-share-status]');
  document.querySelectorAll('[data-needs-script]').forEach(function (el) {
    el.hidden = false;
  });

  var field = document.querySelector('[data-mastodon-instance]');
  var input = field ? field.querySelector('input') : null;
  var error = field ? field.querySelector('[data-mastodon-error]') : null;
  var stored = 'chorus.mastodonInstance';
  var hint = 'share-mastodon-instance-hint';
  if (field) {
    field.hidden = false;
    try {
      input.value = window.localStorage.getItem(stored) || '';
    } catch {
      // Storage may be refused (private windows, settings): the field starts empty.
    }
  }

  // "mastodon.social", "https://mastodon.social/", "@me@mastodon.social": the host, or null when it is not one.
  function instanceHost(typed) {
    var text = typed.trim().replace(/^@?[^@\s/]+@/, '');
    if (!/^https?:\/\//i.test(text)) text = 'https://' + text;
    try {
      var url = new window.URL(text);
      return /^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$|^127\.0\.0\.1$/i.test(url.hostname) ? url.host : null;
    } catch {
      return null;
    }
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = message === '';
    input.setAttribute('aria-describedby', message === '' ? hint : hint + ' share-mastodon-instance-error');
    if (message === '') input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  }

  function copy(text) {
    var said = function (message) {
      status.textContent = message;
    };
    try {
      window.navigator.clipboard.writeText(text).then(
        function () {
          said('Copied.');
        },
        function () {
          said('Copying was refused by the browser: select the text and copy it.');
        },
      );
    } catch {
      said('Copying is not possible here: select the text and copy it.');
    }
  }

  function shareOnMastodon(button) {
    var host = instanceHost(input.value);
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
    var scheme = /^(localhost|127\.0\.0\.1)(:|$)/.test(host) ? 'http' : 'https';
    var query = new window.URLSearchParams({ text: button.getAttribute('data-share-mastodon') });
    window.open(scheme + '://' + host + '/share?' + query.toString(), '_blank', 'noopener');
  }

  document.addEventListener('click', function (event) {
    var target = event.target && typeof event.target.closest === 'function' ? event.target : null;
    if (target === null) return;
    var mastodon = target.closest('[data-share-mastodon]');
    if (mastodon && field) return shareOnMastodon(mastodon);
    var copyText = target.closest('[data-copy-text]');
    if (copyText) return copy(copyText.getAttribute('data-copy-text'));
    var copyFrom = target.closest('[data-copy-from]');
    if (copyFrom) {
      var source = document.getElementById(copyFrom.getAttribute('data-copy-from'));
      copy(source ? source.value : '');
    }
  });
})();
