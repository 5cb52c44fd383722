// Live length check for post texts, counted by the server exactly as the network counts them (one rule, not a second
// copy here; the server checks again on submit). Wires every textarea[data-measure] on the page, and offers
// window.chorusTextCounter to pages that choose the text another way (the review page).
(function () {
  'use strict';
  // A function that measures a text and writes the answer into `counter`; only the latest answer is shown.
  function textCounter(counter, network, networkName) {
    var latest = 0;
    return function measure(text) {
      var asked = ++latest;
      fetch('/api/v1/networks/' + network + '/measure', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: text }),
      })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (m) {
          if (!m || asked !== latest) return;
          // The supporter's own server may allow less than the network's usual limit (a Mastodon instance's).
          var limit = Math.min(m.maxLength, Number(counter.getAttribute('data-max-length')) || m.maxLength);
          var over = m.length - limit;
          counter.textContent =
            m.length + ' of ' + limit + ' characters, as ' + networkName + ' counts them' + (over > 0 ? ': ' + over + ' too many' : '');
          counter.classList.toggle('over', over > 0);
        })
        .catch(function () {
          /* the server checks again on submit */
        });
    };
  }
  window.chorusTextCounter = textCounter;

  document.querySelectorAll('textarea[data-measure]').forEach(function (area) {
    var counter = document.querySelector('[data-counter-for="' + area.id + '"]');
    if (!counter) return;
    var measure = textCounter(counter, area.getAttribute('data-measure'), counter.textContent.replace(/^.*as (.*) counts them.*$/, '$1'));
    var timer = null;
    function measureArea() {
      measure(area.value);
    }
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(measureArea, 200);
    });
    area.addEventListener('change', measureArea);
  });
})();
