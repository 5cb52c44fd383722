// Review page: the post shown at the top is the chosen one, and the counter counts it as the network does. Picking
// a wording starts "your own words" from it; typing there picks "own words".
(function () {
  'use strict';
  var form = document.querySelector('form.review-form');
  var area = document.getElementById('text');
  var own = document.getElementById('choice-own');
  var preview = document.getElementById('chosen-post');
  var counter = document.getElementById('text-counter');
  if (!form || !area || !own || !preview || !counter) return;
  var network = counter.getAttribute('data-measure');
  var networkName = counter.getAttribute('data-network-name');
  var edited = false;
  var timer = null;
  var latest = 0;

  function chosenText() {
    var chosen = form.querySelector('input[name="choice"]:checked');
    if (!chosen) return '';
    return chosen === own ? area.value : chosen.getAttribute('data-wording');
  }
  // Counted by the server with the network's own rules (one rule, not a second copy here); it checks again on submit.
  function measure() {
    var asked = ++latest;
    fetch('/api/v1/networks/' + network + '/measure', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: chosenText() }),
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
  function update(delay) {
    preview.textContent = chosenText();
    clearTimeout(timer);
    timer = setTimeout(measure, delay);
  }

  area.addEventListener('input', function () {
    edited = true;
    own.checked = true;
    update(200);
  });
  form.querySelectorAll('input[name="choice"]').forEach(function (radio) {
    radio.addEventListener('change', function () {
      if (radio !== own && !edited) area.value = radio.getAttribute('data-wording');
      update(0);
    });
  });
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
