// A new campaign's time zone starts as the organiser's own (they can pick another).
(function () {
  'use strict';
  var select = document.querySelector('select[data-default-zone]');
  if (!select || select.value !== '') return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) {
      select.value = zone;
      return;
    }
  }
})();
