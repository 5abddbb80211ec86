/**
 * The test history: the records of the last N runs as one tests × runs matrix of outcome
 * characters, built once so that the flake analysis, the dashboard and the job summary read cells
 * by index instead of searching records. Runs are ordered oldest first by `createdAt`, then run id,
 * attempt and job. A test is a (job, id) pair: records of different jobs are different histories
 * that share the matrix, each test having `-` in the other jobs' runs.
 */
import type { RunInfo, RunRecord } from '../test-report/model.js'
import { recordDecoder, RecordError, type OutcomeChar } from './record.js'

/** Runs kept by default: the last 100. */
export const DEFAULT_HISTORY_RUNS = 100

export interface HistoryTest {
  /** `testId(classname, name)`, as in the records' `names`. */
  id: string
  job: string
}

export interface TestHistory {
  /** Oldest first. */
  runs: RunInfo[]
  /** The record of each run, aligned with `runs`. Records whose test lists are equal share one `names` array. */
  records: RunRecord[]
  tests: HistoryTest[]
  /**
   * Outcome character codes, test-major: the cell of test `t` in run `r` is
   * `cells[t * runs.length + r]`; `-` where the run did not have the test. Read it with `outcomeAt`.
   */
  cells: Uint8Array
  /** Per run, a small number naming its commit: runs of the same `sha` have the same number. */
  commits: Int32Array
  /**
   * Per run, 1 when no test of its job passed, was skipped or was flaky in it (and the job has more
   * than one test): TestGrid's "failing column", whose failures its flip analysis ignores.
   */
  allFailing: Uint8Array
  /** Records passed over while loading (duplicates), one sentence each. */
  warnings: string[]
  /** Test row by job, then test id: read it with `rowOf`. */
  rows: Map<string, Map<string, number>>
  /** Per run, the index of each test row in that run's record (-1 when absent); filled on demand by `recordIndex`. */
  slots: (Int32Array | undefined)[]
}

export interface HistoryOptions {
  /** Keep the newest this many runs (default 100). */
  limit?: number
  /** Keep only runs of this job. */
  job?: string
}

export const DASH = 45 // '-'
/** A run where some test passed, was skipped or was flaky is not a failing column. */
const PASSING = /[psk]/
const VALID_OUTCOMES = /^[pfesk-]*$/

/** Returns the row of the test `id` of `job`, or undefined when the history does not have it. */
export function rowOf(history: TestHistory, job: string, id: string): number | undefined {
  return history.rows.get(job)?.get(id)
}

/** Returns the outcome character of test row `t` in run `r`. */
export function outcomeAt(history: TestHistory, t: number, r: number): OutcomeChar {
  return String.fromCharCode(history.cells[t * history.runs.length + r]) as OutcomeChar
}

/** Returns test row `t`'s outcomes, oldest run first, as a string of outcome characters. */
export function outcomesOf(history: TestHistory, t: number): string {
  const R = history.runs.length
  let out = ''
  for (let r = 0; r < R; r++) out += String.fromCharCode(history.cells[t * R + r])
  return out
}

/** Returns the index of test row `t` in run `r`'s record, or -1 when that run did not have the test. */
export function recordIndex(history: TestHistory, t: number, r: number): number {
  let slots = history.slots[r]
  if (!slots) {
    const names = history.records[r].names
    // Runs with the same names array share one slot table.
    const twin = history.slots.findIndex((s, i) => s !== undefined && history.records[i].names === names && history.runs[i].job === history.runs[r].job)
    if (twin >= 0) slots = history.slots[twin] as Int32Array
    else {
      slots = new Int32Array(history.tests.length).fill(-1)
      const rows = history.rows.get(history.runs[r].job) as Map<string, number>
      for (let i = 0; i < names.length; i++) slots[rows.get(names[i]) as number] = i
    }
    history.slots[r] = slots
  }
  return slots[t]
}

/** Returns the time of test row `t` in run `r` in milliseconds, or undefined when the run did not have it. */
export function timeAt(history: TestHistory, t: number, r: number): number | undefined {
  const i = recordIndex(history, t, r)
  return i < 0 ? undefined : history.records[r].timesMs[i]
}

/** Returns the failure message of test row `t` in run `r`, when the record kept one. */
export function messageAt(history: TestHistory, t: number, r: number): string | undefined {
  const i = recordIndex(history, t, r)
  return i < 0 ? undefined : history.records[r].messages[i]
}

/**
 * Returns the history of `records` (any order): the newest `limit` runs, oldest first. A record
 * repeating the job, run id and attempt of another replaces it (the later one in `records` wins,
 * with a warning). Records are not changed; records with equal test lists end up sharing one
 * `names` array in `TestHistory.records`. Throws RangeError when `limit` is not a positive integer,
 * and RecordError for a record whose outcomes do not match its names (`decodeRecord` refuses those).
 */
export function loadHistory(records: readonly RunRecord[], options: HistoryOptions = {}): TestHistory {
  const limit = options.limit ?? DEFAULT_HISTORY_RUNS
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`history limit must be a whole number ≥ 1, got ${limit}`)
  const warnings: string[] = []

  const byRun = new Map<string, number>()
  const unique: RunRecord[] = []
  for (const record of records) {
    if (options.job !== undefined && record.run.job !== options.job) continue
    if (record.outcomes.length !== record.names.length || !VALID_OUTCOMES.test(record.outcomes)) {
      throw new RecordError(`record of run ${record.run.id} attempt ${record.run.attempt}`, 'outcomes must hold one of p f e s k - per name (read records with decodeRecord)')
    }
    const key = `${record.run.job}\u001e${record.run.id}\u001e${record.run.attempt}`
    const seen = byRun.get(key)
    if (seen === undefined) {
      byRun.set(key, unique.length)
      unique.push(record)
    } else {
      warnings.push(`two records for run ${record.run.id} attempt ${record.run.attempt} of job "${record.run.job}"; the later one is used`)
      unique[seen] = record
    }
  }
  const time = new Map<RunRecord, number>(unique.map((r) => [r, Date.parse(r.run.createdAt)]))
  unique.sort((a, b) => (time.get(a) as number) - (time.get(b) as number) || a.run.id - b.run.id || a.run.attempt - b.run.attempt || compare(a.run.job, b.run.job))
  const kept = unique.slice(Math.max(0, unique.length - limit))

  // Rows: each distinct test list is mapped once; most runs repeat the previous run's list.
  const sharer = namesSharer()
  const rows = new Map<string, Map<string, number>>()
  const tests: HistoryTest[] = []
  // Per job, the row of each index of each distinct names list.
  const rowMaps = new Map<string, Map<string[], Int32Array>>()
  const rowMapOf = (job: string, names: string[]) => rowMaps.get(job)?.get(names)
  const shared = kept.map((record) => {
    const names = sharer(record.run.job, record.names)
    if (!rowMapOf(record.run.job, names)) {
      const map = new Int32Array(names.length)
      const job = record.run.job
      let ofJob = rows.get(job)
      if (!ofJob) rows.set(job, (ofJob = new Map()))
      for (let i = 0; i < names.length; i++) {
        let row = ofJob.get(names[i])
        if (row === undefined) {
          row = tests.length
          ofJob.set(names[i], row)
          tests.push({ id: names[i], job })
        }
        map[i] = row
      }
      if (!rowMaps.has(job)) rowMaps.set(job, new Map())
      ;(rowMaps.get(job) as Map<string[], Int32Array>).set(names, map)
    }
    return names === record.names ? record : { ...record, names }
  })

  const R = kept.length
  const cells = new Uint8Array(tests.length * R).fill(DASH)
  const commits = new Int32Array(R)
  const allFailing = new Uint8Array(R)
  const commitOf = new Map<string, number>()
  const testsOfJob = new Map<string, number>()
  for (const t of tests) testsOfJob.set(t.job, (testsOfJob.get(t.job) ?? 0) + 1)
  // The matrix is test-major, records are run-major: fill it in blocks of up to 64 consecutive runs
  // with one names list, so each test's cells of a block are written together (one cache line)
  // while the block's outcome strings are read in order. Writing run by run would touch a new
  // cache line for every cell: 1,000 runs × 10,000 tests took 1.8 s that way.
  const outcomes: string[] = shared.map((r) => r.outcomes)
  for (let r = 0; r < R; ) {
    const names = shared[r].names
    const map = rowMapOf(shared[r].run.job, names) as Int32Array
    let end = r + 1
    while (end < R && end - r < 64 && shared[end].names === names && shared[end].run.job === shared[r].run.job) end++
    for (let i = 0; i < map.length; i++) {
      const at = map[i] * R
      for (let q = r; q < end; q++) cells[at + q] = outcomes[q].charCodeAt(i)
    }
    r = end
  }
  for (let r = 0; r < R; r++) {
    const record = shared[r]
    allFailing[r] = !PASSING.test(record.outcomes) && (testsOfJob.get(record.run.job) as number) > 1 ? 1 : 0
    let commit = commitOf.get(record.run.sha)
    if (commit === undefined) commitOf.set(record.run.sha, (commit = commitOf.size))
    commits[r] = commit
  }
  return { runs: shared.map((r) => r.run), records: shared, tests, cells, commits, allFailing, warnings, rows, slots: new Array(R) }
}

/**
 * Returns a function that hands back, for a job and a test list, an earlier equal list when there
 * is one (else the list itself): records of one suite usually list the same tests, and sharing one
 * array keeps 1,000 records of 10,000 tests from holding 10 million strings.
 */
export function namesSharer(): (job: string, names: string[]) => string[] {
  const lists = new Map<string, string[][]>()
  return (job, names) => {
    const key = `${job}\u001e${names.length}`
    const candidates = lists.get(key)
    if (!candidates) {
      lists.set(key, [names])
      return names
    }
    // Newest first: the previous run's list is the likeliest match. Bounded, so many distinct
    // lists of one length cost at most a few comparisons each.
    for (let c = candidates.length - 1; c >= Math.max(0, candidates.length - 4); c--) {
      if (sameNames(candidates[c], names)) return candidates[c]
    }
    candidates.push(names)
    return names
  }
}

function sameNames(a: string[], b: string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** A record file's text, or its bytes (UTF-8; cheaper: see `recordDecoder`), and where it came from. */
export type RecordSource = { source: string; text: string } | { source: string; bytes: Uint8Array }

/**
 * Returns the records decoded from `sources`. A source that is not a valid record is skipped with a
 * warning naming it and the problem; nothing here throws for bad input. Equal test lists are shared
 * as they are decoded (see `namesSharer`), so memory stays near one list per distinct suite, and a
 * list equal to the previous record's is not parsed again (see `recordDecoder`).
 */
export function readRecords(sources: Iterable<RecordSource>): { records: RunRecord[]; warnings: string[] } {
  const records: RunRecord[] = []
  const warnings: string[] = []
  const share = namesSharer()
  const decode = recordDecoder()
  for (const input of sources) {
    try {
      const record = decode('text' in input ? input.text : input.bytes, input.source)
      record.names = share(record.run.job, record.names)
      records.push(record)
    } catch (err) {
      if (!(err instanceof RecordError)) throw err
      warnings.push(`skipped ${err.message}`)
    }
  }
  return { records, warnings }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
