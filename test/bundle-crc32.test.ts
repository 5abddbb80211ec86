// scripts/bundle/crc32-native.cjs stands in for the `crc-32` package in the action bundles (see
// scripts/build-bundles.mjs). crc-32 itself is the oracle: the same results for bytes, UTF-8 and
// binary strings, whole or continued from a seed, on fixed and on seeded random inputs.
import { describe, expect, it } from '@jest/globals'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import fc from 'fast-check'

type Crc = { buf: (b: Uint8Array, seed?: number) => number; str: (s: string, seed?: number) => number; bstr: (s: string, seed?: number) => number }
const require = createRequire(resolve('package.json'))
const native = require('./scripts/bundle/crc32-native.cjs') as Crc
const oracle = require('crc-32') as Crc

describe('the native crc-32 stand-in', () => {
  it('gives crc-32’s values on known inputs', () => {
    for (const text of ['', 'a', 'The quick brown fox jumps over the lazy dog', 'é€😀', '\u0000\u00ff']) {
      const bytes = Buffer.from(text, 'utf8')
      expect(native.buf(bytes)).toBe(oracle.buf(bytes))
      expect(native.str(text)).toBe(oracle.str(text))
      expect(native.bstr(text)).toBe(oracle.bstr(text))
    }
    // The check value of CRC-32 (ISO-HDLC), as a signed 32-bit number like crc-32 returns.
    expect(native.str('123456789') >>> 0).toBe(0xcbf43926)
  })

  it('continues a checksum from a signed or unsigned seed, as archiver’s streams do', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (chunks) => {
        let ours = 0
        let theirs = 0
        let unsigned = 0
        for (const c of chunks) {
          ours = native.buf(c, ours)
          theirs = oracle.buf(c, theirs)
          unsigned = native.buf(c, unsigned) >>> 0
        }
        expect(ours).toBe(theirs)
        expect(unsigned).toBe(theirs >>> 0)
        expect(native.buf(Buffer.concat(chunks))).toBe(theirs)
      }),
      { seed: 20261122, numRuns: 300 }
    )
  })

  it('agrees on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (text, seed) => {
        expect(native.str(text, seed)).toBe(oracle.str(text, seed))
        expect(native.bstr(text, seed)).toBe(oracle.bstr(text, seed))
      }),
      { seed: 20261122, numRuns: 300 }
    )
  })
})
