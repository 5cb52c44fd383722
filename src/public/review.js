// Review page: typing in "your own words" picks that option; picking a wording starts your own text from it.
(function () {
  'use strict';
  var area = document.getElementById('text');
  var own = document.getElementById('choice-own');
  if (!area || !own) return;
  var edited = false;
  area.addEventListener('input', function () {
    edited = true;
    own.checked = true;
  });
  document.querySelectorAll('input[name="choice"][data-wording]').forEach(function (radio) {
    radio.addEventListener('change', function () {
      if (edited) return;
      area.value = radio.getAttribute('data-wording');
      area.dispatchEvent(new Event('change'));
    });
  });
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
