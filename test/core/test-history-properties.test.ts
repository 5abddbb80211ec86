/**
 * The verdicts against their definitions, restated independently and checked on random histories
 * (fast-check, seed 20261122): what the optimized analysis computes from the matrix must be what
 * the rules say about each test's plain list of outcomes.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { analyzeFlakes } from '../../src/core/test-history/analyze.js'
import { FAIL, FLAKY, PASS, flipFlakiness } from '../../src/core/test-history/flip.js'
import { loadHistory } from '../../src/core/test-history/history.js'
import { recordsOf } from './test-history-support.js'

const SEED = 20261122

/**
 * Flip flakiness in closed form: a failure streak is a maximal run of FAILs; streaks of 3 or more
 * are dropped; each remaining streak is one flip (its first failure follows a pass, a flake, or the
 * start), each FLAKY is one flip; considered is everything not dropped.
 */
function flipsByStreaks(s: number[]): { flips: number; considered: number } {
  let flips = 0
  let considered = 0
  let i = 0
  while (i < s.length) {
    if (s[i] !== FAIL) {
      considered++
      if (s[i] === FLAKY) flips++
      i++
      continue
    }
    let j = i
    while (j < s.length && s[j] === FAIL) j++
    if (j - i < 3) {
      flips++
      considered += j - i
    }
    i = j
  }
  return { flips, considered }
}

describe('flip flakiness', () => {
  it('equals the closed form over streaks (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(PASS, FAIL, FAIL, FLAKY), { maxLength: 60 }), (s) => {
        const got = flipFlakiness(s)
        const want = flipsByStreaks(s)
        expect({ flips: got.flips, considered: got.considered }).toEqual(want)
        expect(got.flipRate).toBe(want.considered === 0 ? 0 : (100 * want.flips) / want.considered)
      }),
      { seed: SEED, numRuns: 3000 }
    )
  })
})

describe('the analysis of random histories', () => {
  const outcome = fc.constantFrom('p', 'p', 'p', 'f', 'e', 's', 'k', '-')
  const history = fc.integer({ min: 1, max: 30 }).chain((runs) =>
    fc.record({
      rows: fc.array(fc.array(outcome, { minLength: runs, maxLength: runs }).map((o) => o.join('')), { minLength: 1, maxLength: 4 }),
      shas: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: runs, maxLength: runs })
    })
  )

  it('gives each test the verdicts its outcomes call for (fast-check)', () => {
    fc.assert(
      fc.property(history, ({ rows, shas }) => {
        const table = Object.fromEntries(rows.map((row, i) => [`t${i}`, row]))
        const runs = shas.map((n) => ({ sha: `c${n}`.padEnd(40, '0') }))
        // Every run in the sample window, none in the basis: no regression verdicts here.
        const analysis = analyzeFlakes(loadHistory(recordsOf(table, runs), { limit: 100 }), { window: { unit: 'runs', sample: 100, basis: 0 }, generatedAt: 'x' })
        // A run is a failing column when no test passed, was skipped or was flaky in it (and there is more than one test).
        const testsInRecords = rows.filter((row) => [...row].some((c) => c !== '-')).length
        const failingColumn = shas.map((_, r) => testsInRecords > 1 && !rows.some((row) => 'psk'.includes(row[r])))
        rows.forEach((row, i) => {
          const got = analysis.tests.find((t) => t.id === `t${i}`)
          if (![...row].some((c) => c !== '-')) {
            expect(got).toBeUndefined()
            return
          }
          const kinds = got?.verdicts.map((v) => v.kind) ?? []
          const cells = [...row]
          expect(kinds.includes('retry')).toBe(cells.includes('k'))
          const sameCommit = shas.some((sha, a) => 'pk'.includes(cells[a]) && shas.some((other, b) => other === sha && 'fe'.includes(cells[b])))
          expect(kinds.includes('same-commit')).toBe(sameCommit)
          const statuses = cells.flatMap((c, r) => (c === 'p' || c === 's' ? [PASS] : c === 'k' ? [FLAKY] : (c === 'f' || c === 'e') && !failingColumn[r] ? [FAIL] : []))
          const flip = flipsByStreaks(statuses)
          const rate = flip.considered === 0 ? 0 : (100 * flip.flips) / flip.considered
          expect(got?.flipRate).toBeCloseTo(rate, 9)
          expect(kinds.includes('flip-rate')).toBe(flip.flips >= 2 && rate >= 10)
          const passes = cells.filter((c) => c === 'p' || c === 'k').length
          const results = passes + cells.filter((c) => c === 'f' || c === 'e').length
          expect(got?.passRate).toBe(results === 0 ? 0 : (100 * passes) / results)
          expect(got?.flaky).toBe(kinds.length > 0)
          expect(kinds.filter((k) => k === 'regression' || k === 'new-test')).toEqual([])
        })
        // Flaky tests first, and among them higher flip rates first.
        const flags = analysis.tests.map((t) => t.flaky)
        expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)))
      }),
      { seed: SEED, numRuns: 1000 }
    )
  })
})
