/** The dashboard page's stylesheet, inlined (the page's Content-Security-Policy allows it by hash). */
export const DASHBOARD_STYLE = String.raw`
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
`
