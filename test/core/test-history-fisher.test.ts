import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { fisherExactGreater, logFactorial } from '../../src/core/test-history/fisher.js'

const SEED = 20261122

function choose(n: bigint, k: bigint): bigint {
  if (k < 0n || k > n) return 0n
  let out = 1n
  for (let i = 1n; i <= k; i++) out = (out * (n - k + i)) / i
  return out
}

/** The upper tail P(X ≥ a) as an exact fraction: Σ C(row1, x)·C(row2, col1 − x) / C(n, col1). */
function exactGreater(a: number, b: number, c: number, d: number): [bigint, bigint] {
  const row1 = BigInt(a + b)
  const row2 = BigInt(c + d)
  const col1 = BigInt(a + c)
  let num = 0n
  for (let x = BigInt(a); x <= (row1 < col1 ? row1 : col1); x++) num += choose(row1, x) * choose(row2, col1 - x)
  return [num, choose(row1 + row2, col1)]
}

/** Returns num/den as a float, keeping precision for tiny values. */
function ratio([num, den]: [bigint, bigint]): number {
  if (num === 0n) return 0
  const shift = BigInt(Math.max(0, den.toString(2).length - num.toString(2).length + 64))
  return Number((num << shift) / den) / 2 ** Number(shift)
}

describe("Fisher's exact test, one-sided (greater)", () => {
  it.each([
    // R: fisher.test(matrix(c(3, 1, 1, 3), 2), alternative = "greater")$p.value = 0.2429 (Fisher's tea
    // tasting): P(X ≥ 3) = (C(4,3)·C(4,1) + C(4,4)·C(4,0)) / C(8,4) = 17/70.
    ['tea tasting', [3, 1, 1, 3], 17 / 70],
    // R: fisher.test(Convictions, alternative = "less")$p.value = 0.0004652, Convictions =
    // matrix(c(2, 10, 15, 3), 2). Less for [[2, 15], [10, 3]] is greater for [[15, 2], [3, 10]]:
    // (C(13,12) + 17·C(13,11) + C(17,2)·C(13,10)) / C(30,12) = 40235 / 86493225.
    ['convictions', [15, 2, 3, 10], 40235 / 86493225],
    // Sippy's shape: 3 sample failures of 59 against 0 of 100: C(59,3)/C(159,3) = 32509/657359.
    ['3 of 59 against 0 of 100', [3, 56, 0, 100], 32509 / 657359],
    // Nothing failed in the sample: every table has at least 0 there.
    ['no sample failures', [0, 10, 5, 5], 1],
    // A margin of zero leaves one possible table.
    ['an empty column', [0, 0, 0, 7], 1],
    ['all failures', [4, 0, 0, 4], 1 / 70]
  ])('%s', (_name, [a, b, c, d], expected) => {
    expect(fisherExactGreater(a, b, c, d)).toBeCloseTo(expected as number, 12)
  })

  it('gives tiny tails as numbers, and 0 only below the smallest double', () => {
    // 300 of 300 failing against 0 of 3000: 1 / C(3300, 300), about 1e-430: a number ≥ 0, not NaN.
    const p = fisherExactGreater(300, 0, 0, 3000)
    expect(Number.isNaN(p)).toBe(false)
    expect(p).toBe(0)
    expect(fisherExactGreater(30, 0, 0, 300) / ratio(exactGreater(30, 0, 0, 300))).toBeCloseTo(1, 9)
  })

  it('agrees with an exact BigInt hypergeometric sum on random tables (fast-check)', () => {
    const cell = fc.nat(60)
    fc.assert(
      fc.property(cell, cell, cell, cell, (a, b, c, d) => {
        const exact = ratio(exactGreater(a, b, c, d))
        const p = fisherExactGreater(a, b, c, d)
        expect(p).toBeGreaterThanOrEqual(0)
        expect(p).toBeLessThanOrEqual(1)
        if (exact === 0) expect(p).toBe(0)
        else expect(Math.abs(p - exact) / exact).toBeLessThan(1e-9)
      }),
      { seed: SEED, numRuns: 2000 }
    )
  })

  it('agrees on tables of history size (fast-check)', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.nat(400), fc.nat(40), fc.nat(1500), (a, b, c, d) => {
        const exact = ratio(exactGreater(a, b, c, d))
        const p = fisherExactGreater(a, b, c, d)
        if (exact < 1e-290) expect(p).toBeLessThan(1e-280)
        else expect(Math.abs(p - exact) / exact).toBeLessThan(1e-8)
      }),
      { seed: SEED, numRuns: 200 }
    )
  })

  it('refuses counts that are not whole numbers ≥ 0', () => {
    expect(() => fisherExactGreater(-1, 2, 3, 4)).toThrow('fisherExactGreater: a must be a whole number ≥ 0, got -1')
    expect(() => fisherExactGreater(1, 2.5, 3, 4)).toThrow(RangeError)
    expect(() => fisherExactGreater(1, 2, NaN, 4)).toThrow(/c must be/)
  })

  it('has log-factorials that match exact factorials', () => {
    expect(logFactorial(0)).toBe(0)
    expect(Math.exp(logFactorial(10))).toBeCloseTo(3628800, 6)
    expect(logFactorial(170)).toBeCloseTo(Math.log(7.257415615307994e306), 9)
  })
})
