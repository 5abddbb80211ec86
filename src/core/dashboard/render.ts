/**
 * The TestGrid-style dashboard (issue #4): history records in, one self-contained HTML page out.
 * The page carries its grid as JSON in an `application/json` block and draws it with an inline
 * script; nothing is fetched, and a strict Content-Security-Policy admits only that script and
 * stylesheet, by hash.
 */
import { createHash } from 'node:crypto'
import type { RunRecord } from '../test-report/model.js'
import { DASHBOARD_SCRIPT } from './client.js'
import { encodeOutcomes, writeTime } from './encode.js'
import type { TestAnalysis } from './flakiness.js'
import { buildGrid, type Grid } from './grid.js'
import { DASHBOARD_STYLE } from './style.js'

export interface DashboardOptions {
  /** Page title; default "Test dashboard". */
  title?: string
  /** Keep the newest N runs (default: all given). */
  maxRuns?: number
  /** ISO 8601 time shown as "generated"; none is shown when absent (the output then depends on the records only). */
  generatedAt?: string
  /**
   * List every test up to this many (default `LIST_ALL_UP_TO`, 5,000); above it only tests that
   * failed, errored or were flaky in a shown run, or have a verdict, get a row, and the header
   * counts the steady rest. `Infinity` always lists every test.
   */
  listAllUpTo?: number
}

/** One run as the page carries it. */
export interface PageRun {
  id: number
  attempt: number
  url: string
  sha: string
  createdAt: string
  branch: string
  event: string
  job: string
  pullRequest?: number
}

/** One test as the page carries it: short keys, because there may be 5,000 of them. */
export interface PageTest {
  /** classname */
  c: string
  /** name */
  n: string
  /** The job, when the page shows more than one. */
  j?: string
  /** Outcomes, newest run first, run-length encoded (`encodeOutcomes`). */
  o: string
  /** Two-character duration codes (`encodeTime`), one per run that has the test (not for `-`), newest first. */
  t: string
  /** Failure messages as pairs: run index, index into `PageData.messages`. */
  m: number[]
  /** Flip rate, one decimal. */
  f: number
  /** Pass rate in percent, one decimal. */
  r: number
  /** 1 when flaky. */
  k: 0 | 1
  /** 1 when failing now. */
  x: 0 | 1
  /** 1 when regressed (a regression or new-test verdict). */
  g: 0 | 1
  /** Verdicts as [kind, summary]. */
  v: [string, string][]
}

/** The JSON the page embeds. Tests are in display order. */
export interface PageData {
  title: string
  generatedAt?: string
  runs: PageRun[]
  messages: string[]
  tests: PageTest[]
  /** Tests not listed: passed, skipped or not run in every run shown, without a verdict (see `DashboardOptions.listAllUpTo`); absent when 0. */
  omitted?: number
}

const DASH = '-'.charCodeAt(0)
const ASCII = new TextDecoder('latin1')

/** Longest failure message the page carries (records already truncate to 300 characters). */
const MAX_MESSAGE = 300

/** Returns the page data of a grid: runs, a de-duplicated message table, and each test's encoded row. */
export function pageData(grid: Grid, title: string, generatedAt?: string): PageData {
  const messageIndex = new Map<string, number>()
  const messages: string[] = []
  const buffer = new Uint8Array(2 * grid.runs.length)
  const tests = grid.tests.map((test): PageTest => {
    let length = 0
    for (let r = 0; r < test.outcomes.length; r++) if (test.outcomes.charCodeAt(r) !== DASH) length = writeTime(buffer, length, test.timesMs[r])
    const t = ASCII.decode(buffer.subarray(0, length))
    const m: number[] = []
    for (const [run, text] of [...test.messages].sort((a, b) => a[0] - b[0])) {
      const message = text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text
      let index = messageIndex.get(message)
      if (index === undefined) {
        index = messages.length
        messages.push(message)
        messageIndex.set(message, index)
      }
      m.push(run, index)
    }
    const { analysis: a } = test
    return {
      c: test.classname,
      n: test.name,
      ...(grid.jobs.length > 1 ? { j: test.job } : {}),
      o: encodeOutcomes(test.outcomes),
      t,
      m,
      f: round1(a.flipRate),
      r: round1(a.passRate),
      k: a.flaky ? 1 : 0,
      x: test.failingNow ? 1 : 0,
      g: a.regressed ? 1 : 0,
      v: a.verdicts.map((v) => [v.kind, v.summary])
    }
  })
  const runs = grid.runs.map(
    (run): PageRun => ({
      id: run.id,
      attempt: run.attempt,
      url: run.url,
      sha: run.sha,
      createdAt: run.createdAt,
      branch: run.branch,
      event: run.event,
      job: run.job,
      ...(run.pullRequest !== undefined ? { pullRequest: run.pullRequest } : {})
    })
  )
  return { title, ...(generatedAt ? { generatedAt } : {}), runs, messages, tests, ...(grid.omitted > 0 ? { omitted: grid.omitted } : {}) }
}

/**
 * Returns the dashboard of `records` as one HTML document: tests × runs (newest run left), sorted
 * by flakiness, with filters and a per-test chart. `analysis` supplies flip rates and verdicts (see
 * `buildGrid`). Every text from the records reaches the page as JSON and is shown as text. Throws
 * when a record holds an outcome the page cannot show.
 */
export function renderDashboard(records: readonly RunRecord[], analysis?: readonly TestAnalysis[], options: DashboardOptions = {}): string {
  return dashboardPage(records, analysis, options).html
}

/** What a rendered dashboard shows, for a command's report. */
export interface DashboardPage {
  html: string
  runs: number
  /** Tests in the runs shown, listed or not. */
  tests: number
  /** Tests with a row (all of them unless there are more than `listAllUpTo`). */
  listed: number
  flaky: number
  regressed: number
  failing: number
}

/** Returns `renderDashboard`'s page with the counts its summary shows. Throws as `renderDashboard` does. */
export function dashboardPage(records: readonly RunRecord[], analysis?: readonly TestAnalysis[], options: DashboardOptions = {}): DashboardPage {
  const title = options.title ?? 'Test dashboard'
  const grid = buildGrid(records, analysis, options.maxRuns, options.listAllUpTo)
  const html = pageHtml(title, pageData(grid, title, options.generatedAt))
  return {
    html,
    runs: grid.runs.length,
    tests: grid.tests.length + grid.omitted,
    listed: grid.tests.length,
    flaky: grid.tests.filter((t) => t.analysis.flaky).length,
    regressed: grid.tests.filter((t) => t.analysis.regressed).length,
    failing: grid.tests.filter((t) => t.failingNow).length
  }
}

function pageHtml(title: string, data: PageData): string {
  const json = JSON.stringify(data).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  const csp = [
    "default-src 'none'",
    `script-src '${cspHash(DASHBOARD_SCRIPT)}'`,
    `style-src '${cspHash(DASHBOARD_STYLE)}'`,
    // The favicon is an empty data: URL, so the browser asks no server for one.
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'"
  ].join('; ')
  const legend = [
    ['pass', 'passed'],
    ['fail', 'failed'],
    ['error', 'errored'],
    ['flaky', 'flaky (failed, then passed in the run)'],
    ['skip', 'skipped'],
    ['none', 'not run']
  ]
    .map(([cls, label]) => `<li><span class="swatch ${cls}"></span>${label}</li>`)
    .join('')
  return htmlDocument(csp, title, DASHBOARD_STYLE, `<header>
<h1>${escapeHtml(title)}</h1>
<p id="summary"></p>
<ul class="legend">${legend}</ul>
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
<script type="application/json" id="dashboard-data">${json}</script>
<script>${DASHBOARD_SCRIPT}</script>
`)
}

/** A self-contained page: the CSP, no referrer, no favicon request, the inlined style, the body. */
export function htmlDocument(csp: string, title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
${body}</body>
</html>
`
}

/** Returns `text` safe between HTML tags and inside quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Returns the CSP source (`sha256-…`) that admits one inline script or style. Throws when it contains `</`, which would end its element. */
export function cspHash(text: string): string {
  if (text.includes('</')) throw new Error('an inline script or style must not contain "</"')
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}
