/**
 * The history record of one run (format `shepherd-test-record`, version 1; see `RunRecord` and
 * docs/test-report.md "History record format"): built from a `Report`, written as JSON, and read
 * back with every field checked, so that a record written by hand or by another tool is either
 * right or refused with the reason.
 */
import type { Counts, Report, RunInfo, RunRecord, TestCounts, TestOutcome } from '../test-report/model.js'

export const RECORD_FORMAT = 'shepherd-test-record'
export const RECORD_VERSION = 1
/** Failure messages are cut to this many characters (UTF-16 code units, never inside a surrogate pair). */
export const MESSAGE_LIMIT = 300

/** The outcome characters of `RunRecord.outcomes`. */
export type OutcomeChar = 'p' | 'f' | 'e' | 's' | 'k' | '-'

const CHAR_OF: Record<TestOutcome, OutcomeChar> = { passed: 'p', failed: 'f', errored: 'e', skipped: 's', flaky: 'k' }
const OUTCOMES_PATTERN = /^[pfesk-]*$/

/** A record that cannot be read: the message names the source and what is wrong. */
export class RecordError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string
  ) {
    super(`${source}: ${problem}`)
    this.name = 'RecordError'
  }
}

/**
 * Returns the record of `report` for the run `run`. Tests are listed in code-point order of their
 * ids (records of one suite then share their `names` and compress better); times are rounded to
 * whole milliseconds; the last failure message of a failed, errored or flaky test is kept, cut to
 * `MESSAGE_LIMIT` characters.
 */
export function toRunRecord(report: Report, run: RunInfo): RunRecord {
  const results = [...report.results].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const names: string[] = new Array(results.length)
  const timesMs: number[] = new Array(results.length)
  const messages: Record<number, string> = {}
  let outcomes = ''
  for (let i = 0; i < results.length; i++) {
    const r = results[i]
    names[i] = r.id
    outcomes += CHAR_OF[r.outcome]
    timesMs[i] = Number.isFinite(r.timeMs) && r.timeMs > 0 ? Math.round(r.timeMs) : 0
    const message = r.failure?.message
    if (message && r.outcome !== 'passed' && r.outcome !== 'skipped') messages[i] = truncate(message, MESSAGE_LIMIT)
  }
  return {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    run: { ...run },
    names,
    outcomes,
    timesMs,
    messages,
    totals: { runs: { ...report.runs }, tests: { ...report.tests } }
  }
}

/** Returns `record` as compact JSON text, fields in the documented order. */
export function encodeRecord(record: RunRecord): string {
  const { format, version, run, names, outcomes, timesMs, messages, totals } = record
  return JSON.stringify({ format, version, run, names, outcomes, timesMs, messages, totals })
}

/**
 * Returns the record in `text` (JSON; a leading byte-order mark is allowed). `source` names where the
 * text came from (a file path) in errors. Unknown fields are ignored, so later versions can add
 * some; every documented field is checked. Throws RecordError when the text is not JSON, is not a
 * `shepherd-test-record` of version 1, or a field is missing, mistyped or inconsistent (the lengths
 * of `names`, `outcomes` and `timesMs` differ, a name repeats, a message points past the tests).
 */
export function decodeRecord(text: string, source: string): RunRecord {
  let value: unknown
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (err) {
    throw new RecordError(source, `not JSON (${(err as Error).message})`)
  }
  const fail = (problem: string): never => {
    throw new RecordError(source, problem)
  }
  if (!isObject(value)) return fail('not a test record: expected a JSON object')
  if (value.format !== RECORD_FORMAT) return fail(`not a test record: format is ${show(value.format)}, expected "${RECORD_FORMAT}"`)
  if (value.version !== RECORD_VERSION) return fail(`unsupported record version ${show(value.version)}; this Shepherd reads version ${RECORD_VERSION}`)

  const run = checkRun(value.run, fail)
  const { names, outcomes, timesMs, messages } = value
  if (!Array.isArray(names)) return fail('names must be an array of test ids')
  // Names in strictly increasing order (as toRunRecord writes them) are unique without a set.
  let sorted = true
  for (let i = 0; i < names.length; i++) {
    const name = names[i]
    if (typeof name !== 'string') return fail(`names[${i}] must be a string, got ${show(name)}`)
    if (sorted && i > 0 && !(names[i - 1] < name)) sorted = false
  }
  if (!sorted) {
    const seen = new Set<string>()
    for (let i = 0; i < names.length; i++) {
      if (seen.has(names[i])) return fail(`names[${i}] repeats test ${show(names[i])}`)
      seen.add(names[i])
    }
  }
  if (typeof outcomes !== 'string') return fail('outcomes must be a string of one character per test')
  if (outcomes.length !== names.length) return fail(`outcomes has ${outcomes.length} characters for ${names.length} names`)
  if (!OUTCOMES_PATTERN.test(outcomes)) {
    const at = outcomes.search(/[^pfesk-]/)
    return fail(`outcomes[${at}] is ${show(outcomes[at])}; each character must be one of p f e s k -`)
  }
  if (!Array.isArray(timesMs)) return fail('timesMs must be an array of milliseconds')
  if (timesMs.length !== names.length) return fail(`timesMs has ${timesMs.length} entries for ${names.length} names`)
  for (let i = 0; i < timesMs.length; i++) {
    const t = timesMs[i]
    if (typeof t !== 'number' || !(t >= 0) || t === Infinity) return fail(`timesMs[${i}] must be a number of milliseconds ≥ 0, got ${show(t)}`)
  }
  if (!isObject(messages)) return fail('messages must be an object of test index → message')
  for (const key of Object.keys(messages)) {
    if (!/^(0|[1-9]\d*)$/.test(key) || Number(key) >= names.length) return fail(`messages key ${show(key)} is not the index of a test (0–${names.length - 1})`)
    if (typeof messages[key] !== 'string') return fail(`messages[${key}] must be a string`)
  }
  const totals = value.totals
  if (!isObject(totals)) return fail('totals must be an object with runs and tests counts')
  return {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    run,
    names: names as string[],
    outcomes,
    timesMs: timesMs as number[],
    messages: messages as Record<number, string>,
    totals: { runs: checkCounts(totals.runs, 'totals.runs', false, fail) as Counts, tests: checkCounts(totals.tests, 'totals.tests', true, fail) as TestCounts }
  }
}

type Fail = (problem: string) => never

function checkRun(value: unknown, fail: Fail): RunInfo {
  if (!isObject(value)) return fail('run must be an object describing the run')
  const positive = (key: string, min: number) => {
    const v = value[key]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) fail(`run.${key} must be a whole number ≥ ${min}, got ${show(v)}`)
    return v as number
  }
  const text = (key: string, nonEmpty = false) => {
    const v = value[key]
    if (typeof v !== 'string' || (nonEmpty && v === '')) fail(`run.${key} must be a${nonEmpty ? ' non-empty' : ''} string, got ${show(v)}`)
    return v as string
  }
  const run: RunInfo = {
    id: positive('id', 1),
    attempt: positive('attempt', 1),
    url: text('url'),
    workflow: text('workflow'),
    job: text('job'),
    event: text('event'),
    branch: text('branch'),
    sha: text('sha', true),
    createdAt: text('createdAt', true)
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(run.createdAt) || Number.isNaN(Date.parse(run.createdAt))) {
    fail(`run.createdAt must be an ISO 8601 date and time, got ${show(run.createdAt)}`)
  }
  if (value.baseBranch !== undefined) run.baseBranch = text('baseBranch')
  if (value.pullRequest !== undefined) run.pullRequest = positive('pullRequest', 1)
  return run
}

function checkCounts(value: unknown, path: string, flaky: boolean, fail: Fail): Counts | TestCounts {
  if (!isObject(value)) return fail(`${path} must be an object of counts`)
  const keys = flaky ? ['total', 'passed', 'failed', 'errored', 'skipped', 'flaky'] : ['total', 'passed', 'failed', 'errored', 'skipped']
  const out: Record<string, number> = {}
  for (const key of keys) {
    const v = value[key]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${path}.${key} must be a whole number ≥ 0, got ${show(v)}`)
    out[key] = v as number
  }
  return out as unknown as Counts
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Returns a short, quoted rendering of a JSON value for an error message. */
function show(value: unknown): string {
  if (value === undefined) return 'missing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** Returns `text` cut to at most `limit` UTF-16 code units, never splitting a surrogate pair. */
function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text
  const code = text.charCodeAt(limit - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit)
}
