/** The JUnit reader, as a specification: one small document per rule. */
import { describe, expect, it } from '@jest/globals'
import { mergeReports, parseTimeMs, readJUnit, readJUnitText, TRUNCATED } from '../../src/core/junit/index.js'
import type { FileReport, TestCase } from '../../src/core/test-report/model.js'

function read(xml: string | Uint8Array, options: Parameters<typeof readJUnitText>[2] = {}): FileReport {
  return readJUnitText(xml, 'report.xml', options)
}

function cases(xml: string): TestCase[] {
  const out: TestCase[] = []
  read(xml, { onTestCase: (c) => out.push(c) })
  return out
}

const suite = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n<testsuite name="s">\n${body}\n</testsuite>\n</testsuites>\n`

describe('roots and nesting', () => {
  it.each([
    ['a <testsuites> root', '<testsuites><testsuite name="a"><testcase classname="C" name="t"/></testsuite></testsuites>', ['a']],
    ['a bare <testsuite> root', '<testsuite name="a"><testcase classname="C" name="t"/></testsuite>', ['a']],
    ['bare <testcase> roots, one after another', '<testcase classname="C" name="t"/>\n<testcase classname="C" name="u"/>', []],
    ['suites nested three deep', '<testsuites><testsuite name="a"><testsuite name="b"><testsuite name="c"><testcase classname="C" name="t"/></testsuite></testsuite></testsuite></testsuites>', ['a', 'b', 'c']],
    ['concatenated files (several roots)', '<?xml version="1.0"?><testsuite name="a"><testcase classname="C" name="t"/></testsuite>\n<?xml version="1.0"?><testsuite name="b"><testcase classname="D" name="t"/></testsuite>', ['a']],
    ['a namespace prefix', '<j:testsuites xmlns:j="urn:x"><j:testsuite name="a"><j:testcase classname="C" name="t"/></j:testsuite></j:testsuites>', ['a']]
  ])('reads %s', (_, xml, suites) => {
    const report = read(xml)
    expect(report.error).toBeUndefined()
    expect(report.runs.total).toBeGreaterThanOrEqual(1)
    expect(report.results.at(0).suites).toEqual(suites)
    expect(report.results.at(0).classname).toBe('C')
  })

  it('finds test cases beside nested suites and keeps each case’s own suite path', () => {
    const report = read('<testsuite name="a"><testcase classname="C" name="t1"/><testsuite name="b"><testcase classname="C" name="t2"/></testsuite><testcase classname="C" name="t3"/></testsuite>')
    expect(report.results.toArray().map((r) => [r.name, r.suites])).toEqual([
      ['t1', ['a']],
      ['t2', ['a', 'b']],
      ['t3', ['a']]
    ])
  })

  it('ignores properties, suite output and unknown elements', () => {
    const report = read(suite('<properties><property name="x" value="y"/></properties><system-out>log</system-out><foo><bar/></foo><testcase classname="C" name="t"><properties/></testcase>'))
    expect(report.runs).toEqual({ total: 1, passed: 1, failed: 0, errored: 0, skipped: 0 })
  })

  it.each([
    ['TRX', '<TestRun xmlns="x"/>', /root element is <TestRun>, a Visual Studio TRX file/],
    ['NUnit 3', '<test-run/>', /NUnit 3/],
    ['xUnit.net', '<assemblies/>', /xUnit\.net/],
    ['an unknown root', '<suites><suite/></suites>', /root element is <suites>; JUnit files start with/]
  ])('names a %s file as not JUnit', (_, xml, message) => {
    const report = read(xml)
    expect(report.error?.message).toMatch(/^not a JUnit XML file/)
    expect(report.error?.message).toMatch(message)
    expect(report.error).toMatchObject({ file: 'report.xml', line: 1, column: 1 })
  })
})

describe('outcomes of one <testcase>', () => {
  it.each([
    ['no child', '', 'passed', ''],
    ['<failure>', '<failure message="m"/>', 'failed', ''],
    ['<error>', '<error message="m"/>', 'errored', ''],
    ['<skipped>', '<skipped/>', 'skipped', ''],
    ['<skipped> and <failure> and <error> (most severe wins)', '<skipped/><failure/><error/>', 'errored', ''],
    ['<skipped> and <failure>', '<skipped/><failure/>', 'failed', ''],
    ['status="disabled"', '', 'skipped', 'disabled'],
    ['status="Ignored"', '', 'skipped', 'Ignored'],
    ['status="notrun"', '', 'skipped', 'notrun'],
    ['status="skipped"', '', 'skipped', 'skipped'],
    ['status="disabled" with a <failure> (the runner did not run it)', '<failure/>', 'skipped', 'disabled'],
    ['status="failed" and no child', '', 'failed', 'failed'],
    ['status="errored" and no child', '', 'errored', 'errored'],
    ['status="run" (Bazel)', '', 'passed', 'run'],
    ['a flakyFailure (passed on a rerun)', '<flakyFailure message="m"><stackTrace>trace</stackTrace></flakyFailure>', 'passed', ''],
    ['a failure and rerunFailures (failed every rerun)', '<failure/><rerunFailure/><rerunFailure/>', 'failed', '']
  ])('%s', (_, body, outcome, status) => {
    const attr = status ? ` status="${status}"` : ''
    const report = read(suite(`<testcase classname="C" name="t"${attr}>${body}</testcase>`))
    expect(report.error).toBeUndefined()
    expect(report.results.at(0).executions[0]).toBe(outcome)
    expect(report.runs[outcome as 'passed']).toBe(1)
  })

  it('keeps <failure> and <error> apart in the counts', () => {
    const report = read(suite('<testcase classname="C" name="a"><failure/></testcase><testcase classname="C" name="b"><error/></testcase><testcase classname="C" name="c"/>'))
    expect(report.runs).toEqual({ total: 3, passed: 1, failed: 1, errored: 1, skipped: 0 })
    expect(report.tests).toEqual({ total: 3, passed: 1, failed: 1, errored: 1, skipped: 0, flaky: 0 })
  })

  it('keeps the failure message, type and body; the body’s first line stands in for a missing message', () => {
    const [a, b] = cases(suite('<testcase classname="C" name="a"><failure message="expected 1" type="AssertionError">at x\nat y</failure></testcase><testcase classname="C" name="b"><failure>\n  first line\nsecond</failure></testcase>'))
    expect(a.failure).toEqual({ message: 'expected 1', type: 'AssertionError', details: 'at x\nat y' })
    expect(b.failure?.message).toBe('first line')
  })

  it('takes the failure of the most severe kind and joins the bodies of several of one kind', () => {
    const [c] = cases(suite('<testcase classname="C" name="a"><failure message="f1">one</failure><failure message="f2">two</failure><error message="e">boom</error></testcase>'))
    expect(c.outcome).toBe('errored')
    expect(c.failure).toEqual({ message: 'e', details: 'boom' })
    const [d] = cases(suite('<testcase classname="C" name="a"><failure message="f1">one</failure><failure message="f2">two</failure></testcase>'))
    expect(d.failure).toEqual({ message: 'f1', details: 'one\n\ntwo' })
  })

  it('records Surefire reruns as executions after the element, with their own failures', () => {
    const [c] = cases(
      suite('<testcase classname="C" name="t" time="0.5"><flakyFailure message="first" type="E"><stackTrace>t1</stackTrace><system-out>o</system-out></flakyFailure><flakyError message="second"/></testcase>')
    )
    expect(c.outcome).toBe('passed')
    expect(c.reruns).toEqual([
      { outcome: 'failed', timeMs: 0, failure: { message: 'first', type: 'E', details: 't1' } },
      { outcome: 'errored', timeMs: 0, failure: { message: 'second' } }
    ])
  })

  it('calls a nameless test case "(unnamed N)" so that two of them are two tests', () => {
    const report = read(suite('<testcase/><testcase><failure/></testcase>'))
    expect(report.results.toArray().map((r) => r.name)).toEqual(['(unnamed 1)', '(unnamed 2)'])
    expect(report.tests.total).toBe(2)
  })

  it('reads classname from the class attribute when classname is missing (PHPUnit)', () => {
    expect(read(suite('<testcase class="Foo\\BarTest" name="t"/>')).results.at(0).classname).toBe('Foo\\BarTest')
  })
})

describe('retries', () => {
  it('merges repeated test cases into one test: flaky when one failed and another passed', () => {
    const report = read(suite('<testcase classname="C" name="t" time="1"><failure message="m"/></testcase><testcase classname="C" name="t" time="2"/><testcase classname="C" name="u"/>'))
    expect(report.runs).toEqual({ total: 3, passed: 2, failed: 1, errored: 0, skipped: 0 })
    expect(report.tests).toEqual({ total: 2, passed: 1, failed: 0, errored: 0, skipped: 0, flaky: 1 })
    expect(report.results.at(0)).toMatchObject({ id: 'C\u001ft', outcome: 'flaky', executions: ['failed', 'passed'], timeMs: 3000, failure: { message: 'm' } })
  })

  it.each([
    [['failed', 'failed'], 'failed'],
    [['errored', 'failed'], 'errored'],
    [['skipped', 'passed'], 'passed'],
    [['skipped', 'failed'], 'failed'],
    [['errored', 'passed'], 'flaky'],
    [['skipped', 'skipped'], 'skipped']
  ])('executions %j make the test %s', (executions, outcome) => {
    const body = executions.map((o) => `<testcase classname="C" name="t">${{ failed: '<failure/>', errored: '<error/>', skipped: '<skipped/>', passed: '' }[o as string]}</testcase>`).join('')
    expect(read(suite(body)).results.at(0)).toMatchObject({ executions, outcome })
  })

  it('does not merge the same name in different classes', () => {
    expect(read(suite('<testcase classname="A" name="t"/><testcase classname="B" name="t"/>')).tests.total).toBe(2)
  })

  it('counts a Surefire flaky element as a flaky test, and rerunFailures as a failed one with its reruns', () => {
    const report = read(suite('<testcase classname="C" name="f"><flakyFailure/></testcase><testcase classname="C" name="r"><failure/><rerunFailure message="again"/></testcase>'))
    expect(report.runs).toMatchObject({ total: 2, passed: 1, failed: 1 })
    expect(report.results.toArray().map((r) => [r.outcome, r.executions])).toEqual([
      ['flaky', ['passed', 'failed']],
      ['failed', ['failed', 'failed']]
    ])
    expect(report.results.at(1).failure?.message).toBe('again')
  })

  it('merges reports of several files: one id in two files is one test', () => {
    const a = readJUnitText(suite('<testcase classname="C" name="t"><failure/></testcase><testcase classname="C" name="a"/>'), 'a.xml')
    const b = readJUnitText(suite('<testcase classname="C" name="t"/>'), 'b.xml')
    const c = readJUnitText('<testsuite', 'c.xml')
    const report = mergeReports([a, b, c])
    expect(report.runs).toEqual({ total: 3, passed: 2, failed: 1, errored: 0, skipped: 0 })
    expect(report.tests).toEqual({ total: 2, passed: 1, failed: 0, errored: 0, skipped: 0, flaky: 1 })
    expect(report.errors.map((e) => e.file)).toEqual(['c.xml'])
    // The files' own results are not changed by the merge.
    expect(a.results.at(0).executions).toEqual(['failed'])
  })
})

describe('locations', () => {
  const locate = (attrs: string, body: string, options = {}) => read(suite(`<testcase classname="com.acme.FooTest" name="t"${attrs}>${body}</testcase>`), options).results.at(0)

  it('takes file and line attributes', () => {
    expect(locate(' file="src/a.c" line="12"', '<failure/>')).toMatchObject({ file: 'src/a.c', line: 12 })
  })

  it('makes paths relative to the source root', () => {
    expect(locate(' file="/home/runner/work/r/src/a.c" line="3"', '', { sourceRoot: '/home/runner/work/r' })).toMatchObject({ file: 'src/a.c', line: 3 })
  })

  it('finds the line of the file attribute in the trace', () => {
    expect(locate(' file="tests/test_x.py"', '<failure>tests/test_x.py:42: AssertionError</failure>')).toMatchObject({ file: 'tests/test_x.py', line: 42 })
  })

  it.each([
    ['a JVM frame of the test class', '<failure>java.lang.AssertionError\n\tat org.junit.Assert.fail(Assert.java:88)\n\tat com.acme.FooTest.t(FooTest.java:18)</failure>', 'com/acme/FooTest.java', 18],
    ['a JVM frame of a nested class', '<failure>at com.acme.FooTest$Inner.t(FooTest.java:7)</failure>', 'com/acme/FooTest.java', 7],
    ['pytest’s location line', '<failure>def test():\n&gt;  assert 1 == 2\nE  assert 1 == 2\n\ntests/test_a.py:9: AssertionError</failure>', 'tests/test_a.py', 9],
    ['a Python frame outside site-packages', '<error>Traceback:\n  File "/usr/lib/python3.11/site-packages/x.py", line 3\n  File "app/test_b.py", line 20, in test</error>', 'app/test_b.py', 20],
    ['a .NET frame', '<failure>at Foo.Bar() in C:\\src\\FooTests.cs:line 42</failure>', 'C:/src/FooTests.cs', 42],
    ['a JavaScript frame outside node_modules', '<failure>Error: x\n    at f (node_modules/jest/a.js:1:1)\n    at Object.&lt;anonymous&gt; (src/sum.test.ts:12:5)</failure>', 'src/sum.test.ts', 12],
    ['a Go test line', '<failure>    sum_test.go:14: got 3, want 4</failure>', 'sum_test.go', 14],
    ['a C++ assertion (Catch2)', '<failure message="REQUIRE( x )">at /src/tests/main.cpp:72</failure>', '/src/tests/main.cpp', 72]
  ])('finds %s', (_, body, file, line) => {
    expect(locate('', body)).toMatchObject({ file, line })
  })

  it('finds nothing in a trace that names no file, and looks only at failing tests', () => {
    const r = locate('', '<failure>expected true</failure>')
    expect(r.file).toBeUndefined()
    expect(locate('', '<system-out>at com.acme.FooTest.t(FooTest.java:18)</system-out>').file).toBeUndefined()
  })

  it('takes linear time on a hostile trace', () => {
    const hostile = 'a'.repeat(9_000) + ' in ' + 'b/'.repeat(500)
    const t = performance.now()
    locate('', `<failure>${hostile}</failure>`)
    expect(performance.now() - t).toBeLessThan(200)
  })
})

describe('times', () => {
  it.each([
    ['1.5', 1500],
    ['0,288', 288],
    ['1,234.5', 1_234_500],
    ['1,234,567', 1_234_567_000],
    ['4.506e-05', 0.04506],
    [' 2 ', 2000],
    ['<<computed>>', 0],
    ['-1', 0],
    ['NaN', 0],
    ['1e999', 0],
    ['0x10', 0],
    ['', 0]
  ])('time="%s" is %d ms', (value, ms) => {
    expect(parseTimeMs(value)).toBeCloseTo(ms, 6)
  })

  it('reads garbage times in a file as 0 without an error', () => {
    const report = read(suite('<testcase classname="C" name="t" time="<<computed>>"/>'))
    expect(report.error).toBeUndefined()
    expect(report.results.at(0).timeMs).toBe(0)
  })
})

describe('XML details', () => {
  it('reads a UTF-8 BOM, comments, processing instructions, CDATA, both quotes and every predefined and numeric entity', () => {
    const xml = '\uFEFF<?xml version="1.0"?><!-- c --><?pi x?><testsuite name=\'a &amp; b\'><!-- <testcase name="no"/> --><testcase classname="C" name="&lt;&gt;&quot;&apos;&#65;&#x42;&#x1F600;"><failure message=\'it&apos;s\'><![CDATA[<raw> & ]]>&amp;<![CDATA[]]></failure></testcase></testsuite>'
    const [c] = (() => {
      const out: TestCase[] = []
      read(xml, { onTestCase: (x) => out.push(x) })
      return out
    })()
    expect(c.suites).toEqual(['a & b'])
    expect(c.name).toBe('<>"\'AB😀')
    expect(c.failure).toEqual({ message: "it's", details: '<raw> & &' })
  })

  it('reads the BOM as bytes too', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<testsuite><testcase classname="C" name="é"/></testsuite>')])
    expect(read(bytes).results.at(0).name).toBe('é')
  })

  it('decodes ISO-8859-1 when the declaration says so, and UTF-16 by its BOM', () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><testcase classname="C" name="'), 0xe9, ...new TextEncoder().encode('"/>')])
    expect(read(latin1).results.at(0).name).toBe('é')
    const text = '<testcase classname="C" name="ü"/>'
    const utf16 = new Uint8Array(2 + text.length * 2)
    utf16.set([0xff, 0xfe])
    for (let i = 0; i < text.length; i++) utf16[2 + i * 2] = text.charCodeAt(i)
    expect(read(utf16).results.at(0).name).toBe('ü')
  })

  it('joins a character whose surrogate pair is cut between two text chunks, and reads text that names another encoding as text', async () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?><testcase classname="C" name="a😀b"/>'
    const cut = xml.indexOf('😀') + 1
    async function* pieces() {
      yield xml.slice(0, cut)
      yield xml.slice(cut)
    }
    const report = await readJUnit(pieces(), 'doc.xml')
    expect(report.error).toBeUndefined()
    expect(report.results.at(0).name).toBe('a😀b')
  })

  it('reads a lone surrogate in text as U+FFFD', () => {
    expect(read('<testcase classname="C" name="a\ud800b"/>').results.at(0).name).toBe('a\ufffdb')
  })

  it('normalizes line breaks, and whitespace in attribute values', () => {
    const [c] = cases('<testcase classname="C" name="t"><failure message="a\r\nb\tc&#10;d">x\r\ny\rz</failure></testcase>')
    expect(c.failure).toEqual({ message: 'a b c\nd', details: 'x\ny\nz' })
  })

  it.each([
    ['a DOCTYPE', '<?xml version="1.0"?>\n<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<testsuite>&xxe;</testsuite>', /<!DOCTYPE> is refused/, 2, 1],
    ['billion laughs', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><testsuite>&lol2;</testsuite>', /<!DOCTYPE> is refused.*billion laughs/, 1, 1],
    ['an ENTITY declaration without a DOCTYPE', '<testsuite><!ENTITY x "y"></testsuite>', /<!ENTITY> declarations are refused/, 1, 12],
    ['an unknown entity in kept text', '<testsuite><testcase name="t"><failure>&nbsp;</failure></testcase></testsuite>', /unknown entity &nbsp;/, 1, 40],
    ['an unknown entity in an attribute', '<testsuite name="&foo;"/>', /unknown entity &foo;/, 1, 1],
    ['a bare ampersand in an attribute', '<testsuite name="a & b"/>', /"&" that starts no entity/, 1, 1],
    ['a character reference to NUL', '<testsuite name="&#0;"/>', /&#0; is not a character XML allows/, 1, 1],
    ['mismatched tags', '<testsuites>\n  <testsuite>\n  </testsuites>', /end tag <\/testsuites> does not match <testsuite>/, 3, 3],
    ['a truncated file', '<testsuites>\n<testsuite name="a">\n<testcase name="t">', /the file ends inside <testcase> \(3 elements left open: truncated\?\)/, 3, 20],
    ['a tag cut in the middle', '<testsuites>\n<testsuite name="a', /the file ends inside a tag/, 2, 1],
    ['an unclosed CDATA', '<testsuite><testcase name="t"><failure><![CDATA[abc', /ends inside a CDATA section/, 1, 52],
    ['an empty file', '', /the file is empty/, 1, 1],
    ['only whitespace', '  \n ', /holds no XML element/, 2, 2],
    ['text that is not XML', 'hello world', /this is not XML: it starts with "hello world"/, 1, 1],
    ['text after the root', '<testsuite/>\ntrailing', /text after the root element/, 2, 1],
    ['an unquoted attribute', '<testsuite name=a/>', /must be in quotes/, 1, 1],
    ['attributes run together', '<testsuite a="1"b="2"/>', /must be separated by whitespace/, 1, 1],
    ['an entity named like an Object property', '<testsuite name="&valueOf;"/>', /unknown entity &valueOf;/, 1, 1],
    ...['&lx;', '&ft;', '&Lt;', '&lg;', '&amq;', '&ap;', '&ampx;', '&quox;', '&apoz;', '&qpos;', '&aquot;', '&;'].map(
      (entity) => [`an entity one letter off a predefined one (${entity})`, `<testsuite name="a${entity}"/>`, new RegExp(`unknown entity ${entity}`), 1, 1] as [string, string, RegExp, number, number]
    ),
    ['a root named like an Object property', '<constructor/>', /^not a JUnit XML file: the root element is <constructor>; JUnit files/, 1, 1]
  ])('refuses %s with an error naming the file, line and column', (_, xml, message, line, column) => {
    const report = read(xml)
    expect(report.error).toEqual({ file: 'report.xml', message: expect.stringMatching(message), line, column })
  })

  it('refuses an encoding it cannot decode, naming it', () => {
    const report = read(new TextEncoder().encode('<?xml version="1.0" encoding="x-unknown"?><testsuite/>'))
    expect(report.error).toEqual({ file: 'report.xml', message: expect.stringMatching(/names encoding "x-unknown", which this reader cannot decode/), line: 1, column: 1 })
  })

  it('keeps what it read before the problem', () => {
    const report = read(suite('<testcase classname="C" name="a"/><testcase classname="C" name="b"><failure/></testcase><testcase classname="C" name="c"><failure>&bogus;</failure></testcase>'))
    expect(report.error?.message).toMatch(/unknown entity/)
    expect(report.runs).toEqual({ total: 2, passed: 1, failed: 1, errored: 0, skipped: 0 })
    expect(report.results.toArray().map((r) => r.name)).toEqual(['a', 'b'])
  })

  it('stops reading a stream at the first error', async () => {
    let pulled = 0
    async function* chunks() {
      for (const c of ['<testsuite><testcase name="a"/>', '</oops>', '<testcase name="b"/>', '</testsuite>']) {
        pulled++
        yield c
      }
    }
    const report = await readJUnit(chunks(), 'stream.xml')
    expect(report.error?.message).toMatch(/<\/oops> does not match <testsuite>/)
    expect(pulled).toBe(2)
    expect(report.runs.total).toBe(1)
  })

  it('reads an encoding declaration cut across chunks that reuse one buffer', async () => {
    // As files.ts does: each chunk is valid only until the next is asked for.
    const bytes = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<testsuite><testcase classname="C" name="caf\xe9"/></testsuite>', 'latin1')
    const buffer = new Uint8Array(3)
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += buffer.length) {
        const n = Math.min(buffer.length, bytes.length - at)
        buffer.set(bytes.subarray(at, at + n))
        yield buffer.subarray(0, n)
        buffer.fill(0x78)
      }
    }
    const report = await readJUnit(chunks(), 'latin1.xml')
    expect(report.error).toBeUndefined()
    expect(report.results.toArray().map((r) => r.name)).toEqual(['café'])
  })

  it('refuses nesting deeper than 512 elements', () => {
    expect(read('<a>'.repeat(600)).error?.message).toMatch(/^not a JUnit XML file/)
    expect(read('<testsuite>'.repeat(600)).error?.message).toMatch(/nested deeper than 512/)
  })
})

describe('text limits', () => {
  it('cuts messages, details and output at their limits and marks the cut', () => {
    const long = 'x'.repeat(50)
    const [c] = (() => {
      const out: TestCase[] = []
      read(suite(`<testcase classname="C" name="t"><failure message="${long}">${long}</failure><system-out>${long}</system-out><system-err>${long}</system-err></testcase>`), {
        limits: { message: 10, details: 20, output: 30 },
        onTestCase: (x) => out.push(x)
      })
      return out
    })()
    expect(c.failure?.message).toBe('x'.repeat(10) + TRUNCATED)
    expect(c.failure?.details).toBe('x'.repeat(20) + TRUNCATED)
    expect(c.output).toBe('x'.repeat(30) + TRUNCATED)
  })

  it('keeps no output unless asked for test cases, and never in results', () => {
    const report = read(suite(`<testcase classname="C" name="t"><system-out>${'y'.repeat(1000)}</system-out></testcase>`))
    expect(JSON.stringify(report)).not.toContain('yyy')
  })

  it('reads a 20 MB system-out in one chunk without error', () => {
    const report = read(suite(`<testcase classname="C" name="t"><failure>boom</failure><system-out><![CDATA[${'z'.repeat(20_000_000)}]]></system-out></testcase>`))
    expect(report.runs.failed).toBe(1)
  })
})
