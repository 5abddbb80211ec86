/**
 * The data model shared by test-report's parts (issue #4): the JUnit reader produces a `Report`,
 * the run's summary and check run render it, `toRunRecord` turns it into the compact history
 * record each run stores, and the flake analysis and the dashboard read those records.
 * Plain data only (results in a `ResultTable`, by column): every part is pure and testable without I/O.
 */
import type { ResultTable } from '../junit/result-table.js'

/** What one execution of a test came to. `errored` is JUnit's `<error>`, kept apart from `<failure>`. */
export type Outcome = 'passed' | 'failed' | 'errored' | 'skipped'

/** A test over all its executions in one run: `flaky` when it failed or errored and also passed. */
export type TestOutcome = Outcome | 'flaky'

/** What a failing execution said. Texts are truncated (see the reader's limits) and never interpreted. */
export interface Failure {
  /** `message` attribute, or the first line of the body when there is none. */
  message: string
  /** `type` attribute (exception class), when given. */
  type?: string
  /** Element body: usually the stack trace. */
  details?: string
}

/** One execution: a `<testcase>` element, or a Surefire `flakyFailure`/`rerunFailure`-style element inside one. */
export interface Execution {
  outcome: Outcome
  /** Milliseconds; 0 when the file gives none. */
  timeMs: number
  failure?: Failure
}

/** One `<testcase>` element as written, with the executions nested in it. */
export interface TestCase {
  /** Stable identity of the test across runs: see `testId`. */
  id: string
  /** Enclosing `<testsuite>` names, outermost first. */
  suites: string[]
  classname: string
  name: string
  /** Source location: `file`/`line` attributes, else found in the stack trace. Repository-relative when it can be made so. */
  file?: string
  line?: number
  /** The element's own result (error > failure > skipped > passed when it holds several). */
  outcome: Outcome
  timeMs: number
  failure?: Failure
  /** Surefire reruns inside the element: `flakyFailure`/`flakyError` (the test passed in the end) and `rerunFailure`/`rerunError` (it did not), in order. */
  reruns: Execution[]
  /** `system-out`/`system-err`, truncated. */
  output?: string
}

/** A test with every execution in the run merged: repeated `<testcase>` elements with the same id are retries. */
export interface TestResult {
  id: string
  suites: string[]
  classname: string
  name: string
  file?: string
  line?: number
  outcome: TestOutcome
  /** Every execution in order: elements in document order, each followed by its reruns. */
  executions: Outcome[]
  /** Time of all executions. */
  timeMs: number
  /** The last failing execution's failure, when any failed or errored. */
  failure?: Failure
}

export interface Counts {
  total: number
  passed: number
  failed: number
  errored: number
  skipped: number
}

export interface TestCounts extends Counts {
  flaky: number
}

/** A file that could not be read, or could be read only in part. */
export interface ReadError {
  file: string
  message: string
  /** 1-based position of the problem in the file, when it has one. */
  line?: number
  column?: number
}

/** One JUnit file. */
export interface FileReport {
  file: string
  /** Counted per `<testcase>` element. */
  runs: Counts
  /** Unique tests, retries merged. */
  tests: TestCounts
  /** The unique tests, in order of first appearance. */
  results: ResultTable
  /** Set when the file is malformed or truncated: what was read before the problem is still reported. */
  error?: ReadError
}

/** Every file of one run. Totals merge tests across files: the same id in two files is one test. */
export interface Report {
  files: FileReport[]
  runs: Counts
  tests: TestCounts
  results: ResultTable
  errors: ReadError[]
}

/** Returns a test's identity: classname and name, joined so neither can forge the other. */
export function testId(classname: string, name: string): string {
  return `${classname}\u001f${name}`
}

/** Where a run happened: what the history needs to place a record. */
export interface RunInfo {
  /** `GITHUB_RUN_ID` */
  id: number
  /** `GITHUB_RUN_ATTEMPT` */
  attempt: number
  /** Link to the run (or job). */
  url: string
  workflow: string
  /** Job name or the report's `name` input: records of different jobs are different histories. */
  job: string
  event: string
  /** Branch the run tested (`refs/heads/` removed); for a PR, its base is `baseBranch`. */
  branch: string
  baseBranch?: string
  pullRequest?: number
  /** Commit tested. */
  sha: string
  /** ISO 8601. */
  createdAt: string
}

/**
 * The compact record of one run that the history keeps (format version 1). Tests are listed once
 * in `names` and referred to by index, so 1,000 records of 5,000 tests stay small and load fast.
 * `outcomes` is one character per test of `names`: `p` passed, `f` failed, `e` errored, `s`
 * skipped, `k` flaky, `-` not run in this run.
 */
export interface RunRecord {
  format: 'shepherd-test-record'
  version: 1
  run: RunInfo
  /** Test ids, in the order `outcomes` and `timesMs` follow. */
  names: string[]
  outcomes: string
  /** Per test, milliseconds (rounded). */
  timesMs: number[]
  /** Failure messages by test index, truncated to 300 characters. */
  messages: Record<number, string>
  totals: { runs: Counts; tests: TestCounts }
}
