import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { encodeRecord } from '../../src/core/test-history/record.js'
import { readHistoryDir } from '../../src/history/record-files.js'
import { recordOf, runInfo } from './test-history-support.js'

const dir = mkdtempSync(join(tmpdir(), 'shepherd-history-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`suite.Big\u001ftest ${String(i).padStart(3, '0')} é`, i % 50 === 0 ? 'f' : 'p']))
const few = { 'suite.Small\u001fonly': 'p' }

describe('readHistoryDir', () => {
  it('reads record files of different sizes one after another (.json and .json.gz) exactly as written', () => {
    // Big, small, big again, and the small one gzipped: each read reuses the previous file's buffer.
    const records = [recordOf(runInfo(1), many, { [Object.keys(many)[0]]: 'boom' }), recordOf(runInfo(2), few), recordOf(runInfo(3), many), recordOf(runInfo(4), few), recordOf(runInfo(5), many)]
    writeFileSync(join(dir, 'a1.json'), encodeRecord(records[0]))
    writeFileSync(join(dir, 'a2.json'), encodeRecord(records[1]))
    writeFileSync(join(dir, 'a3.json'), '\ufeff' + encodeRecord(records[2]))
    writeFileSync(join(dir, 'a4.json.gz'), gzipSync(encodeRecord(records[3])))
    writeFileSync(join(dir, 'a5.json'), encodeRecord(records[4]).replace('"outcomes":"f', '"outcomes":"x'))
    writeFileSync(join(dir, 'a6.json.gz'), Buffer.from('not gzip'))
    const read = readHistoryDir(dir)
    expect(read.files).toBe(6)
    expect(read.records).toEqual(records.slice(0, 4))
    expect(read.records[2].names).toBe(read.records[0].names)
    expect(read.warnings).toEqual([
      expect.stringContaining(`skipped ${join(dir, 'a6.json.gz')}: not a readable gzip file`),
      `skipped ${join(dir, 'a5.json')}: outcomes[0] is "x"; each character must be one of p f e s k -`
    ])
  })
})
