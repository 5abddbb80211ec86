/**
 * The flake analysis of a test history: for every test its flip rate, pass rate and counts, and
 * the verdicts of docs/test-report.md "Flake verdicts", each with its evidence:
 * (1) retry: failed then passed within a run; (2) same-commit: passed and failed on one commit
 * across runs or attempts; (3) flip-rate: TestGrid's flip flakiness over the sample window;
 * (4) regression: Sippy's one-sided Fisher's exact test of the sample window against the basis
 * window; (5) new-test: a test with no basis runs below Sippy's required pass rate.
 * (1) and (2) look at the whole history; (3)–(5) at the windows, on the runs of `branch` when given.
 */
import type { RunInfo } from '../test-report/model.js'
import { fisherExactGreater } from './fisher.js'
import { FAIL, FLAKY, PASS, flipFlakiness } from './flip.js'
import { messageAt, type TestHistory } from './history.js'
import type { FlipVerdict, NewTestVerdict, RegressionVerdict, SameCommitVerdict, Verdict, WindowCounts } from './verdicts.js'
import { computeWindows, DEFAULT_WINDOWS, IN_BASIS, IN_SAMPLE, type WindowOptions, type WindowSpan } from './windows.js'

export interface FlakeOptions {
  /** Sample and basis windows (default 7 days and the 30 days before). */
  window?: WindowOptions
  /** End of the sample window, ISO (default: the newest run considered). */
  end?: string
  /** Windows hold only runs of this branch that are not pull requests (default: every run). */
  branch?: string
  /** Sippy's confidence, percent: a regression needs p < 1 − confidence/100 (default 95). */
  confidence?: number
  /** Sippy's pity factor: the pass rate must fall by more than this many points (default 5). */
  pityFactor?: number
  /** Sippy's minimum failures in the sample for a regression or new-test verdict (default 3). */
  minimumFailure?: number
  /** A regression is extreme when the pass rate fell by more than this many points (Sippy: 15). */
  extremeDrop?: number
  /** Pass rate a new test needs, percent (Sippy's `pass_rate_required_new_tests`: 95); 0 turns the verdict off. */
  newTestPassRate?: number
  /** Sample runs a new test needs before it is judged (Sippy: 6). */
  newTestMinRuns?: number
  /** Flip rate, percent, at which a test gets the flip-rate verdict (default 10). */
  minFlipRate?: number
  /** Flips it needs as well (default 2), so one pass→fail is a new failure, not a flake. */
  minFlips?: number
  /** Apply TestGrid's infrastructure-failure rule (a one-word failure message does not count); default off. */
  testgridInfraMessages?: boolean
  /** Longest list of runs or commits in evidence (default 20, the newest kept). */
  maxEvidenceRuns?: number
  /** The analysis's timestamp (default now). */
  generatedAt?: string
}

export type ResolvedFlakeOptions = Required<Omit<FlakeOptions, 'end' | 'branch'>> & { end: string | null; branch: string | null }

export const DEFAULT_FLAKE_OPTIONS = {
  window: DEFAULT_WINDOWS,
  confidence: 95,
  pityFactor: 5,
  minimumFailure: 3,
  extremeDrop: 15,
  newTestPassRate: 95,
  newTestMinRuns: 6,
  minFlipRate: 10,
  minFlips: 2,
  testgridInfraMessages: false,
  maxEvidenceRuns: 20
} as const

export type OutcomeName = 'passed' | 'failed' | 'errored' | 'skipped' | 'flaky'

export interface TestFlakes {
  id: string
  job: string
  /** It has a flake verdict (retry, same-commit, flip-rate). */
  flaky: boolean
  /** It has a regression or new-test verdict. */
  regressed: boolean
  verdicts: Verdict[]
  /** TestGrid flip rate over the sample window, 0–100. */
  flipRate: number
  /** 100 × (passed + flaky) / (passed + flaky + failed + errored) over the whole history; 0 when none. */
  passRate: number
  /** Runs of the history with a result for the test (anything but `-`). */
  runs: number
  counts: { passed: number; failed: number; errored: number; skipped: number; flaky: number }
  /** Outcome in the newest run that had the test; null when none did. */
  lastOutcome: OutcomeName | null
  /** Index of that run. */
  lastRun: number | null
  /** Index of the oldest run that had the test. */
  firstRun: number | null
}

export interface FlakeAnalysis {
  format: 'shepherd-flakes'
  version: 1
  generatedAt: string
  /** The history's runs, oldest first: evidence refers to them by index. */
  runs: RunInfo[]
  windows: { unit: 'days' | 'runs'; sample: WindowSpan; basis: WindowSpan }
  options: ResolvedFlakeOptions
  totals: { tests: number; flaky: number; regressed: number }
  /** Flakiest first: flaky before not, then higher flip rate, regressed, more verdicts, more failures, then by id and job. */
  tests: TestFlakes[]
}

const P = 112
const F = 102
const E = 101
const S = 115
const K = 107
const DASH = 45
const OUTCOME_NAME: Record<number, OutcomeName> = { [P]: 'passed', [F]: 'failed', [E]: 'errored', [S]: 'skipped', [K]: 'flaky' }

/**
 * Returns the analysis of `history`. Pure: the same history and options give the same result
 * (set `generatedAt` for byte-equal output). Throws RangeError for an option out of range.
 */
export function analyzeFlakes(history: TestHistory, options: FlakeOptions = {}): FlakeAnalysis {
  const o = resolveOptions(options)
  const R = history.runs.length
  const branch = o.branch
  const eligible = branch === null ? () => true : (r: number) => history.runs[r].branch === branch && history.runs[r].pullRequest === undefined
  const windows = computeWindows(history, o.window, eligible, o.end ?? undefined)
  const { membership, sampleRuns } = windows
  const cells = history.cells
  const statuses = new Uint8Array(sampleRuns.length)
  const statusRun = new Int32Array(sampleRuns.length)
  const alpha = 1 - o.confidence / 100
  const basisRunsOfJob = new Map<string, number>()
  for (let r = 0; r < R; r++) if (membership[r] === IN_BASIS) basisRunsOfJob.set(history.runs[r].job, (basisRunsOfJob.get(history.runs[r].job) ?? 0) + 1)

  const tests: TestFlakes[] = new Array(history.tests.length)
  let flakyCount = 0
  let regressedCount = 0
  // Per test, one pass over its row tallies outcome × window (index `code << 2 | window`) and notes
  // the runs that failed or were flaky: most rows are all passes, and this keeps them cheap.
  const tally = new Int32Array(1024)
  const marks = new Int32Array(R)
  const byCommit = commitRuns(history)
  for (let t = 0; t < history.tests.length; t++) {
    const base = t * R
    let marked = 0
    for (let r = 0; r < R; r++) {
      const c = cells[base + r]
      tally[(c << 2) | membership[r]]++
      if (c === F || c === E || c === K) marks[marked++] = r
    }
    const count = (code: number) => tally[code << 2] + tally[(code << 2) | IN_SAMPLE] + tally[(code << 2) | IN_BASIS]
    const passed = count(P)
    const failed = count(F)
    const errored = count(E)
    const skipped = count(S)
    const flaky = count(K)
    const sSuccess = tally[(P << 2) | IN_SAMPLE]
    const sFlake = tally[(K << 2) | IN_SAMPLE]
    const sFail = tally[(F << 2) | IN_SAMPLE] + tally[(E << 2) | IN_SAMPLE]
    const bSuccess = tally[(P << 2) | IN_BASIS]
    const bFlake = tally[(K << 2) | IN_BASIS]
    const bFail = tally[(F << 2) | IN_BASIS] + tally[(E << 2) | IN_BASIS]
    for (const code of [P, F, E, S, K, DASH]) tally[code << 2] = tally[(code << 2) | IN_SAMPLE] = tally[(code << 2) | IN_BASIS] = 0
    let first = 0
    while (first < R && cells[base + first] === DASH) first++
    let last = R - 1
    while (last >= 0 && cells[base + last] === DASH) last--
    if (first === R) first = -1
    const verdicts: Verdict[] = []

    // (1) Failed then passed within a run.
    if (flaky > 0) {
      const runs: number[] = []
      for (let m = 0; m < marked; m++) if (cells[base + marks[m]] === K) runs.push(marks[m])
      verdicts.push({
        kind: 'retry',
        category: 'flake',
        summary: `failed then passed within ${plural(flaky, 'run')}`,
        evidence: { runs: runs.slice(-o.maxEvidenceRuns), count: flaky }
      })
    }

    // (2) Passed in one run and failed in another of the same commit.
    if (failed + errored > 0 && passed + flaky > 0) {
      const verdict = sameCommit(history, base, marks, marked, byCommit, o.maxEvidenceRuns)
      if (verdict) verdicts.push(verdict)
    }

    // (3) TestGrid's flip rate over the sample window.
    let flipRate = 0
    if (sFail + sFlake > 0) {
      let n = 0
      let failingRunsIgnored = 0
      for (const r of sampleRuns) {
        const c = cells[base + r]
        if (c === P || c === S) statuses[n] = PASS
        else if (c === K) statuses[n] = FLAKY
        else if (c === F || c === E) {
          if (history.allFailing[r]) {
            failingRunsIgnored++
            continue
          }
          if (o.testgridInfraMessages && isInfraMessage(messageAt(history, t, r))) continue
          statuses[n] = FAIL
        } else continue
        statusRun[n++] = r
      }
      const flip = flipFlakiness(statuses, n)
      flipRate = flip.flipRate
      if (flip.flips >= o.minFlips && flip.flipRate >= o.minFlipRate) {
        const verdict: FlipVerdict = {
          kind: 'flip-rate',
          category: 'flake',
          summary: `flip rate ${flip.flipRate.toFixed(1)}: ${plural(flip.flips, 'pass→fail flip')} in ${plural(flip.considered, 'run')} of the sample window (TestGrid; failure streaks of 3 or more are not counted)`,
          evidence: {
            flipRate: flip.flipRate,
            flips: flip.flips,
            considered: flip.considered,
            ignoredFailures: flip.ignoredFailures,
            failingRunsIgnored,
            flipRuns: flip.flipAt.map((i) => statusRun[i]).slice(-o.maxEvidenceRuns),
            minFlipRate: o.minFlipRate,
            minFlips: o.minFlips
          }
        }
        verdicts.push(verdict)
      }
    }

    // (4) and (5): Sippy's regression and new-test checks.
    const sample = windowCounts(sSuccess, sFlake, sFail)
    const basis = windowCounts(bSuccess, bFlake, bFail)
    // A test with no basis runs is new only when the basis window has runs of its job: in a history
    // younger than the sample window every test would otherwise be "new".
    const regression =
      sample.runs === 0 ? null : basis.runs > 0 ? regressionVerdict(sample, basis, o, alpha) : basisRunsOfJob.get(history.tests[t].job) ? newTestVerdict(sample, o) : null
    if (regression) verdicts.push(regression)

    const isFlaky = verdicts.some((v) => v.category === 'flake')
    const isRegressed = verdicts.some((v) => v.category === 'regression')
    if (isFlaky) flakyCount++
    if (isRegressed) regressedCount++
    const ran = passed + failed + errored + flaky
    tests[t] = {
      id: history.tests[t].id,
      job: history.tests[t].job,
      flaky: isFlaky,
      regressed: isRegressed,
      verdicts,
      flipRate,
      passRate: ran === 0 ? 0 : (100 * (passed + flaky)) / ran,
      runs: ran + skipped,
      counts: { passed, failed, errored, skipped, flaky },
      lastOutcome: last < 0 ? null : OUTCOME_NAME[cells[base + last]],
      lastRun: last < 0 ? null : last,
      firstRun: first < 0 ? null : first
    }
  }
  tests.sort(byFlakiness)
  return {
    format: 'shepherd-flakes',
    version: 1,
    generatedAt: o.generatedAt,
    runs: history.runs,
    windows: { unit: windows.unit, sample: windows.sample, basis: windows.basis },
    options: o,
    totals: { tests: tests.length, flaky: flakyCount, regressed: regressedCount },
    tests
  }
}

/** Returns the options with defaults filled in. Throws RangeError for a value out of range. */
export function resolveOptions(options: FlakeOptions): ResolvedFlakeOptions {
  const d = DEFAULT_FLAKE_OPTIONS
  const o: ResolvedFlakeOptions = {
    window: { ...(options.window ?? d.window) },
    end: options.end ?? null,
    branch: options.branch ?? null,
    confidence: options.confidence ?? d.confidence,
    pityFactor: options.pityFactor ?? d.pityFactor,
    minimumFailure: options.minimumFailure ?? d.minimumFailure,
    extremeDrop: options.extremeDrop ?? d.extremeDrop,
    newTestPassRate: options.newTestPassRate ?? d.newTestPassRate,
    newTestMinRuns: options.newTestMinRuns ?? d.newTestMinRuns,
    minFlipRate: options.minFlipRate ?? d.minFlipRate,
    minFlips: options.minFlips ?? d.minFlips,
    testgridInfraMessages: options.testgridInfraMessages ?? d.testgridInfraMessages,
    maxEvidenceRuns: options.maxEvidenceRuns ?? d.maxEvidenceRuns,
    generatedAt: options.generatedAt ?? new Date().toISOString()
  }
  const range = (name: keyof ResolvedFlakeOptions, value: number, min: number, max: number, whole = false) => {
    if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isSafeInteger(value))) {
      throw new RangeError(`${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}, got ${value}`)
    }
  }
  range('confidence', o.confidence, 0, 100)
  if (o.confidence === 100 || o.confidence === 0) throw new RangeError(`confidence must be above 0 and below 100, got ${o.confidence}`)
  range('pityFactor', o.pityFactor, 0, 100)
  range('minimumFailure', o.minimumFailure, 0, Number.MAX_SAFE_INTEGER, true)
  range('extremeDrop', o.extremeDrop, 0, 100)
  range('newTestPassRate', o.newTestPassRate, 0, 100)
  range('newTestMinRuns', o.newTestMinRuns, 0, Number.MAX_SAFE_INTEGER, true)
  range('minFlipRate', o.minFlipRate, 0, 100)
  range('minFlips', o.minFlips, 1, Number.MAX_SAFE_INTEGER, true)
  range('maxEvidenceRuns', o.maxEvidenceRuns, 1, Number.MAX_SAFE_INTEGER, true)
  return o
}

/** Runs grouped by commit: the runs of commit `c` are `runs[start[c]]` up to `runs[start[c + 1]]`, oldest first. */
interface CommitRuns {
  start: Int32Array
  runs: Int32Array
}

function commitRuns(history: TestHistory): CommitRuns {
  const R = history.runs.length
  let commits = 0
  for (let r = 0; r < R; r++) commits = Math.max(commits, history.commits[r] + 1)
  const start = new Int32Array(commits + 1)
  for (let r = 0; r < R; r++) start[history.commits[r] + 1]++
  for (let c = 0; c < commits; c++) start[c + 1] += start[c]
  const fill = start.slice(0, commits)
  const runs = new Int32Array(R)
  for (let r = 0; r < R; r++) runs[fill[history.commits[r]]++] = r
  return { start, runs }
}

/** Verdict (2) from the test's failed-or-flaky runs (`marks`): a commit where it finally failed (f, e) in one run and finally passed (p, k) in another. */
function sameCommit(history: TestHistory, base: number, marks: Int32Array, marked: number, byCommit: CommitRuns, max: number): SameCommitVerdict | null {
  const cells = history.cells
  const found: Array<{ commit: number; passed: number[]; failed: number[] }> = []
  const done = new Set<number>()
  for (let m = 0; m < marked; m++) {
    const r = marks[m]
    const c = cells[base + r]
    if (c !== F && c !== E) continue
    const commit = history.commits[r]
    if (done.has(commit)) continue
    done.add(commit)
    const passed: number[] = []
    const failed: number[] = []
    for (let i = byCommit.start[commit]; i < byCommit.start[commit + 1]; i++) {
      const q = byCommit.runs[i]
      const cq = cells[base + q]
      if (cq === P || cq === K) passed.push(q)
      else if (cq === F || cq === E) failed.push(q)
    }
    if (passed.length > 0) found.push({ commit, passed, failed })
  }
  if (found.length === 0) return null
  const newest = (e: { passed: number[]; failed: number[] }) => Math.max(e.passed[e.passed.length - 1], e.failed[e.failed.length - 1])
  found.sort((a, b) => newest(b) - newest(a))
  const shown = found.slice(0, max).map((e) => ({ sha: history.runs[e.passed[0]].sha, passed: e.passed.slice(-max), failed: e.failed.slice(-max) }))
  const names = shown.slice(0, 3).map((c) => c.sha.slice(0, 7)).join(', ')
  return {
    kind: 'same-commit',
    category: 'flake',
    summary: `passed and failed on ${plural(found.length, 'commit')} (${names}${found.length > 3 ? ', …' : ''})`,
    evidence: { commits: shown, count: found.length }
  }
}

function windowCounts(success: number, flake: number, failure: number): WindowCounts {
  const runs = success + flake + failure
  return { runs, success, flake, failure, passRate: runs === 0 ? 0 : (100 * (success + flake)) / runs }
}

/**
 * Sippy's Fisher check (middleware/fisherexact `Analyze`): no verdict with fewer than
 * `minimumFailure` sample failures, nor when the sample passes at least as often as the basis
 * (Sippy tests that for an improvement, which is no verdict here); otherwise, only when the pass
 * rate fell by more than `pityFactor` points, the right tail of FisherExactTest(sampleFail,
 * samplePass, baseFail, basePass) must be below 1 − confidence/100. Rates are compared exactly,
 * in integers, so a drop of exactly 5 points is not "more than 5" (Sippy's floats would say 100% −
 * 95% = 0.050000000000000044 > 0.05).
 */
function regressionVerdict(sample: WindowCounts, basis: WindowCounts, o: ResolvedFlakeOptions, alpha: number): RegressionVerdict | null {
  if (o.minimumFailure !== 0 && sample.failure < o.minimumFailure) return null
  const samplePass = sample.success + sample.flake
  const basisPass = basis.success + basis.flake
  // drop × runs_s × runs_b × 100 = 100 × (basisPass·runs_s − samplePass·runs_b)
  const scaledDrop = 100 * (basisPass * sample.runs - samplePass * basis.runs)
  const scale = sample.runs * basis.runs
  if (scaledDrop <= 0) return null
  if (!(scaledDrop > o.pityFactor * scale)) return null
  const pValue = fisherExactGreater(sample.failure, samplePass, basis.failure, basisPass)
  if (!(pValue < alpha)) return null
  const drop = basis.passRate - sample.passRate
  const severity = scaledDrop > o.extremeDrop * scale ? 'extreme' : 'significant'
  return {
    kind: 'regression',
    category: 'regression',
    severity,
    summary: `pass rate fell from ${pct(basis.passRate)} (${plural(basis.runs, 'basis run')}) to ${pct(sample.passRate)} (${plural(sample.runs, 'sample run')}); Fisher's exact p = ${pValue.toPrecision(2)} < ${+alpha.toFixed(6)}`,
    evidence: { sample, basis, drop, pValue, confidence: o.confidence, pityFactor: o.pityFactor, minimumFailure: o.minimumFailure }
  }
}

/**
 * Sippy's pass-rate check for a test without basis runs (analysis/passrate.go
 * `BuildPassRateTestStats`): at least 6 sample runs, at least `minimumFailure` failures, and a pass
 * rate below the requirement; extreme below requirement − (100 − requirement).
 */
function newTestVerdict(sample: WindowCounts, o: ResolvedFlakeOptions): NewTestVerdict | null {
  const required = o.newTestPassRate
  if (required === 0) return null
  if (sample.runs < o.newTestMinRuns || sample.failure < o.minimumFailure) return null
  const passes = sample.success + sample.flake
  if (!(100 * passes < required * sample.runs)) return null
  const severe = required - (100 - required)
  return {
    kind: 'new-test',
    category: 'regression',
    severity: 100 * passes < severe * sample.runs ? 'extreme' : 'significant',
    summary: `new test passing ${pct(sample.passRate)} of ${plural(sample.runs, 'run')}; ${required}% required`,
    evidence: { sample, requiredPassRate: required, minRuns: o.newTestMinRuns, minimumFailure: o.minimumFailure }
  }
}

/** TestGrid `isInfraFailure`: a non-empty message that is one word (`^\w+$`). */
function isInfraMessage(message: string | undefined): boolean {
  return message !== undefined && /^\w+$/.test(message)
}

function byFlakiness(a: TestFlakes, b: TestFlakes): number {
  return (
    Number(b.flaky) - Number(a.flaky) ||
    b.flipRate - a.flipRate ||
    Number(b.regressed) - Number(a.regressed) ||
    b.verdicts.length - a.verdicts.length ||
    b.counts.failed + b.counts.errored - (a.counts.failed + a.counts.errored) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : a.job < b.job ? -1 : a.job > b.job ? 1 : 0)
  )
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function pct(rate: number): string {
  return `${rate.toFixed(1)}%`
}
