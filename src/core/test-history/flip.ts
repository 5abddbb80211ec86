/**
 * TestGrid's flip flakiness, as its summarizer computes a test's "flakiness" over an interval
 * (GoogleCloudPlatform/testgrid, pkg/summarizer/flakiness.go and analyzers/flipanalyzer.go).
 *
 * Which cells count (flakiness.go `parseGrid`, after `result.Coalesce`):
 * - NO_RESULT (the run did not have the test, `-`) is passed over;
 * - every passing status coalesces to PASS: PASS, and PASS_WITH_SKIPS, which is what a JUnit
 *   `<skipped>` becomes (updater `convertResult`), so a skipped run counts as a pass (`s`);
 * - FLAKY (`k`) stays FLAKY;
 * - FAIL (`f`, `e`: `<failure>` and `<error>` both become FAIL) counts, except in a "failing
 *   column", a run where no test of the grid passed or flaked (`failingColumns`), and except
 *   infrastructure failures, whose message is a single word (`isInfraFailure`, `^\w+$`). That
 *   last rule is off by default here: go-junit-report writes `message="Failed"` on every failing Go
 *   test, which would hide them all (`testgridInfraMessages` turns it on).
 *
 * The count itself (flipanalyzer.go `calculateFlipFlakiness`), oldest run first: a streak of 3 or
 * more consecutive failures (`ignoreFailuresInARow = 3`) is skipped whole, as a real breakage; of the
 * remaining statuses each is "considered"; PASS sets lastPassing; FLAKY counts a flip and sets
 * lastPassing ("there was a flip involved, but it did pass"); FAIL counts a flip only when
 * lastPassing (which starts true), then clears it. Flakiness = 100 × flips / considered, 0 when
 * nothing is considered.
 */

/** Status categories of the flip analysis (TestGrid's `StatusCategory`). */
export const PASS = 0
export const FAIL = 1
export const FLAKY = 2

/** TestGrid's `ignoreFailuresInARow`: a failure streak this long or longer is a breakage, not flakiness. */
export const IGNORE_FAILURES_IN_A_ROW = 3

export interface FlipCount {
  /** 100 × flips / considered; 0 when nothing was considered. */
  flipRate: number
  flips: number
  considered: number
  /** Failures passed over because they were in streaks of 3 or more. */
  ignoredFailures: number
  /** Positions (in `statuses`) of the statuses that counted as flips. */
  flipAt: number[]
}

/** Returns TestGrid's flip flakiness of `statuses` (PASS, FAIL, FLAKY; oldest first, `length` of them). */
export function flipFlakiness(statuses: ArrayLike<number>, length = statuses.length): FlipCount {
  let flips = 0
  let considered = 0
  let ignoredFailures = 0
  const flipAt: number[] = []
  let lastPassing = true
  let i = 0
  while (i < length) {
    let streak = 0
    while (i + streak < length && statuses[i + streak] === FAIL) streak++
    if (streak >= IGNORE_FAILURES_IN_A_ROW) {
      ignoredFailures += streak
      i += streak
      if (i >= length) break
    }
    const s = statuses[i]
    considered++
    if (s === PASS) lastPassing = true
    else if (s === FLAKY) {
      flips++
      flipAt.push(i)
      lastPassing = true
    } else {
      if (lastPassing) {
        flips++
        flipAt.push(i)
      }
      lastPassing = false
    }
    i++
  }
  return { flipRate: considered === 0 ? 0 : (100 * flips) / considered, flips, considered, ignoredFailures, flipAt }
}
