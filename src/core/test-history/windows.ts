/**
 * The sample and basis windows of the statistical verdicts (flip rate, regression, new tests), after
 * Sippy's Component Readiness: the sample is the recent past, the basis the longer stretch before it
 * (Sippy's `5.1-main` view: sample now−7d..now, basis now−30d..now of the previous release; one
 * branch has no previous release, so our basis is the 30 days before the sample instead). The
 * sample is also TestGrid's flakiness interval, whose default is 7 days (flakiness.go
 * `DefaultInterval`). Windows can instead count runs: the last K runs and the M before them.
 */
import type { TestHistory } from './history.js'

export interface WindowOptions {
  /** `days` (default): windows of time ending at `end`; `runs`: windows of run counts. */
  unit: 'days' | 'runs'
  /** Sample size: days (default 7) or runs. */
  sample: number
  /** Basis size, right before the sample: days (default 30) or runs. */
  basis: number
}

export const DEFAULT_WINDOWS: WindowOptions = { unit: 'days', sample: 7, basis: 30 }

export interface WindowSpan {
  /** Runs of the window. */
  runs: number
  /** Bounds: `from` excluded, `to` included, as ISO times (days), or the first and last run's `createdAt` (runs; null when empty). */
  from: string | null
  to: string | null
}

export interface Windows {
  unit: 'days' | 'runs'
  sample: WindowSpan
  basis: WindowSpan
  /** Per run of the history: 1 in the sample window, 2 in the basis window, 0 neither. */
  membership: Uint8Array
  /** Indexes of the sample window's runs, oldest first. */
  sampleRuns: number[]
}

export const IN_SAMPLE = 1
export const IN_BASIS = 2

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Returns the windows over `history`'s runs. Only runs for which `eligible(r)` holds are placed in a
 * window (the analysis passes a branch filter). With days, `end` (ISO) closes the sample window; it
 * defaults to the newest eligible run's `createdAt`, so an old history is analysed as of its last
 * run, and the same records always give the same result. Throws RangeError for sizes that are not
 * whole numbers ≥ 1 (basis may be 0) or an `end` that is not a date.
 */
export function computeWindows(history: TestHistory, options: WindowOptions, eligible: (r: number) => boolean, end?: string): Windows {
  const { unit, sample, basis } = options
  if (unit !== 'days' && unit !== 'runs') throw new RangeError(`window unit must be "days" or "runs", got ${String(unit)}`)
  if (!Number.isSafeInteger(sample) || sample < 1) throw new RangeError(`sample window must be a whole number of ${unit} ≥ 1, got ${sample}`)
  if (!Number.isSafeInteger(basis) || basis < 0) throw new RangeError(`basis window must be a whole number of ${unit} ≥ 0, got ${basis}`)
  const R = history.runs.length
  const membership = new Uint8Array(R)
  const sampleRuns: number[] = []
  const eligibleRuns: number[] = []
  for (let r = 0; r < R; r++) if (eligible(r)) eligibleRuns.push(r)

  if (unit === 'runs') {
    const n = eligibleRuns.length
    const s = eligibleRuns.slice(Math.max(0, n - sample))
    const b = eligibleRuns.slice(Math.max(0, n - sample - basis), Math.max(0, n - sample))
    for (const r of s) {
      membership[r] = IN_SAMPLE
      sampleRuns.push(r)
    }
    for (const r of b) membership[r] = IN_BASIS
    const span = (runs: number[]): WindowSpan => ({
      runs: runs.length,
      from: runs.length ? history.runs[runs[0]].createdAt : null,
      to: runs.length ? history.runs[runs[runs.length - 1]].createdAt : null
    })
    return { unit, sample: span(s), basis: span(b), membership, sampleRuns }
  }

  let endMs: number
  if (end !== undefined) {
    endMs = Date.parse(end)
    if (Number.isNaN(endMs)) throw new RangeError(`window end must be an ISO date and time, got "${end}"`)
  } else {
    endMs = -Infinity
    for (const r of eligibleRuns) endMs = Math.max(endMs, Date.parse(history.runs[r].createdAt))
  }
  const sampleFrom = endMs - sample * DAY_MS
  const basisFrom = sampleFrom - basis * DAY_MS
  let sampleCount = 0
  let basisCount = 0
  for (const r of eligibleRuns) {
    const t = Date.parse(history.runs[r].createdAt)
    if (t > sampleFrom && t <= endMs) {
      membership[r] = IN_SAMPLE
      sampleRuns.push(r)
      sampleCount++
    } else if (t > basisFrom && t <= sampleFrom) {
      membership[r] = IN_BASIS
      basisCount++
    }
  }
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null)
  return {
    unit,
    sample: { runs: sampleCount, from: iso(sampleFrom), to: iso(endMs) },
    basis: { runs: basisCount, from: iso(basisFrom), to: iso(sampleFrom) },
    membership,
    sampleRuns
  }
}
