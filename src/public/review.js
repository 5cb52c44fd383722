// Review page: the post shown at the top is the chosen one, and the counter counts it as the network does. Picking
// a wording starts "your own words" from it; typing there picks "own words".
(function () {
  'use strict';
  var form = document.querySelector('form.review-form');
  var area = document.getElementById('text');
  var own = document.getElementById('choice-own');
  var preview = document.getElementById('chosen-post');
  var counter = document.getElementById('text-counter');
  if (!form || !area || !own || !preview || !counter || !window.chorusTextCounter) return;
  // Counted by the server with the network's own rules (text-counter.js, loaded before this script).
  var measure = window.chorusTextCounter(counter, counter.getAttribute('data-measure'), counter.getAttribute('data-network-name'));
  var edited = false;
  var timer = null;

  function chosenText() {
    var chosen = form.querySelector('input[name="choice"]:checked');
    if (!chosen) return '';
    return chosen === own ? area.value : chosen.getAttribute('data-wording');
  }
  function update(delay) {
    preview.textContent = chosenText();
    clearTimeout(timer);
    timer = setTimeout(function () {
      measure(chosenText());
    }, delay);
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
