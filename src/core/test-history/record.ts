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
  const results = report.results
  // Read by column: the ids, then the order of the tests by id.
  const ids: string[] = new Array(results.length)
  for (let i = 0; i < results.length; i++) ids[i] = results.idAt(i)
  const order = Array.from(ids.keys()).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0))
  const names: string[] = new Array(results.length)
  const timesMs: number[] = new Array(results.length)
  const messages: Record<number, string> = {}
  let outcomes = ''
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    const outcome = results.outcomeAt(i)
    const t = results.timeMsAt(i)
    names[k] = ids[i]
    outcomes += CHAR_OF[outcome]
    timesMs[k] = Number.isFinite(t) && t > 0 ? Math.round(t) : 0
    const message = outcome !== 'passed' && outcome !== 'skipped' ? results.failureAt(i)?.message : undefined
    if (message) messages[k] = truncate(message, MESSAGE_LIMIT)
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
 * To read many records, use one `recordDecoder`: it reads each run's repeated test list once.
 */
export function decodeRecord(text: string, source: string): RunRecord {
  return recordDecoder()(text, source)
}

/**
 * Returns the record of an already parsed JSON `value`, checked as `decodeRecord` checks it (which
 * is this function after `JSON.parse`). Throws RecordError naming `source` and the problem.
 */
export function recordFromValue(value: unknown, source: string): RunRecord {
  return checkRecord(value, source, false)
}

/** Decodes records one after another, from text or from UTF-8 bytes; see `recordDecoder`. */
export type RecordDecoder = (input: string | Uint8Array, source: string) => RunRecord

/**
 * Returns a decoder that reads records exactly as `decodeRecord` does (same records, same errors;
 * bytes are read as UTF-8, as `Buffer.toString('utf8')` reads them) but faster over a history.
 * Consecutive records of one suite carry the same `names`, which are most of a record's bytes
 * (about 65 of 70 bytes per test): the decoder keeps the text (or bytes) of the last valid `names`
 * array it read and, when the next record has the same array at the same place, reuses the array
 * already parsed and checked, and parses only the rest; from bytes, the names are then not even
 * turned into a string. That relies on the layout `encodeRecord` writes (`format`, `version`,
 * `run`, then `names`, then `outcomes`); a record laid out otherwise, or one whose pieces do not
 * parse, is read with a plain `JSON.parse`. Records decoded with one decoder may share one `names`
 * array: treat it as read-only.
 */
export function recordDecoder(): RecordDecoder {
  // The last names array that decoded and passed the checks, and its text or its bytes.
  let lastNames: string[] = []
  let lastText = ''
  let lastBytes: Uint8Array | undefined
  return (input, source) => {
    let split: Split | undefined
    let text: string | undefined
    if (typeof input === 'string') {
      text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
      split = splitText(text, lastText, lastNames)
    } else {
      const bytes = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input
      split = splitBytes(bytes, lastBytes, lastNames)
      if (split === undefined) text = utf8(bytes, 0, bytes.length)
    }
    if (split === undefined) {
      let value: unknown
      try {
        value = JSON.parse(text as string)
      } catch (err) {
        throw new RecordError(source, `not JSON (${(err as Error).message})`)
      }
      return checkRecord(value, source, false)
    }
    const record = checkRecord(split.value, source, split.names === undefined)
    if (split.names !== undefined) {
      shareStrings(record.names, lastNames)
      lastNames = record.names
      lastText = typeof split.span === 'string' ? split.span : ''
      lastBytes = typeof split.span === 'string' ? undefined : split.span
    }
    return record
  }
}

/**
 * A record read in pieces: its value, and when its names were parsed here (not reused), the
 * parsed names and their text or a copy of their bytes.
 */
interface Split {
  value: Record<string, unknown>
  names?: unknown
  span?: string | Uint8Array
}

/**
 * Replaces each name of `names` that `previous` also has with `previous`'s string (both sorted, as
 * `toRunRecord` writes them; unsorted lists just share less). A list that changed by a few tests
 * then holds the same string objects as the last one: less memory, and their hashes, computed
 * once, serve every later lookup (`loadHistory` maps each distinct list's names to rows).
 */
function shareStrings(names: string[], previous: string[]): void {
  let j = 0
  for (let i = 0; i < names.length && j < previous.length; ) {
    const name = names[i]
    const other = previous[j]
    if (name === other) {
      names[i++] = other
      j++
    } else if (name < other) i++
    else j++
  }
}

/** What `encodeRecord` writes before the `run` object's fields, and between `run` and `names`. */
const HEAD = `{"format":"${RECORD_FORMAT}","version":${RECORD_VERSION},"run":{`
const NAMES_KEY = ',"names":['
const AFTER_NAMES = '],"outcomes":'
const HEAD_BYTES = Buffer.from(HEAD)
const NAMES_KEY_BYTES = Buffer.from(NAMES_KEY)
const AFTER_NAMES_BYTES = Buffer.from(AFTER_NAMES)

/**
 * Returns the JSON value of `text` read in three pieces (the object before `names`, the `names`
 * array, the object after it), or undefined when the text is not laid out as `encodeRecord` writes
 * it or a piece does not parse; the caller then parses the whole text, which gives the same value
 * or the error to report. The names are `lastNames` when their text equals `lastText`.
 *
 * Why the pieces give the whole text's value: `{A,"names":[N],B}` with `{A}`, `[N]` and `{B}` each
 * valid JSON is valid JSON with the same members; `{A}` being valid means the `,"names":[` found is
 * not inside a string (a `"` in a string is escaped) nor inside `run` (the braces would not
 * balance). Duplicate keys: the whole text's last one wins, as it does in `{...A, ...B}` with the
 * names put last; a `names` key in B as well is left to the plain parse.
 */
function splitText(text: string, lastText: string, lastNames: string[]): Split | undefined {
  if (!text.startsWith(HEAD)) return undefined
  const at = text.indexOf(NAMES_KEY, HEAD.length)
  if (at < 0) return undefined
  const open = at + NAMES_KEY.length - 1
  // lastText is one whole JSON array, so an array that starts with it ends where it ends.
  if (lastText !== '' && text.length > open + lastText.length && text.slice(open, open + lastText.length) === lastText) {
    return joinPieces(text.slice(0, at), text.slice(open + lastText.length), lastNames)
  }
  const close = text.indexOf(AFTER_NAMES, open)
  if (close < 0) return undefined
  const span = text.slice(open, close + 1)
  return joinPieces(text.slice(0, at), text.slice(close + 1), undefined, span, span)
}

/** `splitText` on UTF-8 bytes: the ASCII marks it looks for never occur inside a multi-byte character. */
function splitBytes(bytes: Uint8Array, lastBytes: Uint8Array | undefined, lastNames: string[]): Split | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < HEAD_BYTES.length || !buf.subarray(0, HEAD_BYTES.length).equals(HEAD_BYTES)) return undefined
  const at = buf.indexOf(NAMES_KEY_BYTES, HEAD_BYTES.length)
  if (at < 0) return undefined
  const open = at + NAMES_KEY_BYTES.length - 1
  if (lastBytes !== undefined && buf.length > open + lastBytes.length && buf.subarray(open, open + lastBytes.length).equals(lastBytes)) {
    return joinPieces(utf8(buf, 0, at), utf8(buf, open + lastBytes.length, buf.length), lastNames)
  }
  const close = buf.indexOf(AFTER_NAMES_BYTES, open)
  if (close < 0) return undefined
  return joinPieces(utf8(buf, 0, at), utf8(buf, close + 1, buf.length), undefined, utf8(buf, open, close + 1), Uint8Array.prototype.slice.call(buf, open, close + 1))
}

/**
 * Returns the value of `head` (the text before `,"names":`), the names (`names`, or the JSON array
 * `namesText`) and `rest` (the text after the names array, from its `,`), or undefined when a piece
 * does not parse or the layout is not the expected one. `span` is what to remember of new names.
 */
function joinPieces(head: string, rest: string, names: unknown, namesText?: string, span?: string | Uint8Array): Split | undefined {
  if (rest.charCodeAt(0) !== 0x2c) return undefined // `,`: more fields follow
  let before: unknown
  let after: unknown
  try {
    before = JSON.parse(`${head}}`)
    after = JSON.parse(`{${rest.slice(1)}`)
    if (namesText !== undefined) names = JSON.parse(namesText)
  } catch {
    return undefined
  }
  if (!isObject(before) || !isObject(after) || Object.hasOwn(after, 'names')) return undefined
  return namesText === undefined ? { value: { ...before, ...after, names } } : { value: { ...before, ...after, names }, names, span }
}

/** Returns `bytes[start, end)` as UTF-8 text, as `Buffer.toString('utf8')` reads it. */
function utf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end)
}

/**
 * Returns the record of the parsed JSON `value`, every field checked; `namesChecked` skips the
 * checks of `names` when it is an array that already passed them.
 */
function checkRecord(value: unknown, source: string, namesChecked: boolean): RunRecord {
  const fail = (problem: string): never => {
    throw new RecordError(source, problem)
  }
  if (!isObject(value)) return fail('not a test record: expected a JSON object')
  if (value.format !== RECORD_FORMAT) return fail(`not a test record: format is ${show(value.format)}, expected "${RECORD_FORMAT}"`)
  if (value.version !== RECORD_VERSION) return fail(`unsupported record version ${show(value.version)}; this Shepherd reads version ${RECORD_VERSION}`)

  const run = checkRun(value.run, fail)
  const { names, outcomes, timesMs, messages } = value
  if (!Array.isArray(names)) return fail('names must be an array of test ids')
  if (!namesChecked) checkNames(names, fail)
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

function checkNames(names: unknown[], fail: Fail): void {
  // Names in strictly increasing order (as toRunRecord writes them) are unique without a set.
  let sorted = true
  for (let i = 0; i < names.length; i++) {
    const name = names[i]
    if (typeof name !== 'string') return fail(`names[${i}] must be a string, got ${show(name)}`)
    if (sorted && i > 0 && !((names[i - 1] as string) < name)) sorted = false
  }
  if (!sorted) {
    const seen = new Set<unknown>()
    for (let i = 0; i < names.length; i++) {
      if (seen.has(names[i])) return fail(`names[${i}] repeats test ${show(names[i])}`)
      seen.add(names[i])
    }
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
