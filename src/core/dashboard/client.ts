/**
 * The dashboard page's script, inlined (allowed by hash in the page's Content-Security-Policy).
 * It reads the grid from the page's `application/json` block and builds every element with
 * textContent and setAttribute: test names, messages, branches and URLs are data, never markup.
 * Only the rows on screen exist in the DOM, and columns come in pages that fit the window, so
 * 1,000 runs × 5,000 tests stay responsive. Decoding rules match encode.ts.
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('dashboard-data').textContent);
  var runs = D.runs, tests = D.tests, messages = D.messages, R = runs.length, omitted = D.omitted || 0;
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var TIME_SCALE = 224, ROW_H = 22, CELL_W = 16, NAME_W = 380, OVERSCAN = 8, CACHE_MAX = 1500;
  var OUTCOME = {
    p: ['pass', 'passed'], f: ['fail', 'failed'], e: ['error', 'errored'],
    s: ['skip', 'skipped'], k: ['flaky', 'flaky (failed, then passed)'], '-': ['none', 'not run']
  };
  var SVG = 'http://www.w3.org/2000/svg';

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, cls) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (cls) e.setAttribute('class', cls);
    return e;
  }
  function fmtMs(ms) {
    if (ms < 1000) return ms + ' ms';
    if (ms < 60000) return (ms / 1000).toPrecision(3) + ' s';
    var m = Math.floor(ms / 60000), s = Math.round((ms % 60000) / 1000);
    return m + ' min ' + s + ' s';
  }
  function fmtDate(iso, long) {
    var t = Date.parse(iso);
    if (isNaN(t)) return String(iso);
    var s = new Date(t).toISOString();
    return long ? s.slice(0, 16).replace('T', ' ') + ' UTC' : s.slice(5, 16).replace('T', ' ');
  }
  function safeUrl(u) {
    try {
      var url = new URL(u);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) { return null; }
  }
  function fullName(t) { return (t.j !== undefined ? '[' + t.j + '] ' : '') + (t.c ? t.c + ' \u203a ' + t.n : t.n); }
  var runLabels = runs.map(function (run, r) { return makeRunLabel(r); });
  function runLabel(r) { return runLabels[r]; }
  function makeRunLabel(r) {
    var run = runs[r];
    return 'run ' + run.id + (run.attempt > 1 ? ' (attempt ' + run.attempt + ')' : '') + ' \u00b7 ' +
      fmtDate(run.createdAt, true) + ' \u00b7 ' + String(run.sha).slice(0, 7) + ' \u00b7 ' + run.branch + ' \u00b7 ' + run.job +
      (run.pullRequest ? ' \u00b7 PR #' + run.pullRequest : '');
  }

  // Rows are decoded when first drawn; the cache is dropped when it grows past CACHE_MAX rows.
  var cache = new Map();
  function decode(i) {
    var d = cache.get(i);
    if (d) return d;
    var t = tests[i], o = '', re = /([pfesk-])(\d*)/g, m;
    while ((m = re.exec(t.o)) !== null) o += m[1].repeat(m[2] ? Number(m[2]) : 1);
    var times = new Array(R), j = 0, msg = {};
    for (var r = 0; r < R; r++) {
      if (o[r] === '-') { times[r] = -1; continue; }
      var code = (DIGITS.indexOf(t.t[j]) << 6) | DIGITS.indexOf(t.t[j + 1]);
      times[r] = Math.round(Math.expm1(code / TIME_SCALE));
      j += 2;
    }
    for (var k = 0; k < t.m.length; k += 2) msg[t.m[k]] = messages[t.m[k + 1]];
    if (cache.size >= CACHE_MAX) cache.clear();
    d = { o: o, times: times, msg: msg };
    cache.set(i, d);
    return d;
  }
  function tooltip(d, r) {
    var c = d.o[r], lines = [OUTCOME[c][1] + (c === '-' ? '' : ' \u00b7 ' + fmtMs(d.times[r])), runLabel(r)];
    if (d.msg[r] !== undefined) lines.push(d.msg[r]);
    return lines.join('\n');
  }

  // Summary and title.
  var flakyCount = 0, failingCount = 0, regressedCount = 0;
  for (var i = 0; i < tests.length; i++) { if (tests[i].k) flakyCount++; if (tests[i].x) failingCount++; if (tests[i].g) regressedCount++; }
  (function summary() {
    var p = $('summary');
    function stat(n, label) { p.appendChild(el('b', null, String(n))); p.appendChild(document.createTextNode(' ' + label + '  \u00b7  ')); }
    stat(R, R === 1 ? 'run' : 'runs');
    var total = tests.length + omitted;
    stat(total, total === 1 ? 'test' : 'tests');
    if (omitted) stat(omitted, 'steady (passed or skipped in every run), not listed');
    stat(flakyCount, 'flaky');
    stat(regressedCount, 'regressed');
    stat(failingCount, 'failing now');
    var branches = {};
    runs.forEach(function (r) { branches[r.branch] = true; });
    var names = Object.keys(branches);
    p.appendChild(document.createTextNode((names.length === 1 ? 'branch ' + names[0] : names.length + ' branches') +
      (R ? '  \u00b7  newest ' + fmtDate(runs[0].createdAt, true) : '') + (D.generatedAt ? '  \u00b7  generated ' + fmtDate(D.generatedAt, true) : '')));
    p.setAttribute('data-runs', String(R));
    p.setAttribute('data-tests', String(total));
    p.setAttribute('data-listed', String(tests.length));
    p.setAttribute('data-flaky', String(flakyCount));
    p.setAttribute('data-failing', String(failingCount));
    p.setAttribute('data-regressed', String(regressedCount));
  })();

  // Filtering: substring (case-insensitive) or /regex/flags over "classname name"; outcome filter.
  var visible = [];
  var filterBox = $('filter'), only = $('only'), filterError = $('filter-error'), shown = $('shown');
  function applyFilter() {
    var q = filterBox.value.trim(), match = null, m = /^\/(.*)\/([a-z]*)$/.exec(q);
    filterError.textContent = '';
    filterBox.classList.remove('bad');
    if (m) {
      try { var re = new RegExp(m[1], m[2] || 'i'); match = function (s) { re.lastIndex = 0; return re.test(s); }; }
      catch (e) { filterError.textContent = 'not a regular expression: ' + e.message; filterBox.classList.add('bad'); }
    } else if (q) {
      var needle = q.toLowerCase();
      match = function (s) { return s.toLowerCase().indexOf(needle) >= 0; };
    }
    var mode = only.value;
    visible = [];
    for (var i = 0; i < tests.length; i++) {
      var t = tests[i];
      if (mode === 'failing' && !t.x) continue;
      if (mode === 'flaky' && !t.k) continue;
      if (mode === 'regressed' && !t.g) continue;
      if (match && !match((t.j !== undefined ? t.j + ' ' : '') + t.c + ' ' + t.n)) continue;
      visible.push(i);
    }
    shown.textContent = visible.length === tests.length ? '' : visible.length + ' of ' + tests.length + ' tests shown';
    body.style.height = (visible.length * ROW_H) + 'px';
    $('empty').hidden = visible.length > 0;
    draw(true);
  }
  var pending = 0;
  filterBox.addEventListener('input', function () { clearTimeout(pending); pending = setTimeout(applyFilter, 120); });
  only.addEventListener('change', applyFilter);

  // Columns come in pages that fit the window, newest first.
  var page = 0, pageSize = 1;
  function fitPage() {
    var width = $('grid').clientWidth - 32 - NAME_W;
    pageSize = Math.max(10, Math.min(150, Math.floor(width / CELL_W)));
    page = Math.min(page, Math.max(0, Math.ceil(R / pageSize) - 1));
  }
  function columns() {
    var from = page * pageSize, to = Math.min(R, from + pageSize), out = [];
    for (var r = from; r < to; r++) out.push(r);
    return out;
  }
  function drawHead() {
    var head = $('head'), cols = columns();
    var corner = el('div', 'corner', 'test \u2193 · run \u2192 (newest left)');
    head.replaceChildren(corner);
    cols.forEach(function (r) {
      var run = runs[r], col = el('div', 'col'), href = safeUrl(run.url);
      var text = fmtDate(run.createdAt, false) + ' ' + String(run.sha).slice(0, 7);
      var label = href ? el('a', null, text) : el('span', null, text);
      if (href) { label.href = href; label.target = '_blank'; label.rel = 'noopener noreferrer'; }
      col.title = runLabel(r);
      col.setAttribute('data-run', String(r));
      col.appendChild(label);
      head.appendChild(col);
    });
    var last = cols.length ? cols[cols.length - 1] + 1 : 0;
    $('page-label').textContent = R ? 'runs ' + (cols.length ? cols[0] + 1 : 0) + '\u2013' + last + ' of ' + R : 'no runs';
    $('newer').disabled = page === 0;
    $('older').disabled = last >= R;
  }
  $('newer').addEventListener('click', function () { if (page > 0) { page--; redraw(); } });
  $('older').addEventListener('click', function () { if ((page + 1) * pageSize < R) { page++; redraw(); } });

  // Rows: only those on screen (plus OVERSCAN) are in the DOM. Scrolling keeps the rows still on
  // screen and builds only the ones that come into view.
  var body = $('body'), selected = -1, drawnRows = new Map();
  function makeRow(v, cols) {
    var i = visible[v], t = tests[i], d = decode(i);
    var row = el('div', i === selected ? 'row selected' : 'row');
    row.style.top = (v * ROW_H) + 'px';
    row.setAttribute('data-test', String(i));
    row.tabIndex = 0;
    var name = el('div', 'name');
    if (t.k) name.appendChild(el('span', 'badge flaky', 'flaky'));
    if (t.g) name.appendChild(el('span', 'badge regressed', 'regressed'));
    if (t.x) name.appendChild(el('span', 'badge failing', 'failing'));
    if (t.j !== undefined) name.appendChild(el('span', 'job', '[' + t.j + '] '));
    if (t.c) name.appendChild(el('span', 'cls', t.c + ' \u203a '));
    name.appendChild(el('span', 'test', t.n));
    name.title = fullName(t);
    row.appendChild(name);
    for (var c = 0; c < cols.length; c++) {
      var r = cols[c], cell = el('span', 'cell ' + OUTCOME[d.o[r]][0]);
      cell.setAttribute('data-run', String(r));
      cell.title = tooltip(d, r);
      row.appendChild(cell);
    }
    return row;
  }
  // Draws the rows on screen; with all=true it rebuilds every row (the filter, the page or the columns changed).
  function draw(all) {
    if (all) { body.replaceChildren(); drawnRows.clear(); }
    var top = body.getBoundingClientRect().top;
    var first = Math.max(0, Math.floor(-top / ROW_H) - OVERSCAN);
    var last = Math.min(visible.length, Math.ceil((window.innerHeight - top) / ROW_H) + OVERSCAN);
    drawnRows.forEach(function (row, v) {
      if (v < first || v >= last) { row.remove(); drawnRows.delete(v); }
    });
    var cols = columns(), frag = document.createDocumentFragment();
    for (var v = first; v < last; v++) {
      if (drawnRows.has(v)) continue;
      var row = makeRow(v, cols);
      drawnRows.set(v, row);
      frag.appendChild(row);
    }
    body.appendChild(frag);
  }
  function markSelected() {
    drawnRows.forEach(function (row) { row.classList.toggle('selected', Number(row.getAttribute('data-test')) === selected); });
  }
  var scheduled = false;
  function onScroll() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(function () { scheduled = false; draw(); });
  }
  window.addEventListener('scroll', onScroll, { passive: true });
  function redraw() {
    $('head').style.top = $('controls').offsetHeight + 'px';
    drawHead();
    draw(true);
  }
  window.addEventListener('resize', function () { fitPage(); redraw(); });

  // The detail panel: the selected test's verdicts and its history chart.
  body.addEventListener('click', function (ev) {
    var row = ev.target.closest('.row');
    if (row) show(Number(row.getAttribute('data-test')));
  });
  body.addEventListener('keydown', function (ev) {
    var row = ev.target.closest('.row');
    if (row && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); show(Number(row.getAttribute('data-test'))); }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && !$('detail').hidden) $('detail-close').click();
  });
  $('detail-close').addEventListener('click', function () {
    selected = -1;
    $('detail').hidden = true;
    document.body.classList.remove('detail-open');
    markSelected();
  });
  function show(i) {
    var t = tests[i], d = decode(i), counts = { p: 0, f: 0, e: 0, s: 0, k: 0 }, ran = 0;
    for (var r = 0; r < R; r++) if (d.o[r] !== '-') { counts[d.o[r]]++; ran++; }
    selected = i;
    $('detail').hidden = false;
    document.body.classList.add('detail-open');
    $('detail-name').textContent = fullName(t);
    $('detail-stats').textContent = 'flip rate ' + t.f + ' \u00b7 pass rate ' + t.r + '% \u00b7 in ' + ran + ' of ' + R + ' runs: ' +
      counts.p + ' passed, ' + counts.f + ' failed, ' + counts.e + ' errored, ' + counts.k + ' flaky, ' + counts.s + ' skipped' +
      (t.x ? ' \u00b7 failing now' : '');
    var list = $('detail-verdicts');
    list.replaceChildren();
    t.v.forEach(function (v) {
      var li = el('li');
      li.appendChild(el('b', null, v[0]));
      li.appendChild(document.createTextNode(': ' + v[1]));
      list.appendChild(li);
    });
    list.hidden = t.v.length === 0;
    chart(d);
    markSelected();
    draw();
  }
  function chart(d) {
    var box = $('chart'), W = Math.max(300, box.clientWidth || 900), H = 190;
    var L = 58, RT = 12, plot = W - L - RT, step = plot / Math.max(1, R), maxMs = 1;
    box.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    box.replaceChildren();
    for (var r = 0; r < R; r++) if (d.times[r] > maxMs) maxMs = d.times[r];
    var y0 = 168, y1 = 38;
    function x(chrono) { return L + (chrono + 0.5) * step; }
    function y(ms) { return y0 - (y0 - y1) * (ms / maxMs); }
    box.appendChild(svg('text', { x: L - 6, y: 19, 'text-anchor': 'end' })).textContent = 'outcome';
    box.appendChild(svg('line', { x1: L, y1: y0, x2: W - RT, y2: y0 }, 'axis'));
    box.appendChild(svg('line', { x1: L, y1: y1, x2: W - RT, y2: y1 }, 'axis'));
    box.appendChild(svg('text', { x: L - 6, y: y1 + 3, 'text-anchor': 'end' })).textContent = fmtMs(maxMs);
    box.appendChild(svg('text', { x: L - 6, y: y0 + 3, 'text-anchor': 'end' })).textContent = '0';
    box.appendChild(svg('text', { x: L - 6, y: (y0 + y1) / 2 + 3, 'text-anchor': 'end' })).textContent = 'duration';
    if (R) {
      box.appendChild(svg('text', { x: L, y: H - 4 })).textContent = fmtDate(runs[R - 1].createdAt, true) + ' (oldest)';
      box.appendChild(svg('text', { x: W - RT, y: H - 4, 'text-anchor': 'end' })).textContent = '(newest) ' + fmtDate(runs[0].createdAt, true);
    }
    var points = [], marks = document.createDocumentFragment(), dots = document.createDocumentFragment();
    var dot = R > 300 ? 1.6 : R > 80 ? 2.4 : 3.2;
    for (var chrono = 0; chrono < R; chrono++) {
      var run = R - 1 - chrono, c = d.o[run];
      if (c === '-') continue;
      var cls = OUTCOME[c][0], cx = x(chrono), cy = y(d.times[run]);
      var mark = svg('rect', { x: cx - Math.max(0.5, step / 2 - 0.5), y: 10, width: Math.max(1, step - 1), height: 14 }, 'mark ' + cls);
      mark.appendChild(svg('title', {})).textContent = tooltip(d, run);
      marks.appendChild(mark);
      var p = svg('circle', { cx: cx.toFixed(1), cy: cy.toFixed(1), r: dot }, 'point ' + cls);
      p.setAttribute('data-run', String(run));
      p.appendChild(svg('title', {})).textContent = tooltip(d, run);
      dots.appendChild(p);
      points.push(cx.toFixed(1) + ',' + cy.toFixed(1));
    }
    box.appendChild(marks);
    if (points.length > 1) box.appendChild(svg('polyline', { points: points.join(' ') }, 'duration'));
    box.appendChild(dots);
  }

  fitPage();
  $('head').style.top = $('controls').offsetHeight + 'px';
  drawHead();
  applyFilter();
  document.documentElement.setAttribute('data-ready', String(Math.round(performance.now())));
})();
`
