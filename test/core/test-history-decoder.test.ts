import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { encodeRecord, recordDecoder, recordFromValue, RecordError, type RecordDecoder } from '../../src/core/test-history/record.js'
import { recordOf, runInfo } from './test-history-support.js'

const SEED = 20261122

/** The oracle: a plain JSON.parse of the whole text, then the same checks. */
function oracle(input: string, source: string) {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new RecordError(source, `not JSON (${(err as Error).message})`)
  }
  return recordFromValue(value, source)
}

/** Returns what `decode` makes of `text`: the record, or the error's class and message. */
function outcome<T extends string | Uint8Array>(decode: (input: T, source: string) => unknown, text: T) {
  try {
    return { record: decode(text, 'r.json') }
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` }
  }
}

/**
 * Decodes `texts` in order with one decoder, and their UTF-8 bytes in order with another, and
 * checks every result against the oracle on the text (bytes: on `Buffer.toString('utf8')`).
 */
function agree(texts: (string | Uint8Array)[]) {
  const fromText: RecordDecoder = recordDecoder()
  const fromBytes: RecordDecoder = recordDecoder()
  for (const input of texts) {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8')
    const expected = outcome(oracle, text)
    if (typeof input === 'string') expect(outcome(fromText, input)).toEqual(expected)
    expect(outcome(fromBytes, typeof input === 'string' ? Buffer.from(input) : input)).toEqual(expected)
  }
}

const SUITE = ['a\u001fé', 'a\u001fy', 'b\u001fz', 'c\u001f"quoted"], \\ name', 'd\u001f,"names":[']
const text = (i: number, tests = SUITE, outcome = 'p') =>
  encodeRecord(recordOf(runInfo(i), Object.fromEntries(tests.map((t, k) => [t, k === i % tests.length ? 'f' : outcome])), { [tests[i % tests.length]]: `boom ${i}` }))

describe('recordDecoder', () => {
  it('reuses the names array of the previous record when the list is the same, and still checks the rest', () => {
    const decode = recordDecoder()
    const a = decode(text(1), 'a.json')
    const b = decode(text(2), 'b.json')
    expect(b.names).toBe(a.names)
    expect(b.outcomes).toBe('ppfpp')
    expect(b.messages).toEqual({ 2: 'boom 2' })
    // From bytes too, and a byte-order mark does not stop the reuse.
    const fromBytes = recordDecoder()
    const c = fromBytes(Buffer.from(text(1)), 'a.json')
    expect(fromBytes(Buffer.from('\ufeff' + text(2)), 'b.json').names).toBe(c.names)
    // Same names, broken outcomes: refused exactly as a plain parse refuses it.
    const broken = text(3).replace('"outcomes":"ppp', '"outcomes":"pxp')
    expect(() => decode(broken, 'c.json')).toThrow('c.json: outcomes[1] is "x"; each character must be one of p f e s k -')
    const other = decode(text(4, SUITE.slice(1)), 'd.json')
    expect(other.names).not.toBe(a.names)
    expect(other.names).toEqual(SUITE.slice(1))
  })

  it('agrees with JSON.parse on texts laid out otherwise or crafted against the fast path', () => {
    const good = text(1)
    const value = JSON.parse(good)
    agree([
      good,
      // `,"names":[` inside run (an unknown field): the top-level names are later.
      good.replace('"run":{', '"run":{"x":1,"names":["zz"],'),
      good,
      // A second names key after outcomes: the last one wins.
      good.replace('"outcomes":', '"names":["q"],"outcomes":').replace(',"timesMs":', ',"names":["a\\u001fx"],"timesMs":'),
      good,
      good.replace(',"timesMs":', ',"names":["a\\u001fx","a\\u001fy","b\\u001fz","c","d"],"timesMs":'),
      // A names key before the names (the later one wins) and after the run.
      good.replace('"version":1,', '"version":1,"names":7,'),
      // The previous names followed by more array items, or not followed by a comma.
      good.replace('],"outcomes":', ',"e\\u001fv"],"outcomes":'),
      good,
      good.replace(/\],"outcomes":.*$/, ']}'),
      good,
      good.replace(/\],"outcomes":.*$/, '],'),
      good.replace(/\],"outcomes":.*$/, ']  ,"outcomes":"ppppp","timesMs":[1,1,1,1,1],"messages":{},"totals":' + JSON.stringify(value.totals) + '}'),
      good + '  \n',
      good.replace(/^.*?,"names":/, '{ ,"names":'),
      good.replace(/^.*?,"names":/, '{"format":"shepherd-test-record","version":1,"run":{},"x":{},"names":'),
      good + 'x',
      '\ufeff' + good,
      JSON.stringify(value, null, 2),
      good.replace('"format":"shepherd-test-record","version":1', '"version":1,"format":"shepherd-test-record"'),
      good.replace('{"format"', '{"__proto__":{"names":[]},"format"'),
      good.replace('"totals":', '"__proto__":1,"totals":'),
      good.replace('"messages":', '"messages":{"0":"a"},"messages":'),
      good.replace('"run":{', '"run":{"id":"1",'),
      '',
      '{}',
      '[]'
    ])
  })

  it('gives the records or errors of JSON.parse + the checks on valid and damaged histories (fast-check)', () => {
    const pieces = ['', ',', ']', '[', '}', '{', '"', '\\', ',"names":[', '],"outcomes":', '"names":', 'null', '1', '"x"', '\ufeff', ' ', 'é', '😀']
    const damage = fc.record({ at: fc.nat(), cut: fc.nat(12), insert: fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 6 })), bytes: fc.option(fc.uint8Array({ maxLength: 4 })) })
    const step = fc.record({
      // Which suite: mostly the previous run's list.
      suite: fc.constantFrom(0, 0, 0, 1, 2),
      outcome: fc.constantFrom('p', 'f', 'k', 's', 'e'),
      damage: fc.option(damage, { freq: 2 })
    })
    const suites = [SUITE, SUITE.slice(0, 3), [...SUITE, 'e\u001f\u2028']]
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const texts = steps.map((s, i) => {
          let t = text(i, suites[s.suite], s.outcome)
          if (!s.damage) return t
          const at = s.damage.at % (t.length + 1)
          t = t.slice(0, at) + s.damage.insert + t.slice(at + s.damage.cut)
          if (!s.damage.bytes) return t
          // Bytes that may not be UTF-8 (a cut multi-byte character, a stray continuation byte).
          const b = Buffer.from(t)
          const where = s.damage.at % (b.length + 1)
          return Buffer.concat([b.subarray(0, where), s.damage.bytes, b.subarray(where)])
        })
        agree(texts)
      }),
      { seed: SEED, numRuns: 600 }
    )
  })
})
