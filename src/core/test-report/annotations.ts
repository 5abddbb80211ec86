/**
 * Check-run annotations for a report: one per failing or errored test and per unreadable file
 * (`failure`), one per flaky test (`warning`), at the file and line when known. GitHub takes 50
 * per request; annotations need a path in the repository, so tests without a location are left
 * out here and listed in the summary instead.
 */
import type { ReadError, Report, TestResult } from './model.js'
import type { FlakyTest } from './summary.js'
import { truncate } from './markdown.js'
import { resultsOf } from './outputs.js'

/** One annotation in the shape `checks.create`/`checks.update` take. */
export interface CheckAnnotation {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title?: string
  raw_details?: string
}

/** GitHub's cap on annotations per check-run API request. */
export const ANNOTATIONS_PER_REQUEST = 50

/**
 * Annotations per check run: 20 requests. Each is a content-creating write, which GitHub asks
 * integrations to space by a second (the client does) and limits to 80 a minute; 5,000 failures
 * would take 100 requests and over a minute and a half. Past this the summary and the full
 * report list them.
 */
export const MAX_ANNOTATIONS = 1000

// GitHub's field limits: title 255 characters, message and raw_details 64 KB.
const TITLE_MAX = 255
const MESSAGE_MAX = 4000
const DETAILS_MAX = 32_000

// Plain text, but controls and bidirectional overrides are still no one's business.
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')

/**
 * Returns a path relative to the repository for a file a JUnit report names: Windows separators
 * become `/`, a leading `./` and the workspace prefix are removed. Returns undefined for a path
 * outside the workspace or one that climbs out with `..`.
 */
export function repoRelative(file: string | undefined, workspace?: string): string | undefined {
  if (!file) return undefined
  let path = file.replace(/\\/g, '/')
  const ws = workspace?.replace(/\\/g, '/').replace(/\/+$/, '')
  if (ws && path.startsWith(`${ws}/`)) path = path.slice(ws.length + 1)
  path = path.replace(/^(\.\/)+/, '')
  if (!path || path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.split('/').includes('..')) return undefined
  return path
}

export interface AnnotationSet {
  /** How many annotations there are (at most the cap). */
  count: number
  /**
   * Makes annotations `[from, to)` of the `count`. Each is built when asked for: a check run
   * sends them 50 a request, one request after another, and 1,000 made at once (with their stack
   * traces) would all outlive the garbage collector's young collections while the full report
   * renders beside them, making V8 grow its young generation for the rest of the run.
   */
  make(from: number, to: number): CheckAnnotation[]
  /** Failing tests with no repository location (listed in the summary, not annotated). */
  unlocated: TestResult[]
  /** Annotations left out past the cap (flaky warnings go first, then the last failures). */
  omitted: number
}

/**
 * Returns the annotations for a report: unreadable files first, then failures and errors in
 * report order, then flaky tests. Paths must already be repository-relative (see `repoRelative`).
 * Past the cap an annotation is only counted, not built (5,000 failures: 4,000 stack traces not
 * cleaned); within it, `make` builds them.
 */
export function checkAnnotations(report: Report, flaky: FlakyTest[] = [], max = MAX_ANNOTATIONS): AnnotationSet {
  const { results } = report
  const errors = report.errors.slice(0, max)
  const unlocated: TestResult[] = []
  // What each annotation is made from: a failing result's row, then a flaky test with its result.
  const rows: number[] = []
  const flakes: Array<[FlakyTest, TestResult]> = []
  let total = report.errors.length
  // A class's failing tests, one after another, name one file: its answer is kept.
  let file: string | undefined
  let located = false
  for (const i of results.indexesOf('failed', 'errored')) {
    const at = results.fileAt(i)
    if (at !== file) {
      file = at
      located = repoRelative(at) !== undefined
    }
    if (!located) {
      unlocated.push(results.at(i))
      continue
    }
    if (total++ < max) rows.push(i)
  }
  const byId = flaky.length > 0 ? resultsOf(report, flaky) : undefined
  for (const f of flaky) {
    const r = byId?.get(f.id)
    if (!r || !repoRelative(r.file) || total++ >= max) continue
    flakes.push([f, r])
  }
  const count = errors.length + rows.length + flakes.length
  const make = (k: number): CheckAnnotation => {
    if (k < errors.length) return readErrorAnnotation(errors[k])
    k -= errors.length
    if (k < rows.length) return failureAnnotation(results.at(rows[k]))
    const [f, r] = flakes[k - rows.length]
    return flakyAnnotation(f, r)
  }
  return {
    count,
    make: (from, to) => Array.from({ length: Math.max(0, Math.min(to, count) - Math.max(0, from)) }, (_, j) => make(Math.max(0, from) + j)),
    unlocated,
    omitted: Math.max(0, total - max)
  }
}

function failureAnnotation(r: TestResult): CheckAnnotation {
  const f = r.failure
  const message = f ? `${f.type ? `${f.type}: ` : ''}${f.message}` : r.outcome === 'errored' ? 'errored' : 'failed'
  return {
    ...testAnnotation(r, 'failure', `${r.outcome === 'errored' ? 'Error' : 'Failed'}: ${displayName(r)}`, message || '(no message)'),
    ...(f?.details ? { raw_details: truncate(clean(f.details), DETAILS_MAX) } : {})
  }
}

function flakyAnnotation(f: FlakyTest, r: TestResult): CheckAnnotation {
  return testAnnotation(r, 'warning', `Flaky: ${displayName(r)}`, f.evidence.join('\n'))
}

/** An annotation at a located test's file and line (line 1 when only the file is known). */
function testAnnotation(r: TestResult, level: CheckAnnotation['annotation_level'], title: string, message: string): CheckAnnotation {
  const line = r.line ?? 1
  return {
    path: repoRelative(r.file)!,
    start_line: line,
    end_line: line,
    annotation_level: level,
    title: truncate(clean(title), TITLE_MAX),
    message: truncate(clean(message), MESSAGE_MAX)
  }
}

function readErrorAnnotation(e: ReadError): CheckAnnotation {
  const line = e.line ?? 1
  return {
    path: repoRelative(e.file) ?? e.file.replace(/^\/+/, ''),
    start_line: line,
    end_line: line,
    // Columns are allowed only on a one-line annotation, which this is.
    ...(e.line && e.column ? { start_column: e.column, end_column: e.column } : {}),
    annotation_level: 'failure',
    title: 'Unreadable JUnit file',
    message: truncate(clean(`${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}: ${e.message}`), MESSAGE_MAX)
  }
}

/** Returns `classname › name`, or the name alone when the classname is empty. */
export function displayName(r: Pick<TestResult, 'classname' | 'name'>): string {
  return r.classname ? `${r.classname} › ${r.name}` : r.name
}
