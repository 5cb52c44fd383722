// Reach dashboard: takes snapshots from the server-sent event stream and redraws numbers, chart and tables.
(function () {
  'use strict';
  var root = document.getElementById('dashboard');
  if (!root || !window.EventSource) return;
  var chart = null;
  // The reader's locale, as the server rendered the page (1,450 or 1.450), and the campaign's time zone for every time.
  var locale = root.getAttribute('data-locale') || undefined;
  var zone = root.getAttribute('data-time-zone') || undefined;
  var number = new Intl.NumberFormat(locale);
  var clock = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  });
  var reduceMotion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : { matches: true };

  function field(name, value) {
    document.querySelectorAll('[data-field="' + name + '"]').forEach(function (el) {
      if (el.tagName === 'PROGRESS') return;
      el.textContent = value;
    });
  }
  // A table cell; `label` names its column on a phone, where each row is a card.
  function cell(row, text, className, tag, label) {
    var td = document.createElement(tag || 'td');
    if (tag === 'th') td.scope = 'row';
    if (className) td.className = className;
    if (label) td.setAttribute('data-label', label);
    if (text instanceof Node) td.appendChild(text);
    else td.textContent = text;
    row.appendChild(td);
  }
  function rows(name, items, build) {
    var body = document.querySelector('[data-rows="' + name + '"]');
    if (!body) return;
    body.replaceChildren.apply(body, items.map(build));
  }
  function span(text, className) {
    var s = document.createElement('span');
    s.textContent = text;
    if (className) s.className = className;
    return s;
  }
  function result(r) {
    var frag = document.createDocumentFragment();
    if (r.state === 'sent') {
      frag.appendChild(span('Sent', 'state-sent'));
      if (r.postUrl !== null) {
        frag.appendChild(document.createTextNode(' '));
        var a = document.createElement('a');
        a.href = r.postUrl;
        a.textContent = 'view post';
        a.appendChild(span(' by ' + r.shownHandle + ' on ' + r.network, 'visually-hidden'));
        frag.appendChild(a);
      }
    } else if (r.state === 'failed') {
      frag.appendChild(span('Failed', 'state-failed'));
      frag.appendChild(document.createTextNode(': ' + r.reason));
    } else {
      frag.appendChild(document.createTextNode(r.state));
    }
    return frag;
  }

  // Running totals as points on a time axis from the campaign's creation to its launch, carried on to now.
  function points(s, key) {
    var list = [{ x: Date.parse(s.openedAt), y: 0 }].concat(
      s.series.map(function (p) {
        return { x: Date.parse(p.at), y: p[key] };
      }),
    );
    var end = Math.min(Date.now(), Date.parse(s.launchAt));
    var last = list[list.length - 1];
    if (end > last.x) list.push({ x: end, y: last.y });
    return list;
  }

  function drawChart(s) {
    // The time axis needs Luxon and its adapter: without them the numbers still update, and the table has the series.
    if (!window.Chart || !window.luxon) return;
    var goal = [
      { x: Date.parse(s.openedAt), y: s.goal },
      { x: Date.parse(s.launchAt), y: s.goal },
    ];
    if (chart) {
      chart.data.datasets[0].data = points(s, 'supporters');
      chart.data.datasets[1].data = points(s, 'reach');
      chart.data.datasets[2].data = goal;
      chart.options.scales.x.min = Date.parse(s.openedAt);
      chart.options.scales.x.max = Date.parse(s.launchAt);
      chart.update(reduceMotion.matches ? 'none' : undefined);
      return;
    }
    chart = new window.Chart(document.getElementById('reach-chart'), {
      type: 'line',
      data: {
        datasets: [
          {
            label: 'Supporters',
            data: points(s, 'supporters'),
            borderColor: '#0b5cad',
            backgroundColor: '#0b5cad',
            yAxisID: 'y',
            stepped: true,
          },
          {
            label: 'Reach',
            data: points(s, 'reach'),
            borderColor: '#11643a',
            backgroundColor: '#11643a',
            borderDash: [2, 3],
            yAxisID: 'reach',
            stepped: true,
          },
          {
            label: 'Goal (supporters)',
            data: goal,
            borderColor: '#b3261e',
            backgroundColor: '#b3261e',
            borderDash: [8, 5],
            pointRadius: 0,
            yAxisID: 'y',
          },
        ],
      },
      options: {
        locale: locale,
        // Chart.js animates every change unless told not to: only for readers who have not asked for less motion.
        animation: reduceMotion.matches ? false : { duration: 400 },
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'time',
            min: Date.parse(s.openedAt),
            max: Date.parse(s.launchAt),
            adapters: { date: { zone: zone, locale: locale } },
            time: { minUnit: 'minute', tooltipFormat: 'd LLL yyyy, HH:mm ZZZZ' },
            title: { display: true, text: 'Time (' + zone + ')' },
            ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 },
          },
          y: { beginAtZero: true, suggestedMax: s.goal, title: { display: true, text: 'Supporters' }, ticks: { precision: 0 } },
          reach: { beginAtZero: true, position: 'right', title: { display: true, text: 'Reach' }, grid: { drawOnChartArea: false } },
        },
      },
    });
  }

  function apply(s) {
    // A network paused for the whole instance (its credits ran out): its posts wait and resume by themselves.
    rows('pauses', s.pauses, function (pause) {
      var p = document.createElement('p');
      p.className = 'warning';
      p.setAttribute('role', 'status');
      p.textContent = pause.message;
      return p;
    });
    field('outcome', s.outcome);
    field('supporters', number.format(s.supporters));
    field('goal', number.format(s.goal));
    field('percent', number.format(s.percent));
    field('reach', number.format(s.reach));
    field('shortLinkVisits', number.format(s.shortLinkVisits));
    field('launchTime', s.launchTime);
    if (s.supportersVersion !== supportersVersion) {
      supportersVersion = s.supportersVersion;
      scheduleSupporters();
    }
    // Repost mode: the campaign's own post, once made or failed (the page drew it when it loaded).
    if (s.campaignPost) field('campaignPost', s.campaignPost);
    var progress = document.getElementById('goal-progress');
    progress.max = s.goal;
    progress.value = Math.min(s.supporters, s.goal);
    rows('series', s.series, function (p) {
      var tr = document.createElement('tr');
      cell(tr, p.label, null, 'th');
      cell(tr, number.format(p.supporters), 'num', 'td', 'Supporters');
      cell(tr, number.format(p.reach), 'num', 'td', 'Reach');
      return tr;
    });
    rows('networks', s.networks, function (n) {
      var tr = document.createElement('tr');
      var reach = document.createDocumentFragment();
      reach.appendChild(document.createTextNode(number.format(n.reach)));
      if (!n.reachShared) reach.appendChild(span(' (not shared by ' + n.name + ')', 'hint'));
      cell(tr, n.name, null, 'th');
      cell(tr, number.format(n.supporters), 'num', 'td', 'Supporters');
      cell(tr, reach, 'num', 'td', 'Reach');
      cell(tr, n.limit, null, 'td', 'Daily limit');
      cell(tr, n.cost, null, 'td', 'Estimated cost');
      return tr;
    });
    // The sentences come from the server, so the page and its live updates say the same thing.
    rows(
      'preflight',
      s.networks.filter(function (n) {
        return n.warning !== null;
      }),
      function (n) {
        var p = document.createElement('p');
        p.className = 'warning';
        p.textContent = n.warning;
        return p;
      },
    );
    rows('top', s.top, function (t) {
      var li = document.createElement('li');
      li.appendChild(span(t.handle, 'handle'));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(span(number.format(t.reach) + ' followers on ' + t.network, 'reach'));
      if (!t.shownPublicly) {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(span('(not named on the public page)', 'hint'));
      }
      return li;
    });
    // Once the launch starts, nothing can be edited: the links and forms that would edit it go.
    if (!s.editable) {
      document.querySelectorAll('[data-while-editable]').forEach(function (el) {
        el.hidden = true;
      });
    }
    var delivery = document.querySelector('[data-section="delivery"]');
    if (s.delivery) {
      delivery.hidden = false;
      document.getElementById('delivery-progress').value = s.delivery.done;
      field('sent', number.format(s.delivery.sent));
      field('failed', number.format(s.delivery.failed));
      field('pending', number.format(s.delivery.pending));
      rows('deliveryByNetwork', s.deliveryByNetwork, function (d) {
        var tr = document.createElement('tr');
        cell(tr, d.name, null, 'th');
        cell(tr, number.format(d.sent), 'num', 'td', 'Sent');
        cell(tr, number.format(d.failed), 'num', 'td', 'Failed');
        cell(tr, number.format(d.waiting), 'num', 'td', 'Waiting');
        return tr;
      });
      rows('results', s.results, function (r) {
        var tr = document.createElement('tr');
        cell(tr, r.shownHandle, null, 'th');
        cell(tr, r.network, null, 'td', 'Network');
        cell(tr, result(r), null, 'td', 'Result');
        return tr;
      });
    }
    drawChart(s);
  }

  // The supporter list carries erase forms, so the server renders it: when the snapshot says it changed, the page
  // fetches itself again (at most every 5 s) and swaps the list in, unless the reader is in it (focus or an open
  // "Erase…"): then it waits until they leave it.
  var supportersVersion = root.getAttribute('data-supporters-version');
  var supportersPending = false;
  var supportersTimer = null;
  var supportersFetchedAt = 0;
  var dashboardUrl = root.getAttribute('data-events').replace(/\/events$/, '');
  function supportersBusy(section) {
    return section.contains(document.activeElement) || section.querySelector('details[open]') !== null;
  }
  function scheduleSupporters() {
    if (supportersTimer !== null) return;
    var wait = Math.max(0, supportersFetchedAt + 5000 - Date.now());
    supportersTimer = setTimeout(function () {
      supportersTimer = null;
      refreshSupporters();
    }, wait);
  }
  function refreshSupporters() {
    var section = document.getElementById('supporters');
    if (!section || !window.fetch || !window.DOMParser) return;
    if (supportersBusy(section)) {
      supportersPending = true;
      return;
    }
    supportersPending = false;
    supportersFetchedAt = Date.now();
    var search = document.getElementById('supporter-search');
    var query = search && search.defaultValue ? '?supporter=' + encodeURIComponent(search.defaultValue) : '';
    fetch(dashboardUrl + query, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new window.DOMParser().parseFromString(html, 'text/html').getElementById('supporters');
        var current = document.getElementById('supporters');
        if (!fresh || !current) return;
        if (supportersBusy(current)) supportersPending = true;
        else current.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () {
        supportersPending = true;
      });
  }
  function retrySupporters() {
    if (supportersPending) setTimeout(scheduleSupporters, 0);
  }
  document.addEventListener('focusout', retrySupporters);
  // "toggle" does not bubble: listened for on the way down.
  document.addEventListener('toggle', retrySupporters, true);

  var status = document.getElementById('live-status');
  var source = new EventSource(root.getAttribute('data-events'));
  source.addEventListener('snapshot', function (event) {
    apply(JSON.parse(event.data));
    // In the campaign's time zone, named, as the launch time is: never the viewer's clock beside a GMT launch.
    status.textContent = 'Live: updated ' + clock.format(new Date());
  });
  // The server checks access again while the stream is open: refused (removed from the organisation, suspended,
  // signed out), it says why and closes; the page stops listening rather than reconnect, and says so in the live region.
  source.addEventListener('refused', function (event) {
    source.close();
    status.textContent = JSON.parse(event.data).message;
    status.classList.add('warning');
  });
  source.addEventListener('error', function () {
    // Closed: the server refused to reopen it (EventSource does not retry a 4xx).
    status.textContent =
      source.readyState === EventSource.CLOSED
        ? 'Live updates stopped: reload the page to see where things stand.'
        : 'Reconnecting to live updates…';
  });
})();
