import { describe, expect, it } from '@jest/globals'
import { analyzeFlakes } from '../../src/core/test-history/analyze.js'
import { FAIL, FLAKY, PASS, flipFlakiness } from '../../src/core/test-history/flip.js'
import { loadHistory } from '../../src/core/test-history/history.js'
import { recordOf, recordsOf, runInfo } from './test-history-support.js'

const statuses = (s: string) => [...s].map((c) => (c === 'p' ? PASS : c === 'f' ? FAIL : FLAKY))

describe("TestGrid's flip flakiness", () => {
  // The cases of TestGrid's own TestCalculateFlipFlakiness (pkg/summarizer/analyzers/flipanalyzer_test.go).
  it.each([
    ['an empty list', '', 0],
    ['all passing', 'ppp', 0],
    ['multiple flakes', 'pfppkppppf', 30],
    ['a short run of failures', 'pffppppfpp', 20],
    ['a long run of failures', 'pfffffpfpf', 40],
    ['a long run interrupted by flakes', 'pffkffpfpf', 50]
  ])('%s', (_name, s, expected) => {
    expect(flipFlakiness(statuses(s)).flipRate).toBeCloseTo(expected, 9)
  })

  it('counts a streak of exactly 2 failures and skips one of exactly 3', () => {
    const two = flipFlakiness(statuses('ppffppffpp'))
    expect(two).toMatchObject({ flips: 2, considered: 10, ignoredFailures: 0, flipRate: 20, flipAt: [2, 6] })
    const three = flipFlakiness(statuses('pppfffpppfffpp'))
    expect(three).toMatchObject({ flips: 0, considered: 8, ignoredFailures: 6, flipRate: 0 })
  })

  it('ignores a streak of 3 at the end: a test that just broke is not flaky', () => {
    expect(flipFlakiness(statuses('ppppfff'))).toMatchObject({ flips: 0, considered: 4, ignoredFailures: 3 })
    expect(flipFlakiness(statuses('ppppff'))).toMatchObject({ flips: 1, considered: 6 })
  })

  it('counts the first failure as a flip, since lastPassing starts true', () => {
    expect(flipFlakiness(statuses('fp'))).toMatchObject({ flips: 1, considered: 2, flipRate: 50 })
  })
})

describe('flip rate over a history', () => {
  const analyse = (rows: Record<string, string>) =>
    analyzeFlakes(loadHistory(recordsOf(rows)), { window: { unit: 'runs', sample: 50, basis: 0 }, generatedAt: 'x' }).tests

  it('counts skipped runs as passes (PASS_WITH_SKIPS coalesces to PASS) and passes over runs without the test', () => {
    // p s f s f: with skips as passes, both failures follow a pass: 2 flips in 5.
    const [withSkips] = analyse({ t: 'psfsf', other: 'ppppp' })
    expect(withSkips.flipRate).toBeCloseTo(40, 9)
    // p - f - f: not-run cells are NO_RESULT: f f is one streak of 2, so 1 flip in 3.
    const [withGaps] = analyse({ t: 'p-f-f', other: 'ppppp' })
    expect(withGaps.flipRate).toBeCloseTo(100 / 3, 9)
  })

  it('ignores failures in runs where no test passed (failing columns)', () => {
    const tests = analyse({ a: 'ppfpp', b: 'ppfpp' })
    expect(tests.map((t) => t.flipRate)).toEqual([0, 0])
    const counted = analyse({ a: 'ppfpp', b: 'ppppp' })
    expect(counted.find((t) => t.id === 'a')?.flipRate).toBe(20)
  })

  it('does not treat a run as failing when the job has a single test (TestGrid: one row, no failing columns)', () => {
    expect(analyse({ only: 'ppfpp' })[0].flipRate).toBe(20)
  })

  it("applies TestGrid's one-word infrastructure-failure rule only when asked", () => {
    const records = [
      recordOf(runInfo(0), { a: 'p', b: 'p' }),
      recordOf(runInfo(1), { a: 'f', b: 'p' }, { a: 'Failed' }),
      recordOf(runInfo(2), { a: 'p', b: 'p' }),
      recordOf(runInfo(3), { a: 'f', b: 'p' }, { a: 'expected 2 but got 3' }),
      recordOf(runInfo(4), { a: 'p', b: 'p' })
    ]
    const history = loadHistory(records)
    const run = (testgridInfraMessages: boolean) => analyzeFlakes(history, { window: { unit: 'runs', sample: 5, basis: 0 }, testgridInfraMessages, generatedAt: 'x' }).tests.find((t) => t.id === 'a')
    expect(run(false)?.flipRate).toBe(40)
    expect(run(true)?.flipRate).toBe(25)
  })
})
