/** `shepherd junit summarize`: per file and in total, runs, tests and the files it could not read. */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { main } from '../src/cli/main.js'
import type { JUnitSummary } from '../src/cli/commands/junit.js'
import { CORPUS } from './core/junit-support.js'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const dir = mkdtempSync(join(tmpdir(), 'junit-cli-'))
function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return relative(process.cwd(), path)
}

const a = file(
  'a.xml',
  `<testsuites><testsuite name="s">
  <testcase classname="C" name="flaky"><failure message="boom"/></testcase>
  <testcase classname="C" name="flaky"/>
  <testcase classname="C" name="broken"><error message="npe"/></testcase>
  <testcase classname="C" name="off"><skipped/></testcase>
</testsuite></testsuites>`
)
const b = file('b.xml', '<testsuite name="t"><testcase classname="C" name="flaky"/><testcase classname="D" name="ok"/></testsuite>')
const broken = file('broken.xml', '<testsuite name="t">\n  <testcase classname="E" name="ok"/>\n  <testcase classname="E" name="cut">')
const evil = file('evil\u001b[31m.xml', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><testsuite/>')

describe('shepherd junit summarize', () => {
  it('prints runs and tests per file and in total as JSON, and exits 0 when every file was read', async () => {
    const r = await cli('junit', 'summarize', a, b, '--json')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.out) as JUnitSummary
    expect(summary.files).toEqual([
      { file: a, runs: { total: 4, passed: 1, failed: 1, errored: 1, skipped: 1 }, tests: { total: 3, passed: 0, failed: 0, errored: 1, skipped: 1, flaky: 1 } },
      { file: b, runs: { total: 2, passed: 2, failed: 0, errored: 0, skipped: 0 }, tests: { total: 2, passed: 2, failed: 0, errored: 0, skipped: 0, flaky: 0 } }
    ])
    // C.flaky appears in both files: one test in the total.
    expect(summary.total).toEqual({ files: 2, runs: { total: 6, passed: 3, failed: 1, errored: 1, skipped: 1 }, tests: { total: 4, passed: 1, failed: 0, errored: 1, skipped: 1, flaky: 1 } })
    expect(summary.errors).toEqual([])
  })

  it('reports files it could not read with file, line, column and reason, keeps what it read, and exits 1', async () => {
    const missing = join(dir, 'missing.xml')
    const r = await cli('junit', 'summarize', b, broken, missing, evil, '--json')
    expect(r.code).toBe(1)
    const summary = JSON.parse(r.out) as JUnitSummary
    expect(summary.files.map((f) => [f.file, f.runs.total])).toEqual([
      [b, 2],
      [broken, 1],
      [missing, 0],
      [evil, 0]
    ])
    expect(summary.errors).toEqual([
      { file: broken, message: 'the file ends inside <testcase> (2 elements left open: truncated?)', line: 3, column: 38 },
      { file: missing, message: 'no such file' },
      { file: evil, message: expect.stringMatching(/^<!DOCTYPE> is refused/), line: 1, column: 1 }
    ])
    expect(summary.total.runs.total).toBe(3)
  })

  it('prints a table without --json, with escaped control characters in names', async () => {
    const r = await cli('junit', 'summarize', a, evil)
    expect(r.code).toBe(1)
    const lines = r.out.split('\n')
    expect(lines[0]).toMatch(/^file\s+runs total\s+runs passed\s+runs failed\s+runs errored\s+runs skipped\s+tests total\s+tests passed\s+tests failed\s+tests errored\s+tests skipped\s+tests flaky$/)
    expect(lines[1]).toMatch(new RegExp(`^${a.replace(/[.\\]/g, '\\$&')}\\s+4\\s+1\\s+1\\s+1\\s+1\\s+3\\s+0\\s+0\\s+1\\s+1\\s+1$`))
    expect(lines[3]).toMatch(/^total \(2 files\)\s+4\s+1\s+1\s+1\s+1\s+3/)
    expect(r.out).not.toContain('\u001b')
    expect(r.out).toContain('evil\\u001b[31m.xml (!)')
    expect(r.out).toContain('1 file could not be read in full')
    expect(r.out).toMatch(/evil\\u001b\[31m\.xml:1:1: <!DOCTYPE> is refused/)
  })

  it('reads real dialects from the corpus', async () => {
    const surefire = join(CORPUS, 'apache+maven-surefire/surefire-report-parser/src/test/resources/fixture/testsuitexmlparser/TEST-org.acme.FlakyTest.xml')
    const r = await cli('junit', 'summarize', surefire, '--json')
    expect(r.code).toBe(0)
    expect((JSON.parse(r.out) as JUnitSummary).total.tests).toEqual({ total: 2, passed: 1, failed: 0, errored: 0, skipped: 0, flaky: 1 })
  })

  it.each([
    [['junit'], /junit takes one subcommand, summarize; got none/],
    [['junit', 'summarize'], /needs at least one JUnit XML file/],
    [['junit', 'summarize', 'a.xml', '--html'], /Unknown option '--html'/],
    [['junit', 'sum', 'a.xml'], /got "sum"/]
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const r = await cli(...argv)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(message)
  })

  it('says a directory is not a JUnit file', async () => {
    const r = await cli('junit', 'summarize', dir, '--json')
    expect(r.code).toBe(1)
    expect((JSON.parse(r.out) as JUnitSummary).errors).toEqual([{ file: dir, message: 'is a directory, not a JUnit file' }])
  })

  it('says the exit statuses in its usage', async () => {
    const r = await cli('help', 'junit')
    expect(r.out).toMatch(/exit 0: every file read; 1: some file could not be read in full; 2: bad usage/)
  })
})
