/**
 * The reader against library parsers as oracles: fast-xml-parser and junit2json (xml2js) read the
 * same corpus files and random JUnit documents, and the counts of test cases, failures, errors and
 * skips must agree. The same documents cut into random chunks (every byte boundary for small ones)
 * must give identical reports.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as junit2json } from 'junit2json'
import { JUnitReader, readJUnitText } from '../../src/core/junit/index.js'
import type { FileReport } from '../../src/core/test-report/model.js'
import { CORPUS, corpusFiles, oracleAccepts, oracleCounts, type OracleCounts } from './junit-support.js'

const SEED = 20261122

function countsOf(report: FileReport): OracleCounts {
  const { total, passed, failed, errored, skipped } = report.runs
  return { total, passed, failed, errored, skipped }
}

/** Counts the test cases in junit2json's output by the same rule as the fast-xml-parser oracle. */
function junit2jsonCounts(node: unknown, counts: OracleCounts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }): OracleCounts {
  if (Array.isArray(node)) {
    for (const child of node) junit2jsonCounts(child, counts)
    return counts
  }
  if (typeof node !== 'object' || node === null) return counts
  const obj = node as Record<string, unknown>
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'testcase' && Array.isArray(value)) {
      for (const c of value as Record<string, unknown>[]) {
        counts.total++
        const status = String(c.status ?? '').trim().toLowerCase()
        if (['disabled', 'ignored', 'skipped', 'skip', 'notrun', 'not_run', 'not run'].includes(status)) counts.skipped++
        else if (c.error || status === 'error' || status === 'errored') counts.errored++
        else if (c.failure || ['failed', 'failure', 'fail'].includes(status)) counts.failed++
        else if (c.skipped) counts.skipped++
        else counts.passed++
      }
    } else if (key === 'testsuite' || key === 'testsuites') {
      junit2jsonCounts(value, counts)
    }
  }
  return counts
}

/** How many byte inputs `readInChunks` read on each path: UTF-8 bytes must take the byte scanner. */
const bytePaths = { bytes: 0, text: 0 }

function readInChunks(input: string | Uint8Array, cuts: number[], file = 'doc.xml'): FileReport {
  const reader = new JUnitReader(file)
  let from = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.write(input.slice(from, cut))
    from = cut
  }
  reader.write(input.slice(from))
  const report = reader.end()
  if (typeof input !== 'string' && reader.path) bytePaths[reader.path]++
  return report
}

describe('differential: the corpus', () => {
  const files = corpusFiles().filter((f) => !f.endsWith('.trx'))

  it('agrees with fast-xml-parser on every file both read', () => {
    let compared = 0
    const onlyOracle: string[] = []
    for (const file of files) {
      const xml = readFileSync(join(CORPUS, file), 'utf8')
      const ours = readJUnitText(xml, file)
      if (!oracleAccepts(xml)) continue
      if (ours.error) {
        onlyOracle.push(`${file}: ${ours.error.message}`)
        continue
      }
      expect({ file, counts: countsOf(ours) }).toEqual({ file, counts: oracleCounts(xml) })
      compared++
    }
    expect(compared).toBeGreaterThan(250)
    // What the lenient oracle reads and we refuse: DTDs, other formats, and entities no DTD defines.
    for (const line of onlyOracle) expect(line).toMatch(/<!DOCTYPE> is refused|not a JUnit XML file|unknown entity/)
  })

  it('agrees with junit2json on every file both read', async () => {
    let compared = 0
    for (const file of files) {
      const xml = readFileSync(join(CORPUS, file), 'utf8')
      const ours = readJUnitText(xml, file)
      let theirs: unknown
      try {
        theirs = await junit2json(xml)
      } catch {
        continue
      }
      if (ours.error || theirs === undefined || theirs === null) continue
      // junit2json drops the root when it is <testsuites>/<testsuite>; wrap it back for the walk.
      expect({ file, counts: countsOf(ours) }).toEqual({ file, counts: junit2jsonCounts({ testsuite: [theirs] }) })
      compared++
    }
    expect(compared).toBeGreaterThan(250)
  })

  it('gives identical reports for every file streamed in 1-byte to 4 KiB chunks, and read as text', () => {
    const before = { ...bytePaths }
    let utf8 = 0
    const random = fc.sample(fc.integer({ min: 1, max: 4096 }), { seed: SEED, numRuns: files.length })
    files.forEach((file, i) => {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, file)))
      const whole = readJUnitText(bytes, file)
      const step = bytes.length > 200_000 ? Math.max(random[i], 1024) : random[i]
      const cuts: number[] = []
      for (let at = step; at < bytes.length; at += step) cuts.push(at)
      expect(readInChunks(bytes, cuts, file)).toEqual(whole)
      // Bytes skip unwanted output undecoded; text decodes it all: lines and columns must agree.
      const text = new TextDecoder().decode(bytes)
      if (!/encoding=["'](?!utf-?8)/i.test(text.slice(0, 200))) {
        utf8++
        expect(readJUnitText(text, file)).toEqual(whole)
      }
    })
    // Every UTF-8 file was read as bytes by the byte scanner (any other encoding is decoded first), and compared with the text path.
    expect(bytePaths.bytes - before.bytes).toBe(utf8)
    expect(bytePaths.text - before.text).toBe(files.length - utf8)
  })
})

// ---------------------------------------------------------------------------------------------
// Random JUnit documents, built from a model that knows each case's true name and outcome.

type Child = 'failure' | 'error' | 'skipped' | 'flakyFailure' | 'flakyError' | 'rerunFailure' | 'rerunError' | 'system-out' | 'system-err' | 'properties'
interface CaseModel {
  kind: 'case'
  classname: string
  name: string
  status?: string
  time: string
  children: { tag: Child; message?: string; body: string; cdata: boolean }[]
}
interface SuiteModel {
  kind: 'suite'
  name: string
  items: (CaseModel | SuiteModel)[]
}
interface DocModel {
  root: 'testsuites' | 'testsuite' | 'bare'
  items: (CaseModel | SuiteModel)[]
  bom: boolean
  declaration: boolean
  quote: '"' | "'"
  numericRefs: boolean
  comments: boolean
}

const chars = fc.constantFrom('a', 'b', 'Z', '0', ' ', '.', ':', '#', '[', ']', '&', '<', '>', '"', "'", 'é', '中', '😀', '\n', '\t', '-', '/')
const text = fc.string({ unit: chars, maxLength: 12 })
const nameText = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '&', '<', '"', "'", 'é', '😀', ' ', '.'), minLength: 1, maxLength: 6 })
const child = fc.record({
  tag: fc.constantFrom<Child>('failure', 'error', 'skipped', 'flakyFailure', 'flakyError', 'rerunFailure', 'rerunError', 'system-out', 'system-err', 'properties'),
  message: fc.option(text, { nil: undefined }),
  body: fc.string({ unit: fc.constantFrom('x', ' ', '&', '<', ']', '>', '\n', 'é'), maxLength: 20 }),
  cdata: fc.boolean()
})
const caseModel: fc.Arbitrary<CaseModel> = fc.record({
  kind: fc.constant('case' as const),
  classname: fc.constantFrom('A', 'B', 'pkg.C'),
  name: nameText,
  status: fc.option(fc.constantFrom('disabled', 'Ignored', 'notrun', 'failed', 'errored', 'passed', 'run', 'skipped'), { nil: undefined, freq: 4 }),
  time: fc.constantFrom('0.1', '2', '0,288', '1,234.5', '<<computed>>', '', 'x', '4.5e-05', '-3'),
  children: fc.array(child, { maxLength: 4 })
})
const { suite: suiteModel } = fc.letrec<{ suite: SuiteModel; item: CaseModel | SuiteModel }>((tie) => ({
  suite: fc.record({ kind: fc.constant('suite' as const), name: text, items: fc.array(tie('item'), { maxLength: 5 }) }),
  item: fc.oneof({ depthSize: 'small', withCrossShrink: true }, caseModel, tie('suite'))
}))
const docModel: fc.Arbitrary<DocModel> = fc.record({
  root: fc.constantFrom('testsuites' as const, 'testsuite' as const, 'bare' as const),
  items: fc.array(fc.oneof(caseModel, suiteModel), { minLength: 1, maxLength: 6 }),
  bom: fc.boolean(),
  declaration: fc.boolean(),
  quote: fc.constantFrom('"' as const, "'" as const),
  numericRefs: fc.boolean(),
  comments: fc.boolean()
})

function escapeAttr(value: string, doc: DocModel): string {
  let out = ''
  for (const ch of value) {
    if (ch === '&') out += '&amp;'
    else if (ch === '<') out += '&lt;'
    else if (ch === doc.quote) out += ch === '"' ? '&quot;' : '&apos;'
    else if (ch === '\n') out += '&#10;'
    else if (ch === '\t') out += '&#x9;'
    else if (doc.numericRefs && ch.codePointAt(0)! > 127) out += `&#x${ch.codePointAt(0)!.toString(16)};`
    else out += ch
  }
  return out
}

function escapeText(value: string, cdata: boolean): string {
  if (cdata) return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function serialize(doc: DocModel): string {
  const q = doc.quote
  const attr = (name: string, value: string) => ` ${name}=${q}${escapeAttr(value, doc)}${q}`
  const comment = doc.comments ? '<!-- <testcase name="fake"/> --><?pi <testcase/> ?>' : ''
  const item = (it: CaseModel | SuiteModel): string => {
    if (it.kind === 'suite') return `<testsuite${attr('name', it.name)}>${comment}${it.items.map(item).join('\n')}</testsuite>`
    const attrs = attr('classname', it.classname) + attr('name', it.name) + (it.status ? attr('status', it.status) : '') + attr('time', it.time)
    if (it.children.length === 0) return `<testcase${attrs}${' '.repeat(it.name.length % 2)}/>`
    const children = it.children.map((c) => {
      if (c.tag === 'properties') return `<properties><property${attr('name', 'k')}${attr('value', c.body)}/></properties>`
      const message = c.message === undefined ? '' : attr('message', c.message)
      const body = c.tag.startsWith('flaky') || c.tag.startsWith('rerun') ? `<stackTrace>${escapeText(c.body, c.cdata)}</stackTrace>` : escapeText(c.body, c.cdata)
      return `<${c.tag}${message}>${body}</${c.tag}>`
    })
    return `<testcase${attrs}>\n  ${children.join('\n  ')}\n</testcase>`
  }
  const body = doc.items.map(item).join('\n')
  const prolog = (doc.bom ? '\uFEFF' : '') + (doc.declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '')
  if (doc.root === 'bare') return `${prolog}${body}\n`
  if (doc.root === 'testsuite') return `${prolog}<testsuite${attr('name', 'root')}>\n${body}\n</testsuite>\n`
  return `${prolog}<testsuites>\n${comment}${body}\n</testsuites>\n`
}

/** The documented rule, applied to the model: what each `<testcase>` is, in document order. */
function truth(doc: DocModel): { ids: [string, string][]; counts: OracleCounts } {
  const ids: [string, string][] = []
  const counts: OracleCounts = { total: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }
  const visit = (it: CaseModel | SuiteModel) => {
    if (it.kind === 'suite') return it.items.forEach(visit)
    ids.push([it.classname, it.name])
    counts.total++
    const status = (it.status ?? '').toLowerCase()
    const has = (tag: Child) => it.children.some((c) => c.tag === tag)
    if (['disabled', 'ignored', 'notrun', 'skipped'].includes(status)) counts.skipped++
    else if (has('error') || status === 'errored') counts.errored++
    else if (has('failure') || status === 'failed') counts.failed++
    else if (has('skipped')) counts.skipped++
    else counts.passed++
  }
  doc.items.forEach(visit)
  return { ids, counts }
}

describe('differential: random JUnit documents (fast-check, seed 20261122)', () => {
  it('agrees with the model and with fast-xml-parser on 3,000 documents', () => {
    fc.assert(
      fc.property(docModel, (doc) => {
        const xml = serialize(doc)
        const cases: [string, string][] = []
        const report = new JUnitReader('doc.xml', { onTestCase: (c) => cases.push([c.classname, c.name]) })
        // As bytes, the way files are read: the byte scanner is what the model and the oracle check.
        report.write(new TextEncoder().encode(xml))
        const ours = report.end()
        expect(report.path).toBe('bytes')
        const expected = truth(doc)
        expect(ours.error).toBeUndefined()
        expect(cases).toEqual(expected.ids)
        expect(countsOf(ours)).toEqual(expected.counts)
        expect(oracleCounts(xml)).toEqual(expected.counts)
        // Unique tests: retries of one (classname, name) merge.
        expect(ours.tests.total).toBe(new Set(expected.ids.map(([c, n]) => `${c}\u001f${n}`)).size)
      }),
      { seed: SEED, numRuns: 3000 }
    )
  })

  it('agrees with junit2json on 300 documents with a <testsuites> root', async () => {
    await fc.assert(
      fc.asyncProperty(
        docModel.filter((d) => d.root === 'testsuites'),
        async (doc) => {
          const xml = serialize(doc)
          const theirs = await junit2json(xml)
          expect(countsOf(readJUnitText(new TextEncoder().encode(xml), 'doc.xml'))).toEqual(junit2jsonCounts({ testsuite: [theirs] }))
        }
      ),
      { seed: SEED, numRuns: 300 }
    )
  })

  it('gives the same report however a document is cut into chunks, as text or as bytes', () => {
    fc.assert(
      fc.property(docModel, fc.array(fc.nat(), { maxLength: 12 }), (doc, cutSeeds) => {
        const xml = serialize(doc)
        const bytes = new TextEncoder().encode(xml)
        const whole = readJUnitText(xml, 'doc.xml')
        expect(readInChunks(xml, cutSeeds.map((n) => n % (xml.length + 1)))).toEqual(whole)
        const before = bytePaths.bytes
        expect(readInChunks(bytes, cutSeeds.map((n) => n % (bytes.length + 1)))).toEqual(whole)
        // The bytes were scanned as they are, the text re-encoded in pieces: the two paths agree.
        expect(bytePaths.bytes).toBe(before + 1)
      }),
      { seed: SEED, numRuns: 2000 }
    )
  })

  it('gives the same report when a small document is cut at every byte boundary', () => {
    const docs = fc.sample(docModel, { seed: SEED, numRuns: 400 }).map(serialize).filter((xml) => xml.length < 1200).slice(0, 40)
    expect(docs.length).toBeGreaterThanOrEqual(30)
    const differing: string[] = []
    let reads = 0
    for (const xml of docs) {
      const bytes = new TextEncoder().encode(xml)
      const whole = JSON.stringify(readJUnitText(xml, 'doc.xml'))
      for (let cut = 1; cut < bytes.length; cut++) {
        reads++
        if (JSON.stringify(readInChunks(bytes, [cut])) !== whole) differing.push(`byte ${cut} of ${JSON.stringify(xml)}`)
        if (cut < xml.length && JSON.stringify(readInChunks(xml, [cut])) !== whole) differing.push(`character ${cut} of ${JSON.stringify(xml)}`)
      }
    }
    expect(differing).toEqual([])
    expect(reads).toBeGreaterThan(10_000)
  })

  it('keeps what it read before the end of a truncated document, and says where it ends', () => {
    fc.assert(
      fc.property(docModel, fc.double({ min: 0, max: 1, noNaN: true }), (doc, at) => {
        const xml = serialize(doc)
        const end = xml.trimEnd().length
        const cut = Math.floor(at * (end - 1))
        const whole = readJUnitText(xml, 'doc.xml')
        const part = readJUnitText(xml.slice(0, cut), 'doc.xml')
        // Bare <testcase> roots may be cut between two cases, which leaves a whole document.
        if (doc.root !== 'bare' || cut === 0) {
          expect(part.error).toBeDefined()
          expect(part.error?.line).toBeGreaterThanOrEqual(1)
        }
        expect(part.runs.total).toBeLessThanOrEqual(whole.runs.total)
        expect(whole.results.toArray().map((r) => r.id).slice(0, part.results.length)).toEqual(part.results.toArray().map((r) => r.id))
      }),
      { seed: SEED, numRuns: 1000 }
    )
  })
})
