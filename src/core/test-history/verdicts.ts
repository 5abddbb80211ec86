/**
 * The verdicts the flake analysis gives a test, each with the evidence a summary or the dashboard
 * shows to say why. Run numbers in evidence are indexes into `FlakeAnalysis.runs` (oldest first).
 * Lists of runs keep the newest `maxEvidenceRuns` (default 20); `count` says how many there were.
 */

/** Flakes say the test is unreliable; regressions say it got worse. */
export type VerdictCategory = 'flake' | 'regression'

/** (1) The test failed and then passed within one run (retries, Surefire `flakyFailure`/`flakyError`): `k` in the record. */
export interface RetryVerdict {
  kind: 'retry'
  category: 'flake'
  summary: string
  evidence: { runs: number[]; count: number }
}

/** (2) On one commit, the test passed in one run (or attempt) and failed in another. */
export interface SameCommitVerdict {
  kind: 'same-commit'
  category: 'flake'
  summary: string
  evidence: {
    /** Newest commit first. `passed`: runs whose final result was a pass (`p`, or `k`: it passed on retry); `failed`: `f` or `e`. */
    commits: Array<{ sha: string; passed: number[]; failed: number[] }>
    count: number
  }
}

/** (3) TestGrid's flip rate over the sample window reached the threshold. */
export interface FlipVerdict {
  kind: 'flip-rate'
  category: 'flake'
  summary: string
  evidence: {
    flipRate: number
    flips: number
    considered: number
    /** Failures passed over in streaks of 3 or more. */
    ignoredFailures: number
    /** Failures passed over because every test of the run failed (TestGrid's failing columns). */
    failingRunsIgnored: number
    /** Runs where a flip was counted. */
    flipRuns: number[]
    minFlipRate: number
    minFlips: number
  }
}

/** Pass counts of one window, Sippy's way: flakes pass; skipped and not-run are not counted. */
export interface WindowCounts {
  /** success + flake + failure */
  runs: number
  success: number
  flake: number
  /** failed or errored */
  failure: number
  /** 100 × (success + flake) / runs; 0 when runs is 0. */
  passRate: number
}

/** (4) The sample window's pass rate is significantly below the basis window's (Sippy's Fisher's exact test). */
export interface RegressionVerdict {
  kind: 'regression'
  category: 'regression'
  /** `extreme` when the pass rate fell by more than `extremeDrop` points (Sippy: 15). */
  severity: 'significant' | 'extreme'
  summary: string
  evidence: {
    sample: WindowCounts
    basis: WindowCounts
    /** basis pass rate − sample pass rate, in points. */
    drop: number
    /** One-sided Fisher's exact p-value (sample failures ≥ observed). */
    pValue: number
    confidence: number
    pityFactor: number
    minimumFailure: number
  }
}

/** (5) A test with no runs in the basis window passes less often than required in the sample window. */
export interface NewTestVerdict {
  kind: 'new-test'
  category: 'regression'
  /** `extreme` below required − (100 − required), e.g. below 90% when 95% is required (Sippy). */
  severity: 'significant' | 'extreme'
  summary: string
  evidence: { sample: WindowCounts; requiredPassRate: number; minRuns: number; minimumFailure: number }
}

export type Verdict = RetryVerdict | SameCommitVerdict | FlipVerdict | RegressionVerdict | NewTestVerdict
