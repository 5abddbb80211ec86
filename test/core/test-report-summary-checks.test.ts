/**
 * What the test report writes besides the summary: check-run annotations, the verdict under
 * `fail-on`, the outputs, and the inputs it accepts.
 */
import { describe, expect, it } from '@jest/globals'
import { testId, type Report, type TestResult } from '../../src/core/test-report/model.js'
import { checkAnnotations, repoRelative } from '../../src/core/test-report/annotations.js'
import { reportOutputs, verdict, type FailOn } from '../../src/core/test-report/outputs.js'
import { InputError, isBranchName, parseSettings, splitPatterns } from '../../src/core/test-report/settings.js'
import { inRunFlakes } from '../../src/core/test-report/summary.js'
import { ResultTable } from '../../src/core/junit/result-table.js'

function result(name: string, outcome: TestResult['outcome'], extra: Partial<TestResult> = {}): TestResult {
  return { id: testId('pkg.C', name), suites: [], classname: 'pkg.C', name, outcome, executions: outcome === 'flaky' ? ['failed', 'passed'] : [outcome], timeMs: 1, ...extra }
}

function report(results: TestResult[], errors: Report['errors'] = []): Report {
  const tests = { total: results.length, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
  for (const r of results) tests[r.outcome]++
  const runs = { total: results.length, passed: tests.passed + tests.flaky, failed: tests.failed, errored: tests.errored, skipped: tests.skipped }
  return { files: [], runs, tests, results: ResultTable.of(results), errors }
}

describe('check-run annotations', () => {
  const r = report(
    [
      result('located', 'failed', { file: 'src/a.test.ts', line: 12, failure: { message: 'expected 1 to be 2', type: 'AssertionError', details: 'at a (src/a.test.ts:12:3)' } }),
      result('file only', 'errored', { file: './src/b.py', failure: { message: 'boom' } }),
      result('nowhere', 'failed', { failure: { message: 'no location' } }),
      result('outside', 'failed', { file: '/usr/lib/x.py', line: 3, failure: { message: 'elsewhere' } }),
      result('retried', 'flaky', { file: 'src/c.go', line: 7 }),
      result('fine', 'passed', { file: 'src/d.ts', line: 1 })
    ],
    [{ file: 'reports/broken.xml', message: 'unexpected end of file', line: 11, column: 22 }]
  )
  const set = checkAnnotations(r, inRunFlakes(r))
  const { unlocated } = set
  const annotations = set.make(0, set.count)

  it('annotates an unreadable file at its position, as a failure', () => {
    expect(annotations[0]).toEqual({
      path: 'reports/broken.xml',
      start_line: 11,
      end_line: 11,
      start_column: 22,
      end_column: 22,
      annotation_level: 'failure',
      title: 'Unreadable JUnit file',
      message: 'reports/broken.xml:11:22: unexpected end of file'
    })
  })

  it('annotates failures and errors at file and line (line 1 when only the file is known)', () => {
    expect(annotations.slice(1, 3)).toEqual([
      { path: 'src/a.test.ts', start_line: 12, end_line: 12, annotation_level: 'failure', title: 'Failed: pkg.C › located', message: 'AssertionError: expected 1 to be 2', raw_details: 'at a (src/a.test.ts:12:3)' },
      { path: 'src/b.py', start_line: 1, end_line: 1, annotation_level: 'failure', title: 'Error: pkg.C › file only', message: 'boom' }
    ])
  })

  it('warns on flaky tests and leaves passing ones alone', () => {
    expect(annotations.slice(3)).toEqual([
      { path: 'src/c.go', start_line: 7, end_line: 7, annotation_level: 'warning', title: 'Flaky: pkg.C › retried', message: 'failed and passed in this run: 1 of 2 executions failed (failed, passed)' }
    ])
  })

  it('leaves out failures with no place in the repository, for the summary to list', () => {
    expect(unlocated.map((u) => u.name)).toEqual(['nowhere', 'outside'])
  })

  it('stops at the cap, keeping unreadable files and failures before flaky warnings', () => {
    const many = report(Array.from({ length: 30 }, (_, i) => result(`f${i}`, 'failed', { file: 'a.ts', line: i + 1 })).concat([result('k', 'flaky', { file: 'k.ts' })]), [{ file: 'x.xml', message: 'bad' }])
    const capped = checkAnnotations(many, inRunFlakes(many), 10)
    expect(capped.make(0, capped.count).map((a) => `${a.annotation_level} ${a.path}:${a.start_line}`)).toEqual(['failure x.xml:1', ...Array.from({ length: 9 }, (_, i) => `failure a.ts:${i + 1}`)])
    expect(capped.omitted).toBe(22)
    expect(checkAnnotations(many, inRunFlakes(many)).omitted).toBe(0)
  })

  it.each([0, 1, 9, 10, 31, 32, 33])('under a cap of %i, keeps the head of the uncapped list and counts the rest exactly', (max) => {
    // Unlocated failures and flaky tests among located ones: they must not count, or count, as the uncapped list says.
    const results = Array.from({ length: 30 }, (_, i) => result(`f${i}`, i % 7 === 3 ? 'errored' : 'failed', i % 5 === 4 ? {} : { file: 'a.ts', line: i + 1, failure: { message: `m${i}`, details: `trace ${i}` } }))
    const many = report([...results, result('k', 'flaky', { file: 'k.ts' }), result('k2', 'flaky')], [{ file: 'x.xml', message: 'bad' }, { file: 'y.xml', message: 'worse', line: 3 }])
    const all = checkAnnotations(many, inRunFlakes(many), Infinity)
    const capped = checkAnnotations(many, inRunFlakes(many), max)
    expect(capped.make(0, capped.count)).toEqual(all.make(0, all.count).slice(0, max))
    expect(capped.omitted).toBe(Math.max(0, all.count - max))
    expect(capped.unlocated).toEqual(all.unlocated)
  })

  it('makes any range of the annotations when asked, anew each time', () => {
    expect(set.count).toBe(4)
    expect(set.make(1, 3)).toEqual(annotations.slice(1, 3))
    expect(set.make(3, 50)).toEqual(annotations.slice(3))
    expect(set.make(-2, 2)).toEqual(annotations.slice(0, 2))
    expect(set.make(4, 50)).toEqual([])
    expect(set.make(0, 1)[0]).not.toBe(annotations[0])
  })

  it.each([
    ['/home/runner/work/r/r/src/a.ts', '/home/runner/work/r/r', 'src/a.ts'],
    ['D:\\a\\r\\r\\src\\a.ts', 'D:\\a\\r\\r', 'src/a.ts'],
    ['./x/y.ts', undefined, 'x/y.ts'],
    ['../x.ts', undefined, undefined],
    ['/etc/passwd', '/home/runner/work', undefined]
  ])('makes %s repository-relative (workspace %s): %s', (file, ws, want) => {
    expect(repoRelative(file, ws)).toBe(want)
  })
})

describe('the verdict under fail-on', () => {
  const failing = report([result('a', 'failed'), result('b', 'passed')])
  const unreadable = report([result('b', 'passed')], [{ file: 'x.xml', message: 'bad' }])
  const green = report([result('b', 'passed'), result('c', 'flaky')])
  const table: [string, Report, FailOn, boolean, string][] = [
    ['a failing test fails the job by default', failing, 'failures', true, 'failure'],
    ['a failing test is let through with fail-on errors', failing, 'errors', false, 'neutral'],
    ['an unreadable file fails with fail-on errors', unreadable, 'errors', true, 'failure'],
    ['an unreadable file fails by default', unreadable, 'failures', true, 'failure'],
    ['nothing fails with fail-on nothing', unreadable, 'nothing', false, 'neutral'],
    ['a flaky test that passed in the end does not fail', green, 'failures', false, 'success']
  ]
  it.each(table)('%s', (_name, r, failOn, fail, conclusion) => {
    const v = verdict(r, failOn)
    expect({ fail: v.fail, conclusion: v.conclusion }).toEqual({ fail, conclusion })
  })

  it('treats no matching file as unreadable input, with a reason', () => {
    expect(verdict(report([]), 'errors', true)).toEqual({ fail: true, conclusion: 'failure', reason: 'no JUnit file matched the `files` patterns' })
  })
})

describe('outputs', () => {
  it('gives counts and the failing and flaky tests as JSON', () => {
    const r = report([result('a', 'failed', { file: 'a.ts' }), result('b', 'errored'), result('c', 'flaky'), result('d', 'passed'), result('e', 'skipped')])
    const out = reportOutputs(r, inRunFlakes(r), verdict(r, 'failures'), 'https://x/artifacts/1')
    expect(out).toEqual({
      total: '5',
      passed: '1',
      failed: '1',
      errored: '1',
      skipped: '1',
      flaky: '1',
      'failed-tests': JSON.stringify([{ classname: 'pkg.C', name: 'a', file: 'a.ts' }, { classname: 'pkg.C', name: 'b' }]),
      'flaky-tests': JSON.stringify([{ classname: 'pkg.C', name: 'c' }]),
      'report-url': 'https://x/artifacts/1',
      conclusion: 'failure'
    })
  })
})

describe('inputs', () => {
  const inputs = (given: Record<string, string>) => (name: string) => given[name] ?? ''

  it('takes action.yml defaults when inputs are empty', () => {
    expect(parseSettings(inputs({ files: '**/TEST-*.xml' }), 'test')).toEqual({
      files: ['**/TEST-*.xml'],
      name: 'test',
      failOn: 'failures',
      checkRun: true,
      annotations: true,
      comment: 'off',
      history: 'branch',
      historyRuns: 100,
      dashboard: true,
      pagesBranch: '',
      mode: 'run',
      artifact: ''
    })
  })

  it('splits patterns on lines and commas, dropping blanks and comments', () => {
    expect(splitPatterns('a/**/*.xml, b/*.xml\n\n# old\n!b/skip.xml\n')).toEqual(['a/**/*.xml', 'b/*.xml', '!b/skip.xml'])
  })

  it.each([
    [{ files: '' }, 'input files must name at least one glob pattern (for example "**/TEST-*.xml"), got nothing'],
    [{ 'fail-on': 'sometimes' }, 'input fail-on must be one of failures, errors, nothing, got "sometimes"'],
    [{ 'check-run': 'yes' }, 'input check-run must be true or false, got "yes"'],
    [{ annotations: '1' }, 'input annotations must be true or false, got "1"'],
    [{ comment: 'on' }, 'input comment must be one of off, always, failures, got "on"'],
    [{ history: 'db' }, 'input history must be one of branch, artifact, off, got "db"'],
    [{ 'history-runs': '0' }, 'input history-runs must be a whole number from 1 to 1000, got "0"'],
    [{ 'history-runs': '1e3' }, 'input history-runs must be a whole number from 1 to 1000, got "1e3"'],
    [{ dashboard: 'maybe' }, 'input dashboard must be true or false, got "maybe"'],
    [{ 'pages-branch': 'gh pages' }, 'input pages-branch must be a branch name (or empty to publish nothing), got "gh pages"'],
    [{ mode: 'fork' }, 'input mode must be one of run, workflow_run, got "fork"'],
    [{ name: 'a\nb' }, 'input name must be one line of at most 100 characters, got "a\\nb"'],
    [{ artifact: 'a/b' }, 'input artifact must be an artifact name (no " : < > | * ? \\ / or line breaks), got "a/b"']
  ])('rejects %j: %s', (bad, message) => {
    const get = inputs({ files: '*.xml', ...bad })
    expect(() => parseSettings(get, 'test')).toThrow(new InputError(message))
  })

  it('needs no files in workflow_run mode: the artifact holds them', () => {
    expect(parseSettings(inputs({ mode: 'workflow_run' }), 'report').files).toEqual(['**/*.xml'])
  })

  it.each([
    ['gh-pages', true],
    ['shepherd/test-history', true],
    ['-x', false],
    ['a..b', false],
    ['a.lock', false],
    ['.hidden', false],
    ['a b', false],
    ['a~1', false]
  ])('branch name %s is %s', (name, ok) => expect(isBranchName(name)).toBe(ok))
})
