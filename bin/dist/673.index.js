const Le=673,Oe=[673],Te={1673: (Re,ne,N)=>{N.d(ne,{hS:()=>T,Wi:()=>P,ZD:()=>O,rN:()=>V});var re=N(7598);const I=String.raw`
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
`,S="pfesk-",M="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",E=224,ae=4095;function oe(e){let t="",n=0;for(;n<e.length;){const a=e[n];if(!S.includes(a))throw new Error(`outcome "${a}" at ${n} is not one of ${S}`);let r=n+1;for(;r<e.length&&e[r]===a;)r++;t+=r-n>1?a+String(r-n):a,n=r}return t}function Se(e){let t="";const n=/([pfesk-])(\d*)/y;let a=0;for(;a<e.length;){n.lastIndex=a;const r=n.exec(e);if(!r)throw new Error(`run-length outcomes: unexpected "${e[a]}" at ${a}`);t+=r[1].repeat(r[2]?Number(r[2]):1),a=n.lastIndex}return t}function $e(e){const t=new Uint8Array(2);return _(t,0,e),String.fromCharCode(t[0],t[1])}const j=Uint8Array.from(M,e=>e.charCodeAt(0)),L=new Uint16Array(65536);function ie(e){if(Number.isInteger(e)&&e>=0&&e<L.length){const t=L[e];if(t!==0)return t-1;const n=Math.round(Math.log1p(e)*E);return L[e]=n+1,n}return Number.isFinite(e)&&e>0?Math.min(ae,Math.round(Math.log1p(e)*E)):0}function _(e,t,n){const a=ie(n);return e[t]=j[a>>6],e[t+1]=j[a&63],t+2}function Me(e){const t=M.indexOf(e[0]),n=M.indexOf(e[1]);if(e.length!==2||t<0||n<0)throw new Error(`duration code "${e}" is not two base64url digits`);return Math.round(Math.expm1((t<<6|n)/E))}function H(e){return/^(regression|new-test)\b/.test(e)}const F=3;function se(e,t,n){if(n.length<t.length)throw new Error(`scoreTest: ${t.length} outcomes but ${n.length} commits`);let a=0,r=0,c=0,h=0,g="";for(let d=0;d<t.length;d++){const p=t[d];if(p!=="p"&&p!=="f"&&p!=="e"&&p!=="k")continue;a++;const b=p==="f"||p==="e";p==="k"&&c++,b||r++,b&&g!==""&&g!=="f"&&g!=="e"&&de(t,d)<F&&h++,g=p}const i=[];c>0&&i.push({kind:"retry",summary:`failed then passed within ${$(c,"run")}`});const w=r<a&&r>0?le(t,n):[];if(w.length>0){const d=w.slice(0,3).map(p=>p.slice(0,7)).join(", ");i.push({kind:"same-commit",summary:`passed and failed on ${$(w.length,"commit")} (${d}${w.length>3?", …":""})`})}const C=a===0?0:100*(h+c)/a;return h>0&&i.push({kind:"flip-rate",summary:`${$(h,"pass→fail flip")} in ${$(a,"run")} (flip rate ${C.toFixed(1)})`}),{id:e,flipRate:C,passRate:a===0?0:100*r/a,flaky:i.length>0,verdicts:i}}function le(e,t){const n=new Set,a=new Set;for(let r=0;r<e.length;r++){const c=e[r];c==="f"||c==="e"?a.add(t[r]):(c==="p"||c==="k")&&n.add(t[r])}return[...a].filter(r=>n.has(r))}function de(e,t){let n=0;for(let a=t;a<e.length&&n<F;a++){const r=e[a];if(r==="f"||r==="e")n++;else if(r==="p"||r==="k")break}return n}function $(e,t){return`${e} ${t}${e===1?"":"s"}`}const ce=5e3;function ue(e,t=[],n=1/0,a=ce){const r=[...e].sort(be).slice(0,Math.max(0,n)),c=r.map(o=>o.run),h=new Map,g=[],i=[];let w;const C=r.map(o=>{const{job:l}=o.run,{names:s}=o;if(w&&w.job===l&&ve(w.names,s))return w.rows;const m=new Int32Array(s.length);let f=h.get(l);f||h.set(l,f=new Map);for(let u=0;u<s.length;u++){let v=f.get(s[u]);v===void 0&&(v=g.length,f.set(s[u],v),g.push(s[u]),i.push(l)),m[u]=v}return w={job:l,names:s,rows:m},m}),d=r.length,p=new Uint8Array(g.length*d).fill(pe);for(let o=0;o<d;o+=z){const l=Math.min(d,o+z),s=Math.max(...C.slice(o,l).map(m=>m.length));for(let m=0;m<s;m+=U)for(let f=o;f<l;f++){const{outcomes:u}=r[f],v=C[f],k=Math.min(v.length,m+U);for(let R=m;R<k;R++){const te=u.charCodeAt(R);if(!B[te])throw new Error(`record of run ${r[f].run.id}: outcome "${u[R]??""}" of test ${R} is not one of ${S}`);p[v[R]*d+f]=te}}}const b=new Set;if(g.length>a){for(const o of t)if(o.verdicts.length)for(const[l,s]of h){const m=o.job===void 0||o.job===l?s.get(o.id):void 0;m!==void 0&&b.add(m)}}const y=new Int32Array(g.length).fill(-1),x=[],A=g.length<=a;for(let o=0;o<g.length;o++)!A&&!b.has(o)&&!fe(p,o*d,(o+1)*d)||(y[o]=x.length,x.push(o));const D=new Map;for(const o of x){const l=D.get(g[o]);l?l.push(o):D.set(g[o],[o])}const X=new Array(x.length),K=new Array(x.length);for(const o of t){const l=D.get(o.id);if(l)for(const s of l)o.job===void 0?K[y[s]]=o:o.job===i[s]&&(X[y[s]]=o)}const Y=new Float64Array(x.length*d),Z=x.map(()=>new Map);r.forEach((o,l)=>{const s=C[l],{timesMs:m}=o;for(let f=0;f<s.length;f++){const u=y[s[f]];u>=0&&(Y[u*d+l]=m[f]??0)}for(const[f,u]of Object.entries(o.messages)){const v=Number(f);Number.isInteger(v)&&v>=0&&v<s.length&&y[s[v]]>=0&&Z[y[s[v]]].set(l,u)}});const Ae=c.map(o=>o.sha).reverse(),Q=new Uint8Array(d),ee=x.map((o,l)=>{const s=g[o],m=p.subarray(o*d,(o+1)*d),f=W.decode(m);let u=X[l]??K[l];if(!u){for(let k=0;k<d;k++)Q[k]=m[d-1-k];u=se(s,W.decode(Q),Ae)}const v=s.indexOf("");return{id:s,job:i[o],classname:v<0?"":s.slice(0,v),name:v<0?s:s.slice(v+1),outcomes:f,timesMs:Y.subarray(l*d,(l+1)*d),messages:Z[l],analysis:{...u,flaky:u.flaky??u.verdicts.some(k=>!H(k.kind)),regressed:u.regressed??u.verdicts.some(k=>H(k.kind))},failingNow:/^[-s]*[fe]/.test(f)}});return ee.sort(xe),{runs:c,tests:ee,jobs:[...new Set(c.map(o=>o.job))],omitted:g.length-x.length}}function fe(e,t,n){for(let a=t;a<n;a++){const r=e[a];if(r===he||r===ge||r===me)return!0}return!1}const pe=45,he=102,ge=101,me=107,z=16,U=512,W=new TextDecoder("latin1"),B=[];for(const e of S)B[e.charCodeAt(0)]=!0;function ve(e,t){if(e===t)return!0;if(e.length!==t.length)return!1;for(let n=0;n<e.length;n++)if(e[n]!==t[n])return!1;return!0}function be(e,t){const n=Date.parse(e.run.createdAt),a=Date.parse(t.run.createdAt);return(Number.isNaN(a)?-1/0:a)-(Number.isNaN(n)?-1/0:n)||t.run.id-e.run.id||t.run.attempt-e.run.attempt}function xe(e,t){const n=e.analysis.rank??1/0,a=t.analysis.rank??1/0;if(n!==a)return n<a?-1:1;if(e.analysis.flaky!==t.analysis.flaky)return e.analysis.flaky?-1:1;if(e.analysis.flipRate!==t.analysis.flipRate)return t.analysis.flipRate-e.analysis.flipRate;if(e.failingNow!==t.failingNow)return e.failingNow?-1:1;const r=`${e.classname}\0${e.name}\0${e.job}`,c=`${t.classname}\0${t.name}\0${t.job}`;return r<c?-1:r>c?1:0}const q=String.raw`
:root {
  --pass: #2e9e5b; --fail: #d4382c; --error: #7a1a12; --flaky: #8e5bd0; --skip: #c5ccd4; --none: #f3f4f6;
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --hover: #fff5c2;
  --row: 22px; --cell: 15px; --name: 380px;
}
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 12px 16px 6px; border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0 0 4px; }
#summary { margin: 0; color: var(--muted); }
#summary b { color: var(--ink); }
.legend { display: flex; flex-wrap: wrap; gap: 12px; margin: 6px 0 0; padding: 0; list-style: none; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 4px; }
#controls { position: sticky; top: 0; z-index: 3; display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 8px 16px; background: var(--bg); border-bottom: 1px solid var(--line); }
#filter { width: 320px; padding: 4px 6px; font: inherit; border: 1px solid var(--line); border-radius: 4px; }
#filter.bad { border-color: var(--fail); }
#filter-error { color: var(--fail); }
#shown { color: var(--muted); }
#paging { margin-left: auto; display: flex; align-items: center; gap: 6px; }
button, select { font: inherit; padding: 2px 8px; border: 1px solid var(--line); border-radius: 4px; background: #f6f8fa; cursor: pointer; }
button:disabled { cursor: default; opacity: .45; }
#grid { padding: 0 16px 16px; }
#head { position: sticky; top: 41px; z-index: 2; display: flex; background: var(--bg); border-bottom: 1px solid var(--line); }
#head .corner { width: var(--name); flex: none; align-self: flex-end; padding: 0 8px 4px 0; color: var(--muted); }
.col { width: var(--cell); flex: none; height: 112px; margin-right: 1px; display: flex; justify-content: center; overflow: hidden; }
.col a, .col span { writing-mode: vertical-rl; transform: rotate(180deg); font-size: 10px; white-space: nowrap; color: var(--muted); text-decoration: none; padding-top: 2px; }
.col a:hover, .col a:focus { color: #0969da; text-decoration: underline; }
#body { position: relative; }
.row { position: absolute; left: 0; right: 0; height: var(--row); display: flex; align-items: center; cursor: pointer; }
.row:hover, .row:focus { background: var(--hover); outline: none; }
.row.selected { background: #dbeafe; }
.name { width: var(--name); flex: none; padding-right: 8px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.name .cls { color: var(--muted); }
.name .job { color: #0969da; }
.badge { display: inline-block; margin-right: 4px; padding: 0 4px; border-radius: 3px; font-size: 10px; line-height: 14px; color: #fff; vertical-align: 1px; }
.badge.flaky { background: var(--flaky); }
.badge.failing { background: var(--fail); }
.badge.regressed { background: #b35900; }
.cell { width: var(--cell); height: 18px; flex: none; margin-right: 1px; border-radius: 2px; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 2px; }
.pass { background: var(--pass); }
.fail { background: var(--fail); }
.error { background: var(--error); }
.flaky { background: var(--flaky); }
.skip { background: var(--skip); }
.none { background: var(--none); }
#empty { padding: 24px 0; color: var(--muted); }
#detail { position: fixed; left: 0; right: 0; bottom: 0; z-index: 4; max-height: 48vh; overflow: auto; padding: 10px 16px 12px; background: var(--bg); border-top: 2px solid var(--line); box-shadow: 0 -4px 12px rgba(0,0,0,.08); }
#detail h2 { font-size: 14px; margin: 0 24px 2px 0; word-break: break-all; }
#detail-close { position: absolute; top: 8px; right: 12px; }
#detail-stats { margin: 0; color: var(--muted); }
#detail-verdicts { margin: 4px 0; padding-left: 18px; }
#detail-verdicts b { font-weight: 600; }
#chart { display: block; width: 100%; height: 190px; }
#chart .axis { stroke: var(--line); }
#chart text { font-size: 10px; fill: var(--muted); }
#chart .duration { fill: none; stroke: #4b5563; stroke-width: 1.2; }
#chart rect.pass, #chart circle.pass { fill: var(--pass); }
#chart rect.fail, #chart circle.fail { fill: var(--fail); }
#chart rect.error, #chart circle.error { fill: var(--error); }
#chart rect.flaky, #chart circle.flaky { fill: var(--flaky); }
#chart rect.skip, #chart circle.skip { fill: var(--skip); }
body.detail-open { padding-bottom: 48vh; }
`,we=45,ye=new TextDecoder("latin1"),G=300;function ke(e,t,n){const a=new Map,r=[],c=new Uint8Array(2*e.runs.length),h=e.tests.map(i=>{let w=0;for(let b=0;b<i.outcomes.length;b++)i.outcomes.charCodeAt(b)!==we&&(w=_(c,w,i.timesMs[b]));const C=ye.decode(c.subarray(0,w)),d=[];for(const[b,y]of[...i.messages].sort((x,A)=>x[0]-A[0])){const x=y.length>G?`${y.slice(0,G-1)}…`:y;let A=a.get(x);A===void 0&&(A=r.length,r.push(x),a.set(x,A)),d.push(b,A)}const{analysis:p}=i;return{c:i.classname,n:i.name,...e.jobs.length>1?{j:i.job}:{},o:oe(i.outcomes),t:C,m:d,f:J(p.flipRate),r:J(p.passRate),k:p.flaky?1:0,x:i.failingNow?1:0,g:p.regressed?1:0,v:p.verdicts.map(b=>[b.kind,b.summary])}}),g=e.runs.map(i=>({id:i.id,attempt:i.attempt,url:i.url,sha:i.sha,createdAt:i.createdAt,branch:i.branch,event:i.event,job:i.job,...i.pullRequest!==void 0?{pullRequest:i.pullRequest}:{}}));return{title:t,...n?{generatedAt:n}:{},runs:g,messages:r,tests:h,...e.omitted>0?{omitted:e.omitted}:{}}}function Ee(e,t,n={}){return P(e,t,n).html}function P(e,t,n={}){const a=n.title??"Test dashboard",r=ue(e,t,n.maxRuns,n.listAllUpTo);return{html:Ce(a,ke(r,a,n.generatedAt)),runs:r.runs.length,tests:r.tests.length+r.omitted,listed:r.tests.length,flaky:r.tests.filter(h=>h.analysis.flaky).length,regressed:r.tests.filter(h=>h.analysis.regressed).length,failing:r.tests.filter(h=>h.failingNow).length}}function Ce(e,t){const n=JSON.stringify(t).replace(/[<>&]/g,c=>`\\u${c.charCodeAt(0).toString(16).padStart(4,"0")}`),a=["default-src 'none'",`script-src '${T(I)}'`,`style-src '${T(q)}'`,"img-src data:","base-uri 'none'","form-action 'none'"].join("; "),r=[["pass","passed"],["fail","failed"],["error","errored"],["flaky","flaky (failed, then passed in the run)"],["skip","skipped"],["none","not run"]].map(([c,h])=>`<li><span class="swatch ${c}"></span>${h}</li>`).join("");return V(a,e,q,`<header>
<h1>${O(e)}</h1>
<p id="summary"></p>
<ul class="legend">${r}</ul>
</header>
<div id="controls">
<input id="filter" type="search" placeholder="Filter tests: text, or /regex/" aria-label="Filter tests by name" autocomplete="off">
<select id="only" aria-label="Show"><option value="all">all tests</option><option value="failing">failing now</option><option value="flaky">flaky</option><option value="regressed">regressed</option></select>
<span id="filter-error" role="alert"></span>
<span id="shown"></span>
<span id="paging"><button id="newer" type="button">&larr; newer</button><span id="page-label"></span><button id="older" type="button">older &rarr;</button></span>
</div>
<main id="grid">
<div id="head"></div>
<div id="body"></div>
<p id="empty" hidden>No test matches the filter.</p>
</main>
<section id="detail" hidden aria-live="polite">
<button id="detail-close" type="button" aria-label="Close">&times;</button>
<h2 id="detail-name"></h2>
<p id="detail-stats"></p>
<ul id="detail-verdicts"></ul>
<svg id="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Outcome and duration per run"></svg>
</section>
<noscript>This dashboard draws its grid with JavaScript.</noscript>
<script type="application/json" id="dashboard-data">${n}<\/script>
<script>${I}<\/script>
`)}function V(e,t,n,a){return`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${O(t)}</title>
<link rel="icon" href="data:,">
<style>${n}</style>
</head>
<body>
${a}</body>
</html>
`}function O(e){return e.replace(/[&<>"']/g,t=>`&#${t.charCodeAt(0)};`)}function T(e){if(e.includes("</"))throw new Error('an inline script or style must not contain "</"');return`sha256-${(0,re.createHash)("sha256").update(e,"utf8").digest("base64")}`}function J(e){return Math.round(e*10)/10}} };export{Le as id,Oe as ids,Te as modules};
