/**
 * The dashboard's grid: history records turned into tests × runs, newest run first, tests in the
 * order the page lists them (flakiest first, then failing now, then by name).
 */
import type { RunInfo, RunRecord } from '../test-report/model.js'
import { OUTCOME_CHARS } from './encode.js'
import { isRegressionKind, scoreTest, type TestAnalysis } from './flakiness.js'

/** One test's row. `outcomes`, `timesMs` and the keys of `messages` follow `Grid.runs`. */
export interface GridTest {
  id: string
  /** The job whose runs the test belongs to: records of different jobs are different histories. */
  job: string
  classname: string
  name: string
  /** One outcome character per run, newest first; `-` where the run did not have the test. */
  outcomes: string
  timesMs: ArrayLike<number>
  /** Failure message by run index. */
  messages: Map<number, string>
  analysis: TestAnalysis & { flaky: boolean; regressed: boolean }
  /** The newest run with a result (not skipped, not absent) failed or errored. */
  failingNow: boolean
}

export interface Grid {
  /** Newest first. */
  runs: RunInfo[]
  /** The listed tests, in page order. */
  tests: GridTest[]
  /** The jobs of the runs, in order of first appearance (newest run first). */
  jobs: string[]
  /** Tests of the runs that are not listed: steady ones, left out because the history has more than `listAllUpTo` tests. */
  omitted: number
}

/**
 * Above this many tests the dashboard lists only the tests with something to see (see
 * `buildGrid`): a page of 100,000 rows that all say "passed" costs seconds to build and megabytes
 * to carry, and nobody scrolls it.
 */
export const LIST_ALL_UP_TO = 5000

/**
 * Returns the grid of `records` (any order; the newest `maxRuns` are kept, by `run.createdAt`,
 * then run id and attempt). A test is a (job, id) pair: each job's tests have `-` in the other
 * jobs' runs. Tests found in no kept record are left out. `analysis` gives each test's flip rate
 * and verdicts (matched by job and id, or by id when it names no job); a test it does not cover is
 * scored with `scoreTest` over its own job's runs. When the kept runs have more than `listAllUpTo`
 * tests, only tests that failed, errored or were flaky in a kept run, or that have a verdict, are
 * listed; the steady rest (passed, skipped or not run in every kept run) is counted in `omitted`.
 * Throws when a record holds an outcome character that is not one of `OUTCOME_CHARS`.
 */
export function buildGrid(records: readonly RunRecord[], analysis: readonly TestAnalysis[] = [], maxRuns = Infinity, listAllUpTo = LIST_ALL_UP_TO): Grid {
  const kept = [...records].sort(newestFirst).slice(0, Math.max(0, maxRuns))
  const runs = kept.map((r) => r.run)
  // Rows by job, then by id (no concatenated keys: a history may hold 100,000 tests).
  const rowOf = new Map<string, Map<string, number>>()
  const ids: string[] = []
  const jobOf: string[] = []
  // Each record's test index → grid row. Most runs list the same tests as the run before, so the
  // previous map is reused when the list is equal: 5,000 comparisons instead of 5,000 lookups.
  let previous: { job: string; names: string[]; rows: Int32Array } | undefined
  const rowMaps = kept.map((record) => {
    const { job } = record.run
    const { names } = record
    if (previous && previous.job === job && sameNames(previous.names, names)) return previous.rows
    const rows = new Int32Array(names.length)
    let ofJob = rowOf.get(job)
    if (!ofJob) rowOf.set(job, (ofJob = new Map()))
    for (let i = 0; i < names.length; i++) {
      let row = ofJob.get(names[i])
      if (row === undefined) {
        row = ids.length
        ofJob.set(names[i], row)
        ids.push(names[i])
        jobOf.push(job)
      }
      rows[i] = row
    }
    previous = { job, names, rows }
    return rows
  })
  const width = kept.length
  const codes = new Uint8Array(ids.length * width).fill(DASH)
  // Transposed in tiles of TILE_RUNS records × TILE_TESTS tests, so that the writes of one tile
  // stay in cache (row by row, the matrix is thousands of cache lines apart).
  for (let from = 0; from < width; from += TILE_RUNS) {
    const to = Math.min(width, from + TILE_RUNS)
    const longest = Math.max(...rowMaps.slice(from, to).map((rows) => rows.length))
    for (let start = 0; start < longest; start += TILE_TESTS) {
      for (let col = from; col < to; col++) {
        const { outcomes } = kept[col]
        const rows = rowMaps[col]
        const end = Math.min(rows.length, start + TILE_TESTS)
        for (let i = start; i < end; i++) {
          const code = outcomes.charCodeAt(i)
          if (!VALID[code]) throw new Error(`record of run ${kept[col].run.id}: outcome "${outcomes[i] ?? ''}" of test ${i} is not one of ${OUTCOME_CHARS}`)
          codes[rows[i] * width + col] = code
        }
      }
    }
  }
  // Rows with a verdict are listed whatever their cells say; they are few, so they are looked up.
  const verdictRows = new Set<number>()
  if (ids.length > listAllUpTo) {
    for (const a of analysis) {
      if (!a.verdicts.length) continue
      for (const [job, ofJob] of rowOf) {
        const row = a.job === undefined || a.job === job ? ofJob.get(a.id) : undefined
        if (row !== undefined) verdictRows.add(row)
      }
    }
  }
  // Which rows the page lists, and each listed row's place in `listed`.
  const slot = new Int32Array(ids.length).fill(-1)
  const listed: number[] = []
  const listAll = ids.length <= listAllUpTo
  for (let row = 0; row < ids.length; row++) {
    if (!listAll && !verdictRows.has(row) && !hasTrouble(codes, row * width, (row + 1) * width)) continue
    slot[row] = listed.length
    listed.push(row)
  }
  // Each listed row's analysis: by job and id, else by id alone (the later of equal keys wins).
  // Looked up by the listed ids, a small map, rather than every test's id in a map of all rows.
  const listedById = new Map<string, number[]>()
  for (const row of listed) {
    const same = listedById.get(ids[row])
    if (same) same.push(row)
    else listedById.set(ids[row], [row])
  }
  const byJob: Array<TestAnalysis | undefined> = new Array(listed.length)
  const byIdOnly: Array<TestAnalysis | undefined> = new Array(listed.length)
  for (const a of analysis) {
    const rows = listedById.get(a.id)
    if (!rows) continue
    for (const row of rows) {
      if (a.job === undefined) byIdOnly[slot[row]] = a
      else if (a.job === jobOf[row]) byJob[slot[row]] = a
    }
  }
  const times = new Float64Array(listed.length * width)
  const messages = listed.map(() => new Map<number, string>())
  kept.forEach((record, col) => {
    const rows = rowMaps[col]
    const { timesMs } = record
    for (let i = 0; i < rows.length; i++) {
      const s = slot[rows[i]]
      if (s >= 0) times[s * width + col] = timesMs[i] ?? 0
    }
    for (const [index, message] of Object.entries(record.messages)) {
      const i = Number(index)
      if (Number.isInteger(i) && i >= 0 && i < rows.length && slot[rows[i]] >= 0) messages[slot[rows[i]]].set(col, message)
    }
  })
  const shasOldestFirst = runs.map((r) => r.sha).reverse()
  const oldestFirst = new Uint8Array(width)
  const tests = listed.map((row, s): GridTest => {
    const id = ids[row]
    const cells = codes.subarray(row * width, (row + 1) * width)
    const outcomes = LATIN1.decode(cells)
    let a = byJob[s] ?? byIdOnly[s]
    if (!a) {
      // Other jobs' runs are `-` in this row, so scoring the whole row scores this job's runs.
      for (let r = 0; r < width; r++) oldestFirst[r] = cells[width - 1 - r]
      a = scoreTest(id, LATIN1.decode(oldestFirst), shasOldestFirst)
    }
    const cut = id.indexOf('\u001f')
    return {
      id,
      job: jobOf[row],
      classname: cut < 0 ? '' : id.slice(0, cut),
      name: cut < 0 ? id : id.slice(cut + 1),
      outcomes,
      timesMs: times.subarray(s * width, (s + 1) * width),
      messages: messages[s],
      analysis: {
        ...a,
        flaky: a.flaky ?? a.verdicts.some((v) => !isRegressionKind(v.kind)),
        regressed: a.regressed ?? a.verdicts.some((v) => isRegressionKind(v.kind))
      },
      failingNow: /^[-s]*[fe]/.test(outcomes)
    }
  })
  tests.sort(byFlakiness)
  return { runs, tests, jobs: [...new Set(runs.map((r) => r.job))], omitted: ids.length - listed.length }
}

/** Whether any of `codes[from, to)` is a failure, an error or a flaky run. */
function hasTrouble(codes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = codes[i]
    if (c === FAIL || c === ERROR || c === FLAKY) return true
  }
  return false
}

const DASH = '-'.charCodeAt(0)
const FAIL = 'f'.charCodeAt(0)
const ERROR = 'e'.charCodeAt(0)
const FLAKY = 'k'.charCodeAt(0)
const TILE_RUNS = 16
const TILE_TESTS = 512
// Outcome codes are ASCII: one byte per character.
const LATIN1 = new TextDecoder('latin1')
const VALID: boolean[] = []
for (const c of OUTCOME_CHARS) VALID[c.charCodeAt(0)] = true

function sameNames(a: string[], b: string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function newestFirst(a: RunRecord, b: RunRecord): number {
  const ta = Date.parse(a.run.createdAt)
  const tb = Date.parse(b.run.createdAt)
  return (Number.isNaN(tb) ? -Infinity : tb) - (Number.isNaN(ta) ? -Infinity : ta) || b.run.id - a.run.id || b.run.attempt - a.run.attempt
}

/**
 * The analysis's rank when it gives one (tests it does not rank come after), then: flaky before
 * not, higher flip rate first, failing now first, then by name (code-point order, so every machine
 * agrees).
 */
export function byFlakiness(a: GridTest, b: GridTest): number {
  const ra = a.analysis.rank ?? Infinity
  const rb = b.analysis.rank ?? Infinity
  if (ra !== rb) return ra < rb ? -1 : 1
  if (a.analysis.flaky !== b.analysis.flaky) return a.analysis.flaky ? -1 : 1
  if (a.analysis.flipRate !== b.analysis.flipRate) return b.analysis.flipRate - a.analysis.flipRate
  if (a.failingNow !== b.failingNow) return a.failingNow ? -1 : 1
  const ka = `${a.classname}\u0000${a.name}\u0000${a.job}`
  const kb = `${b.classname}\u0000${b.name}\u0000${b.job}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}
