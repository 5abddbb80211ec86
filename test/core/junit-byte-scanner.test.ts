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
import { JUnitReader, mergeReports, readJUnitText, TRUNCATED } from '../../src/core/junit/index.js'
import { PACKED_INTS, ResultTable } from '../../src/core/junit/result-table.js'
import { testId, type FileReport } from '../../src/core/test-report/model.js'
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

/** Reads `bytes` with every test case through the reader's `open` (an `onTestCase` turns plain test cases off), in `step`-byte chunks. */
function readSlowly(bytes: Uint8Array, step: number): FileReport {
  const reader = new JUnitReader('doc.xml', { onTestCase: () => undefined })
  for (let from = 0; from < bytes.length; from += step) reader.write(bytes.slice(from, from + step))
  return reader.end()
}

/** Table rows as plain data (suite paths, failures and executions included), for comparing two reports. */
function rowsOf(report: FileReport): unknown[] {
  return report.results.toArray()
}

describe("the tokenizer's table (plain test cases read without the reader)", () => {
  const plain = (c: string, n: string, t = '0.5') => `<testcase classname="${c}" name="${n}" time="${t}"/>`
  const failing = (c: string, n: string) => `<testcase classname="${c}" name="${n}" time="1"><failure message="m">at ${c}.${n}(X.java:3)</failure></testcase>`

  it('gives the report the reader gives alone for retries and classnames that move between plain and other cases, however the file is cut', () => {
    const xml = [
      '<testsuites><testsuite name="s1">',
      plain('A', 'a'), plain('A', 'b'), failing('A', 'a'), plain('B', 'a'), plain('A', 'a', '2'),
      '<testcase classname="A" name="b" status="skipped"/>', plain('A', 'c', '0,25'), plain('A', 'c'),
      '<testcase classname="A &amp; B" name="x"/>', plain('A & B'.replace('&', '&amp;'), 'x'), plain('A', 'x&#65;'), plain('A', 'xA'),
      '</testsuite><testsuite name="s2"><testsuite name="inner">', plain('A', 'a'), plain('C', 'c'), '</testsuite>', plain('C', 'c'),
      '<testcase classname="C" name="n"><testcase classname="C" name="nested"/></testcase>', plain('C', 'nested'),
      '<properties><property name="k" value="v"/></properties>', plain('D', 'd', '1e3'), plain('D', 'd'),
      '</testsuite></testsuites>'
    ].join('\n')
    const bytes = new TextEncoder().encode(xml)
    const slow = readSlowly(bytes, bytes.length)
    expect(slow.error).toBeUndefined()
    expect(slow.runs.total).toBe(19)
    // Retries merged across the two paths: A›a ran four times (three plain, one failing), C›c twice in two suites.
    const a = slow.results.at(slow.results.indexOfId('A\u001fa'))
    expect(a.executions).toEqual(['passed', 'failed', 'passed', 'passed'])
    expect(a.timeMs).toBe(4000)
    for (const step of [1, 7, 64, 4096, bytes.length]) {
      const cut = readInSteps(bytes, [step]).report
      expect(rowsOf(cut)).toEqual(rowsOf(slow))
      expect({ runs: cut.runs, tests: cut.tests, error: cut.error }).toEqual({ runs: slow.runs, tests: slow.tests, error: slow.error })
    }
  })

  it('keeps its rows, and finds retries among them, when a long tag makes the input move it', () => {
    const classes = Array.from({ length: 40 }, (_, k) => `com.example.Class${k}`)
    const first = classes.flatMap((c) => Array.from({ length: 150 }, (_, k) => plain(c, `test${k}`)))
    // 6,000 rows, then a tag of 3 MB (more than the input has room for), then a retry of every tenth test.
    const xml = `<testsuite name="s">\n${first.join('\n')}\n<testcase classname="big" name="b" note="${'x'.repeat(3_000_000)}"/>\n${first.filter((_, k) => k % 10 === 0).join('\n')}\n</testsuite>\n`
    const bytes = new TextEncoder().encode(xml)
    const slow = readSlowly(bytes, 1 << 20)
    expect(slow.runs.total).toBe(6001 + 600)
    expect(slow.tests.total).toBe(6001)
    expect(slow.results.at(slow.results.indexOfId('com.example.Class0\u001ftest0')).executions).toEqual(['passed', 'passed'])
    for (const step of [1 << 20, 65_536]) {
      const fast = readInSteps(bytes, [step]).report
      expect(rowsOf(fast)).toEqual(rowsOf(slow))
      expect(fast.tests).toEqual(slow.tests)
      expect(fast.runs).toEqual(slow.runs)
    }
  })

  it("keeps a large file's table in the tokenizer's memory, which no later file reuses", () => {
    // 80,000 tests: a table of megabytes, past what a pooled tokenizer may hold, so the report
    // takes views of its memory. Small files read after it take tokenizers from the pool; were
    // that memory among them, their input and tables would overwrite the large report's tests.
    const cases = Array.from({ length: 80_000 }, (_, k) => plain(`com.example.C${k % 97}`, `test${k}`, `0.${k % 1000}`))
    const large = new TextEncoder().encode(`<testsuite name="big">\n${cases.join('\n')}\n${failing('com.example.C0', 'test0')}\n</testsuite>\n`)
    const report = readInSteps(large, [1 << 20]).report
    const before = rowsOf(report)
    expect(before.length).toBe(80_000)
    for (let k = 0; k < 4; k++) {
      const small = new TextEncoder().encode(`<testsuite name="s${k}">${Array.from({ length: 3000 }, (_, j) => plain(`Other${k}`, `other${j}`, '9.9')).join('')}</testsuite>`)
      expect(readInSteps(small, [1 << 16]).report.tests.total).toBe(3000)
    }
    expect(rowsOf(report)).toEqual(before)
    expect(report.results.at(report.results.indexOfId('com.example.C0\u001ftest0')).executions).toEqual(['passed', 'failed'])
  })

  it('leaves a plain test case nested deeper than the limit to the reader, which refuses it', () => {
    const xml = `${'<testsuite>'.repeat(512)}<testcase classname="C" name="t"/>${'</testsuite>'.repeat(512)}`
    expect(readJUnitText(new TextEncoder().encode(xml), 'doc.xml').error?.message).toMatch(/nested deeper than 512/)
    const ok = `${'<testsuite>'.repeat(511)}<testcase classname="C" name="t"/>${'</testsuite>'.repeat(511)}`
    expect(readJUnitText(new TextEncoder().encode(ok), 'doc.xml').runs.total).toBe(1)
  })

  it('adds no test case that follows an error the reader finds (a mismatched end tag) in the same chunk', () => {
    const xml = new TextEncoder().encode(`<testsuite>${plain('A', 'a')}<testsuite></testsuites>${plain('A', 'b')}${plain('A', 'c')}</testsuite>`)
    const report = readJUnitText(xml, 'doc.xml')
    expect(report.error?.message).toMatch(/does not match/)
    expect(report.results.toArray().map((r) => r.name)).toEqual(['a'])
    expect(report.runs.total).toBe(1)
  })

  it('reads failing, erroring and skipped test cases whole as the reader alone reads them, however the file is cut', () => {
    // What a test case read whole may hold, and what leaves it to the reader: random runs of them.
    const trace = fc
      .array(
        fc.constantFrom(
          'java.lang.AssertionError: boom\n',
          '\tat org.junit.Assert.fail(Assert.java:88)\n',
          '\tat A.a(A.java:3)\n',
          '\tat A$Inner$1.run(A.java:12)\n',
          '\tat A.<init>(A.kt:7)\n',
          '\tat A.b(A.groovy:1234567890)\n',
          '\tat xA.c(A.java:5)\n',
          'at A.d(A.scala:9)',
          '\tat A.e(A.clj:2)\r\n',
          '\tat A.f(Foo.Bar.java:4)\n',
          '\tat A.$(A.java:4)\n',
          '  File "tests/test_a.py", line 8, in test_a\n',
          'ünïcode ',
          '\r'
        ),
        { maxLength: 6 }
      )
      .map((parts) => parts.join(''))
    const message = fc.constantFrom('', ' message="m"', ' message="expected &lt;1&gt; but was &#65;&#x1F600;"', ' message="tab\there"', ' message="bad &bogus;"', ' message="bad &#0;"', ' message="no end &amp"')
    const type = fc.constantFrom('', ' type="java.lang.AssertionError"', ' type=""', ' type="T &amp; U"')
    const body = fc.oneof(
      trace.map((t) => `<![CDATA[${t}]]>`),
      trace.map((t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;')),
      trace.map((t) => `\n  <![CDATA[${t}]]>\n  `),
      trace.map((t) => `${t.replace(/</g, '&lt;')}<!-- c --><![CDATA[${t}]]>`),
      fc.constant('a<!--1-->b<!--2-->c<!--3-->d<!--4-->e'),
      fc.constant('<b>nested</b>'),
      fc.constant('')
    )
    const failure = fc.tuple(fc.constantFrom('failure', 'error'), message, type, body).map(([k, m, t, b]) => (b ? `<${k}${m}${t}>${b}</${k}>` : `<${k}${m}${t}/>`))
    const child = fc.oneof(
      failure,
      failure,
      failure,
      fc.constantFrom('<skipped/>', '<skipped message="not &amp; now">why</skipped>', '<system-out>out &amp; more</system-out>', '<system-err><![CDATA[err]]></system-err>', '<properties/>', '<flakyFailure message="f"/>', '<failure message="x"></failur >', '<failure message="x"></failure  >', '<ns:failure message="p">at A.a(A.java:3)</ns:failure>')
    )
    const testCase = fc
      .tuple(fc.constantFrom('A', 'B'), fc.constantFrom('a', 'b', 'c'), fc.constantFrom('1', '0.5', ''), fc.array(child, { maxLength: 2 }), fc.constantFrom('</testcase>', '</testcase>', '</testcase >', '</testcases>'))
      .map(([c, n, t, children, end]) => `<testcase classname="${c}" name="${n}"${t ? ` time="${t}"` : ''}>${children.join('\n')}${end}`)
    const plainOne = fc.tuple(fc.constantFrom('A', 'B'), fc.constantFrom('a', 'b', 'c')).map(([c, n]) => plain(c, n))
    // A plain test case of A, then test cases of A: the tokenizer knows the classname, and reads them whole when it can.
    // (Two: the first names the classname, the second is a row the tokenizer adds itself.)
    const run = fc.array(testCase, { minLength: 1, maxLength: 4 }).map((cases) => plain('A', 'y') + plain('A', 'z') + cases.map((c) => c.replace('classname="B"', 'classname="A"')).join(''))
    const piece = fc.oneof(testCase, run, run, plainOne, fc.constantFrom('</testsuite><testsuite name="t">', '\n'))
    // How many test cases were read whole, and how many of those had their JVM frame found: both paths must be taken.
    // And how many had their text handed over as bytes (`WholeCase.raw*`).
    const handle = JUnitReader.prototype.wholeCase
    let whole = 0
    let framed = 0
    let raw = 0
    // And how many failures the tokenizer kept as bytes itself (PACKED: no call).
    let kept = 0
    JUnitReader.prototype.wholeCase = function (this: JUnitReader, c) {
      whole++
      if (c.jvmFile !== undefined) framed++
      if (c.rawFrom >= 0) raw++
      handle.call(this, c)
    }
    try {
      fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constant(4096)), (pieces, step) => {
        // Whitespace after the root: markup near the input's end waits for more (to tell CDATA from a declaration).
        const bytes = new TextEncoder().encode(`<testsuites><testsuite name="s">${pieces.join('')}</testsuite></testsuites>${'\n'.repeat(100)}`)
        const slow = readSlowly(bytes, bytes.length)
        const once = readJUnitText(bytes, 'doc.xml')
        const cut = readInSteps(bytes, [step]).report
        for (const fast of [once, cut]) {
          expect({ rows: rowsOf(fast), runs: fast.runs, tests: fast.tests, error: fast.error }).toEqual({ rows: rowsOf(slow), runs: slow.runs, tests: slow.tests, error: slow.error })
        }
        kept += once.results.packedFailures.length / PACKED_INTS
      }),
        { seed: SEED, numRuns: 3000 }
      )
    } finally {
      JUnitReader.prototype.wholeCase = handle
    }
    expect(whole).toBeGreaterThan(300)
    expect(framed).toBeGreaterThan(40)
    expect(raw).toBeGreaterThan(40)
    expect(whole - raw).toBeGreaterThan(100)
    expect(kept).toBeGreaterThan(30)
  })

  it("keeps a failure's text as its bytes when it needs no decoding, and gives it back as the reader alone does", () => {
    // With a JVM frame of the test's class (A), which the tokenizer keeps as bytes itself when the
    // rest allows; then without one, which the reader is handed as bytes (or decodes).
    const framed = [
      '<![CDATA[java.lang.AssertionError: x < y\n\tat A.a(A.java:3)\n]]>',
      '\n    plain text and no entity\n    at A.a(A.java:4)\n  ',
      'with &amp; an entity at A.a(A.java:6)',
      '<![CDATA[crlf\r\n\tat A.a(A.java:5)\r\n]]>',
      `<![CDATA[${'x'.repeat(100)}\n\tat A.a(A.java:9)\n]]>`
    ]
    const unframed = ['<![CDATA[  \n\t ]]>', '<![CDATA[ \u00a0 ]]>', '<![CDATA[éàü then \u2603 and 😀]]>', `<![CDATA[${'long '.repeat(30)}]]>`, '<![CDATA[boom\n  File "tests/test_a.py", line 8, in test_a\n]]>']
    const body = [...framed, ...unframed]
    const doc = (attributes: string) =>
      `<testsuite name="s">${plain('A', 'y')}${plain('A', 'z')}${body.map((b, k) => `<testcase classname="A" name="f${k}"><failure${attributes}>${b}</failure></testcase>`).join('')}</testsuite>`
    // Attributes, and how many failures the tokenizer keeps: the first two framed ones (not the
    // entity, the CR or the one over the limit), when message and type are within the limit.
    const cases: Array<[string, number]> = [
      [' message="m" type="T"', 2],
      [' message="m"', 2],
      [' message="m" type=""', 2],
      [' message="expected &lt;1&gt; but was &#233;" type="T"', 0],
      [' message="expected &lt;1&gt;" type="T"', 2],
      [' type="T"', 0],
      [' message="a message longer than the limit" type="T"', 0],
      [' message="m" type="a type longer than the limit"', 0]
    ]
    for (const [attributes, kept] of cases) {
      const bytes = new TextEncoder().encode(doc(attributes))
      const options = { limits: { details: 100, message: 20 } }
      const reader = new JUnitReader('doc.xml', options)
      const handed: string[] = []
      const handle = reader.wholeCase.bind(reader)
      reader.wholeCase = (c) => {
        if (c.rawFrom >= 0) handed.push(c.bytes.toString('utf8', c.rawFrom, c.rawTo))
        handle(c)
      }
      reader.write(bytes)
      const fast = reader.end()
      const slow = new JUnitReader('doc.xml', { ...options, onTestCase: () => undefined })
      slow.write(bytes)
      expect([attributes, rowsOf(fast)]).toEqual([attributes, rowsOf(slow.end())])
      // Kept by the tokenizer (never handed over: see below) and by the reader (the Python one, which it located).
      expect([attributes, fast.results.packedFailures.length / PACKED_INTS]).toEqual([attributes, kept + (kept > 0 ? 1 : 0)])
      // Handed to the reader as bytes: the rest but the entity and the CR.
      expect([attributes, handed.length]).toEqual([attributes, framed.length + unframed.length - 2 - kept])
      expect(fast.results.at(fast.results.indexOfId(testId('A', 'f9')))).toMatchObject({ file: 'tests/test_a.py', line: 8, failure: { details: 'boom\n  File "tests/test_a.py", line 8, in test_a\n' } })
      const failures = fast.results.toArray().flatMap((r) => (r.failure ? [r.failure] : []))
      expect(failures[0].details).toBe('java.lang.AssertionError: x < y\n\tat A.a(A.java:3)\n')
      // Plain objects; a kept one made anew each time it is asked for.
      const row = fast.results.indexOfId(testId('A', 'f0'))
      expect(Object.getPrototypeOf(fast.results.failureAt(row))).toBe(Object.prototype)
      if (kept > 0) expect(fast.results.failureAt(row)).not.toBe(fast.results.failureAt(row))
      expect(JSON.parse(JSON.stringify(fast.results.failureAt(row)))).toEqual(fast.results.failureAt(row))
      expect(fast.results.at(fast.results.indexOfId(testId('A', 'f1')))).toMatchObject({ file: 'A.java', line: 4 })
      expect(failures[7].details).toBe('éàü then \u2603 and 😀')
      expect(failures[5]).not.toHaveProperty('details')
      expect(failures[6]).toEqual(failures[5])
      expect(failures[8].details).toBe(`${'long '.repeat(20)}${TRUNCATED}`)
    }
  })

  it('reads most failing test cases of a large report whole, and finds their JVM frames itself', () => {
    // 20 classes of 100 tests, every fourth failing, every fourth skipped.
    const cls = (k: number) => `com.acme.C${Math.floor(k / 100)}`
    const cases = Array.from({ length: 2000 }, (_, k) =>
      k % 4 === 0
        ? `<testcase classname="${cls(k)}" name="t${k}" time="0.1"><failure message="expected &lt;${k}&gt;" type="AssertionError"><![CDATA[AssertionError\n\tat ${cls(k)}.t${k}(C${Math.floor(k / 100)}.java:${k})\n]]></failure></testcase>`
        : k % 4 === 1
          ? `<testcase classname="${cls(k)}" name="t${k}"><skipped/></testcase>`
          : plain(cls(k), `t${k}`)
    )
    const bytes = new TextEncoder().encode(`<testsuite name="s">\n${cases.join('\n')}\n</testsuite>`)
    const reader = new JUnitReader('doc.xml')
    let whole = 0
    const handle = reader.wholeCase.bind(reader)
    reader.wholeCase = (c) => {
      whole++
      handle(c)
    }
    reader.write(bytes)
    const fast = reader.end()
    const slow = readSlowly(bytes, bytes.length)
    expect(rowsOf(fast)).toEqual(rowsOf(slow))
    expect(fast.runs).toEqual({ total: 2000, passed: 1000, failed: 500, errored: 0, skipped: 500 })
    // All but the first are read whole, a new classname too (the reader names it when the
    // tokenizer asks): the first comes while the suite's start tag is pending. Of those, the
    // tokenizer keeps each failing one's failure as bytes, located at its JVM frame (PACKED),
    // and only counts the skipped ones: none reaches the reader.
    expect(whole).toBe(0)
    expect(fast.results.packedFailures.length / PACKED_INTS).toBe(500 - 1)
    // A run's table made of this file's gets the same failures, still kept as bytes (its names and
    // theirs copied in one piece, each record where it was), and a retry of them in another file
    // merges into its test as a failure made of those bytes.
    const merged = new ResultTable()
    merged.addTable(fast.results)
    expect(merged.toArray()).toEqual(fast.results.toArray())
    expect(merged.storedBytes).toBe(fast.results.storedBytes)
    expect(merged.packedFailures).toEqual(fast.results.packedFailures)
    const again = new ResultTable()
    again.addTable(fast.results)
    again.addTable(fast.results)
    expect(again.packedFailures).toEqual(fast.results.packedFailures)
    const retried = fast.results.indexOfId('com.acme.C4\u001ft404')
    expect(again.at(retried)).toMatchObject({ outcome: 'failed', executions: ['failed', 'failed'], failure: fast.results.failureAt(retried) })
    expect(fast.results.at(fast.results.indexOfId('com.acme.C4\u001ft404'))).toMatchObject({ outcome: 'failed', file: 'com/acme/C4.java', line: 404 })
  })

  it('merges files whose failures are kept as bytes as it merges the same results one by one', () => {
    // Three files: the second's classes are its own; the third retries some of the first's tests
    // (a failure kept as bytes merging into a test already in the run) and adds its own.
    const file = (classes: string[], from: number, to: number, run = 1) => {
      const cases: string[] = []
      for (const c of classes)
        for (let k = from; k < to; k++)
          cases.push(
            k % 3 === 0
              ? `<testcase classname="${c}" name="t${k}" time="0.2"><failure message="expected &lt;${k}&gt; in ${c}, run ${run}" type="AssertionError"><![CDATA[AssertionError: ${c} ${k} (run ${run})\n\tat ${c}.t${k}(${c.split('.').pop()}.java:${k + 10})\n]]></failure></testcase>`
              : plain(c, `t${k}`)
          )
      return new TextEncoder().encode(`<testsuite name="${classes[0]}">\n${cases.join('\n')}\n</testsuite>`)
    }
    const reports = [
      readJUnitText(file(['com.acme.A', 'com.acme.B'], 0, 60), 'a.xml'),
      readJUnitText(file(['org.other.C'], 0, 90), 'b.xml'),
      readJUnitText(file(['com.acme.B', 'net.third.D'], 30, 75, 2), 'c.xml')
    ]
    for (const r of reports) expect(r.results.packedFailures.length).toBeGreaterThan(0)
    const merged = mergeReports(reports)
    expect(merged.results.toArray()).toEqual(ResultTable.of(reports.flatMap((r) => r.results.toArray())).toArray())
    expect(merged.tests).toEqual(ResultTable.of(reports.flatMap((r) => r.results.toArray())).counts)
    // Kept as bytes: every failure of a test new to the run; made objects: those of the retries.
    const keptRows = (r: FileReport) => Array.from({ length: r.results.packedFailures.length / PACKED_INTS }, (_, k) => r.results.packedFailures[k * PACKED_INTS])
    const retriedKept = keptRows(reports[2]).filter((row) => reports[0].results.indexOfId(reports[2].results.idAt(row)) >= 0).length
    // com.acme.B t30 to t57, every third: ten retried failures, the first read by the reader (its suite's start tag was pending).
    expect(retriedKept).toBe(9)
    expect(merged.results.packedFailures.length / PACKED_INTS).toBe(keptRows(reports[0]).length + keptRows(reports[1]).length + keptRows(reports[2]).length - retriedKept)
    const retried = merged.results.at(merged.results.indexOfId(testId('com.acme.B', 't33')))
    expect(retried).toMatchObject({ outcome: 'failed', executions: ['failed', 'failed'], file: 'com/acme/B.java', line: 43 })
    // The later failure is kept (docs/test-report.md, "Counting rules").
    expect(retried.failure).toEqual({ message: 'expected <33> in com.acme.B, run 2', type: 'AssertionError', details: 'AssertionError: com.acme.B 33 (run 2)\n\tat com.acme.B.t33(B.java:43)\n' })
  })

  it('reads every corpus file and random documents as the reader alone does', () => {
    const files = corpusFiles()
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, file)))
      const fast = readJUnitText(bytes, file)
      const slow = readJUnitText(bytes, file, { onTestCase: () => undefined })
      expect({ file, rows: rowsOf(fast), runs: fast.runs, tests: fast.tests, error: fast.error }).toEqual({ file, rows: rowsOf(slow), runs: slow.runs, tests: slow.tests, error: slow.error })
    }
    // Random runs of plain, retried, failing and odd test cases across suites.
    const piece = fc.oneof(
      fc.tuple(fc.constantFrom('A', 'B', 'C'), fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom('1', '0.25', '', '2,5')).map(([c, n, t]) => `<testcase classname="${c}" name="${n}"${t ? ` time="${t}"` : ''}/>`),
      fc.tuple(fc.constantFrom('A', 'B'), fc.constantFrom('a', 'b')).map(([c, n]) => failing(c, n)),
      fc.constantFrom('</testsuite><testsuite name="t">', '<testcase name="a"/>', '<testcase classname="A" name="a" file="x.py"/>', '<!-- c -->', '\n  ')
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (pieces, step) => {
        const bytes = new TextEncoder().encode(`<testsuites><testsuite name="s">${pieces.join('')}</testsuite></testsuites>`)
        const slow = readSlowly(bytes, bytes.length)
        const fast = readInSteps(bytes, [step]).report
        expect({ rows: rowsOf(fast), runs: fast.runs, tests: fast.tests, error: fast.error }).toEqual({ rows: rowsOf(slow), runs: slow.runs, tests: slow.tests, error: slow.error })
      }),
      { seed: SEED, numRuns: 500 }
    )
  })
})
