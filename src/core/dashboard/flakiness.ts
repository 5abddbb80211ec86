/**
 * What the dashboard sorts and badges tests by. The history analysis (src/core/test-history) is
 * the authority on flake verdicts; when a caller has none to give, `scoreTest` computes the
 * TestGrid-style numbers from the grid itself so the page still ranks the flakiest tests first.
 */

/** One verdict about a test, as the page lists it under the test's chart. */
export interface DashboardVerdict {
  /** Short machine name, e.g. `retry`, `same-commit`, `flip-rate`, `regression`. */
  kind: string
  /** One sentence with the evidence, shown as text. */
  summary: string
}

/** What an analysis says about one test; the page sorts by it. */
export interface TestAnalysis {
  /** `testId(classname, name)`, as in the records' `names`. */
  id: string
  /** The job the test ran in, when the analysis tells jobs apart. */
  job?: string
  /** TestGrid flip rate, 0–100. */
  flipRate: number
  /** Percent of the runs that passed (flaky runs count as passed), 0–100. */
  passRate: number
  /** Whether the test counts as flaky. Default: it has a verdict other than `regression` and `new-test`. */
  flaky?: boolean
  /** Whether the test got worse. Default: it has a `regression` or `new-test` verdict. */
  regressed?: boolean
  /** Place in the analysis's own order (0 first): the page lists tests by it when given. */
  rank?: number
  verdicts: DashboardVerdict[]
}

/** Returns whether a verdict kind says the test got worse rather than that it is unreliable. */
export function isRegressionKind(kind: string): boolean {
  return /^(regression|new-test)\b/.test(kind)
}

/** A failure streak at least this long is a breakage, not a flake: its flip is not counted (TestGrid). */
export const IGNORED_STREAK = 3

/**
 * Returns the analysis of one test from its outcomes, oldest run first (`p f e s k -` as in a
 * `RunRecord`), and the commit of each of those runs:
 * - flip rate: 100 × (pass→fail flips + flaky runs) / runs with a result, where a flip into a
 *   failure streak of `IGNORED_STREAK` or more runs does not count (TestGrid's flip flakiness);
 * - pass rate: 100 × (passed + flaky) / runs with a result (skipped and not run are no result);
 * - verdicts: failed then passed within a run, passed and failed on one commit, flips.
 * The test is flaky when it has any verdict. Throws when `shas` is shorter than `outcomes`.
 */
export function scoreTest(id: string, outcomes: string, shas: readonly string[]): TestAnalysis {
  if (shas.length < outcomes.length) throw new Error(`scoreTest: ${outcomes.length} outcomes but ${shas.length} commits`)
  let considered = 0
  let passed = 0
  let flakyRuns = 0
  let flips = 0
  let previous = ''
  for (let i = 0; i < outcomes.length; i++) {
    const c = outcomes[i]
    if (c !== 'p' && c !== 'f' && c !== 'e' && c !== 'k') continue
    considered++
    const failing = c === 'f' || c === 'e'
    if (c === 'k') flakyRuns++
    if (!failing) passed++
    if (failing && previous !== '' && previous !== 'f' && previous !== 'e' && failureStreak(outcomes, i) < IGNORED_STREAK) flips++
    previous = c
  }
  const verdicts: DashboardVerdict[] = []
  if (flakyRuns > 0) verdicts.push({ kind: 'retry', summary: `failed then passed within ${plural(flakyRuns, 'run')}` })
  const both = passed < considered && passed > 0 ? sameCommit(outcomes, shas) : []
  if (both.length > 0) {
    const shown = both.slice(0, 3).map((sha) => sha.slice(0, 7)).join(', ')
    verdicts.push({ kind: 'same-commit', summary: `passed and failed on ${plural(both.length, 'commit')} (${shown}${both.length > 3 ? ', …' : ''})` })
  }
  const flipRate = considered === 0 ? 0 : (100 * (flips + flakyRuns)) / considered
  if (flips > 0) verdicts.push({ kind: 'flip-rate', summary: `${plural(flips, 'pass→fail flip')} in ${plural(considered, 'run')} (flip rate ${flipRate.toFixed(1)})` })
  return { id, flipRate, passRate: considered === 0 ? 0 : (100 * passed) / considered, flaky: verdicts.length > 0, verdicts }
}

/** Returns the commits on which the test both passed (or was flaky) and failed, in order of first failure. */
function sameCommit(outcomes: string, shas: readonly string[]): string[] {
  const passedOn = new Set<string>()
  const failedOn = new Set<string>()
  for (let i = 0; i < outcomes.length; i++) {
    const c = outcomes[i]
    if (c === 'f' || c === 'e') failedOn.add(shas[i])
    else if (c === 'p' || c === 'k') passedOn.add(shas[i])
  }
  return [...failedOn].filter((sha) => passedOn.has(sha))
}

/** Returns how many runs with a result, from `start` on, failed in a row (skipped and not-run runs are passed over). */
function failureStreak(outcomes: string, start: number): number {
  let n = 0
  for (let i = start; i < outcomes.length && n < IGNORED_STREAK; i++) {
    const c = outcomes[i]
    if (c === 'f' || c === 'e') n++
    else if (c === 'p' || c === 'k') break
  }
  return n
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
