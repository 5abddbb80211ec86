import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../src/cli/main.js'
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

describe('shepherd dashboard', () => {
  it('writes index.html, and nothing else, for the records under --history', async () => {
    const history = historyDir()
    const out = join(mkdtempSync(join(tmpdir(), 'dash-out-')), 'site')
    const r = await cli('dashboard', '--history', history, '--out', out, '--title', 'acme/widgets <main>', '--json')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out)
    expect(report).toMatchObject({ file: join(out, 'index.html'), records: RUNS, runs: RUNS, tests: 60, warnings: [] })
    expect(report.flaky).toBeGreaterThan(0)
    expect(readdirSync(out)).toEqual(['index.html'])
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    expect(report.bytes).toBe(Buffer.byteLength(html))
    expect(html).toContain('<title>acme/widgets &#60;main&#62;</title>')
  })

  it('shows the newest --runs runs', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dash-out-'))
    const r = await cli('dashboard', '--history', historyDir(), '--out', out, '--runs', '12')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^wrote .*index\.html: 12 of 40 runs × \d+ tests \(\d+ flaky, \d+ failing now\), \d+ KiB$/)
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
    expect(lines[1]).toBe(`warning: skipped ${join(history, 'other.json')}: format is "something-else", expected "shepherd-test-record"`)
    expect(lines[2]).toBe(`warning: skipped ${join(history, 'short.json')}: outcomes has 2 characters for ${short.names.length} names`)
    expect(existsSync(join(out, 'index.html'))).toBe(true)
  })

  it('exits 1 when the history holds no readable record', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dash-empty-'))
    const out = mkdtempSync(join(tmpdir(), 'dash-out-'))
    const none = await cli('dashboard', '--history', empty, '--out', out)
    expect(none.code).toBe(1)
    expect(none.err).toBe(`no readable history record in ${empty} (0 *.json files found)`)
    writeFileSync(join(empty, 'x.json'), '[]')
    const bad = await cli('dashboard', '--history', empty, '--out', out)
    expect(bad.code).toBe(1)
    expect(bad.err.split('\n')).toEqual([`warning: skipped ${join(empty, 'x.json')}: not a JSON object`, `no readable history record in ${empty} (1 *.json file found)`])
    expect(existsSync(join(out, 'index.html'))).toBe(false)
  })

  it.each([
    [['dashboard'], /^shepherd dashboard: --history is required/],
    [['dashboard', '--history', '/tmp'], /^shepherd dashboard: --out is required/],
    [['dashboard', '--history', '/no/such/dir', '--out', '/tmp/x'], /^shepherd dashboard: cannot read --history \/no\/such\/dir: ENOENT$/],
    [['dashboard', '--history', '/tmp', '--out', '/tmp/x', '--runs', 'many'], /^shepherd dashboard: --runs must be a whole number, got "many"$/],
    [['dashboard', '--history', '/tmp', '--out', '/tmp/x', '--runs', '0'], /^shepherd dashboard: --runs must be at least 1$/],
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
