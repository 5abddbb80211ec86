/**
 * The test report's Markdown: sections in the reader's order, untrusted text kept as data (checked
 * by rendering with markdown-it, a CommonMark implementation, as the oracle), GitHub's size limits
 * kept by cutting the least important sections first.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import MarkdownIt from 'markdown-it'
import { testId, type Outcome, type Report, type TestOutcome, type TestResult } from '../../src/core/test-report/model.js'
import { LIMITS, checkTitle, formatMs, inRunFlakes, locationOf, renderSummary, type SummaryInput } from '../../src/core/test-report/summary.js'
import { byteLength, codeBlock, codeText, inline, neutralize, truncate } from '../../src/core/test-report/markdown.js'
import { ResultTable } from '../../src/core/junit/result-table.js'

// GitHub renders job summaries and comments as GFM with (sanitized) HTML allowed.
const md = new MarkdownIt({ html: true })
const SEED = 20261122

/** A test result with what the summary reads. */
function result(classname: string, name: string, outcome: TestOutcome, extra: Partial<TestResult> = {}): TestResult {
  const executions: Outcome[] = outcome === 'flaky' ? ['failed', 'passed'] : [outcome]
  return { id: testId(classname, name), suites: ['suite'], classname, name, outcome, executions, timeMs: 10, ...extra }
}

/** A report over results, counted as the reader counts them. */
function report(results: TestResult[], errors: Report['errors'] = []): Report {
  const tests = { total: results.length, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
  for (const r of results) tests[r.outcome]++
  const runs = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }
  for (const r of results) for (const e of r.executions) (runs.total++, runs[e]++)
  const table = ResultTable.of(results)
  return { files: [{ file: 'junit.xml', runs, tests, results: table, ...(errors[0] ? { error: errors[0] } : {}) }], runs, tests, results: table, errors }
}

const failing = (i: number, message = `expected ${i} to be 0`, extra: Partial<TestResult> = {}) =>
  result('pkg.Suite', `test ${i}`, 'failed', { failure: { message, type: 'AssertionError', details: `AssertionError: ${message}\n    at Suite.test (src/suite.ts:${i}:5)` }, ...extra })

const input = (r: Report, extra: Partial<SummaryInput> = {}): SummaryInput => ({ title: 'unit tests', report: r, reportUrl: 'https://github.com/acme/widgets/actions/runs/7/artifacts/9', ...extra })

describe('the summary lays out the report', () => {
  const r = report([
    result('pkg.A', 'passes', 'passed', { timeMs: 1500 }),
    failing(1),
    failing(2, 'boom', { file: 'src/suite.ts', line: 2 }),
    result('pkg.B', 'retried', 'flaky', { timeMs: 2500 }),
    result('pkg.C', 'later', 'skipped')
  ])
  const out = renderSummary(input(r, { flaky: inRunFlakes(r), newFailures: [testId('pkg.Suite', 'test 2')], baseline: { branch: 'main', sha: 'a'.repeat(40) }, blobUrl: 'https://github.com/acme/widgets/blob/abc' }), { maxBytes: Infinity })

  it('opens with the totals: tests (retries merged) and runs (every element)', () => {
    expect(out.markdown).toContain('| tests | 5 | 1 | 2 | 0 | 1 | 1 |')
    expect(out.markdown).toContain('| runs | 6 | 2 | 3 | 0 | 1 | — |')
    expect(out.markdown.split('\n')[0]).toBe('### ❌ unit tests')
  })

  it('puts new failures first, then flaky tests, failures, slowest tests and suites', () => {
    const order = ['New failures', 'Flaky tests', 'Failures', 'Slowest tests', 'Suites'].map((h) => out.markdown.indexOf(`${h}`))
    expect(order.every((i) => i > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(out.trimmed).toEqual([])
  })

  it('names the baseline of new failures and lists the new one first among failures', () => {
    expect(out.markdown).toMatch(/New failures \(1\) since main at aaaaaaa\n/)
    const failures = out.markdown.slice(out.markdown.indexOf('Failures ('))
    expect(failures.indexOf('test 2')).toBeLessThan(failures.indexOf('test 1'))
    expect(failures).toContain('🆕 **test 2**')
  })

  it('links a location to the file and line at the commit', () => {
    expect(md.render(out.markdown)).toContain('<a href="https://github.com/acme/widgets/blob/abc/src/suite.ts#L2">src/suite.ts:2</a>')
  })

  it('says how many more tests the history judges flaky than the run shows', () => {
    const history = { id: testId('pkg.A', 'passes'), classname: 'pkg.A', name: 'passes', evidence: ['flip rate 40 over 10 runs'] }
    const withHistory = renderSummary(input(r, { flaky: [...inRunFlakes(r), history] }), { maxBytes: Infinity }).markdown
    expect(withHistory.split('\n')[1]).toContain(' · 1 more flaky by history')
    const inRunOnly = renderSummary(input(r, { flaky: inRunFlakes(r) }), { maxBytes: Infinity }).markdown
    expect(inRunOnly).not.toContain('by history')
  })

  it('gives the flaky test its evidence', () => {
    expect(out.markdown).toContain('failed and passed in this run\\: 1 of 2 executions failed \\(failed, passed\\)')
  })

  it('shows the failure text verbatim in a code block', () => {
    const html = md.render(out.markdown)
    expect(html).toContain('<pre><code class="language-text">AssertionError: boom\n    at Suite.test (src/suite.ts:2:5)\n</code></pre>')
  })

  it('lists the slowest tests, slowest first', () => {
    const slow = out.markdown.slice(out.markdown.indexOf('Slowest tests'))
    expect(slow.indexOf('retried')).toBeLessThan(slow.indexOf('passes'))
    expect(slow).toContain('| retried | suite | 2.50 s |')
  })

  it('lists unreadable files with their position', () => {
    const bad = renderSummary(input(report([], [{ file: 'reports/broken.xml', message: 'unexpected end of file', line: 11, column: 22 }])), { maxBytes: Infinity })
    expect(bad.markdown).toContain('Unreadable files (1)')
    expect(md.render(bad.markdown)).toContain('<li>reports/broken.xml:11:22: unexpected end of file</li>')
    expect(bad.markdown.split('\n')[0]).toBe('### ⚠️ unit tests')
  })

  it('says all is well with a check mark when nothing failed', () => {
    const ok = renderSummary(input(report([result('a', 'b', 'passed')])), { maxBytes: Infinity })
    expect(ok.markdown.split('\n')[0]).toBe('### ✅ unit tests')
    expect(ok.markdown).not.toContain('Failures')
  })
})

describe('untrusted test text stays data', () => {
  const nasty = 'x <img src=x onerror=alert(1)> @octocat #12 | pipe `tick` **bold** [a](javascript:alert(1)) <script>alert(1)</script>'
  const r = report([
    result('pkg.<b>Evil</b>', nasty, 'failed', { failure: { message: 'line\n```\n</code></pre><img src=y>\n````` five', details: '@everyone ping\n```js\nhack()\n```' } }),
    result('pkg.Evil', `${nasty} 2`, 'flaky')
  ])
  const out = renderSummary(input(r, { flaky: inRunFlakes(r), newFailures: [r.results.at(0).id] }), { maxBytes: Infinity })
  const html = md.render(out.markdown)

  it('renders no element from test text', () => {
    expect(html).not.toMatch(/<img|<script|<b>Evil|href="javascript/i)
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('breaks mentions and issue references outside code', () => {
    const text = html.replace(/<pre>[\s\S]*?<\/pre>/g, '')
    expect(text).not.toMatch(/@(octocat|everyone)/)
    expect(text).not.toMatch(/#12/)
    expect(text).toContain('@\u200boctocat')
  })

  it('keeps the message and stack trace inside one code block, verbatim', () => {
    const blocks = [...html.matchAll(/<pre><code class="language-text">([\s\S]*?)<\/code><\/pre>/g)].map((m) => m[1])
    expect(blocks).toHaveLength(1)
    expect(blocks[0]).toBe(md.utils.escapeHtml('line\n```\n</code></pre><img src=y>\n````` five\n\n@everyone ping\n```js\nhack()\n```\n'))
  })

  it('keeps table rows whole when names hold pipes', () => {
    const tables = [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) => [...t[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => (m[1].match(/<t[dh]/g) ?? []).length))
    // totals, slowest tests (a header and two rows), suites
    expect(tables).toEqual([[7, 7, 7], [3, 3, 3], [8, 8]])
  })

  it('never lets any text out of a code block (fast-check over arbitrary strings)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('`', '~', '\n', ' ', 'a', '<', '>', '\r', '\t', 'é', '\u0000') , maxLength: 200 }), (text) => {
        const block = codeBlock(text, { maxChars: 10_000, maxLines: 10_000 })
        const tokens = md.parse(block, {})
        expect(tokens.map((t) => t.type)).toEqual(['fence'])
        const expected = text.replace(/\r\n?/g, '\n').replace(/\u0000/g, '\ufffd').replace(/\t/g, '    ').replace(/\n+$/, '')
        expect(tokens[0].content).toBe(`${expected}\n`)
      }),
      { seed: SEED, numRuns: 500 }
    )
  })

  it('renders any inline text as plain text of one paragraph (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const escaped = inline(text, 1000)
        const tokens = md.parseInline(escaped, {})
        const children = tokens[0]?.children ?? []
        expect(children.filter((t) => t.type !== 'text').map((t) => t.type)).toEqual([])
        const shown = children.map((t) => t.content).join('')
        // What a reader sees is the text, whitespace folded, with zero-width breaks in mentions.
        const expected = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '\ufffd').replace(/\s+/g, ' ').trim()
        expect(shown.replace(/\u200b/g, '')).toBe(expected)
      }),
      { seed: SEED, numRuns: 1000 }
    )
  })
})

describe('GitHub size limits', () => {
  // 3,000 failures with 2 KB stack traces: about 7 MB in full.
  const many = report([
    ...Array.from({ length: 3000 }, (_, i) => failing(i, `expected ${i}`, { failure: { message: `expected ${i}`, details: `trace ${i}\n${'x'.repeat(2000)}` } })),
    ...Array.from({ length: 200 }, (_, i) => result(`pkg.S${i}`, `ok ${i}`, 'passed', { suites: [`suite ${i}`], timeMs: i }))
  ])
  const newFailures = [testId('pkg.Suite', 'test 2999')]

  it.each([
    ['job summary', LIMITS.jobSummary],
    ['check-run summary', LIMITS.checkOutput],
    ['PR comment', LIMITS.comment]
  ])('keeps the %s under its limit and says what was cut', (_name, limit) => {
    const out = renderSummary(input(many, { newFailures }), { maxBytes: limit })
    expect(byteLength(out.markdown)).toBeLessThanOrEqual(limit)
    expect(out.trimmed).toContain('failures')
    expect(out.markdown).toContain("Shortened to fit GitHub's size limit")
    expect(out.markdown).toContain('[full report](https://github.com/acme/widgets/actions/runs/7/artifacts/9)')
    // The count of what was left out is exact.
    const shown = (out.markdown.slice(out.markdown.indexOf('Failures (')).match(/^(🆕 )?\*\*test \d+\*\*/gm) ?? []).length
    expect(out.markdown).toContain(`…and ${3000 - shown} more failures`)
    // New failures outrank the rest: the new one is listed even though it is the last failure.
    expect(out.markdown).toMatch(/New failures \(1\)\n- \*\*test 2999\*\*/)
  })

  it('cuts the least important sections first: suites and slowest tests give way before failures', () => {
    const few = report([...Array.from({ length: 20 }, (_, i) => failing(i)), ...Array.from({ length: 2000 }, (_, i) => result(`pkg.S${i}`, `ok ${i}`, 'passed', { suites: [`suite ${i}`] }))])
    const full = renderSummary(input(few), { maxBytes: Infinity })
    const out = renderSummary(input(few), { maxBytes: 40_000 })
    expect(byteLength(full.markdown)).toBeGreaterThan(40_000)
    expect(out.trimmed).toEqual(['suites'])
    expect(out.markdown.match(/^\*\*test \d+\*\*/gm)).toHaveLength(20)
    expect(out.markdown).toMatch(/…and \d+ more suites/)
  })

  it('renders everything when there is no limit (the full report)', () => {
    const out = renderSummary(input(many), { maxBytes: Infinity, detailChars: 100_000 })
    expect(out.trimmed).toEqual([])
    expect(out.markdown.match(/^\*\*test \d+\*\*/gm)).toHaveLength(3000)
  })
})

describe('one report rendered under several budgets', () => {
  // Traces of every shape the caps treat apart: short, long, many lines, tabs and CRLF (which
  // change the length the caps count), a backtick run, no trace at all.
  const traces = ['short', 'x'.repeat(2500), Array.from({ length: 30 }, (_, i) => `\tat frame ${i}`).join('\r\n'), '\t'.repeat(600), 'a ``` b', '']
  const build = () =>
    report([
      ...Array.from({ length: 60 }, (_, i) => failing(i, `expected ${i}`, { failure: { message: `expected ${i}`, details: traces[i % traces.length] } })),
      ...Array.from({ length: 30 }, (_, i) => result(`pkg.S${i}`, `ok ${i}`, 'passed', { suites: [`suite ${i % 7}`], timeMs: i * 3 }))
    ])
  const budgets = [
    { maxBytes: Infinity, detailChars: 20_000, detailLines: 400, slowest: 50 },
    { maxBytes: LIMITS.checkOutput, detailChars: 2000, detailLines: 25 },
    { maxBytes: 20_000, detailChars: 1500, detailLines: 20 },
    { maxBytes: LIMITS.jobSummary }
  ]

  it('gives each budget the same text as rendering a fresh copy of the report alone', () => {
    const shared = build()
    const extras: Partial<SummaryInput>[] = [{}, { newFailures: [testId('pkg.Suite', 'test 7')], blobUrl: 'https://github.com/acme/widgets/blob/abc' }, { reportUrl: undefined }]
    for (const extra of extras) {
      for (const options of budgets) {
        const fresh = renderSummary(input(build(), extra), options)
        expect(renderSummary(input(shared, extra), options)).toEqual(fresh)
      }
    }
    // The caps did cut some traces and not others, so the cases above differ.
    const full = renderSummary(input(shared), budgets[0]).markdown
    const small = renderSummary(input(shared), { maxBytes: Infinity, detailChars: 1500, detailLines: 20 }).markdown
    expect(full).not.toContain('(cut; the full text is in the report artifact)')
    expect(small).toContain('(cut; the full text is in the report artifact)')
  })
})

describe('the suites table', () => {
  it('counts a suite once however its results are spread (shared or separate arrays, no suite and several classnames)', () => {
    const a = ['outer', 'A']
    const r = report([
      result('pkg.X', 'a1', 'passed', { suites: a }),
      result('pkg.X', 'a2', 'failed', { suites: a }),
      result('pkg.Y', 'b1', 'passed', { suites: ['outer', 'B'] }),
      result('pkg.X', 'a3', 'passed', { suites: ['outer', 'A'] }),
      result('pkg.P', 'p1', 'passed', { suites: [] }),
      result('pkg.Q', 'q1', 'skipped', { suites: [] }),
      result('pkg.P', 'p2', 'passed', { suites: [] }),
      result('pkg.X', 'a4', 'passed', { suites: a })
    ])
    const rows = renderSummary(input(r), { maxBytes: Infinity, sections: ['suites'] }).markdown.split('\n').filter((l) => /^\| (outer|pkg)/.test(l))
    expect(rows).toEqual([
      '| outer › A | 4 | 3 | 1 | 0 | 0 | 0 | 40 ms |',
      '| outer › B | 1 | 1 | 0 | 0 | 0 | 0 | 10 ms |',
      '| pkg\\.P | 2 | 2 | 0 | 0 | 0 | 0 | 20 ms |',
      '| pkg\\.Q | 1 | 0 | 0 | 0 | 1 | 0 | 10 ms |'
    ])
  })
})

/** The plain versions of the escaping helpers, before their fast paths: the oracle those must agree with. */
const plain = {
  CONTROL: /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
  inline(text: string, max = 300): string {
    const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
    const flat = neutralize(truncate(text.replace(plain.CONTROL, '\ufffd').replace(/\s+/g, ' ').trim(), max))
    return flat.replace(/[&<>"']|[\\`*_{}[\]()#+\-.!|~^=:$]/g, (c) => HTML[c] ?? `\\${c}`)
  },
  codeBlock(text: string, maxChars: number, maxLines: number): string {
    let body = text.replace(/\r\n?/g, '\n').replace(plain.CONTROL, '\ufffd').replace(/\t/g, '    ')
    const lines = body.split('\n')
    let cut = false
    if (lines.length > maxLines) {
      body = lines.slice(0, maxLines).join('\n')
      cut = true
    }
    if (body.length > maxChars) {
      body = truncate(body, maxChars)
      cut = true
    }
    body = body.replace(/\n+$/, '')
    if (cut) body += '\n… (cut; the full text is in the report artifact)'
    const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length))
    const fence = '`'.repeat(Math.max(3, longest + 1))
    return `${fence}text\n${body}\n${fence}`
  },
  url(blobUrl: string, file: string, line?: number): string {
    return `${blobUrl.replace(/\/+$/, '')}/${file.replace(/\\/g, '/').split('/').filter((p) => p && p !== '.').map(encodeURIComponent).join('/')}${line ? `#L${line}` : ''}`
  }
}

describe('the fast paths agree with the plain code (fast-check)', () => {
  // Strings made mostly of what the fast paths look for, and what makes them step aside.
  const text = fc.array(fc.constantFrom('a', 'Z', '0', '.', ':', ' ', '\n', '\r', '\t', '`', '@', '#', '-', '_', '/', '%', '\u0007', '\u202e', 'é', '\ud83d\ude00'), { maxLength: 60 }).map((cs) => cs.join(''))

  it('inline', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 70 }), (t, max) => inline(t, max) === plain.inline(t, max)),
      { seed: SEED, numRuns: 3000 }
    )
  })

  it('inline on names and paths (the escape-dots-and-colons path)', () => {
    const name = fc.array(fc.constantFrom('a', 'Z', '0', '.', ':', '/'), { maxLength: 40 }).map((cs) => cs.join(''))
    fc.assert(
      fc.property(name, (t) => inline(t, 300) === plain.inline(t, 300)),
      { seed: SEED, numRuns: 3000 }
    )
  })

  it('codeBlock and codeText', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 8 }), (t, maxChars, maxLines) => {
        const want = plain.codeBlock(t, maxChars, maxLines)
        return codeBlock(t, { maxChars, maxLines }) === want && codeBlock(codeText(t), { maxChars, maxLines }) === want
      }),
      { seed: SEED, numRuns: 3000 }
    )
  })

  it('location links', () => {
    fc.assert(
      fc.property(text, fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }), (file, line) => {
        const loc = locationOf({ file, line }, 'https://github.com/acme/widgets/blob/abc/')
        if (!loc?.url) return true
        return loc.url === plain.url('https://github.com/acme/widgets/blob/abc/', file, line)
      }),
      { seed: SEED, numRuns: 3000 }
    )
  })
})

describe('small pieces', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [2500, '2.50 s'],
    [12_340, '12.3 s'],
    [125_000, '2 min 5 s'],
    [7_380_000, '2 h 3 min']
  ])('formats %d ms as %s', (ms, text) => expect(formatMs(ms)).toBe(text))

  it('links only repository-relative locations', () => {
    expect(locationOf({ file: 'src/a b.ts', line: 3 }, 'https://x/o/r/blob/s')).toEqual({ label: 'src/a b.ts:3', url: 'https://x/o/r/blob/s/src/a%20b.ts#L3' })
    expect(locationOf({ file: '/home/runner/a.ts', line: 3 }, 'https://x/o/r/blob/s')).toEqual({ label: '/home/runner/a.ts:3' })
    expect(locationOf({ file: '../a.ts' }, 'https://x/o/r/blob/s')).toEqual({ label: '../a.ts' })
    expect(locationOf({}, 'https://x')).toBeNull()
  })

  it('answers for the file and blob URL asked, one after another (the last answer is kept)', () => {
    const asked: Array<[string, string | undefined, number?]> = [
      ['src/a.ts', 'https://x/o/r/blob/s', 1],
      ['src/a.ts', 'https://x/o/r/blob/s', 2],
      ['src/a.ts', 'https://x/o/r/blob/t/'],
      ['src/a.ts', undefined, 4],
      ['src/b.ts', undefined],
      ['src/b.ts', 'https://x/o/r/blob/s', 5],
      ['../b.ts', 'https://x/o/r/blob/s', 5],
      ['src/a.ts', 'https://x/o/r/blob/s']
    ]
    expect(asked.map(([file, blob, line]) => locationOf({ file, line }, blob)?.url)).toEqual([
      'https://x/o/r/blob/s/src/a.ts#L1',
      'https://x/o/r/blob/s/src/a.ts#L2',
      'https://x/o/r/blob/t/src/a.ts',
      undefined,
      undefined,
      'https://x/o/r/blob/s/src/b.ts#L5',
      undefined,
      'https://x/o/r/blob/s/src/a.ts'
    ])
  })

  it('titles the check run with the counts that matter', () => {
    const r = report([failing(1), result('a', 'b', 'passed'), result('a', 'c', 'flaky')], [{ file: 'x.xml', message: 'bad' }])
    expect(checkTitle(r)).toBe('1 failed, 1 passed, 1 flaky, 1 unreadable file')
  })
})
