/**
 * Hand-built histories for the test-history tests: a table of outcome strings, one character per
 * run (`-` leaves the test out of that run's record), becomes real records.
 */
import type { RunInfo, RunRecord } from '../../src/core/test-report/model.js'

export const T0 = Date.UTC(2026, 0, 1)
export const HOUR = 3_600_000
export const DAY = 24 * HOUR

export interface RunSpec extends Partial<RunInfo> {
  /** Milliseconds after T0 (default: run index hours). */
  at?: number
}

/** Returns the RunInfo of run number `i` (1-based id 1000 + i), with `spec` overriding fields. */
export function runInfo(i: number, spec: RunSpec = {}): RunInfo {
  const { at, ...rest } = spec
  return {
    id: 1000 + i,
    attempt: 1,
    url: `https://github.com/o/r/actions/runs/${1000 + i}`,
    workflow: 'CI',
    job: 'test',
    event: 'push',
    branch: 'main',
    sha: `sha${String(i).padStart(4, '0')}`.padEnd(40, '0'),
    createdAt: new Date(T0 + (at ?? i * HOUR)).toISOString(),
    ...rest
  }
}

/** Returns a record of `run` with the given outcome per test id (`-` outcomes are left out). */
export function recordOf(run: RunInfo, outcomes: Record<string, string>, messages: Record<string, string> = {}): RunRecord {
  const names = Object.keys(outcomes).filter((id) => outcomes[id] !== '-').sort()
  const counts = { total: names.length, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
  const key = { p: 'passed', f: 'failed', e: 'errored', s: 'skipped', k: 'flaky' } as const
  const m: Record<number, string> = {}
  names.forEach((id, i) => {
    counts[key[outcomes[id] as keyof typeof key]]++
    if (messages[id]) m[i] = messages[id]
  })
  return {
    format: 'shepherd-test-record',
    version: 1,
    run,
    names,
    outcomes: names.map((id) => outcomes[id]).join(''),
    timesMs: names.map((_, i) => 10 + i),
    messages: m,
    totals: { runs: { total: counts.total, passed: counts.passed, failed: counts.failed, errored: counts.errored, skipped: counts.skipped }, tests: counts }
  }
}

/**
 * Returns the records of a grid: `rows` maps test id → outcomes (one character per run, oldest
 * first); `runs[i]` overrides run i's info (e.g. its sha, branch, time).
 */
export function recordsOf(rows: Record<string, string>, runs: RunSpec[] = []): RunRecord[] {
  const width = Math.max(...Object.values(rows).map((o) => o.length))
  const out: RunRecord[] = []
  for (let i = 0; i < width; i++) {
    const outcomes: Record<string, string> = {}
    for (const [id, row] of Object.entries(rows)) outcomes[id] = row[i] ?? '-'
    out.push(recordOf(runInfo(i, runs[i]), outcomes))
  }
  return out
}
