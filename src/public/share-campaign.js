// "Share this campaign": the device's own share sheet where the browser has one, and a copy-link button. Without
// them (or without scripts) the link stays on the page to copy by hand.
(function () {
  'use strict';
  var share = document.querySelector('[data-share-url]');
  var copy = document.querySelector('[data-copy-url]');
  var said = document.querySelector('[data-copied]');
  if (share && typeof navigator.share === 'function') {
    share.hidden = false;
    share.addEventListener('click', function () {
      navigator.share({ title: share.getAttribute('data-share-title'), url: share.getAttribute('data-share-url') }).catch(function () {
        /* closed without sharing */
      });
    });
  }
  if (copy && navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(copy.getAttribute('data-copy-url')).then(
        function () {
          if (said) said.textContent = 'Link copied.';
        },
        function () {
          if (said) said.textContent = 'Could not copy: select the link above instead.';
        },
      );
    });
  }
})();
