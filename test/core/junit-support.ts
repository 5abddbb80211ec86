/**
 * Helpers for the JUnit reader's tests: where the corpus is, the expectations its INDEX.md states,
 * and an oracle that counts a document's test cases from a library parser's tree.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { REPO_ROOT } from '../../src/cli/args.js'

/** The corpus, copied verbatim from shared/data/junit-corpus (INDEX.md gives each file's source), so a bare clone has it. */
export const CORPUS = process.env.SHEPHERD_JUNIT_CORPUS ?? join(REPO_ROOT, 'test/fixtures/junit-corpus')

/** Every file of the corpus an XML reader could be given: .xml, .junit-xml and .trx, sorted. */
export function corpusFiles(): string[] {
  if (!existsSync(join(CORPUS, 'INDEX.md'))) throw new Error(`the JUnit corpus is not at ${CORPUS}: set SHEPHERD_JUNIT_CORPUS`)
  const out: string[] = []
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(CORPUS, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) walk(path)
      else if (/\.(xml|junit-xml|trx)$/.test(entry.name)) out.push(path)
    }
  }
  walk('')
  return out.sort()
}

/** One expectation a source repository states for a file, as INDEX.md records it. */
export interface Stated {
  /** The kind text before the numbers, e.g. "mikepenz test assertion (totalCount etc.)". */
  kind: string
  values: Record<string, unknown>
  /** Where the source states it. */
  from: string
}

export interface IndexRow {
  file: string
  dialect: string
  stated: Stated[]
  naive: string
}

/** Returns INDEX.md's rows by file. */
export function indexRows(text: string): Map<string, IndexRow> {
  const rows = new Map<string, IndexRow>()
  for (const line of text.split('\n')) {
    if (!line.startsWith('| ') || line.startsWith('| File ') || line.startsWith('|---')) continue
    const cells = line.split(' | ')
    if (cells.length < 5) continue
    const file = cells[0].slice(2).trim()
    const stated: Stated[] = []
    for (const part of cells[3].split('<br>')) {
      const m = /^\s*(.*?): `(\{.*\})` \(from `([^`]*)`\)\s*$/.exec(part)
      if (m) stated.push({ kind: m[1], values: JSON.parse(m[2]) as Record<string, unknown>, from: m[3] })
    }
    rows.set(file, { file, dialect: cells[2].trim(), stated, naive: cells[4] })
  }
  return rows
}

/** Counts per `<testcase>` by the rule docs/test-report.md states, computed from a generic parse tree. */
export interface OracleCounts {
  total: number
  passed: number
  failed: number
  errored: number
  skipped: number
}

const SKIP_STATUS = new Set(['disabled', 'ignored', 'skipped', 'skip', 'notrun', 'not_run', 'not run'])
const FAIL_STATUS = new Set(['failed', 'failure', 'fail'])
const ERROR_STATUS = new Set(['error', 'errored'])

type Node = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  isArray: () => true
})

/** Whether fast-xml-parser's validator accepts `xml` (the oracle's notion of "can parse"). */
export function oracleAccepts(xml: string): boolean {
  return XMLValidator.validate(xml, { allowBooleanAttributes: false }) === true
}

/** Returns the per-element counts of `xml` as parsed by fast-xml-parser, by our outcome rule. */
export function oracleCounts(xml: string): OracleCounts {
  const tree = parser.parse(xml) as Node
  const counts: OracleCounts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }
  const visit = (node: Node, insideCase: boolean) => {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('@_') || key === '#text' || !Array.isArray(value)) continue
      for (const child of value as unknown[]) {
        // An empty element (<testcase/>) comes out as a string.
        if (key === 'testcase' && !insideCase && typeof child !== 'object') {
          counts.total++
          counts.passed++
          continue
        }
        if (typeof child !== 'object' || child === null) continue
        if (key === 'testcase' && !insideCase) {
          counts.total++
          const c = child as Node
          const status = String(c['@_status'] ?? '').trim().toLowerCase()
          if (SKIP_STATUS.has(status)) counts.skipped++
          else if (c.error || ERROR_STATUS.has(status)) counts.errored++
          else if (c.failure || FAIL_STATUS.has(status)) counts.failed++
          else if (c.skipped) counts.skipped++
          else counts.passed++
          visit(c, true)
        } else {
          visit(child as Node, insideCase)
        }
      }
    }
  }
  visit(tree, false)
  return counts
}

/** Returns the sums of tests/failures/errors/skipped attributes over the top-level `<testsuite>` elements. */
export function suiteAttributeSums(xml: string): { tests: number; failures: number; errors: number; skipped: number } {
  const tree = parser.parse(xml) as Node
  const sums = { tests: 0, failures: 0, errors: 0, skipped: 0 }
  const top: Node[] = []
  const roots = (tree.testsuites as Node[] | undefined) ?? [tree]
  for (const root of roots) for (const suite of (root.testsuite as Node[] | undefined) ?? []) top.push(suite)
  for (const suite of top) {
    sums.tests += Number(suite['@_tests'] ?? 0)
    sums.failures += Number(suite['@_failures'] ?? 0)
    sums.errors += Number(suite['@_errors'] ?? 0)
    sums.skipped += Number(suite['@_skipped'] ?? suite['@_skip'] ?? 0)
  }
  return sums
}
