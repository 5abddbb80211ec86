/**
 * New failures: what the job summary lists first. A test failing in the current run is new when
 * the base branch's latest run did not fail it: it passed there (possibly on retry), was skipped,
 * or did not exist.
 */
import type { RunInfo, RunRecord } from '../test-report/model.js'
import { rowOf, type TestHistory } from './history.js'

export interface NewFailure {
  id: string
  outcome: 'failed' | 'errored'
  /** The current run's failure message, when its record kept one. */
  message?: string
  /** What the base run said: `passed`, `flaky` (passed on retry), `skipped`, or `absent` (no such test). */
  before: 'passed' | 'flaky' | 'skipped' | 'absent'
}

export interface NewFailures {
  /** The base branch's latest run, as an index into `history.runs`; null when the history has none. */
  baseRun: number | null
  base: RunInfo | null
  /** Ordered by test id. Empty when there is no base run: without one nothing can be called new. */
  failures: NewFailure[]
}

/**
 * Returns the tests that failed or errored in `current` and did not fail in the base branch's latest
 * run. That run is the newest run of `history` of the same job on `baseBranch` that is not a pull
 * request, is not `current`'s run (any attempt), and did not start after `current`.
 */
export function newFailures(history: TestHistory, current: RunRecord, baseBranch: string): NewFailures {
  const job = current.run.job
  const startedAt = Date.parse(current.run.createdAt)
  let baseRun = -1
  for (let r = history.runs.length - 1; r >= 0; r--) {
    const run = history.runs[r]
    if (run.job === job && run.branch === baseBranch && run.pullRequest === undefined && run.id !== current.run.id && !(Date.parse(run.createdAt) > startedAt)) {
      baseRun = r
      break
    }
  }
  if (baseRun < 0) return { baseRun: null, base: null, failures: [] }
  const R = history.runs.length
  const failures: NewFailure[] = []
  for (let i = 0; i < current.names.length; i++) {
    const c = current.outcomes[i]
    if (c !== 'f' && c !== 'e') continue
    const id = current.names[i]
    const row = rowOf(history, job, id)
    const was = row === undefined ? '-' : String.fromCharCode(history.cells[row * R + baseRun])
    if (was === 'f' || was === 'e') continue
    const failure: NewFailure = { id, outcome: c === 'f' ? 'failed' : 'errored', before: was === 'p' ? 'passed' : was === 'k' ? 'flaky' : was === 's' ? 'skipped' : 'absent' }
    const message = current.messages[i]
    if (message !== undefined) failure.message = message
    failures.push(failure)
  }
  failures.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { baseRun, base: history.runs[baseRun], failures }
}
