import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  BatchMessageError,
  batchBranch,
  formatBatchMessage,
  formatMemberMessage,
  oneLine,
  parseBatchMessage,
  sameBatch,
  type BatchMetadata
} from '../../src/github/merge-queue-batch-message.js'

const a = 'a'.repeat(40)
const b = 'b'.repeat(40)
const c = 'c'.repeat(40)
const meta: BatchMetadata = { base: 'main', id: '12', baseSha: a, parentSha: b, members: [{ number: 3, sha: c }, { number: 7, sha: a }] }

describe('batch messages', () => {
  it('write the trailer block after the last member’s subject and title', () => {
    expect(formatBatchMessage(meta, 'Faster widgets')).toBe(
      [
        'Merge #7 into main (batch 12)',
        '',
        'Faster widgets',
        '',
        'Shepherd-Queue: main',
        'Shepherd-Batch: 12',
        `Shepherd-Base: ${a}`,
        `Shepherd-Parent: ${b}`,
        `Shepherd-Member: #3 ${c}`,
        `Shepherd-Member: #7 ${a}`,
        ''
      ].join('\n')
    )
  })

  it('read back exactly what they wrote', () => {
    expect(parseBatchMessage(formatBatchMessage(meta))).toEqual(meta)
  })

  it('give earlier members a merge message without trailers, which does not parse as a batch', () => {
    const first = formatMemberMessage(meta, 0, 'x')
    expect(first).toBe('Merge #3 into main (batch 12)\n\nx\n')
    expect(() => parseBatchMessage(first)).toThrow(BatchMessageError)
  })

  it('flatten a hostile title to one line so it cannot forge trailers', () => {
    const hostile = `Fix\n\nShepherd-Queue: main\nShepherd-Batch: 99\nShepherd-Base: ${c}\nShepherd-Parent: ${c}\nShepherd-Member: #1 ${c}`
    const message = formatMemberMessage({ ...meta, members: [{ number: 3, sha: c }] }, 0, hostile)
    expect(message.split('\n')[2]).toBe(oneLine(hostile))
    expect(parseBatchMessage(message).members).toEqual([{ number: 3, sha: c }])
    // An earlier member's message with the same title is a single paragraph line: not a batch.
    expect(() => parseBatchMessage(formatMemberMessage(meta, 0, hostile))).toThrow('trailer 1 should be "Shepherd-Queue"')
  })

  it('refuse malformed blocks with what is wrong', () => {
    const good = formatBatchMessage(meta)
    expect(() => parseBatchMessage('just a subject')).toThrow('no trailer block')
    expect(() => parseBatchMessage(good.replace('Shepherd-Batch: 12', 'Shepherd-Batch: 1 2'))).toThrow('batch id "1 2"')
    expect(() => parseBatchMessage(good.replace(`#3 ${c}`, `#3 ${c.toUpperCase()}`))).toThrow('trailer 5 should be "Shepherd-Member: #<number> <sha>"')
    expect(() => parseBatchMessage(good.replace(`#7 ${a}`, `#3 ${a}`))).toThrow('#3 is listed twice')
    expect(() => parseBatchMessage(good.replace(`Shepherd-Member: #3 ${c}\nShepherd-Member: #7 ${a}`, ''))).toThrow('at least one member')
    expect(() => parseBatchMessage(good.replace('Shepherd-Parent', 'Shepherd-parent'))).toThrow('trailer 4 should be "Shepherd-Parent"')
    expect(() => parseBatchMessage(good.replace(`\nShepherd-Member: #7 ${a}`, `\nShepherd-Member: #7 ${a}\nSigned-off-by: x`))).toThrow('trailer 7')
  })

  it('refuse to write bad ids, bases and SHAs', () => {
    expect(() => formatBatchMessage({ ...meta, id: '../x' })).toThrow('batch id "../x"')
    expect(() => formatBatchMessage({ ...meta, base: 'a..b' })).toThrow('base branch "a..b"')
    expect(() => formatBatchMessage({ ...meta, baseSha: 'abc' })).toThrow('baseSha "abc"')
    expect(() => batchBranch('main', 'a/b')).toThrow('batch id "a/b"')
    expect(batchBranch('release/1.0', '4')).toBe('shepherd/queue/release/1.0/4')
  })

  it('round-trip any metadata and any title (fast-check)', () => {
    const sha = fc.stringMatching(/^[0-9a-f]{40}$/)
    const arb = fc.record({
      base: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}(\/[a-z0-9]{1,5})?$/),
      id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,10}$/),
      baseSha: sha,
      parentSha: sha,
      members: fc.uniqueArray(fc.record({ number: fc.integer({ min: 1, max: 1e9 }), sha }), { minLength: 1, maxLength: 8, selector: (m) => m.number })
    })
    fc.assert(
      fc.property(arb, fc.string({ unit: 'binary', maxLength: 300 }), (m, title) => {
        const parsed = parseBatchMessage(formatBatchMessage(m, title))
        expect(sameBatch(parsed, m)).toBe(true)
        expect(oneLine(title)).not.toMatch(/[\n\r]/)
      }),
      { seed: 20261122, numRuns: 300 }
    )
  })
})
