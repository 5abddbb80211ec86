// The strategy model: peer strategies reproduce the reference's Monte-Carlo tables
// (../shared/reference/merge-queue.md §c, Tables 1 and 2) within Monte-Carlo error, runs are
// reproducible from their seed, and ours (the real planner) meets issue 5's bars at 2% and 10% break rates.
import { describe, it, expect } from '@jest/globals'
import { simulate, runOnce, checkScenario, type Strategy } from '../../src/core/merge-queue/model.js'
import { DEFAULT_PLANNER_OPTIONS } from '../../src/core/merge-queue/planner.js'

const RUNS = 200
const SEED = 20261122
const at = (p: number, f = 0) => ({ prs: 100, ciMinutes: 30, breakRate: p, flakeRate: f })

// [strategy, break rate, flake rate, reference merged/h, reference CI runs per merged PR, reference good PRs ejected per 100 or null]
const TABLE: Array<[Strategy, number, number, number, number, number | null]> = [
  ['serial', 0.02, 0, 2.0, 1.02, null],
  ['serial', 0.1, 0, 1.8, 1.11, null],
  ['bors', 0.02, 0, 8.5, 0.23, null],
  ['bors', 0.1, 0, 2.5, 0.82, null],
  ['tide', 0.02, 0, 3.3, 1.21, null],
  ['tide', 0.1, 0, 2.0, 2.05, null],
  ['github', 0.02, 0, 9.2, 1.06, null],
  ['serial', 0.02, 0.05, 1.9, 1.08, 4.9],
  ['github', 0.02, 0.05, 7.9, 1.23, 5.0]
]

describe('merge-queue strategy model', () => {
  it.each(TABLE)('%s at break rate %p, flake rate %p matches the reference (%p merged/h, %p runs per merged PR)', (strategy, p, f, perHour, runsPer, ejected) => {
    const m = simulate(strategy, at(p, f), SEED, RUNS)
    expect(Math.abs(m.mergedPerHour - perHour) / perHour).toBeLessThan(0.12)
    expect(Math.abs(m.ciRunsPerMerged - runsPer) / runsPer).toBeLessThan(0.12)
    if (ejected !== null) expect(Math.abs(m.goodEjectedPer100 - ejected)).toBeLessThan(1)
  })

  it('differs from the reference on GitHub at 10% break rate only in CI runs (documented in docs/merge-queue.md)', () => {
    const m = simulate('github', at(0.1), SEED, RUNS)
    expect(Math.abs(m.mergedPerHour - 7.2)).toBeLessThan(0.6)
    expect(m.ciRunsPerMerged).toBeGreaterThan(1.36) // the reference's 1.36; this model rebuilds every group behind a failure
    const flaky = simulate('github', at(0.1, 0.05), SEED, RUNS)
    expect(Math.abs(flaky.mergedPerHour - 6.3)).toBeLessThan(0.6)
    expect(Math.abs(flaky.goodEjectedPer100 - 4.5)).toBeLessThan(1)
    expect(flaky.ciRunsPerMerged).toBeGreaterThan(1.56)
  })

  it('is reproducible from its seed and differs across seeds', () => {
    expect(runOnce('ours', at(0.1, 0.05), 7)).toEqual(runOnce('ours', at(0.1, 0.05), 7))
    expect(runOnce('ours', at(0.1, 0.05), 7)).not.toEqual(runOnce('ours', at(0.1, 0.05), 8))
  })

  it('accounts for every PR: merged plus ejected is the number queued, for every strategy', () => {
    for (const s of ['ours', 'serial', 'bors', 'tide', 'github'] as const) {
      const r = runOnce(s, at(0.1, 0.05), SEED)
      expect(r.mergedAt.length + r.ejectedGood + r.ejectedBad).toBe(100)
    }
  })

  it('ours meets issue 5 at a 2% break rate: at least 20 merged per hour at no more than 0.5 CI runs per merged PR', () => {
    const m = simulate('ours', at(0.02), SEED, RUNS)
    expect(m.mergedPerHour).toBeGreaterThanOrEqual(20)
    expect(m.ciRunsPerMerged).toBeLessThanOrEqual(0.5)
    expect(m.apiPerMerged!).toBeLessThanOrEqual(20)
  })

  it('ours meets issue 5 at a 10% break rate: at least 8 merged per hour at no more than 1.0 CI runs per merged PR', () => {
    const m = simulate('ours', at(0.1), SEED, RUNS)
    expect(m.mergedPerHour).toBeGreaterThanOrEqual(8)
    expect(m.ciRunsPerMerged).toBeLessThanOrEqual(1.0)
    expect(m.apiPerMerged!).toBeLessThanOrEqual(20)
  })

  it('ours with the ramp beats uniform batches at a 10% break rate: faster at fewer CI runs per merged PR with the same K', () => {
    const ramp = simulate('ours', at(0.1), SEED, RUNS)
    const { firstBatchSize: _, ...uniform } = DEFAULT_PLANNER_OPTIONS
    const flat = simulate('ours', at(0.1), SEED, RUNS, uniform)
    expect(ramp.mergedPerHour).toBeGreaterThan(flat.mergedPerHour + 0.5)
    expect(ramp.ciRunsPerMerged).toBeLessThan(flat.ciRunsPerMerged)
    // and than the defaults before the ramp (K = 6, uniform batches of up to 6): 8.2/h at 1.08
    const before = simulate('ours', at(0.1), SEED, RUNS, { ...uniform, inFlight: 6, minInFlight: 6, splitParts: 6 })
    expect(ramp.ciRunsPerMerged).toBeLessThan(before.ciRunsPerMerged - 0.05)
  })

  it('ours ejects fewer than 0.5 good PRs per 100 at a 5% flake rate', () => {
    for (const p of [0.02, 0.1]) expect(simulate('ours', at(p, 0.05), SEED, RUNS).goodEjectedPer100).toBeLessThan(0.5)
  })

  it('ours spends fewer CI runs at a 10% break rate by not re-running the last part of a split (same seeds, same merges)', () => {
    const on = simulate('ours', at(0.1), SEED, RUNS)
    const off = simulate('ours', at(0.1), SEED, RUNS, { ...DEFAULT_PLANNER_OPTIONS, inferLastPart: false })
    expect(on.merged).toBe(off.merged)
    expect(on.ciRunsPerMerged).toBeLessThan(off.ciRunsPerMerged - 0.05)
  })

  it('ours still ejects fewer than 0.5 good PRs per 100 at a 5% flake rate when test-report calls a quarter of flakes real', () => {
    for (const p of [0.02, 0.1]) expect(simulate('ours', { ...at(p, 0.05), verdictMissRate: 0.25 }, SEED, RUNS).goodEjectedPer100).toBeLessThan(0.5)
  })

  it('rejects a bad scenario naming the field', () => {
    expect(() => checkScenario({ ...at(0.02), verdictMissRate: 2 })).toThrow(/verdictMissRate must be from 0 to 1, got 2/)
    expect(() => checkScenario({ ...at(0.02), breakRate: 1.5 })).toThrow(/breakRate must be at least 0 and below 1, got 1.5/)
    expect(() => checkScenario({ ...at(0.02), prs: 0 })).toThrow(/prs must be a whole number/)
    expect(() => simulate('ours', at(0.02), SEED, 0)).toThrow(/runs must be a whole number/)
  })
})
