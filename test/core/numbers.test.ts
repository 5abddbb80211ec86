import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { compareNames, groupDigits } from '../../src/core/numbers.js'

describe('groupDigits', () => {
  it("writes integers as toLocaleString('en-US') does", () => {
    for (const n of [0, 7, 999, 1000, 12345, 100000, 1234567, -1, -1000, -987654321, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'))
    }
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => groupDigits(n) === n.toLocaleString('en-US')), { numRuns: 2000, seed: 4 })
  })

  it('leaves what is not a safe integer as String() writes it', () => {
    for (const n of [1.5, NaN, Infinity, 2 ** 60]) expect(groupDigits(n)).toBe(String(n))
  })
})

describe('compareNames', () => {
  it('orders case-insensitively, then by code unit, as a total order', () => {
    expect(['b', 'C', 'a', 'B', 'c2', 'A'].sort(compareNames)).toEqual(['A', 'a', 'B', 'b', 'C', 'c2'])
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        expect(Math.sign(compareNames(a, b))).toBe(-Math.sign(compareNames(b, a)) || 0)
        expect(compareNames(a, b) === 0).toBe(a === b)
        if (compareNames(a, b) < 0 && compareNames(b, c) < 0) expect(compareNames(a, c)).toBeLessThan(0)
      }),
      { numRuns: 2000, seed: 5 }
    )
  })
})
