import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { main } from '../src/cli/main.js'
import { analyzeFlakes } from '../src/core/test-history/analyze.js'
import { loadHistory } from '../src/core/test-history/history.js'
import type { PageData } from '../src/core/dashboard/render.js'
import { dashboardHistory, RUNS } from './fixtures/dashboard/history.js'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** Returns a history directory holding the fixture's records as files, one per run, in two folders. */
function historyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-history-'))
  mkdirSync(join(dir, 'test'))
  for (const record of dashboardHistory()) writeFileSync(join(dir, 'test', `${record.run.id}-${record.run.attempt}.json`), JSON.stringify(record))
  return dir
}

/** Returns the JSON the page embeds. */
function embedded(html: string): PageData {
  const m = /<script type="application\/json" id="dashboard-data">([^<]*)<\/script>/.exec(html)
  if (!m) throw new Error('no data block')
  return JSON.parse(m[1]) as PageData
}

describe('shepherd dashboard', () => {
  it('writes index.html, and nothing else, for the records under --history', async () => {
    const history = historyDir()
    const out = join(mkdtempSync(join(tmpdir(), 'dash-out-')), 'site')
    const r = await cli('dashboard', '--history', history, '--out', out, '--title', 'acme/widgets <main>', '--json')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out)
    expect(report).toMatchObject({ file: join(out, 'index.html'), records: RUNS, runs: RUNS, tests: 60, failing: 3, warnings: [] })
    expect(readdirSync(out)).toEqual(['index.html'])
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    expect(report.bytes).toBe(Buffer.byteLength(html))
    expect(html).toContain('<title>acme/widgets &#60;main&#62;</title>')
  })

  it('ranks and labels tests with the history’s flake analysis', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dash-out-'))
    const r = await cli('dashboard', '--history', historyDir(), '--out', out, '--json')
    expect(r.code).toBe(0)
    const analysis = analyzeFlakes(loadHistory(dashboardHistory()))
    expect(JSON.parse(r.out)).toMatchObject({ flaky: analysis.totals.flaky, regressed: analysis.totals.regressed })
    const data = embedded(readFileSync(join(out, 'index.html'), 'utf8'))
    // The page lists tests in the analysis's order, with its verdicts and numbers.
    expect(data.tests.map((t) => `${t.c}\u001f${t.n}`)).toEqual(analysis.tests.map((t) => t.id))
    data.tests.forEach((t, i) => {
      const a = analysis.tests[i]
      expect(t.v.map((v) => v[1])).toEqual(a.verdicts.map((v) => v.summary))
      expect(t.k).toBe(a.flaky ? 1 : 0)
      expect(t.f).toBeCloseTo(a.flipRate, 1)
    })
    // One failure in 40 runs is a new failure, not a flake, for the analysis (it wants 2 flips).
    expect(data.tests.find((t) => t.n === '<script>alert(1)</script>')?.k).toBe(0)
  })

  it('reads gzip-compressed records and keeps one job with --job', async () => {
    const history = mkdtempSync(join(tmpdir(), 'dash-history-'))
    for (const record of dashboardHistory()) {
      writeFileSync(join(history, `${record.run.id}-${record.run.attempt}.json.gz`), gzipSync(JSON.stringify(record)))
      writeFileSync(join(history, `lint-${record.run.id}-${record.run.attempt}.json`), JSON.stringify({ ...record, run: { ...record.run, job: 'lint' } }))
    }
    const out = mkdtempSync(join(tmpdir(), 'dash-out-'))
    const both = await cli('dashboard', '--history', history, '--out', out, '--json')
    expect(JSON.parse(both.out)).toMatchObject({ records: 2 * RUNS, runs: 2 * RUNS, tests: 120 })
    expect(new Set(embedded(readFileSync(join(out, 'index.html'), 'utf8')).tests.map((t) => t.j))).toEqual(new Set(['test', 'lint']))
    const one = await cli('dashboard', '--history', history, '--out', out, '--job', 'test', '--json')
    expect(JSON.parse(one.out)).toMatchObject({ records: 2 * RUNS, runs: RUNS, tests: 60 })
    const none = await cli('dashboard', '--history', history, '--out', out, '--job', 'e2e')
    expect(none.code).toBe(1)
    expect(none.err).toBe(`shepherd dashboard: no readable test-history record in ${history}: none of its ${2 * RUNS} records is of job "e2e"`)
  })

  it('shows the newest --runs runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dash-out-'))
    const r = await cli('dashboard', '--history', historyDir(), '--out', out, '--runs', '12')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^wrote .*index\.html: 12 of 40 runs × 59 tests \(\d+ flaky, \d+ regressed, \d+ failing now\), \d+ KiB$/)
  })

  it('skips files that are not records, naming each and the problem, and draws the rest', async () => {
    const history = historyDir()
    writeFileSync(join(history, 'broken.json'), '{"format": "shepherd-test-record", "version": 1')
    writeFileSync(join(history, 'other.json'), JSON.stringify({ format: 'something-else' }))
    const short = { ...dashboardHistory()[0], outcomes: 'pp' }
    writeFileSync(join(history, 'short.json'), JSON.stringify(short))
    writeFileSync(join(history, 'notes.txt'), 'not a record and not *.json: not read')
    const out = mkdtempSync(join(tmpdir(), 'dash-out-'))
    const r = await cli('dashboard', '--history', history, '--out', out)
    expect(r.code).toBe(0)
    const lines = r.err.split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(new RegExp(`^warning: skipped ${join(history, 'broken.json')}: not JSON`))
    expect(lines[1]).toMatch(new RegExp(`^warning: skipped ${join(history, 'other.json')}: .*format is "something-else"`))
    expect(lines[2]).toMatch(new RegExp(`^warning: skipped ${join(history, 'short.json')}: .*outcomes`))
    expect(existsSync(join(out, 'index.html'))).toBe(true)
  })

  it('exits 1 when the history holds no readable record', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dash-empty-'))
    const out = mkdtempSync(join(tmpdir(), 'dash-out-'))
    const none = await cli('dashboard', '--history', empty, '--out', out)
    expect(none.code).toBe(1)
    expect(none.err).toBe(`shepherd dashboard: no readable test-history record in ${empty}: it has no *.json or *.json.gz file`)
    writeFileSync(join(empty, 'x.json'), '[]')
    const bad = await cli('dashboard', '--history', empty, '--out', out)
    expect(bad.code).toBe(1)
    const lines = bad.err.split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(new RegExp(`^warning: skipped ${join(empty, 'x.json')}: `))
    expect(lines[1]).toBe(`shepherd dashboard: no readable test-history record in ${empty}: none of its 1 record files could be read`)
    expect(existsSync(join(out, 'index.html'))).toBe(false)
  })

  it.each([
    [['dashboard'], /^shepherd dashboard: --history is required/],
    [['dashboard', '--history', '/tmp'], /^shepherd dashboard: --out is required/],
    [['dashboard', '--history', '/no/such/dir', '--out', '/tmp/x'], /^shepherd dashboard: cannot read --history \/no\/such\/dir: ENOENT$/],
    [['dashboard', '--history', '/tmp', '--out', '/tmp/x', '--runs', 'many'], /^shepherd dashboard: --runs must be a whole number, got "many"$/],
    [['dashboard', '--history', '/tmp', '--out', '/tmp/x', '--runs', '0'], /^shepherd dashboard: --runs must be a whole number ≥ 1, got "0"$/],
    [['dashboard', '--history', '/tmp', '--out', '/tmp/x', 'extra'], /^shepherd dashboard: unexpected argument "extra"$/],
    [['dashboard', '--hist', '/tmp'], /^shepherd dashboard: Unknown option '--hist'/]
  ])('exits 2 with a one-line reason for %j', async (argv, message) => {
    const r = await cli(...(argv as string[]))
    expect(r.err).toMatch(message as RegExp)
    expect(r.code).toBe(2)
    expect(r.err.split('\n')).toHaveLength(1)
  })

  it('refuses a --history that is a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-'))
    writeFileSync(join(dir, 'f'), '')
    const r = await cli('dashboard', '--history', join(dir, 'f'), '--out', dir)
    expect(r.code).toBe(2)
    expect(r.err).toBe(`shepherd dashboard: --history ${join(dir, 'f')} is not a directory`)
  })
})
