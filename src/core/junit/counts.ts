/** Counting and retry merging for JUnit results: the rules `docs/test-report.md` "Counting rules" states. */
import type { Counts, Outcome, TestCounts, TestOutcome } from '../test-report/model.js'

/** Returns counts of zero. */
export function emptyCounts(): Counts {
  return { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }
}

/** Returns test counts of zero. */
export function emptyTestCounts(): TestCounts {
  return { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
}

/** Adds one `<testcase>` element's outcome to `counts`. */
export function countRun(counts: Counts, outcome: Outcome): void {
  counts.total++
  // A switch, not counts[outcome]++: this runs per test case, and a keyed store is several times slower.
  switch (outcome) {
    case 'passed':
      counts.passed++
      break
    case 'failed':
      counts.failed++
      break
    case 'errored':
      counts.errored++
      break
    case 'skipped':
      counts.skipped++
      break
  }
}

/** Adds `b` into `a`. */
export function addCounts(a: Counts, b: Counts): void {
  a.total += b.total
  a.passed += b.passed
  a.failed += b.failed
  a.errored += b.errored
  a.skipped += b.skipped
}

/**
 * Returns what a test came to over its executions: flaky when one failed or errored and another
 * passed; otherwise the most severe of errored > failed > passed > skipped (a skipped attempt
 * beside a passing one does not make the test skipped).
 */
export function testOutcome(executions: readonly Outcome[]): TestOutcome {
  let passed = false
  let failed = false
  let errored = false
  for (const outcome of executions) {
    if (outcome === 'passed') passed = true
    else if (outcome === 'failed') failed = true
    else if (outcome === 'errored') errored = true
  }
  if (passed && (failed || errored)) return 'flaky'
  if (errored) return 'errored'
  if (failed) return 'failed'
  return passed ? 'passed' : 'skipped'
}
