/**
 * What a run of the test report concludes (pass or fail, by the `fail-on` input) and the outputs
 * later steps read: counts, the failing and flaky tests as JSON, the check conclusion.
 */
import type { Report, TestResult } from './model.js'
import type { FlakyTest } from './summary.js'

/** When the job fails: on failing tests or unreadable files, on unreadable files only, or never. */
export type FailOn = 'failures' | 'errors' | 'nothing'

export type Conclusion = 'success' | 'failure' | 'neutral'

export interface Verdict {
  conclusion: Conclusion
  /** Whether the step fails. */
  fail: boolean
  /** Why, in a sentence (empty on success). */
  reason: string
}

/**
 * Returns the verdict for a report under `failOn`. `failure` when the policy fails the job;
 * `neutral` when there were failures or unreadable files the policy lets through; else `success`.
 * `noFiles` (no file matched the patterns) counts as an unreadable input.
 */
export function verdict(report: Report, failOn: FailOn, noFiles = false): Verdict {
  const bad = report.tests.failed + report.tests.errored
  const unreadable = report.errors.length
  const reasons: string[] = []
  if (noFiles) reasons.push('no JUnit file matched the `files` patterns')
  if (unreadable) reasons.push(`${unreadable} file${unreadable === 1 ? '' : 's'} could not be read`)
  const inputProblem = reasons.length > 0
  if (bad) reasons.push(`${bad} test${bad === 1 ? '' : 's'} failed`)
  const fail = failOn === 'failures' ? inputProblem || bad > 0 : failOn === 'errors' ? inputProblem : false
  const conclusion: Conclusion = fail ? 'failure' : reasons.length ? 'neutral' : 'success'
  return { conclusion, fail, reason: reasons.join('; ') }
}

/** At most this many tests in `failed-tests` and `flaky-tests` (the counts give the rest). */
export const MAX_LISTED = 1000

/** One test in the JSON outputs. */
export interface ListedTest {
  classname: string
  name: string
  file?: string
}

const listed = (r: Pick<TestResult, 'classname' | 'name' | 'file'>): ListedTest => ({ classname: r.classname, name: r.name, ...(r.file ? { file: r.file } : {}) })

/** Returns the action's outputs, every value a string as the runner wants them. */
export function reportOutputs(report: Report, flaky: FlakyTest[], v: Verdict, reportUrl = ''): Record<string, string> {
  const t = report.tests
  const failed = report.results.indexesOf('failed', 'errored').slice(0, MAX_LISTED).map((i) => report.results.at(i))
  const byId = resultsOf(report, flaky)
  return {
    total: String(t.total),
    passed: String(t.passed),
    failed: String(t.failed),
    errored: String(t.errored),
    skipped: String(t.skipped),
    flaky: String(flaky.length),
    'failed-tests': JSON.stringify(failed.map(listed)),
    'flaky-tests': JSON.stringify(flaky.slice(0, MAX_LISTED).map((f) => listed(byId.get(f.id) ?? f))),
    'report-url': reportUrl,
    conclusion: v.conclusion
  }
}

/** Returns the results of the given tests by id (those in the report). */
export function resultsOf(report: Report, tests: readonly { id: string }[]): Map<string, TestResult> {
  const found = new Map<string, TestResult>()
  for (const { id } of tests) {
    if (found.has(id)) continue
    const i = report.results.indexOfId(id)
    if (i >= 0) found.set(id, report.results.at(i))
  }
  return found
}
