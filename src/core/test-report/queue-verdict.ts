/**
 * test-report's verdict for the merge queue: which tests failed on a commit and which of those are
 * flaky (by the history or by retries), carried as one hidden HTML comment in the check run's
 * `output.text`, so the queue can retry a batch whose every failing test is flaky instead of
 * ejecting its PR. This module alone writes and reads the marker:
 *
 *     <!-- shepherd:queue-verdict {"version":1,"failing":[...],"flaky":[...],"failingTotal":2,"inputProblems":0} -->
 *
 * Test names are untrusted: inside the comment every `<`, `>` and `-` of the JSON is written as a
 * `\u` escape, so no name can end the comment or open another, and JSON.parse gives it back
 * unchanged. Whatever cannot be read, or was cut to fit, reads as "not all flaky" (the safe side:
 * the PR is ejected rather than retried).
 */
import type { Report } from './model.js'
import type { FlakyTest } from './summary.js'

/** The marker's name inside the comment. */
export const QUEUE_VERDICT_MARKER = 'shepherd:queue-verdict'

/** Most test ids the marker lists; past it the verdict is capped (and never "all flaky"). */
export const MAX_VERDICT_TESTS = 100

/** Most characters of the whole comment: far below the 65,535 of a check run's `output.text`. */
export const MAX_VERDICT_CHARS = 16_000

/** What test-report concluded about a commit's failing tests. */
export interface QueueVerdict {
  /** Ids (`testId`: classname U+001F name) of failing or erroring tests, as many as fit. */
  failing: string[]
  /** The ids of `failing` that are flaky by the history or by retries. */
  flaky: string[]
  /** Failing or erroring tests in all: more than `failing.length` when the list was capped. */
  failingTotal: number
  /** Unreadable JUnit files, plus 1 when no file matched: the check may have failed for them. */
  inputProblems: number
}

/**
 * Returns the verdict of a report: its failing tests (failed or errored, not those that failed and
 * then passed in the run) and those of them in `flaky` (test-report's merged flake verdicts).
 */
export function queueVerdictOf(report: Report, flaky: readonly Pick<FlakyTest, 'id'>[], noFiles = false): QueueVerdict {
  const flakyIds = new Set(flaky.map((f) => f.id))
  const failing = report.results.indexesOf('failed', 'errored').map((i) => report.results.idAt(i))
  return { failing, flaky: failing.filter((id) => flakyIds.has(id)), failingTotal: failing.length, inputProblems: report.errors.length + (noFiles ? 1 : 0) }
}

/**
 * Returns whether the verdict says every failing test is flaky: at least one failing test, all of
 * them listed (not capped) and flaky, and every input read.
 */
export function allFailingFlaky(v: QueueVerdict): boolean {
  if (v.inputProblems > 0 || v.failing.length === 0 || v.failing.length !== v.failingTotal) return false
  const flaky = new Set(v.flaky)
  return v.failing.every((id) => flaky.has(id))
}

/**
 * Returns the marker for a verdict: one HTML comment. Lists are cut to MAX_VERDICT_TESTS ids and
 * the comment to MAX_VERDICT_CHARS characters by dropping ids from the end (`failingTotal` keeps
 * the count, so a cut verdict is never "all flaky").
 */
export function formatQueueVerdict(v: QueueVerdict): string {
  let failing = v.failing.slice(0, MAX_VERDICT_TESTS)
  const render = (): string => {
    const listed = new Set(failing)
    const body = { version: 1, failing, flaky: v.flaky.filter((id) => listed.has(id)), failingTotal: Math.max(v.failingTotal, v.failing.length), inputProblems: v.inputProblems }
    return `<!-- ${QUEUE_VERDICT_MARKER} ${escapeForComment(JSON.stringify(body))} -->`
  }
  let text = render()
  while (text.length > MAX_VERDICT_CHARS && failing.length > 0) {
    // Drop about as many ids as the excess needs (at least one), then measure again.
    const over = text.length - MAX_VERDICT_CHARS
    const average = text.length / failing.length
    failing = failing.slice(0, Math.max(0, failing.length - Math.max(1, Math.ceil(over / average))))
    text = render()
  }
  return text
}

const MARKER = new RegExp(`<!-- ${QUEUE_VERDICT_MARKER} ([^<>]*?) -->`, 'g')

/**
 * Reads the marker back from a check run's output text (or summary). Returns null when there is
 * none, more than one, or one that is not a well-formed verdict: a consumer then knows nothing, and
 * must not call anything flaky.
 */
export function parseQueueVerdict(text: string | null | undefined): QueueVerdict | null {
  if (!text || !text.includes(QUEUE_VERDICT_MARKER)) return null
  const found = [...text.matchAll(MARKER)]
  if (found.length !== 1) return null
  let value: unknown
  try {
    value = JSON.parse(found[0][1])
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const o = value as Record<string, unknown>
  const ids = (x: unknown): x is string[] => Array.isArray(x) && x.length <= MAX_VERDICT_TESTS && x.every((s) => typeof s === 'string')
  const count = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
  if (o.version !== 1 || !ids(o.failing) || !ids(o.flaky) || !count(o.failingTotal) || !count(o.inputProblems)) return null
  if (o.failingTotal < o.failing.length) return null
  return { failing: o.failing, flaky: o.flaky, failingTotal: o.failingTotal, inputProblems: o.inputProblems }
}

/** JSON made safe inside an HTML comment: `<`, `>` and `-` (only ever inside strings here) as `\u` escapes. */
function escapeForComment(json: string): string {
  return json.replace(/[<>-]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
