/**
 * The column store of test results against a plain model of the documented merge rules
 * (docs/test-report.md "Counting rules"): results merged by id in order of first appearance,
 * executions appended, times added, the later failure kept, a missing location filled in.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { ResultTable } from '../../src/core/junit/result-table.js'
import { testOutcome } from '../../src/core/junit/counts.js'
import { readJUnitText } from '../../src/core/junit/index.js'
import { testId, type Outcome, type TestResult } from '../../src/core/test-report/model.js'

/** The model: an array, merged as the rules say. */
function modelMerge(results: TestResult[]): TestResult[] {
  const byId = new Map<string, TestResult>()
  for (const r of results) {
    const seen = byId.get(r.id)
    if (!seen) {
      byId.set(r.id, { ...r, executions: [...r.executions] })
      continue
    }
    seen.executions = [...seen.executions, ...r.executions]
    seen.timeMs += r.timeMs
    if (r.failure) seen.failure = r.failure
    if (seen.file === undefined && r.file !== undefined) {
      seen.file = r.file
      if (r.line === undefined) delete seen.line
      else seen.line = r.line
    }
    seen.outcome = testOutcome(seen.executions)
  }
  return [...byId.values()]
}

const outcome = fc.constantFrom<Outcome>('passed', 'failed', 'errored', 'skipped')
// Names that collide often (retries), with entities' characters, non-ASCII and the empty string.
const name = fc.constantFrom('t', 'T', 'test one', 'a&b', 'é', '测试', '😀', 'x'.repeat(70), '', 't\u001f2')
const classname = fc.constantFrom('pkg.A', 'pkg.B', '', 'pkg.A\u001fx')
const result = fc
  .record({
    classname,
    name,
    executions: fc.array(outcome, { minLength: 1, maxLength: 3 }),
    timeMs: fc.integer({ min: 0, max: 5000 }),
    suites: fc.constantFrom<string[]>([], ['s'], ['s', 'inner']),
    file: fc.option(fc.constantFrom('a.ts', 'b/c.py'), { nil: undefined }),
    line: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    message: fc.option(fc.constantFrom('boom', 'expected 1'), { nil: undefined })
  })
  .map((g): TestResult => {
    const r: TestResult = { id: testId(g.classname, g.name), suites: g.suites, classname: g.classname, name: g.name, outcome: testOutcome(g.executions), executions: g.executions, timeMs: g.timeMs }
    if (g.file !== undefined) r.file = g.file
    if (g.line !== undefined) r.line = g.line
    if (g.message !== undefined && r.outcome !== 'passed' && r.outcome !== 'skipped') r.failure = { message: g.message }
    return r
  })

function counts(results: TestResult[]) {
  const c = { total: results.length, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
  for (const r of results) c[r.outcome]++
  return c
}

describe('ResultTable', () => {
  it('merges as the model does, and reads back every field and count', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 60 }), (results) => {
        const table = ResultTable.of(results)
        const expected = modelMerge(results)
        expect(table.toArray()).toEqual(expected)
        expect(table.counts).toEqual(counts(expected))
        for (let i = 0; i < expected.length; i++) {
          expect(table.indexOfId(expected[i].id)).toBe(i)
          expect(table.idAt(i)).toBe(expected[i].id)
          expect(table.outcomeAt(i)).toBe(expected[i].outcome)
          expect(table.timeMsAt(i)).toBe(expected[i].timeMs)
        }
      }),
      { numRuns: 400 }
    )
  })

  it('merges the tables of several files as one table of all their results', () => {
    fc.assert(
      fc.property(fc.array(fc.array(result, { maxLength: 30 }), { maxLength: 4 }), (files) => {
        const merged = new ResultTable()
        for (const f of files) merged.addTable(ResultTable.of(f))
        // Within a file results merge first; across files the same rules apply again.
        expect(merged.toArray()).toEqual(modelMerge(files.flatMap((f) => modelMerge(f))))
      }),
      { numRuns: 200 }
    )
  })

  it('grows past its first capacity and finds every test by id (no lost slot on rehash)', () => {
    const table = new ResultTable()
    const n = 20_000
    for (let i = 0; i < n; i++) table.addResult({ id: testId(`C${i % 97}`, `t${i}`), suites: [], classname: `C${i % 97}`, name: `t${i}`, outcome: 'passed', executions: ['passed'], timeMs: i })
    // A retry of every 10th test: merged, not added.
    for (let i = 0; i < n; i += 10) table.addResult({ id: testId(`C${i % 97}`, `t${i}`), suites: [], classname: `C${i % 97}`, name: `t${i}`, outcome: 'failed', executions: ['failed'], timeMs: 1 })
    expect(table.length).toBe(n)
    expect(table.counts).toEqual({ total: n, passed: n - n / 10, failed: 0, errored: 0, skipped: 0, flaky: n / 10 })
    for (let i = 0; i < n; i += 7) expect(table.indexOfId(testId(`C${i % 97}`, `t${i}`))).toBe(i)
    expect(table.indexOfId(testId('C1', 't0'))).toBe(-1)
    expect(table.indexOfId('no separator')).toBe(-1)
    expect(() => table.at(n)).toThrow(/no test at index 20000 of 20000/)
  })

  it('compares equal by its tests (what the differential tests rely on), not by how it was built', () => {
    const r = (name: string, outcome: Outcome): TestResult => ({ id: testId('C', name), suites: [], classname: 'C', name, outcome, executions: [outcome], timeMs: 1 })
    const grown = new ResultTable()
    for (let i = 0; i < 100; i++) grown.addResult(r(`t${i}`, 'passed'))
    const a = ResultTable.of([r('t0', 'passed'), r('t1', 'failed')])
    expect(a).toEqual(ResultTable.of([r('t0', 'passed'), r('t1', 'failed')]))
    expect(a).not.toEqual(ResultTable.of([r('t0', 'passed'), r('t1', 'passed')]))
    expect(a).not.toEqual(ResultTable.of([r('t0', 'passed')]))
    expect(ResultTable.of(grown.toArray().slice(0, 2))).toEqual(ResultTable.of([r('t0', 'passed'), r('t1', 'passed')]))
  })

  it('gives the reader the same tests whether a name is plain ASCII, escaped or non-ASCII', () => {
    const report = readJUnitText(
      '<testsuite><testcase classname="C" name="a&amp;b"/><testcase classname="C" name="a&#38;b"><failure/></testcase><testcase classname="C" name="é"/><testcase classname="C" name="&#233;"/><testcase classname="C" name="t\tx"/><testcase classname="C" name="t x"/></testsuite>',
      'x.xml'
    )
    expect(report.results.toArray().map((r) => [r.name, r.outcome, r.executions])).toEqual([
      ['a&b', 'flaky', ['passed', 'failed']],
      ['é', 'passed', ['passed', 'passed']],
      // Attribute values have tabs made spaces (XML 1.0 §3.3.3): the same test.
      ['t x', 'passed', ['passed', 'passed']]
    ])
  })
})
