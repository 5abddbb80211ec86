import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { decodeRecord, encodeRecord, MESSAGE_LIMIT, RecordError, toRunRecord } from '../../src/core/test-history/record.js'
import { testId, type Report, type TestResult } from '../../src/core/test-report/model.js'
import { recordOf, runInfo } from './test-history-support.js'
import { ResultTable } from '../../src/core/junit/result-table.js'

const SEED = 20261122

function result(classname: string, name: string, outcome: TestResult['outcome'], extra: Partial<TestResult> = {}): TestResult {
  return { id: testId(classname, name), suites: ['s'], classname, name, outcome, executions: [], timeMs: 12.6, ...extra }
}

function reportOf(results: TestResult[]): Report {
  const tests = { total: results.length, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
  for (const r of results) tests[r.outcome]++
  return { files: [], runs: { total: results.length, passed: tests.passed, failed: tests.failed, errored: tests.errored, skipped: tests.skipped }, tests, results: ResultTable.of(results), errors: [] }
}

describe('toRunRecord', () => {
  const report = reportOf([
    result('b.Suite', 'passes', 'passed'),
    result('a.Suite', 'fails', 'failed', { failure: { message: 'expected 1 to be 2' } }),
    result('a.Suite', 'errors', 'errored', { failure: { message: 'NullPointerException', type: 'java.lang.NullPointerException' } }),
    result('c.Suite', 'is skipped', 'skipped', { failure: { message: 'not on this platform' } }),
    result('c.Suite', 'is flaky', 'flaky', { failure: { message: 'timed out once' }, timeMs: 0.4 })
  ])
  const record = toRunRecord(report, runInfo(1))

  it('maps each outcome to its character, tests in code-point order of their ids', () => {
    expect(record.names).toEqual([testId('a.Suite', 'errors'), testId('a.Suite', 'fails'), testId('b.Suite', 'passes'), testId('c.Suite', 'is flaky'), testId('c.Suite', 'is skipped')])
    expect(record.outcomes).toBe('efpks')
    expect(record.format).toBe('shepherd-test-record')
    expect(record.version).toBe(1)
  })

  it('keeps messages of failed, errored and flaky tests by index, and whole milliseconds', () => {
    expect(record.messages).toEqual({ 0: 'NullPointerException', 1: 'expected 1 to be 2', 3: 'timed out once' })
    expect(record.timesMs).toEqual([13, 13, 13, 0, 13])
    expect(record.totals.tests).toEqual(report.tests)
  })

  it('cuts long messages to the limit without splitting a surrogate pair', () => {
    const long = 'x'.repeat(MESSAGE_LIMIT - 1) + '😀' + 'tail'
    const r = toRunRecord(reportOf([result('a', 'b', 'failed', { failure: { message: long } })]), runInfo(1))
    expect(r.messages[0]).toBe('x'.repeat(MESSAGE_LIMIT - 1))
    const fits = toRunRecord(reportOf([result('a', 'b', 'failed', { failure: { message: 'y'.repeat(MESSAGE_LIMIT + 50) } })]), runInfo(1))
    expect(fits.messages[0]).toHaveLength(MESSAGE_LIMIT)
  })

  it('round-trips through encodeRecord and decodeRecord', () => {
    expect(decodeRecord(encodeRecord(record), 'r.json')).toEqual(record)
  })
})

describe('decodeRecord', () => {
  const good = JSON.parse(encodeRecord(recordOf(runInfo(3, { pullRequest: 7, baseBranch: 'main' }), { 'a\u001fx': 'p', 'a\u001fy': 'f', 'b\u001fz': 'k' }, { 'a\u001fy': 'boom' }))) as Record<string, any>
  const variant = (change: (r: any) => void) => {
    const copy = JSON.parse(JSON.stringify(good))
    change(copy)
    return JSON.stringify(copy)
  }

  it('reads a valid record, with a byte-order mark and unknown fields', () => {
    const r = decodeRecord('\ufeff' + variant((x) => ((x.extra = 1), (x.run.runner = 'linux'))), 'ok.json')
    expect(r.outcomes).toBe('pfk')
    expect(r.run.pullRequest).toBe(7)
    expect(r.messages).toEqual({ 1: 'boom' })
    expect('extra' in r).toBe(false)
  })

  it.each([
    ['not JSON', '{"format":', /^bad\.json: not JSON \(/],
    ['an array', '[]', /^bad\.json: not a test record: expected a JSON object$/],
    ['another format', variant((x) => (x.format = 'junit')), /format is "junit", expected "shepherd-test-record"/],
    ['another version', variant((x) => (x.version = 2)), /unsupported record version 2; this Shepherd reads version 1/],
    ['no version', variant((x) => delete x.version), /unsupported record version missing/],
    ['no run', variant((x) => delete x.run), /run must be an object/],
    ['a run id of 0', variant((x) => (x.run.id = 0)), /run\.id must be a whole number ≥ 1, got 0/],
    ['a fractional attempt', variant((x) => (x.run.attempt = 1.5)), /run\.attempt must be a whole number ≥ 1, got 1\.5/],
    ['an empty sha', variant((x) => (x.run.sha = '')), /run\.sha must be a non-empty string/],
    ['a date that is not ISO', variant((x) => (x.run.createdAt = 'yesterday')), /run\.createdAt must be an ISO 8601 date and time, got "yesterday"/],
    ['a numeric branch', variant((x) => (x.run.branch = 5)), /run\.branch must be a string, got 5/],
    ['a pull request number that is text', variant((x) => (x.run.pullRequest = '7')), /run\.pullRequest must be a whole number ≥ 1, got "7"/],
    ['names that are not an array', variant((x) => (x.names = 'a')), /names must be an array of test ids/],
    ['a name that is not a string', variant((x) => (x.names[1] = 3)), /names\[1\] must be a string, got 3/],
    ['a repeated name', variant((x) => (x.names[2] = x.names[0])), /names\[2\] repeats test "a\\u001fx"/],
    ['too few outcomes', variant((x) => (x.outcomes = 'pf')), /outcomes has 2 characters for 3 names/],
    ['an unknown outcome', variant((x) => (x.outcomes = 'pxk')), /outcomes\[1\] is "x"; each character must be one of p f e s k -/],
    ['too many times', variant((x) => x.timesMs.push(1)), /timesMs has 4 entries for 3 names/],
    ['a negative time', variant((x) => (x.timesMs[0] = -1)), /timesMs\[0\] must be a number of milliseconds ≥ 0, got -1/],
    ['a time that is text', variant((x) => (x.timesMs[2] = '5')), /timesMs\[2\] must be a number of milliseconds ≥ 0, got "5"/],
    ['a message past the tests', variant((x) => (x.messages['3'] = 'no such test')), /messages key "3" is not the index of a test \(0–2\)/],
    ['a message key that is not an index', variant((x) => (x.messages['01'] = 'x')), /messages key "01" is not the index of a test/],
    ['a message that is not text', variant((x) => (x.messages['0'] = { a: 1 })), /messages\[0\] must be a string/],
    ['no totals', variant((x) => delete x.totals), /totals must be an object with runs and tests counts/],
    ['a negative count', variant((x) => (x.totals.tests.flaky = -1)), /totals\.tests\.flaky must be a whole number ≥ 0, got -1/],
    ['run counts without errored', variant((x) => delete x.totals.runs.errored), /totals\.runs\.errored must be a whole number ≥ 0, got missing/]
  ])('refuses %s with an error naming the source', (_what, text, message) => {
    let error: unknown
    try {
      decodeRecord(text, 'bad.json')
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(RecordError)
    expect((error as RecordError).source).toBe('bad.json')
    expect((error as Error).message).toMatch(/^bad\.json: /)
    expect((error as Error).message).toMatch(message)
  })

  it('accepts unsorted names when they are unique', () => {
    const r = decodeRecord(variant((x) => (x.names = [x.names[2], x.names[0], x.names[1]])), 'u.json')
    expect(r.names[0]).toBe('b\u001fz')
  })

  it('throws only RecordError, whatever is done to a valid record (fast-check)', () => {
    const text = JSON.stringify(good)
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 8 }), (at, cut, insert) => {
        const mutated = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + (cut % 6)))
        try {
          const r = decodeRecord(mutated, 'm.json')
          expect(r.outcomes.length).toBe(r.names.length)
          expect(r.timesMs.length).toBe(r.names.length)
        } catch (err) {
          expect(err).toBeInstanceOf(RecordError)
        }
      }),
      { seed: SEED, numRuns: 3000 }
    )
  })
})
