// The reader's own formats: the countdown to the launch, the launch time in their time zone, and numbers as their
// locale writes them. The server's text stands where a browser lacks what is needed, or scripts are off.
(function () {
  'use strict';
  var locales = navigator.languages && navigator.languages.length > 0 ? navigator.languages.slice() : undefined;
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  // The two largest units, as people say it: "2 hrs, 10 mins", "2 mins, 39 secs". With reduced motion, no seconds.
  function parts(ms) {
    var s = Math.floor(ms / 1000);
    var d = Math.floor(s / 86400);
    var h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60);
    var sec = s % 60;
    function nonZero(o) {
      var out = {};
      for (var k in o) if (o[k] !== 0) out[k] = o[k];
      return out;
    }
    if (d > 0) return nonZero({ days: d, hours: h });
    if (h > 0) return nonZero({ hours: h, minutes: m });
    if (reduceMotion) return { minutes: Math.max(1, m + (sec > 0 ? 1 : 0)) };
    if (m > 0) return nonZero({ minutes: m, seconds: sec });
    return { seconds: Math.max(1, sec) };
  }
  function unitsText(p) {
    if (typeof Intl.DurationFormat === 'function') return new Intl.DurationFormat(locales, { style: 'short' }).format(p);
    return Object.keys(p)
      .map(function (unit) {
        return new Intl.NumberFormat(locales, { style: 'unit', unit: unit.replace(/s$/, ''), unitDisplay: 'short' }).format(p[unit]);
      })
      .join(' ');
  }
  function left(ms) {
    return ms <= 0 ? 'launch time reached' : unitsText(parts(ms));
  }

  var numbers = new Intl.NumberFormat(locales);
  document.querySelectorAll('[data-number]').forEach(function (el) {
    var n = Number(el.getAttribute('data-number'));
    if (Number.isFinite(n)) el.textContent = numbers.format(n);
  });

  // The launch time again in the reader's zone, only when it differs from the zone already shown.
  var readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll('[data-local-time]').forEach(function (el) {
    var at = new Date(el.getAttribute('data-local-time'));
    var shownZone = el.getAttribute('data-zone');
    var sameOffset =
      shownZone &&
      new Intl.DateTimeFormat('en-GB', { timeZone: shownZone, timeZoneName: 'longOffset' }).format(at) ===
        new Intl.DateTimeFormat('en-GB', { timeZoneName: 'longOffset' }).format(at);
    if (shownZone === readerZone || sameOffset) return;
    el.textContent =
      at.toLocaleString(locales, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
      }) +
      ' in your time zone (' +
      readerZone +
      ')';
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
  // Each second for sighted readers (each minute when they asked for less motion); screen readers are not
  // interrupted (no live region).
  setInterval(tick, reduceMotion ? 60000 : 1000);
})();
