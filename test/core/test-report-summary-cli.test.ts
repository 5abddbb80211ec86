/** `shepherd junit summarize --markdown`: the action's job summary for files on disk. */
import { describe, expect, it } from '@jest/globals'
import { join, relative } from 'node:path'
import MarkdownIt from 'markdown-it'
import { main } from '../../src/cli/main.js'
import { CORPUS } from './junit-support.js'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const file = (path: string) => relative(process.cwd(), join(CORPUS, path))
const pytest = file('EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/pytest/junit.fail.xml')
const surefire = file('apache+maven-surefire/surefire-report-parser/src/test/resources/fixture/testsuitexmlparser/TEST-org.acme.FlakyTest.xml')
const corrupt = file('EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/pytest/corrupt-xml.xml')

describe('shepherd junit summarize --markdown', () => {
  it('prints the job summary: totals, flaky tests, failures with their text', async () => {
    const { code, out, err } = await cli('junit', 'summarize', pytest, surefire, '--markdown')
    expect({ code, err }).toEqual({ code: 0, err: '' })
    expect(out.split('\n')[0]).toBe('### ❌ Test report')
    expect(out).toContain('| tests | 7 | 4 | 1 | 0 | 1 | 1 |')
    expect(out).toMatch(/Flaky tests \(1\)\n- \*\*testFlaky\*\*/)
    const html = new MarkdownIt({ html: true }).render(out)
    expect(html).toMatch(/<pre><code class="language-text">[^<]*AssertionError: 143 != 0/)
  })

  it('lists an unreadable file with its position and exits 1, as the table does', async () => {
    const { code, out } = await cli('junit', 'summarize', corrupt, '--markdown')
    expect(code).toBe(1)
    expect(out).toContain('Unreadable files (1)')
    expect(out).toMatch(/corrupt\\-xml\\\.xml\\:11\\:22: the file ends inside &lt;skipped&gt;/)
  })

  it('takes one output format', async () => {
    const { code, err } = await cli('junit', 'summarize', pytest, '--markdown', '--json')
    expect({ code, err }).toEqual({ code: 2, err: 'shepherd junit: --json and --markdown are two outputs; give one' })
  })
})
