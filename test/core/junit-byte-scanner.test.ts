/**
 * The byte scanner reading a UTF-8 file in chunks against the same file given whole as text
 * (one piece, re-encoded), where chunking changes the mechanics: large chunks, whose first bytes are joined to the previous
 * chunk's unread tail before the scan goes on in the chunk itself; tags longer than that join;
 * characters, entities and line breaks cut by a chunk's end; and errors, whose line and column
 * must not depend on how the file was cut.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { JUnitReader, readJUnitText } from '../../src/core/junit/index.js'
import type { FileReport } from '../../src/core/test-report/model.js'
import { CORPUS, corpusFiles } from './junit-support.js'

const SEED = 20261122

function readInSteps(bytes: Uint8Array, steps: number[]): { report: FileReport; path?: string } {
  const reader = new JUnitReader('doc.xml')
  let from = 0
  for (let k = 0; from < bytes.length; k++) {
    const to = Math.min(bytes.length, from + steps[k % steps.length])
    // A reused buffer, as files.ts reads: nothing may keep a reference to a chunk.
    const chunk = new Uint8Array(to - from)
    chunk.set(bytes.subarray(from, to))
    reader.write(chunk)
    chunk.fill(0x3c)
    from = to
  }
  return { report: reader.end(), path: reader.path }
}

const textOf = (bytes: Uint8Array) => readJUnitText(new TextDecoder().decode(bytes), 'doc.xml')

describe('byte scanner', () => {
  it('reads every corpus file above 8 KiB in chunks of 4 to 40 KiB as it reads the text whole', () => {
    const files = corpusFiles().filter((f) => !f.endsWith('.trx') && statSync(join(CORPUS, f)).size > 8192)
    expect(files.length).toBeGreaterThan(10)
    const steps = fc.sample(fc.array(fc.integer({ min: 4000, max: 40_000 }), { minLength: 1, maxLength: 4 }), { seed: SEED, numRuns: files.length })
    files.forEach((file, i) => {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, file)))
      if (/encoding=["'](?!utf-?8)/i.test(new TextDecoder().decode(bytes.subarray(0, 200)))) return
      const { report, path } = readInSteps(bytes, steps[i])
      expect(path).toBe('bytes')
      expect({ file, report: { ...report, file: 'doc.xml' } }).toEqual({ file, report: textOf(bytes) })
    })
  })

  it('reads a tag longer than the join of two chunks, cut anywhere', () => {
    const long = 'x'.repeat(9000)
    const xml = `<testsuite name="s">\n  <testcase classname="C" name="a" message="${long}"/>\n  <testcase classname="C" name="b"><failure message="m">trace &amp; é\r\nline</failure></testcase>\n</testsuite>\n`
    const bytes = new TextEncoder().encode(xml)
    const whole = textOf(bytes)
    expect(whole.results.toArray().map((r) => r.name)).toEqual(['a', 'b'])
    for (const step of [4097, 5000, 8191, 9100, 12_000]) expect(readInSteps(bytes, [step]).report).toEqual(whole)
  })

  it('gives the line and column of an error however the file is cut, with multi-byte characters before it', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `  <testcase classname="Ç.${i}" name="ünïcödé 😀 ${i}"/>`)
    // The last line is long, so that chunks start inside the line the error is on: its column counts from a chunk's start.
    const xml = `<testsuite>\n${lines.join('\n')}\n  <testcase name="bad" message="${'ÿ'.repeat(12_000)}" time="1"></testsuite>\n`
    const bytes = new TextEncoder().encode(xml)
    const whole = textOf(bytes)
    expect(whole.error).toMatchObject({ line: 402, column: 12_044, message: 'end tag </testsuite> does not match <testcase>' })
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 5 }), (steps) => {
        expect(readInSteps(bytes, steps).report).toEqual(whole)
      }),
      { seed: SEED, numRuns: 200 }
    )
  })

  it('keeps characters, entities and CR LF whole when a chunk ends inside them', () => {
    const body = 'é😀&amp;\r\n&#x1F600;'.repeat(700)
    const xml = `<testsuite><testcase classname="C" name="n"><failure message="m">${body}</failure><system-out><![CDATA[${body}]]></system-out></testcase></testsuite>`
    const bytes = new TextEncoder().encode(xml)
    const read = (write: (reader: JUnitReader) => void) => {
      let output: string | undefined
      const reader = new JUnitReader('doc.xml', { onTestCase: (c) => (output = c.output) })
      write(reader)
      return { report: reader.end(), output }
    }
    const text = read((reader) => reader.write(xml))
    expect(text.report.results.at(0).failure?.details).toContain('é😀&\n😀')
    expect(text.output).toContain('é😀&amp;\n&#x1F600;')
    // Every alignment of the 25-byte repeat against a chunk's end, in chunks above the join's size and below.
    for (const step of [...Array.from({ length: 26 }, (_, k) => 4097 + k), ...Array.from({ length: 26 }, (_, k) => 1000 + k)]) {
      const bytesRead = read((reader) => {
        for (let from = 0; from < bytes.length; from += step) reader.write(bytes.slice(from, from + step))
      })
      expect({ step, ...bytesRead }).toEqual({ step, ...text })
    }
  })
})

describe('the WebAssembly tokenizer', () => {
  it('is what scripts/gen-junit-scanner.mjs compiles from scanner.as.ts (run it after changing the source)', async () => {
    const root = new URL('../../', import.meta.url)
    const { generate } = await import(new URL('scripts/gen-junit-scanner.mjs', root).href)
    expect(await generate()).toBe(readFileSync(new URL('src/core/junit/scanner-wasm.generated.ts', root), 'utf8'))
  }, 60_000)

  it('reads a tag of 1,024 attributes and refuses one of 1,025, naming the limit, however the file is cut', () => {
    const tag = (n: number) => `<testcase classname="C" name="t" ${Array.from({ length: n - 2 }, (_, i) => `a${i}="${i}"`).join(' ')}/>`
    const ok = new TextEncoder().encode(`<testsuite>\n${tag(1024)}\n</testsuite>`)
    const bad = new TextEncoder().encode(`<testsuite>\n${tag(1025)}\n</testsuite>`)
    expect(textOf(ok).error).toBeUndefined()
    expect(textOf(ok).runs.total).toBe(1)
    expect(textOf(bad).error).toMatchObject({ line: 2, column: 1, message: '<testcase> has more than 1024 attributes' })
    for (const step of [7, 4096, 5000]) {
      expect(readInSteps(ok, [step]).report).toEqual(textOf(ok))
      expect(readInSteps(bad, [step]).report).toEqual(textOf(bad))
    }
  })

  it('quotes the same text in an error however close to a chunk end it is found', () => {
    const xml = new TextEncoder().encode(`<testsuite><testcase classname="C" name="t"/></testsuite>\nstray text after the root element, long enough to quote`)
    const whole = textOf(xml)
    expect(whole.error?.message).toBe('text after the root element: "stray text after the"')
    for (let step = 1; step < xml.length; step += 3) expect(readInSteps(xml, [step]).report).toEqual(whole)
  })

  it('reads a file as new after the file before it stopped anywhere (the tokenizer is reused)', () => {
    const good = new TextEncoder().encode('<testsuite name="s">\n  <testcase classname="C" name="a" time="1"/>\n  <testcase classname="C" name="b"><failure message="m">x</failure></testcase>\n</testsuite>\n')
    const expected = textOf(good)
    const broken = ['<testsuite><testcase name="cut', '<testsuite><testcase name="a"><![CDATA[never closed', '<testsuite><!-- open', '<testsuite>\n\n<bad attribute', 'not xml at all', '']
    for (const text of broken) {
      for (const step of [3, 4096]) {
        const reader = new JUnitReader('doc.xml')
        const bytes = new TextEncoder().encode(text)
        for (let from = 0; from < bytes.length; from += step) reader.write(bytes.slice(from, from + step))
        reader.end()
        expect({ text, step, report: readInSteps(good, [step]).report }).toEqual({ text, step, report: expected })
      }
    }
  })

  it('reads attribute values of every length with an entity, a tab or a non-ASCII character at every place, in either quotes', () => {
    // The tokenizer reads values sixteen bytes at a time and flags those that need decoding: every
    // alignment of the special byte against those blocks, and of the closing quote.
    const specials: [string, string][] = [['&amp;', '&'], ['\t', ' '], ['é', 'é'], ['&#x1F600;', '😀'], ["'", "'"]]
    const names: string[] = []
    const expected: string[] = []
    for (let length = 0; length <= 40; length++) {
      for (const [raw, decoded] of specials) {
        for (let at = 0; at <= length; at += 3) {
          names.push('x'.repeat(at) + raw + 'y'.repeat(length - at))
          expected.push('x'.repeat(at) + decoded + 'y'.repeat(length - at))
        }
      }
    }
    const xml = `<testsuite>${names.map((n, i) => (i % 2 ? `<testcase classname="C${i}" name="${n}"/>` : `<testcase classname='C${i}' name='${n.replaceAll("'", '&apos;')}'/>`)).join('')}</testsuite>`
    const report = textOf(new TextEncoder().encode(xml))
    expect(report.error).toBeUndefined()
    expect(report.results.toArray().map((r) => r.name)).toEqual(expected)
  })
})
