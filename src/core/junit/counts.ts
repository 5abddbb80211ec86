/** Counting and retry merging for JUnit results: the rules `docs/test-report.md` "Counting rules" states. */
import type { Counts, Outcome, TestCounts, TestOutcome, TestResult } from '../test-report/model.js'

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

/** Adds `delta` (1 or -1) tests of `outcome` to `counts` (the reader keeps its counts as it merges, instead of a pass over every result). */
export function countTest(counts: TestCounts, outcome: TestOutcome, delta: number): void {
  counts.total += delta
  switch (outcome) {
    case 'passed':
      counts.passed += delta
      break
    case 'failed':
      counts.failed += delta
      break
    case 'errored':
      counts.errored += delta
      break
    case 'skipped':
      counts.skipped += delta
      break
    case 'flaky':
      counts.flaky += delta
      break
  }
}

/** Returns the counts of unique tests. */
export function countTests(results: Iterable<TestResult>): TestCounts {
  const counts = emptyTestCounts()
  for (const result of results) countTest(counts, result.outcome, 1)
  return counts
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

/**
 * Merges `next` (later executions of the same test) into `into`, in place: executions appended (as a new array),
 * times added, the later failure kept, a location filled in when `into` had none.
 */
export function mergeInto(into: TestResult, next: TestResult): void {
  // A new array: the reader shares one frozen array among the results of tests that ran once.
  into.executions = [...into.executions, ...next.executions]
  into.timeMs += next.timeMs
  if (next.failure) into.failure = next.failure
  if (into.file === undefined && next.file !== undefined) {
    into.file = next.file
    into.line = next.line
  }
  into.outcome = testOutcome(into.executions)
}
