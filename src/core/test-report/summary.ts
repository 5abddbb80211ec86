/**
 * The run's report as Markdown: job summary, check-run summary, PR comment and the full report
 * artifact are all this one renderer under different size budgets. Sections are laid out in the
 * order a reader wants them (totals, new failures, flaky tests, failures, slowest, per suite) and
 * kept in the order they matter (totals, unreadable files, new failures, failures, flaky tests,
 * slowest, per suite): when the budget is short, the least important give way first, each cut
 * said in a note that links to the full report.
 */
import type { Counts, ReadError, Report, TestCounts, TestResult } from './model.js'
import type { ResultTable } from '../junit/result-table.js'
import { byteLength, codeBlock, inline, link, table } from './markdown.js'
import { resultsOf } from './outputs.js'
import { compareNames } from '../numbers.js'

/** A test judged flaky, with the evidence a reader can check. */
export interface FlakyTest {
  id: string
  classname: string
  name: string
  /** Sentences, e.g. "failed then passed in this run (failed, passed)". */
  evidence: string[]
}

/** What new failures are measured against: the base branch's latest recorded run. */
export interface Baseline {
  branch: string
  sha?: string
  url?: string
}

export interface SummaryInput {
  /** Report name (the check name). */
  title: string
  report: Report
  /** Flaky tests: in-run flakes plus the history's verdicts. */
  flaky?: FlakyTest[]
  /** Ids of tests failing now that did not fail on the baseline; undefined when there is no history. */
  newFailures?: string[]
  baseline?: Baseline
  /** `https://github.com/o/r/blob/<sha>`: file links point there. Without it locations are plain text. */
  blobUrl?: string
  /** Link to the full report (the artifact). */
  reportUrl?: string
  /** Link to the run. */
  runUrl?: string
  /** Extra lines for the end (already escaped Markdown). */
  notes?: string[]
}

export type SectionName = 'errors' | 'new' | 'flaky' | 'failures' | 'slowest' | 'suites'

export interface RenderOptions {
  /** Budget in UTF-8 bytes for the whole text (Infinity: no limit). */
  maxBytes: number
  /** Per failure: characters and lines of message and stack trace. */
  detailChars?: number
  detailLines?: number
  /** How many slowest tests to list (default 10). */
  slowest?: number
  /** Sections to render (default all). */
  sections?: SectionName[]
}

export interface Rendered {
  markdown: string
  /** Sections that were cut or left out to fit, in the order they gave way. */
  trimmed: SectionName[]
}

/** GitHub's limits, with a margin for what the runner or API adds. */
export const LIMITS = {
  /** `$GITHUB_STEP_SUMMARY`: 1 MiB per step. */
  jobSummary: 1024 * 1024 - 1024,
  /** Check run `output.summary` and `output.text`: 65,535 characters each (bytes, to be safe with any character). */
  checkOutput: 65_535,
  /** Issue comment body: 65,536 characters. */
  comment: 65_000
}

const DISPLAY: SectionName[] = ['errors', 'new', 'flaky', 'failures', 'slowest', 'suites']
const PRIORITY: SectionName[] = ['errors', 'new', 'failures', 'flaky', 'slowest', 'suites']
const TITLES: Record<SectionName, string> = {
  errors: 'Unreadable files',
  new: 'New failures',
  flaky: 'Flaky tests',
  failures: 'Failures',
  slowest: 'Slowest tests',
  suites: 'Suites'
}

/**
 * A section: a heading and items that can be cut from the end. Items are rendered on demand, so a
 * short budget renders only what it keeps (100,000 tests, 5,000 failures: a few hundred items).
 */
interface Section {
  name: SectionName
  head: string
  count: number
  item: (i: number) => string
  /** The UTF-8 size of `item(i)`, when known cheaper than measuring it. */
  itemBytes?: (i: number) => number
  /** Items joined with this (table rows by newline, blocks by a blank line). */
  joiner: string
  /** Rendered once after the items when any were cut. */
  more: (left: number) => string
}

/** A section to build when the budget reaches it: `exists` is cheap, `build` may not be. */
interface SectionPlan {
  name: SectionName
  exists: boolean
  build: () => Section
}

/** Returns the Markdown for the report within the budget. Never throws on odd input. */
export function renderSummary(input: SummaryInput, options: RenderOptions): Rendered {
  const trimmed: SectionName[] = []
  return { markdown: [...summaryPieces(input, options, trimmed)].join(''), trimmed }
}

/**
 * The Markdown of the whole report, no section cut (the full report), in pieces as they are
 * rendered: a report of 5,000 failures is megabytes, which a caller can write as they come
 * instead of holding them joined. A section with nothing to list is left out and named in
 * `trimmed`, as `renderSummary` names it.
 */
export function fullReport(input: SummaryInput, options: Omit<RenderOptions, 'maxBytes'>, trimmed: SectionName[] = []): Generator<string> {
  return summaryPieces(input, { ...options, maxBytes: Infinity }, trimmed)
}

/**
 * `renderSummary`'s Markdown within `options.maxBytes`, in pieces: a job summary of 1 MiB is
 * written as it is rendered instead of held as strings of that size (each a large object V8
 * frees only in a full collection). With a budget, a first pass measures what fits, and the items
 * kept are rendered again as they are given. Sections cut or left out are added to `trimmed`.
 */
export function* summaryPieces(input: SummaryInput, options: RenderOptions, trimmed: SectionName[] = []): Generator<string> {
  const plans = wantedPlans(input, options)
  const header = renderHeader(input)
  const footerFor = (names: SectionName[]) => renderFooter(input, names)
  // Reserve the longest footer we could need (every section trimmed) so the note always fits.
  let budget = options.maxBytes - byteLength(header) - byteLength(footerFor([...plans.keys()])) - 8
  const chosen = new Map<SectionName, { section: Section; fit: Fit }>()
  for (const name of PRIORITY) {
    const plan = plans.get(name)
    if (!plan) continue
    // No room for even a heading: leave it out without building it.
    const section = budget < 64 ? null : plan.build()
    const f = section ? fit(section, budget) : null
    if (!section || !f) {
      trimmed.push(name)
      continue
    }
    if (f.cut) trimmed.push(name)
    chosen.set(name, { section, fit: f })
    budget -= f.bytes + 2
  }
  let first = true
  const gap = () => (first ? ((first = false), '') : '\n\n')
  if (header) yield gap() + header
  for (const name of DISPLAY) {
    const c = chosen.get(name)
    if (!c) continue
    const { section: s, fit: f } = c
    yield `${gap()}${s.head}${s.joiner === '\n' ? '\n' : '\n\n'}`
    for (let i = 0; i < f.kept; i++) yield i ? s.joiner + s.item(i) : s.item(i)
    if (f.cut) yield `\n\n${s.more(s.count - f.kept)}`
  }
  const footer = footerFor(trimmed)
  if (footer) yield gap() + footer
  yield '\n'
}

/** The plans of the sections `options` asks for that have something to show. */
function wantedPlans(input: SummaryInput, options: RenderOptions): Map<SectionName, SectionPlan> {
  const wanted = new Set(options.sections ?? DISPLAY)
  const plans = new Map<SectionName, SectionPlan>()
  for (const p of planSections(input, options)) if (wanted.has(p.name) && p.exists) plans.set(p.name, p)
  return plans
}

/** How much of a section fits a budget: its first `kept` items, whether any were cut, and the section's UTF-8 size so. */
interface Fit {
  kept: number
  cut: boolean
  bytes: number
}

/** Returns how many of the section's items fit in `budget` bytes, or null when not even one does (the items are measured, not kept). */
function fit(s: Section, budget: number): Fit | null {
  if (!s.count) return null
  // No budget (the full report): every item, none rendered to be measured.
  if (budget === Infinity) return { kept: s.count, cut: false, bytes: 0 }
  const joinHead = s.joiner === '\n' ? '\n' : '\n\n'
  const joinerBytes = byteLength(s.joiner)
  const headBytes = byteLength(s.head) + joinHead.length
  const moreBytes = byteLength(s.more(s.count))
  // Room for the "N more" line, whatever N is.
  let room = budget - headBytes - moreBytes - 2
  let used = 0
  let kept = 0
  for (let i = 0; i < s.count; i++) {
    const size = (s.itemBytes ? s.itemBytes(i) : byteLength(s.item(i))) + (i ? joinerBytes : 0)
    if (size > room) {
      // Everything fits without the "N more" line when this was the last item and the line's room covers it.
      if (i === s.count - 1 && size <= room + moreBytes + 2) return { kept: s.count, cut: false, bytes: headBytes + used + size }
      break
    }
    kept++
    used += size
    room -= size
  }
  if (kept === s.count) return { kept, cut: false, bytes: headBytes + used }
  if (!kept) return null
  return { kept, cut: true, bytes: headBytes + used + 2 + byteLength(s.more(s.count - kept)) }
}

function renderHeader(input: SummaryInput): string {
  const { report } = input
  const t = report.tests
  const bad = t.failed + t.errored
  const icon = bad ? '❌' : report.errors.length ? '⚠️' : '✅'
  const parts = [
    bad ? `**${t.failed} failed**` : null,
    t.errored ? `**${t.errored} errored**` : null,
    `${t.passed} passed`,
    t.skipped ? `${t.skipped} skipped` : null,
    t.flaky ? `${t.flaky} flaky` : null
  ].filter(Boolean)
  const files = report.files.length
  const unreadable = report.errors.length ? `, **${report.errors.length} unreadable**` : ''
  const time = formatMs(derived(report).timeMs)
  // The table counts tests flaky within this run; the history may judge more flaky (its verdicts
  // are listed with the in-run ones in the flaky section), and the header says how many.
  const judged = (input.flaky?.length ?? 0) - t.flaky
  const byHistory = judged > 0 ? ` · ${judged} more flaky by history` : ''
  const base = input.baseline && input.newFailures ? ` · ${input.newFailures.length} new since ${inline(input.baseline.branch, 100)}${input.baseline.sha ? ` ${input.baseline.sha.slice(0, 7)}` : ''}` : ''
  const lines = [
    `### ${icon} ${inline(input.title, 100)}`,
    `${parts.join(', ')} — ${t.total} tests in ${files} file${files === 1 ? '' : 's'}${unreadable}, ${time}${base}${byHistory}${input.runUrl ? ` · ${link('run', input.runUrl)}` : ''}${input.reportUrl ? ` · ${link('full report', input.reportUrl)}` : ''}`,
    '',
    table(
      ['', 'total', 'passed', 'failed', 'errored', 'skipped', 'flaky'],
      [countsRow('tests', t), countsRow('runs', report.runs)],
      ['l', 'r', 'r', 'r', 'r', 'r', 'r']
    ),
    '',
    '<sub>tests: unique tests, retries merged; runs: every `<testcase>` element.</sub>'
  ]
  return lines.join('\n')
}

function countsRow(label: string, c: Counts | TestCounts): string[] {
  return [label, String(c.total), String(c.passed), String(c.failed), String(c.errored), String(c.skipped), 'flaky' in c ? String(c.flaky) : '—']
}

function renderFooter(input: SummaryInput, trimmed: SectionName[]): string {
  const lines: string[] = []
  if (trimmed.length) {
    const where = input.reportUrl ? `: see the ${link('full report', input.reportUrl)}` : ''
    lines.push(`> [!NOTE]\n> Shortened to fit GitHub's size limit (${trimmed.map((n) => TITLES[n].toLowerCase()).join(', ')} cut)${where}.`)
  }
  for (const n of input.notes ?? []) lines.push(n)
  return lines.join('\n\n')
}

function planSections(input: SummaryInput, options: RenderOptions): SectionPlan[] {
  const { report } = input
  const newIds = new Set(input.newFailures ?? [])
  const more = (what: string) => (left: number) => `…and ${left} more ${what}${input.reportUrl ? ` in the ${link('full report', input.reportUrl)}` : ' in the full report'}.`
  const detail = { maxChars: options.detailChars ?? 3000, maxLines: options.detailLines ?? 40 }
  const list = (name: SectionName, head: string, items: readonly unknown[], item: (i: number) => string, what: string): Section => ({ name, head, count: items.length, item, joiner: '\n', more: more(what) })
  const plans: SectionPlan[] = []

  plans.push({
    name: 'errors',
    exists: report.errors.length > 0,
    build: () => list('errors', `#### ⚠️ ${TITLES.errors} (${report.errors.length})`, report.errors, (i) => `- ${describeReadError(report.errors[i])}`, 'unreadable files')
  })

  plans.push({
    name: 'new',
    exists: newIds.size > 0,
    build: () => {
      const results = resultsOf(report, [...newIds].map((id) => ({ id })))
      const fresh = [...newIds].map((id) => results.get(id)).filter((r): r is TestResult => !!r)
      const base = input.baseline
      const against = base ? ` since ${inline(base.branch, 100)}${base.sha ? ` at ${link(base.sha.slice(0, 7), base.url)}` : ''}` : ''
      const item = (i: number) => {
        const r = fresh[i]
        return `- ${testTitle(r)}${where(r, input.blobUrl)}${r.failure?.message ? ` — ${inline(firstLine(r.failure.message), 200)}` : ''}`
      }
      return list('new', `#### 🆕 ${TITLES.new} (${fresh.length})${against}`, fresh, item, 'new failures')
    }
  })

  const flaky = input.flaky ?? []
  plans.push({
    name: 'flaky',
    exists: flaky.length > 0,
    build: () =>
      list('flaky', `#### 🔁 ${TITLES.flaky} (${flaky.length})`, flaky, (i) => `- **${inline(flaky[i].name, 200)}** <sub>${inline(flaky[i].classname, 150)}</sub>: ${flaky[i].evidence.map((e) => inline(e, 300)).join('; ')}`, 'flaky tests')
  })

  const failing = report.tests.failed + report.tests.errored
  plans.push({
    name: 'failures',
    exists: failing > 0,
    build: () => {
      const results = report.results
      const all = derived(report).failing
      // New failures lead, then the rest in report order.
      const isNew = newIds.size ? all.map((i) => newIds.has(results.idAt(i))) : undefined
      const ordered = isNew ? [...all.filter((_, k) => isNew[k]), ...all.filter((_, k) => !isNew[k])] : all
      const fresh = isNew ? isNew.filter(Boolean).length : 0
      let last = -1
      let rendered: RenderedItem = { text: '', bytes: 0 }
      // Under a budget, the items measured to fit are kept for the pass that gives them (at most
      // the budget's bytes, and one more): rendered once, not twice. Without a budget (the full
      // report, 5,000 failures) each is made when it is given and let go: held all at once, they
      // would outlive young collections and make V8 grow its young generation for good.
      const measured: RenderedItem[] | undefined = Number.isFinite(options.maxBytes) ? [] : undefined
      const at = (i: number) => {
        if (measured) return (measured[i] ??= renderFailure(results.at(ordered[i]), i < fresh, input.blobUrl, detail))
        if (i !== last) {
          rendered = renderFailure(results.at(ordered[i]), i < fresh, input.blobUrl, detail)
          last = i
        }
        return rendered
      }
      return {
        name: 'failures',
        head: `#### ❌ ${TITLES.failures} (${ordered.length})`,
        count: ordered.length,
        item: (i) => at(i).text,
        itemBytes: (i) => {
          const item = at(i)
          if (item.bytes < 0) item.bytes = byteLength(item.text)
          return item.bytes
        },
        joiner: '\n\n',
        more: more('failures')
      }
    }
  })

  plans.push({
    name: 'slowest',
    exists: derived(report).timed,
    build: () => {
      const slow = derived(report).slowest(options.slowest ?? 10)
      const item = (i: number) => `| ${inline(slow[i].name, 150)} | ${inline(slow[i].suites.at(-1) ?? slow[i].classname, 100)} | ${formatMs(slow[i].timeMs)} |`
      return list('slowest', `#### 🐢 ${TITLES.slowest}\n\n${table(['test', 'suite', 'time'], [], ['l', 'l', 'r'])}`, slow, item, 'slow tests')
    }
  })

  plans.push({
    name: 'suites',
    exists: report.results.length > 0,
    build: () => {
      const suites = derived(report).suites
      const item = (i: number) => {
        const s = suites[i]
        return `| ${inline(s.name, 200)} | ${s.total} | ${s.passed} | ${s.failed} | ${s.errored} | ${s.skipped} | ${s.flaky} | ${formatMs(s.timeMs)} |`
      }
      return list('suites', `#### 📦 ${TITLES.suites} (${suites.length})\n\n${table(['suite', 'tests', 'passed', 'failed', 'errored', 'skipped', 'flaky', 'time'], [], ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'])}`, suites, item, 'suites')
    }
  })
  return plans
}

/** Returns the indexes of the `n` slowest tests, slowest first, in one pass over the times (no sort of every test). */
function slowest(results: ResultTable, n: number): number[] {
  const top: number[] = []
  for (let i = 0; i < results.length; i++) {
    const t = results.timeMsAt(i)
    if (t > 0 && (top.length < n || t > results.timeMsAt(top[n - 1]))) insertSlow(results, top, i, n)
  }
  return top
}

/** Inserts test `i` into `top` (slowest first, at most `n`), after any as slow as it. */
function insertSlow(results: ResultTable, top: number[], i: number, n: number): void {
  const t = results.timeMsAt(i)
  let k = top.length
  while (k > 0 && results.timeMsAt(top[k - 1]) < t) k--
  top.splice(k, 0, i)
  if (top.length > n) top.pop()
}

function describeReadError(e: ReadError): string {
  const pos = e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''
  return `${inline(`${e.file}${pos}`, 300)}: ${inline(e.message, 500)}`
}

function testTitle(r: TestResult): string {
  return `**${inline(r.name, 200)}** <sub>${inline(r.classname, 150)}</sub>`
}

/** Returns ` · [path:line](url)` for a test with a known location, or ''. */
function where(r: TestResult, blobUrl: string | undefined): string {
  const loc = locationOf(r, blobUrl)
  return loc ? ` · ${link(loc.label, loc.url, 200)}` : ''
}

/** Returns a test's location as text and, when the path is repository-relative and a blob URL is known, a link. */
export function locationOf(r: Pick<TestResult, 'file' | 'line'>, blobUrl?: string): { label: string; url?: string } | null {
  if (!r.file) return null
  const label = r.line ? `${r.file}:${r.line}` : r.file
  const base = fileUrl(r.file, blobUrl)
  return base === undefined ? { label } : { label, url: r.line ? `${base}#L${r.line}` : base }
}

/** The last file `fileUrl` was asked for, and its answer: a class's failing tests, listed together, name one file. */
let lastFile = ''
let lastBlobUrl: string | undefined
let lastFileUrl: string | undefined

/** Returns the blob URL of `file` when it is repository-relative and a blob URL is known. */
function fileUrl(file: string, blobUrl: string | undefined): string | undefined {
  if (file === lastFile && blobUrl === lastBlobUrl) return lastFileUrl
  const path = file.replace(/\\/g, '/')
  const relative = !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.split('/').includes('..')
  let url: string | undefined
  if (blobUrl && relative) {
    // Most paths need no encoding and have no empty or `.` segments: use them as they are.
    const plain = SAFE_PATH.test(path) && !path.startsWith('./') && !path.includes('/./') && !path.endsWith('/.') && path !== '.'
    const segments = plain ? path : path.split('/').filter((p) => p && p !== '.').map(encodeURIComponent).join('/')
    url = `${blobUrl.replace(/\/+$/, '')}/${segments}`
  }
  lastFile = file
  lastBlobUrl = blobUrl
  lastFileUrl = url
  return url
}

/** A rendered item and its UTF-8 size (-1 until measured: the full report never needs it). */
interface RenderedItem {
  text: string
  bytes: number
}

/** Paths whose segments encodeURIComponent leaves alone, with no empty segment. */
const SAFE_PATH = /^[A-Za-z0-9_.!~*'()-]+(\/[A-Za-z0-9_.!~*'()-]+)*$/

function renderFailure(r: TestResult, isNew: boolean, blobUrl: string | undefined, detail: { maxChars: number; maxLines: number }): RenderedItem {
  // Rendered again for each document that shows it (the full report, then the job summary's
  // share): a cache kept per result would hold every failure's text past young collections, which
  // makes V8 grow its young generation (the full report of 5,000 failures: 16 MiB more at the peak).
  const kind = r.outcome === 'errored' ? 'error' : 'failure'
  const head = `${isNew ? '🆕 ' : ''}${testTitle(r)}${where(r, blobUrl)} <sub>${kind}${r.executions.length > 1 ? `, ${r.executions.length} runs` : ''}</sub>`
  return { text: r.failure ? `${head}\n\n${codeBlock(failureText(r), detail)}` : head, bytes: -1 }
}

/** The text a failure's code block shows: the stack trace, led by the message when the trace does not repeat it. */
function failureText(r: TestResult): string {
  const f = r.failure
  if (!f) return ''
  // A stack trace usually repeats the message on its first line: show it once.
  const headline = `${f.type && !f.message.startsWith(f.type) ? `${f.type}: ` : ''}${f.message}`
  const flat = (t: string) => t.replace(/\s+/g, ' ').trim()
  const repeats = (details: string) => !!f.message.trim() && (details.includes(f.message.trim()) || flat(details).includes(flat(f.message)))
  return f.details?.trim() ? (repeats(f.details) ? f.details : `${headline}\n\n${f.details}`) : headline
}

/** Tables derived from a report, computed once per report object (a report is not changed once read). */
interface Derived {
  /** Indexes of the failed and errored results, in report order. */
  failing: number[]
  suites: SuiteRow[]
  /** The `n` slowest results, slowest first. */
  slowest: (n: number) => TestResult[]
  /** Time of every result. */
  timeMs: number
  /** Whether any test has a time. */
  timed: boolean
}

/** How many slowest tests the one pass keeps (the full report lists 50). */
const SLOWEST = 50

const deriveds = new WeakMap<Report, Derived>()

/** Returns the report's derived tables, made in one pass over its results (100,000 of them: a few ms each pass). */
function derived(report: Report): Derived {
  let d = deriveds.get(report)
  if (d) return d
  const results = report.results
  const failing: number[] = []
  const rows = new Map<string, SuiteRow>()
  const top: number[] = []
  let timeMs = 0
  // Results of one suite usually come together and share its suite path: its row is looked up once per run of them.
  let lastSuites = -1
  let lastClass = ''
  let row: SuiteRow | undefined
  for (let i = 0; i < results.length; i++) {
    const outcome = results.outcomeAt(i)
    const t = results.timeMsAt(i)
    if (outcome === 'failed' || outcome === 'errored') failing.push(i)
    timeMs += t
    const suitesId = results.suitesIdAt(i)
    if (!row || suitesId !== lastSuites || (!results.suitesAt(i).length && results.classnameAt(i) !== lastClass)) {
      const suites = results.suitesAt(i)
      const name = suites.length ? suites.join(' › ') : results.classnameAt(i) || '(no suite)'
      row = rows.get(name)
      if (!row) rows.set(name, (row = { name, total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, timeMs: 0 }))
      lastSuites = suitesId
      lastClass = results.classnameAt(i)
    }
    row.total++
    row[outcome]++
    row.timeMs += t
    if (t > 0 && (top.length < SLOWEST || t > results.timeMsAt(top[SLOWEST - 1]))) insertSlow(results, top, i, SLOWEST)
  }
  // Suites with failures first, then by name.
  const suites = [...rows.values()].sort((a, b) => b.failed + b.errored - (a.failed + a.errored) || compareNames(a.name, b.name))
  let longer: number[] | undefined
  const slowestOf = (n: number) => (n <= SLOWEST ? top.slice(0, n) : (longer = longer && longer.length >= n ? longer : slowest(results, n)).slice(0, n)).map((i) => results.at(i))
  d = { failing, suites, slowest: slowestOf, timeMs, timed: top.length > 0 }
  deriveds.set(report, d)
  return d
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim()) ?? ''
}

interface SuiteRow extends TestCounts {
  name: string
  timeMs: number
}


/** Returns a duration for people: `850 ms`, `12.3 s`, `2 min 5 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  const s = Math.round(ms / 1000)
  return s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

/** Returns the flaky tests a report shows by itself: failed or errored, then passed, within this run. */
export function inRunFlakes(report: Report): FlakyTest[] {
  return report.results
    .withOutcome('flaky')
    .map((r) => {
      const bad = r.executions.filter((e) => e === 'failed' || e === 'errored').length
      return { id: r.id, classname: r.classname, name: r.name, evidence: [`failed and passed in this run: ${bad} of ${r.executions.length} executions failed (${r.executions.join(', ')})`] }
    })
}

/** Returns a one-line title for the check run: `3 failed, 120 passed, 2 flaky`. */
export function checkTitle(report: Report): string {
  const t = report.tests
  const parts = [
    t.failed ? `${t.failed} failed` : null,
    t.errored ? `${t.errored} errored` : null,
    `${t.passed} passed`,
    t.skipped ? `${t.skipped} skipped` : null,
    t.flaky ? `${t.flaky} flaky` : null,
    report.errors.length ? `${report.errors.length} unreadable file${report.errors.length === 1 ? '' : 's'}` : null
  ]
  return parts.filter(Boolean).join(', ')
}
