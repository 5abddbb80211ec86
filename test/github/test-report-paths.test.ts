/** The checkout's tracked files (real git) turn a Surefire package path into a repository path. */
import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { readReport, resolveWorkspacePaths } from '../../src/github/test-report-files.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function workspace(files: Record<string, string>, git: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'tr-paths-'))
  dirs.push(dir)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  if (git) {
    execFileSync('git', ['init', '-q', dir])
    execFileSync('git', ['-C', dir, 'add', '.'])
  }
  return dir
}

const surefire = `<?xml version="1.0"?>
<testsuite name="com.acme.ServiceTest" tests="2">
  <testcase name="handles" classname="com.acme.ServiceTest" time="0.1">
    <failure message="expected 1" type="java.lang.AssertionError">java.lang.AssertionError: expected 1
\tat org.junit.Assert.fail(Assert.java:88)
\tat com.acme.ServiceTest.handles(ServiceTest.java:42)
</failure>
  </testcase>
  <testcase name="passes" classname="com.acme.ServiceTest" time="0.1"/>
</testsuite>
`

describe('resolveWorkspacePaths', () => {
  it('makes a failing test location a tracked file of the checkout', async () => {
    const dir = workspace({ 'target/surefire-reports/TEST-com.acme.ServiceTest.xml': surefire, 'service/src/test/java/com/acme/ServiceTest.java': 'class ServiceTest {}\n' }, true)
    const report = await readReport([join(dir, 'target/surefire-reports/TEST-com.acme.ServiceTest.xml')], dir, dir)
    expect(report.results.toArray().find((r) => r.name === 'handles')?.file).toBe('com/acme/ServiceTest.java')
    expect(await resolveWorkspacePaths(report, dir)).toBe(1)
    expect(report.results.toArray().find((r) => r.name === 'handles')).toMatchObject({ file: 'service/src/test/java/com/acme/ServiceTest.java', line: 42 })
  })

  it('leaves paths alone outside a git checkout', async () => {
    const dir = workspace({ 'TEST.xml': surefire, 'service/src/test/java/com/acme/ServiceTest.java': '' }, false)
    const report = await readReport([join(dir, 'TEST.xml')], dir, dir)
    expect(await resolveWorkspacePaths(report, dir)).toBe(0)
    expect(report.results.toArray().find((r) => r.name === 'handles')?.file).toBe('com/acme/ServiceTest.java')
  })
})
