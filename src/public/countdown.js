// Live countdown to the launch, and the launch time in the reader's own time zone.
(function () {
  'use strict';
  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }
  function left(ms) {
    if (ms <= 0) return 'launch time reached';
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400);
    s -= d * 86400;
    var h = Math.floor(s / 3600);
    s -= h * 3600;
    var m = Math.floor(s / 60);
    s -= m * 60;
    if (d > 0) return plural(d, 'day') + ', ' + plural(h, 'hour') + ', ' + plural(m, 'minute');
    return plural(h, 'hour') + ', ' + plural(m, 'minute') + ', ' + plural(s, 'second');
  }
  document.querySelectorAll('[data-local-time]').forEach(function (el) {
    var at = new Date(el.getAttribute('data-local-time'));
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    el.textContent = at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) + ' in your time zone (' + zone + ')';
    el.hidden = false;
  });
  var counters = document.querySelectorAll('[data-countdown]');
  if (counters.length === 0) return;
  function tick() {
    counters.forEach(function (el) {
      el.textContent = left(new Date(el.getAttribute('data-countdown')).getTime() - Date.now());
    });
  }
  tick();
  // Updated each second for sighted readers; screen readers are not interrupted (no live region).
  setInterval(tick, 1000);
})();
