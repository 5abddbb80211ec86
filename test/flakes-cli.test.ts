import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { main } from '../src/cli/main.js'
import { encodeRecord } from '../src/core/test-history/record.js'
import type { FlakeAnalysis } from '../src/core/test-history/analyze.js'
import { recordFileName, writeRecordFile } from '../src/history/record-files.js'
import { recordsOf } from './core/test-history-support.js'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('shepherd flakes', () => {
  let dir: string
  let empty: string
  let broken: string
  const flakyName = 'com.example.Api\u001ftimes out \u001b[31mred\u001b[0m'

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shepherd-flakes-'))
    const records = recordsOf({
      [flakyName]: 'ppfppfppkp',
      'com.example.Api\u001fsteady': 'pppppppppp',
      'com.example.Db\u001fbroken': 'pppppppfff'
    })
    // Some records gzipped where the action stores them, some plain in an artifact's directory.
    records.slice(0, 5).forEach((r) => writeRecordFile(dir, r))
    mkdirSync(join(dir, 'artifact-2'))
    records.slice(5).forEach((r) => writeFileSync(join(dir, 'artifact-2', `record-${r.run.id}.json`), encodeRecord(r)))
    writeFileSync(join(dir, 'corrupt.json'), '{"format":"shepherd-test-record","version":1,')
    writeFileSync(join(dir, 'bad.json.gz'), 'not gzip')
    writeFileSync(join(dir, 'notes.txt'), 'not a record')
    empty = mkdtempSync(join(tmpdir(), 'shepherd-flakes-empty-'))
    broken = mkdtempSync(join(tmpdir(), 'shepherd-flakes-broken-'))
    writeFileSync(join(broken, 'a.json'), '[]')
    writeFileSync(join(broken, 'b.json.gz'), gzipSync('{"format":"other"}'))
  })

  afterAll(() => {
    for (const d of [dir, empty, broken]) rmSync(d, { recursive: true, force: true })
  })

  it('prints the analysis as JSON, skipping unreadable files with a warning each', async () => {
    const r = await cli('flakes', '--history', dir, '--json')
    expect(r.code).toBe(0)
    const analysis = JSON.parse(r.out) as FlakeAnalysis
    expect(analysis.runs).toHaveLength(10)
    expect(analysis.tests.map((t) => t.id)).toEqual([flakyName, 'com.example.Db\u001fbroken', 'com.example.Api\u001fsteady'])
    expect(analysis.tests[0].verdicts.map((v) => v.kind)).toEqual(['retry', 'flip-rate'])
    expect(analysis.tests[0].flipRate).toBe(30)
    expect(r.err.split('\n')).toEqual([
      expect.stringMatching(/^warning: skipped .*bad\.json\.gz: not a readable gzip file/),
      expect.stringMatching(/^warning: skipped .*corrupt\.json: not JSON/)
    ])
  })

  it('prints a readable list with the evidence, escaping control characters in names', async () => {
    const r = await cli('flakes', '--history', dir)
    expect(r.code).toBe(0)
    expect(r.out).toContain('10 runs from 2026-01-01T00:00:00.000Z to 2026-01-01T09:00:00.000Z; 3 tests, 1 flaky, 0 regressed')
    expect(r.out).toContain('  1. com.example.Api › times out \\u001b[31mred\\u001b[0m')
    expect(r.out).toContain('     - retry: failed then passed within 1 run')
    expect(r.out).toContain('     - flip-rate: flip rate 30.0: 3 pass→fail flips in 10 runs')
    expect(r.out).not.toContain('\u001b')
  })

  it('takes window sizes in runs, and finds the regression they reveal', async () => {
    const r = await cli('flakes', '--history', dir, '--json', '--sample-runs', '3', '--basis-runs', '7')
    expect(r.code).toBe(0)
    const analysis = JSON.parse(r.out) as FlakeAnalysis
    expect(analysis.windows).toMatchObject({ unit: 'runs', sample: { runs: 3 }, basis: { runs: 7 } })
    const broken = analysis.tests.find((t) => t.id === 'com.example.Db\u001fbroken')
    expect(broken?.verdicts.map((v) => v.kind)).toEqual(['regression'])
  })

  it('keeps the newest --limit runs', async () => {
    const r = await cli('flakes', '--history', dir, '--json', '--limit', '4')
    expect((JSON.parse(r.out) as FlakeAnalysis).runs.map((x) => x.id)).toEqual([1006, 1007, 1008, 1009])
  })

  it('exits 1 when the directory holds no readable record', async () => {
    const none = await cli('flakes', '--history', empty)
    expect(none.code).toBe(1)
    expect(none.err).toBe(`shepherd flakes: no readable test-history record in ${empty}: it has no *.json or *.json.gz file`)
    const bad = await cli('flakes', '--history', broken, '--json')
    expect(bad.code).toBe(1)
    expect(bad.out).toBe('')
    expect(bad.err).toMatch(/none of its 2 record files could be read$/)
    const job = await cli('flakes', '--history', dir, '--job', 'nope')
    expect(job.code).toBe(1)
    expect(job.err).toMatch(/none of its 10 records is of job "nope"$/)
  })

  it.each([
    [[], /^shepherd flakes: --history is required/],
    [['--history', '/no/such/dir'], /^shepherd flakes: cannot read --history \/no\/such\/dir: ENOENT$/],
    [['--history', 'FILE'], /is not a directory$/],
    [['--history', 'DIR', '--limit', '0'], /^shepherd flakes: --limit must be a whole number ≥ 1, got "0"$/],
    [['--history', 'DIR', '--limit', 'ten'], /^shepherd flakes: --limit must be a whole number, got "ten"$/],
    [['--history', 'DIR', '--sample-days', '7', '--basis-runs', '3'], /not both$/],
    [['--history', 'DIR', '--sample-runs', '1.5'], /^shepherd flakes: --sample-runs must be a whole number, got "1.5"$/],
    [['--history', 'DIR', '--confidence', '100'], /^shepherd flakes: --confidence must be a number between 0 and 100 \(exclusive\), got "100"$/],
    [['--history', 'DIR', '--pity', 'lots'], /--pity must be a number from 0 to 100, got "lots"$/],
    [['--history', 'DIR', '--end', 'tomorrow'], /--end must be an ISO date and time, got "tomorrow"$/],
    [['--history', 'DIR', 'extra'], /^shepherd flakes: unexpected argument "extra"$/]
  ])('exits 2 with one line for %j', async (args, message) => {
    const argv = (args as string[]).map((a) => (a === 'DIR' ? dir : a === 'FILE' ? join(dir, 'notes.txt') : a))
    const r = await cli('flakes', ...argv)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message as RegExp)
    expect(r.err.split('\n')).toHaveLength(1)
  })

  it('is listed in the help', async () => {
    const r = await cli('--help')
    expect(r.out).toMatch(/^ {2}flakes +Flake and regression verdicts/m)
  })

  it('names record files by job, run and attempt', () => {
    expect(recordFileName({ ...recordsOf({ a: 'p' })[0].run, job: 'unit tests (linux)' })).toBe('unit_tests_linux_-1000-1.json.gz')
  })
})
