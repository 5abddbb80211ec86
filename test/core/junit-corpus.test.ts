/**
 * The JUnit corpus (test/fixtures/junit-corpus, copied from shared/data): every file is read without a crash, and wherever a
 * source repository states what a file holds, our counts, projected onto that source's counting
 * rule, say the same. The rules and the files where we knowingly differ are in docs/test-report.md
 * "Counting rules"; each difference listed here is checked to still be one.
 */
import { describe, expect, it } from '@jest/globals'
import { createReadStream, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readJUnit, readJUnitText } from '../../src/core/junit/index.js'
import type { FileReport, TestCase } from '../../src/core/test-report/model.js'
import { CORPUS, corpusFiles, indexRows, suiteAttributeSums, type Stated } from './junit-support.js'

const files = corpusFiles()
const rows = indexRows(readFileSync(join(CORPUS, 'INDEX.md'), 'utf8'))

interface Read {
  report: FileReport
  cases: TestCase[]
  xml: string
}

const cache = new Map<string, Read>()
function read(file: string): Read {
  let r = cache.get(file)
  if (!r) {
    const cases: TestCase[] = []
    const bytes = readFileSync(join(CORPUS, file))
    r = { report: readJUnitText(bytes, file, { onTestCase: (c) => cases.push(c) }), cases, xml: bytes.toString('utf8') }
    cache.set(file, r)
  }
  return r
}

const NOT_JUNIT = /^not a JUnit XML file/

/** EnricoMi's unique-test state: the most severe over all executions (it has no flaky). */
function enricoTests(report: FileReport) {
  const out = { tests_unique: report.results.length, tests_unique_pass: 0, tests_unique_fail: 0, tests_unique_error: 0, tests_unique_skip: 0 }
  for (const r of report.results) {
    if (r.executions.includes('errored')) out.tests_unique_error++
    else if (r.executions.includes('failed')) out.tests_unique_fail++
    else if (r.executions.includes('passed')) out.tests_unique_pass++
    else out.tests_unique_skip++
  }
  return out
}

/** A projection of our report onto one source's rule: the numbers that source would print. */
type Projection = (r: Read, stated: Stated) => Record<string, number> | 'error' | 'not-junit'

const PROJECTIONS: { kind: RegExp; source: string; project: Projection }[] = [
  {
    // .results.json stats and the .results case list; runs_* come from suite attributes and are not compared.
    kind: /^EnricoMi expected \(\.results\.json/,
    source: 'EnricoMi',
    project: ({ report }, stated) => {
      if ((stated.values.parse_errors as unknown[] | undefined)?.length) return 'error'
      if (report.error && NOT_JUNIT.test(report.error.message)) return 'not-junit'
      const out: Record<string, number> = enricoTests(report)
      if ((stated.values.testcase_elements as number) > 0) {
        out.testcase_elements = report.runs.total
        out['testcase_results.success'] = report.runs.passed
        out['testcase_results.failure'] = report.runs.failed
        out['testcase_results.error'] = report.runs.errored
        out['testcase_results.skipped'] = report.runs.skipped
      }
      return out
    }
  },
  { kind: /^EnricoMi expected parse error/, source: 'EnricoMi', project: () => 'error' },
  {
    // The generator's own attributes are the expectation: sum over the top-level suites.
    kind: /^golden output of the generator/,
    source: 'go-junit-report',
    project: ({ report }) => ({ tests: report.runs.total, failures: report.runs.failed, errors: report.runs.errored, skipped: report.runs.skipped })
  },
  {
    // Per <testcase>; failed = failure + error; with check_retries duplicates merge and any success passes.
    kind: /^mikepenz test assertion/,
    source: 'mikepenz',
    project: ({ report, cases }, stated) => {
      const note = String(stated.values.note ?? '')
      if (/parse error tolerated/.test(note)) return 'error'
      const out: Record<string, number> = {}
      if (/check_retries=true/.test(note)) {
        const t = report.tests
        Object.assign(out, { total: t.total, passed: t.passed + t.flaky, failed: t.failed + t.errored, skipped: t.skipped, retried: report.runs.total - t.total })
      } else {
        const r = report.runs
        Object.assign(out, { total: r.total, passed: r.passed, failed: r.failed + r.errored, skipped: r.skipped })
      }
      out.total_without_check_retries = report.runs.total
      out.flaky_retries = report.tests.flaky
      out.failure_annotations = cases.filter((c) => c.outcome === 'failed' || c.outcome === 'errored').length
      return out
    }
  },
  {
    kind: /^dorny __outputs__/,
    source: 'dorny',
    project: ({ report }) => {
      if (report.error && NOT_JUNIT.test(report.error.message)) return 'not-junit'
      return { passed: report.runs.passed, failed: report.runs.failed + report.runs.errored, skipped: report.runs.skipped }
    }
  },
  {
    // Its JUnit parser: total excludes skipped; failed and errors apart.
    kind: /^test-results-reporter\/parser spec assertion/,
    source: 'test-results-reporter',
    project: ({ report }) => {
      if (report.error && NOT_JUNIT.test(report.error.message)) return 'not-junit'
      const r = report.runs
      return { total: r.total - r.skipped, passed: r.passed, failed: r.failed, errors: r.errored, skipped: r.skipped }
    }
  },
  {
    // Surefire's own parser: per <testcase>; flakes = flaky elements inside test cases that passed.
    kind: /^surefire-report-parser test assertion/,
    source: 'surefire',
    project: ({ report, cases }) => ({
      tests: report.runs.total,
      failures: report.runs.failed,
      errors: report.runs.errored,
      skipped: report.runs.skipped,
      flakes: cases.filter((c) => c.outcome === 'passed').reduce((n, c) => n + c.reruns.length, 0)
    })
  },
  {
    // result.counts: per <testcase>, failed = failure + error; "suites" is not compared (we keep no suite count).
    kind: /^test-summary test assertion/,
    source: 'test-summary',
    project: ({ report }) => ({ passed: report.runs.passed, failed: report.runs.failed + report.runs.errored, skipped: report.runs.skipped })
  }
]

/** Files where we knowingly count differently from the source, and why (docs/test-report.md lists them too). */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/no-cases-but-tests.xml':
    'suite attributes claim 6 tests but the file has no <testcase>: EnricoMi falls back to the attributes, we count elements (0)',
  'EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/no-cases-but-tests.junit-xml': 'the same file converted: as above',
  'EnricoMi+publish-unit-test-result-action/python/test/files/nunit/nunit3/jenkins/NUnit-sec1752-file.xml':
    'an NUnit file with an external-entity DTD (XXE): we refuse any DTD; EnricoMi reads it as NUnit',
  'EnricoMi+publish-unit-test-result-action/python/test/files/nunit/nunit3/jenkins/NUnit-sec1752-https.xml': 'the same, with an https entity',
  'test-results-reporter+parser/tests/data/junit/wdio-failures-errors.xml':
    'two cases each hold <failure/> and <error>: test-results-reporter counts each in failed and in errors (2 + 2 of 4, passed 0); we count each case once, as errored (2 errored, 2 passed)'
}

/** Returns the stated numbers that our projection contradicts, as "key: stated ≠ ours". */
function compare(stated: Stated, projected: Record<string, number>): string[] {
  const out: string[] = []
  const expected: Record<string, number> = {}
  for (const [key, value] of Object.entries(stated.values)) {
    if (key === 'testcase_results') {
      // EnricoMi keeps `disabled` apart in its case list and counts it as skipped in its stats; so do we.
      const states = value as Record<string, number>
      for (const state of ['success', 'failure', 'error']) expected[`testcase_results.${state}`] = states[state] ?? 0
      expected['testcase_results.skipped'] = (states.skipped ?? 0) + (states.disabled ?? 0)
    } else if (typeof value === 'number') {
      expected[key] = value
    }
  }
  for (const [key, value] of Object.entries(expected)) {
    if (key in projected && projected[key] !== value) out.push(`${key}: stated ${value} ≠ ours ${projected[key]}`)
  }
  return out
}

interface Checked {
  file: string
  source: string
  outcome: 'match' | 'differs' | 'not-junit'
  problems: string[]
}

function checkAll(): Checked[] {
  const checked: Checked[] = []
  for (const row of rows.values()) {
    for (const stated of row.stated) {
      // The corpus author's notes state no numbers of a source.
      if (stated.kind.startsWith('note (this research)')) continue
      const projection = PROJECTIONS.find((p) => p.kind.test(stated.kind))
      if (!projection) throw new Error(`no projection for the kind "${stated.kind}" (${row.file})`)
      const r = read(row.file)
      const projected = projection.project(r, stated)
      if (projected === 'not-junit') {
        checked.push({ file: row.file, source: projection.source, outcome: 'not-junit', problems: [] })
      } else if (projected === 'error') {
        const ok = r.report.error !== undefined
        checked.push({ file: row.file, source: projection.source, outcome: ok ? 'match' : 'differs', problems: ok ? [] : ['the source expects a parse error; we read it'] })
      } else {
        // Golden files state their numbers in their own attributes.
        const expected = projection.source === 'go-junit-report' ? { ...stated, values: suiteAttributeSums(r.xml) } : stated
        const problems = r.report.error ? [`we could not read it: ${r.report.error.message}`] : compare(expected, projected)
        checked.push({ file: row.file, source: projection.source, outcome: problems.length ? 'differs' : 'match', problems })
      }
    }
  }
  return checked
}

describe('the JUnit corpus', () => {
  it(`reads every one of its ${files.length} XML files to a report or a positioned error, the same whole or streamed`, async () => {
    expect(files.length).toBeGreaterThan(300)
    for (const file of files) {
      const { report } = read(file)
      expect(report.file).toBe(file)
      if (report.error) {
        expect(report.error.message.length).toBeGreaterThan(10)
        expect(report.error.line).toBeGreaterThanOrEqual(1)
        expect(report.error.column).toBeGreaterThanOrEqual(1)
      }
      expect(report.runs.total).toBe(report.runs.passed + report.runs.failed + report.runs.errored + report.runs.skipped)
      const streamed = await readJUnit(createReadStream(join(CORPUS, file), { highWaterMark: 1024 }), file)
      expect(streamed).toEqual(report)
    }
  })

  it('names the format of every non-JUnit file instead of reading it', () => {
    for (const row of rows.values()) {
      if (!/^(TRX|NUnit|xUnit\.net v|TestNG testng-results)/.test(row.dialect)) continue
      const { report } = read(row.file)
      if (!report.error) throw new Error(`${row.file} (${row.dialect}) was read as JUnit`)
      // A DTD is refused before the root is seen (NUnit-sec1752-*.xml carry an XXE payload).
      expect(report.error?.message).toMatch(/^not a JUnit XML file|^<!DOCTYPE> is refused/)
    }
  })

  it('gives a ReadError for each file whose source expects a parse error (.exception files)', () => {
    const expected = files.filter((f) => f.endsWith('.xml') && rows.get(f)?.stated.some((s) => /parse error/.test(s.kind)))
    expect(expected.length).toBeGreaterThanOrEqual(5)
    for (const file of expected) expect(read(file).report.error).toBeDefined()
  })

  it('matches every count a source states, under that source’s counting rule, except the listed differences', () => {
    const checked = checkAll()
    const differing = checked.filter((c) => c.outcome === 'differs')
    if (process.env.JUNIT_CORPUS_DEBUG) {
      const tally: Record<string, number> = {}
      for (const c of checked) tally[`${c.source} ${c.outcome}`] = (tally[`${c.source} ${c.outcome}`] ?? 0) + 1
      const filesMatched = new Set(checked.filter((c) => c.outcome === 'match').map((c) => c.file)).size
      console.log(JSON.stringify({ tally, filesMatched, filesDiffering: new Set(differing.map((c) => c.file)).size }))
    }
    const unexpected = differing.filter((c) => !(c.file in KNOWN_DIFFERENCES))
    expect(unexpected.map((c) => `${c.source} ${c.file}: ${c.problems.join('; ')}`)).toEqual([])
    // Each listed difference is still one: the list cannot silently go stale.
    const stale = Object.keys(KNOWN_DIFFERENCES).filter((file) => !differing.some((c) => c.file === file))
    expect(stale).toEqual([])
    const matched = checked.filter((c) => c.outcome === 'match')
    expect(matched.length).toBeGreaterThan(150)
  })
})

