import { describe, expect, it } from '@jest/globals'
import { analyzeFlakes, type FlakeOptions, type TestFlakes } from '../../src/core/test-history/analyze.js'
import { fisherExactGreater } from '../../src/core/test-history/fisher.js'
import { loadHistory } from '../../src/core/test-history/history.js'
import { newFailures } from '../../src/core/test-history/new-failures.js'
import type { Verdict } from '../../src/core/test-history/verdicts.js'
import { DAY, HOUR, recordOf, recordsOf, runInfo, type RunSpec } from './test-history-support.js'

function analyse(rows: Record<string, string>, options: FlakeOptions = {}, runs: RunSpec[] = []) {
  const analysis = analyzeFlakes(loadHistory(recordsOf(rows, runs), { limit: 1000 }), { generatedAt: '2026-02-01T00:00:00.000Z', ...options })
  const test = (id: string) => analysis.tests.find((t) => t.id === id) as TestFlakes
  const verdict = <K extends Verdict['kind']>(id: string, kind: K) => test(id).verdicts.find((v) => v.kind === kind) as Extract<Verdict, { kind: K }> | undefined
  return { analysis, test, verdict, kinds: (id: string) => test(id).verdicts.map((v) => v.kind) }
}

const byRuns = (sample: number, basis: number): FlakeOptions => ({ window: { unit: 'runs', sample, basis } })
const repeat = (c: string, n: number) => c.repeat(n)

describe('(1) failed then passed within a run', () => {
  it('gives a retry verdict naming the runs with a flaky outcome', () => {
    const { verdict, kinds, analysis } = analyse({ t: 'ppkppk', steady: 'pppppp' })
    expect(verdict('t', 'retry')).toEqual({ kind: 'retry', category: 'flake', summary: 'failed then passed within 2 runs', evidence: { runs: [2, 5], count: 2 } })
    expect(kinds('steady')).toEqual([])
    expect(analysis.tests[0].id).toBe('t')
    expect(analysis.tests[0].flaky).toBe(true)
  })

  it('keeps the newest runs when there are more than maxEvidenceRuns', () => {
    const { verdict } = analyse({ t: repeat('k', 30) }, { maxEvidenceRuns: 5 })
    expect(verdict('t', 'retry')?.evidence).toEqual({ runs: [25, 26, 27, 28, 29], count: 30 })
  })
})

describe('(2) passed and failed on the same commit', () => {
  const rerun = (i: number, of: number): RunSpec => ({ id: 1000 + of, attempt: 2, sha: runInfo(of).sha, at: i * HOUR })

  it('finds a re-run attempt of a failed run that passed', () => {
    const { verdict, kinds } = analyse({ t: 'pfpp', u: 'pfpp' }, {}, [{}, {}, rerun(2, 1)])
    const v = verdict('t', 'same-commit')
    expect(v?.evidence).toEqual({ commits: [{ sha: runInfo(1).sha, passed: [2], failed: [1] }], count: 1 })
    expect(v?.summary).toBe(`passed and failed on 1 commit (${runInfo(1).sha.slice(0, 7)})`)
    expect(kinds('u')).toContain('same-commit')
  })

  it('finds two different runs of one commit (a push and a re-run workflow)', () => {
    const { verdict } = analyse({ t: 'fpp' }, {}, [{ sha: 'c'.repeat(40) }, { sha: 'c'.repeat(40) }])
    expect(verdict('t', 'same-commit')?.evidence.commits).toEqual([{ sha: 'c'.repeat(40), passed: [1], failed: [0] }])
  })

  it('does not call a failure then a pass on different commits the same commit', () => {
    expect(analyse({ t: 'pfpp' }).kinds('t')).not.toContain('same-commit')
  })

  it('counts a flaky run as passed in the end, and a flaky run alone as no same-commit evidence', () => {
    expect(analyse({ t: 'fk' }, {}, [{ sha: 'd'.repeat(40) }, { sha: 'd'.repeat(40) }]).verdict('t', 'same-commit')?.evidence.commits[0]).toMatchObject({ passed: [1], failed: [0] })
    const alone = analyse({ t: 'kk' }, {}, [{ sha: 'd'.repeat(40) }, { sha: 'd'.repeat(40) }]).kinds('t')
    expect(alone).toContain('retry')
    expect(alone).not.toContain('same-commit')
  })

  it('lists the newest commit first', () => {
    const a = 'a'.repeat(40)
    const b = 'b'.repeat(40)
    const { verdict } = analyse({ t: 'fpfp' }, {}, [{ sha: a }, { sha: a }, { sha: b }, { sha: b }])
    expect(verdict('t', 'same-commit')?.evidence.commits.map((c) => c.sha)).toEqual([b, a])
  })
})

describe('(3) flip rate', () => {
  it('flags 2 flips in streaks of exactly 2 failures, and nothing for streaks of 3', () => {
    const { verdict, kinds, test } = analyse({ two: 'ppffppffpp', three: 'pppfffpppfffpp', steady: 'pppppppppppppp' })
    expect(verdict('two', 'flip-rate')?.evidence).toEqual({ flipRate: 20, flips: 2, considered: 10, ignoredFailures: 0, failingRunsIgnored: 0, flipRuns: [2, 6], minFlipRate: 10, minFlips: 2 })
    expect(test('three').flipRate).toBe(0)
    expect(kinds('three')).not.toContain('flip-rate')
  })

  it('needs minFlips flips and minFlipRate percent', () => {
    expect(analyse({ t: 'ppppfppppp', s: 'pppppppppp' }).kinds('t')).not.toContain('flip-rate')
    expect(analyse({ t: 'ppppfppppp', s: 'pppppppppp' }, { minFlips: 1 }).kinds('t')).toContain('flip-rate')
    // 2 flips in 25 runs is 8 < 10.
    const low = analyse({ t: 'pppfp' + repeat('p', 10) + 'f' + repeat('p', 9), s: repeat('p', 25) })
    expect(low.test('t').flipRate).toBe(8)
    expect(low.kinds('t')).not.toContain('flip-rate')
  })

  it('looks only at the sample window', () => {
    // The flips are in the first 10 runs; the sample is the last 10.
    const { test } = analyse({ t: 'pfpfpfpfpf' + repeat('p', 10), s: repeat('p', 20) }, byRuns(10, 10))
    expect(test('t').flipRate).toBe(0)
  })
})

describe('(4) regression: Fisher exact test of the sample against the basis', () => {
  const basis200 = repeat('p', 200)
  const sample = (runs: number, failures: number) => repeat('f', failures) + repeat('p', runs - failures)

  it('flags 3 failures in 59 runs against 200 passes: a drop of 5.08 points, p < 0.05', () => {
    const { verdict } = analyse({ t: basis200 + sample(59, 3), s: repeat('p', 259) }, byRuns(59, 200))
    const v = verdict('t', 'regression')
    expect(v?.severity).toBe('significant')
    expect(v?.evidence.sample).toEqual({ runs: 59, success: 56, flake: 0, failure: 3, passRate: (100 * 56) / 59 })
    expect(v?.evidence.basis).toEqual({ runs: 200, success: 200, flake: 0, failure: 0, passRate: 100 })
    expect(v?.evidence.pValue).toBe(fisherExactGreater(3, 56, 0, 200))
    expect(v?.evidence.pValue).toBeLessThan(0.05)
  })

  it('does not flag a drop of exactly 5 points (the pity factor), though Fisher alone would', () => {
    const { kinds, test } = analyse({ t: basis200 + sample(60, 3), s: repeat('p', 260) }, byRuns(60, 200))
    expect(fisherExactGreater(3, 57, 0, 200)).toBeLessThan(0.05)
    expect(test('t').passRate).toBeGreaterThan(0)
    expect(kinds('t')).not.toContain('regression')
    expect(analyse({ t: basis200 + sample(60, 3), s: repeat('p', 260) }, { ...byRuns(60, 200), pityFactor: 4.9 }).kinds('t')).toContain('regression')
  })

  it('needs at least 3 sample failures', () => {
    expect(analyse({ t: basis200 + sample(10, 2), s: repeat('p', 210) }, byRuns(10, 200)).kinds('t')).not.toContain('regression')
    const three = analyse({ t: basis200 + sample(10, 3), s: repeat('p', 210) }, byRuns(10, 200)).verdict('t', 'regression')
    expect(three?.severity).toBe('extreme')
    expect(three?.evidence.drop).toBeCloseTo(30, 9)
  })

  it('needs p below 1 − confidence', () => {
    // 3 failures of 20 against 1 of 20: a 10-point drop that chance explains.
    const t = repeat('p', 19) + 'f' + sample(20, 3)
    const { kinds } = analyse({ t, s: repeat('p', 40) }, byRuns(20, 20))
    expect(fisherExactGreater(3, 17, 1, 19)).toBeGreaterThan(0.05)
    expect(kinds('t')).not.toContain('regression')
  })

  it('gives no verdict when the sample passes at least as often as the basis', () => {
    const t = 'fffff' + repeat('p', 15) + sample(20, 4)
    expect(analyse({ t, s: repeat('p', 40) }, byRuns(20, 20)).kinds('t')).not.toContain('regression')
  })

  it('treats a flaky run as a pass (Sippy, flake_as_failure false)', () => {
    const { kinds } = analyse({ t: basis200 + repeat('k', 10), s: repeat('p', 210) }, byRuns(10, 200))
    expect(kinds('t')).toContain('retry')
    expect(kinds('t')).not.toContain('regression')
    expect(analyse({ t: basis200 + repeat('f', 10), s: repeat('p', 210) }, byRuns(10, 200)).kinds('t')).toContain('regression')
  })
})

describe('(5) new tests below a 95% pass rate', () => {
  const old = repeat('p', 20)

  it('judges a test with no basis runs only from its 6th sample run', () => {
    expect(analyse({ old: old + repeat('p', 5), t: repeat('-', 20) + 'ppfff' }, byRuns(5, 20)).kinds('t')).toEqual([])
    const six = analyse({ old: old + repeat('p', 6), t: repeat('-', 20) + 'pppfff' }, byRuns(6, 20)).verdict('t', 'new-test')
    expect(six).toMatchObject({ severity: 'extreme', evidence: { sample: { runs: 6, success: 3, failure: 3, flake: 0, passRate: 50 }, requiredPassRate: 95, minRuns: 6, minimumFailure: 3 } })
  })

  it('is significant from 90% to 95% and extreme below 90%', () => {
    const t = (runs: number, failures: number) => repeat('-', 20) + repeat('f', failures) + repeat('p', runs - failures)
    expect(analyse({ old: old + repeat('p', 50), t: t(50, 3) }, byRuns(50, 20)).verdict('t', 'new-test')?.severity).toBe('significant')
    expect(analyse({ old: old + repeat('p', 20), t: t(20, 3) }, byRuns(20, 20)).verdict('t', 'new-test')?.severity).toBe('extreme')
    // 3 failures in 60 is exactly 95%: not below.
    expect(analyse({ old: old + repeat('p', 60), t: t(60, 3) }, byRuns(60, 20)).kinds('t')).toEqual([])
  })

  it('calls no test new when the basis window has no runs at all', () => {
    expect(analyse({ t: 'pppfff' }, byRuns(6, 20)).kinds('t')).toEqual([])
  })

  it('can be turned off with newTestPassRate 0', () => {
    expect(analyse({ old: old + repeat('p', 6), t: repeat('-', 20) + 'pppfff' }, { ...byRuns(6, 20), newTestPassRate: 0 }).kinds('t')).toEqual([])
  })
})

describe('windows', () => {
  it('by default takes the last 7 days as sample and the 30 days before as basis, ending at the newest run', () => {
    // One run a day for 60 days: sample = days 53..59, basis = days 23..52.
    const runs = Array.from({ length: 60 }, (_, i): RunSpec => ({ at: i * DAY }))
    const { analysis } = analyse({ t: repeat('p', 60) }, {}, runs)
    expect(analysis.windows.unit).toBe('days')
    expect(analysis.windows.sample).toEqual({ runs: 7, from: new Date(Date.UTC(2026, 0, 1) + 52 * DAY).toISOString(), to: new Date(Date.UTC(2026, 0, 1) + 59 * DAY).toISOString() })
    expect(analysis.windows.basis.runs).toBe(30)
  })

  it('finds a regression between day windows', () => {
    const runs = Array.from({ length: 60 }, (_, i): RunSpec => ({ at: i * DAY }))
    const { verdict } = analyse({ t: repeat('p', 53) + 'fpfpfff', s: repeat('p', 60) }, {}, runs)
    expect(verdict('t', 'regression')?.evidence).toMatchObject({ sample: { runs: 7, failure: 5 }, basis: { runs: 30, failure: 0 } })
  })

  it('with a branch, keeps pull-request runs out of the windows but not out of the same-commit check', () => {
    const pr: RunSpec = { branch: 'feature', pullRequest: 5, baseBranch: 'main' }
    const runs = [{}, pr, {}, pr, {}, pr, {}, pr, {}]
    const { test, kinds } = analyse({ t: 'pfpfpfpfp', s: 'ppppppppp' }, { ...byRuns(20, 0), branch: 'main' }, runs)
    expect(test('t').flipRate).toBe(0)
    expect(kinds('t')).not.toContain('flip-rate')
    expect(analyse({ t: 'pfpfpfpfp', s: 'ppppppppp' }, byRuns(20, 0), runs).kinds('t')).toContain('flip-rate')
  })

  it('refuses options out of range', () => {
    const h = loadHistory(recordsOf({ t: 'pp' }))
    expect(() => analyzeFlakes(h, { confidence: 100 })).toThrow('confidence must be above 0 and below 100, got 100')
    expect(() => analyzeFlakes(h, { window: { unit: 'runs', sample: 0, basis: 3 } })).toThrow('sample window must be a whole number of runs ≥ 1, got 0')
    expect(() => analyzeFlakes(h, { end: 'soon' })).toThrow('window end must be an ISO date and time, got "soon"')
    expect(() => analyzeFlakes(h, { minFlips: 0 })).toThrow(/minFlips must be a whole number from 1/)
  })
})

describe('the analysis', () => {
  it('counts outcomes, pass rate, last outcome and first and last run per test', () => {
    const { test, analysis } = analyse({ t: '-pfeks-', u: 'ppppppp' })
    expect(test('t')).toMatchObject({ runs: 5, counts: { passed: 1, failed: 1, errored: 1, flaky: 1, skipped: 1 }, passRate: 50, lastOutcome: 'skipped', lastRun: 5, firstRun: 1 })
    expect(analysis.totals).toEqual({ tests: 2, flaky: 1, regressed: 0 })
    expect(analysis.runs).toHaveLength(7)
    expect(analysis.format).toBe('shepherd-flakes')
  })

  it('sorts flaky tests first, by flip rate', () => {
    const { analysis } = analyse({ a: 'pppppppppp', b: 'pfpppppfpp', c: 'pfpfppppfp', d: 'ppppppppff' })
    expect(analysis.tests.map((t) => t.id)).toEqual(['c', 'b', 'd', 'a'])
  })

  it('is the same for the same input', () => {
    const rows = { a: 'pfpkpf', b: 'ppffpp' }
    expect(JSON.stringify(analyse(rows).analysis)).toBe(JSON.stringify(analyse(rows).analysis))
  })
})

describe('newFailures', () => {
  const main = (i: number) => runInfo(i)
  const base = [
    recordOf(main(0), { a: 'f', b: 'p', c: 'p', d: 'p', e: 'p' }),
    recordOf(main(1), { a: 'p', b: 'f', d: 's', e: 'k' }),
    recordOf(runInfo(2, { branch: 'feature', pullRequest: 9, baseBranch: 'main' }), { a: 'f', b: 'f', c: 'f', d: 'f', e: 'f' })
  ]
  const current = recordOf(runInfo(3, { branch: 'feature', pullRequest: 9, baseBranch: 'main' }), { a: 'f', b: 'f', c: 'e', d: 'f', e: 'f', g: 'p' }, { a: 'boom' })

  it('lists failures the base branch’s latest run did not have', () => {
    const result = newFailures(loadHistory(base), current, 'main')
    expect(result.baseRun).toBe(1)
    expect(result.base?.id).toBe(1001)
    expect(result.failures).toEqual([
      { id: 'a', outcome: 'failed', before: 'passed', message: 'boom' },
      { id: 'c', outcome: 'errored', before: 'absent' },
      { id: 'd', outcome: 'failed', before: 'skipped' },
      { id: 'e', outcome: 'failed', before: 'flaky' }
    ])
  })

  it('compares with no run newer than the current one, and not with the current run itself', () => {
    const later = recordOf(main(4), { a: 'f', b: 'p', c: 'p', d: 'p', e: 'p' })
    expect(newFailures(loadHistory([...base, later]), current, 'main').baseRun).toBe(1)
    const self = recordOf(runInfo(3), { a: 'p' })
    expect(newFailures(loadHistory([...base, self]), { ...current, run: { ...current.run, branch: 'main', pullRequest: undefined } }, 'main').base?.id).toBe(1001)
  })

  it('says nothing is new when the base branch has no run', () => {
    expect(newFailures(loadHistory(base), current, 'release-1.0')).toEqual({ baseRun: null, base: null, failures: [] })
  })
})
