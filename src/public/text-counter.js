// Live length check for post texts, counted by the server exactly as the network counts them.
(function () {
  'use strict';
  document.querySelectorAll('textarea[data-measure]').forEach(function (area) {
    var counter = document.querySelector('[data-counter-for="' + area.id + '"]');
    if (!counter) return;
    var network = area.getAttribute('data-measure');
    var networkName = counter.textContent.replace(/^.*as (.*) counts them.*$/, '$1');
    var timer = null;
    var latest = 0;
    function measure() {
      var asked = ++latest;
      fetch('/api/v1/networks/' + network + '/measure', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: area.value }),
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
    }
    area.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(measure, 200);
    });
    area.addEventListener('change', measure);
  });
})();
