// Reach dashboard: takes snapshots from the server-sent event stream and redraws numbers, chart and tables.
(function () {
  'use strict';
  var root = document.getElementById('dashboard');
  if (!root || !window.EventSource) return;
  var chart = null;
  var number = new Intl.NumberFormat('en-GB');

  function field(name, value) {
    document.querySelectorAll('[data-field="' + name + '"]').forEach(function (el) {
      if (el.tagName === 'PROGRESS') return;
      el.textContent = value;
    });
  }
  function cell(row, text, className, tag) {
    var td = document.createElement(tag || 'td');
    if (tag === 'th') td.scope = 'row';
    if (className) td.className = className;
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

  function drawChart(s) {
    if (!window.Chart) return;
    var labels = s.series.map(function (p) {
      return p.label;
    });
    var supporters = s.series.map(function (p) {
      return p.supporters;
    });
    var reach = s.series.map(function (p) {
      return p.reach;
    });
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets[0].data = supporters;
      chart.data.datasets[1].data = reach;
      chart.update('none');
      return;
    }
    chart = new window.Chart(document.getElementById('reach-chart'), {
      type: 'line',
      data: {
        labels: labels,
        datasets: [
          { label: 'Supporters', data: supporters, borderColor: '#0b5cad', backgroundColor: '#0b5cad', yAxisID: 'y', stepped: true },
          {
            label: 'Reach',
            data: reach,
            borderColor: '#11643a',
            backgroundColor: '#11643a',
            borderDash: [6, 4],
            yAxisID: 'reach',
            stepped: true,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, title: { display: true, text: 'Supporters' }, ticks: { precision: 0 } },
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
    field('percent', s.percent);
    field('reach', number.format(s.reach));
    field('shortLinkVisits', s.shortLinkVisits);
    var progress = document.getElementById('goal-progress');
    progress.max = s.goal;
    progress.value = Math.min(s.supporters, s.goal);
    rows('series', s.series, function (p) {
      var tr = document.createElement('tr');
      cell(tr, p.label);
      cell(tr, String(p.supporters), 'num');
      cell(tr, String(p.reach), 'num');
      return tr;
    });
    rows('networks', s.networks, function (n) {
      var tr = document.createElement('tr');
      var reach = document.createDocumentFragment();
      reach.appendChild(document.createTextNode(String(n.reach)));
      if (!n.reachShared) reach.appendChild(span(' (not shared by ' + n.name + ')', 'hint'));
      cell(tr, n.name, null, 'th');
      cell(tr, String(n.supporters), 'num');
      cell(tr, reach, 'num');
      cell(tr, n.limit);
      cell(tr, n.cost);
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
    // Once the launch starts, the goal and cancel forms no longer apply.
    var editable = document.querySelector('[data-section="editable"]');
    if (editable && s.state !== 'draft' && s.state !== 'collecting') editable.hidden = true;
    var delivery = document.querySelector('[data-section="delivery"]');
    if (s.delivery) {
      delivery.hidden = false;
      document.getElementById('delivery-progress').value = s.delivery.done;
      field('sent', s.delivery.sent);
      field('failed', s.delivery.failed);
      field('pending', s.delivery.pending);
      rows('deliveryByNetwork', s.deliveryByNetwork, function (d) {
        var tr = document.createElement('tr');
        cell(tr, d.name, null, 'th');
        cell(tr, String(d.sent), 'num');
        cell(tr, String(d.failed), 'num');
        cell(tr, String(d.waiting), 'num');
        return tr;
      });
      rows('results', s.results, function (r) {
        var tr = document.createElement('tr');
        cell(tr, r.shownHandle);
        cell(tr, r.network);
        cell(tr, result(r));
        return tr;
      });
    }
    drawChart(s);
  }

  var status = document.getElementById('live-status');
  var source = new EventSource(root.getAttribute('data-events'));
  source.addEventListener('snapshot', function (event) {
    apply(JSON.parse(event.data));
    status.textContent = 'Live: updated ' + new Date().toLocaleTimeString();
  });
  source.addEventListener('error', function () {
    status.textContent = 'Reconnecting to live updates…';
  });
})();
