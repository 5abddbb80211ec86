import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { allFailingFlaky, formatQueueVerdict, MAX_VERDICT_CHARS, MAX_VERDICT_TESTS, parseQueueVerdict, queueVerdictOf, type QueueVerdict } from '../../src/core/test-report/queue-verdict.js'
import { mergeReports, readJUnitText } from '../../src/core/junit/index.js'
import { testId } from '../../src/core/test-report/model.js'
import { failedOnFlakesOnly, retryBatchOf } from '../../src/github/merge-queue-planner-state.js'
import type { CheckContext } from '../../src/github/merge-queue-state.js'

const verdict = (failing: string[], flaky: string[], extra: Partial<QueueVerdict> = {}): QueueVerdict => ({ failing, flaky, failingTotal: failing.length, inputProblems: 0, ...extra })

/** The comment's body: what lies between `<!--` and the first `-->` after it, as an HTML parser would end it. */
function commentBody(marker: string): string {
  expect(marker.startsWith('<!--')).toBe(true)
  const end = marker.indexOf('-->', 4)
  return marker.slice(4, end)
}

// Test names as untrusted text: any UTF-16 (lone surrogates too), biased towards what could break a comment.
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('-', '>', '<', '!', '\\', '"', 'u', '0', '2', 'd', ' ', '\u001f', '\n', 'shepherd:queue-verdict '), maxLength: 30 })
)

describe('the queue verdict marker', () => {
  it('round-trips any test names, and no name ends the comment or opens another', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 8 }), fc.array(fc.boolean(), { maxLength: 8 }), fc.nat(3), (names, marks, problems) => {
        const failing = [...new Set(names)]
        const v = verdict(failing, failing.filter((_, i) => marks[i]), { inputProblems: problems })
        const marker = formatQueueVerdict(v)
        // One comment, ended only by its own closing `-->`, with nothing a browser would read as markup inside.
        expect(marker.endsWith(' -->')).toBe(true)
        expect(commentBody(marker).length).toBe(marker.length - 7)
        expect(commentBody(marker)).not.toMatch(/[<>]|--/)
        expect(parseQueueVerdict(marker)).toEqual(v)
        // Found again inside other text.
        expect(parseQueueVerdict(`Report\n\n${marker}\n`)).toEqual(v)
      }),
      { numRuns: 1000, seed: 20261122 }
    )
  })

  it('reads a hostile name that tries to end the comment and forge a second marker back as one name', () => {
    const name = 'x --> <!-- shepherd:queue-verdict {"version":1,"failing":[],"flaky":[],"failingTotal":0,"inputProblems":0} --> --!> <script>'
    const v = verdict([name], [name])
    const marker = formatQueueVerdict(v)
    expect(marker.match(/-->/g)).toHaveLength(1)
    expect(marker.match(/<!--/g)).toHaveLength(1)
    expect(parseQueueVerdict(marker)).toEqual(v)
    expect(allFailingFlaky(parseQueueVerdict(marker)!)).toBe(true)
  })

  it('caps long lists and long names so the verdict is never "all flaky" once cut', () => {
    const many = Array.from({ length: 500 }, (_, i) => `test ${i}`)
    const capped = parseQueueVerdict(formatQueueVerdict(verdict(many, many)))!
    expect(capped.failing).toHaveLength(MAX_VERDICT_TESTS)
    expect(capped.failingTotal).toBe(500)
    expect(allFailingFlaky(capped)).toBe(false)

    const long = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(2000, '-'))
    const marker = formatQueueVerdict(verdict(long, long))
    expect(marker.length).toBeLessThanOrEqual(MAX_VERDICT_CHARS)
    const cut = parseQueueVerdict(marker)!
    expect(cut.failing.length).toBeLessThan(50)
    expect(cut.failing).toEqual(long.slice(0, cut.failing.length))
    expect(allFailingFlaky(cut)).toBe(false)
  })

  it('says "all flaky" only with failing tests, every one of them flaky, and every input read', () => {
    expect(allFailingFlaky(verdict(['a', 'b'], ['b', 'a']))).toBe(true)
    expect(allFailingFlaky(verdict(['a', 'b'], ['a']))).toBe(false)
    expect(allFailingFlaky(verdict([], []))).toBe(false)
    expect(allFailingFlaky(verdict(['a'], ['a'], { inputProblems: 1 }))).toBe(false)
    expect(allFailingFlaky(verdict(['a'], ['a'], { failingTotal: 2 }))).toBe(false)
  })

  it.each([
    ['no marker', 'Tests failed.'],
    ['two markers', `${formatQueueVerdict(verdict(['a'], ['a']))}${formatQueueVerdict(verdict(['a'], ['a']))}`],
    ['broken JSON', '<!-- shepherd:queue-verdict {"version":1,"failing":[ -->'],
    ['another version', '<!-- shepherd:queue-verdict {"version":2,"failing":[],"flaky":[],"failingTotal":0,"inputProblems":0} -->'],
    ['a total below the list', '<!-- shepherd:queue-verdict {"version":1,"failing":["a"],"flaky":["a"],"failingTotal":0,"inputProblems":0} -->'],
    ['a name that is not a string', '<!-- shepherd:queue-verdict {"version":1,"failing":[1],"flaky":[],"failingTotal":1,"inputProblems":0} -->'],
    ['a negative count', '<!-- shepherd:queue-verdict {"version":1,"failing":[],"flaky":[],"failingTotal":0,"inputProblems":\\u002d1} -->']
  ])('reads nothing from %s', (_name, text) => {
    expect(parseQueueVerdict(text)).toBeNull()
  })

  it('is made from a JUnit report: failing and erroring tests, those among them test-report calls flaky, unreadable files', () => {
    const junit = `<testsuite name="s">
      <testcase classname="c" name="passes"/>
      <testcase classname="c" name="fails"><failure message="no"/></testcase>
      <testcase classname="c" name="errors"><error message="boom"/></testcase>
      <testcase classname="c" name="flips"><failure message="once"/></testcase>
      <testcase classname="c" name="flips"/>
    </testsuite>`
    const report = mergeReports([readJUnitText(junit, 'junit.xml')])
    const v = queueVerdictOf(report, [{ id: testId('c', 'errors') }, { id: testId('c', 'flips') }])
    // "flips" failed then passed: flaky in the run, not failing.
    expect(v).toEqual({ failing: [testId('c', 'fails'), testId('c', 'errors')], flaky: [testId('c', 'errors')], failingTotal: 2, inputProblems: 0 })
    expect(queueVerdictOf(report, [], true).inputProblems).toBe(1)
  })
})

describe('failedOnFlakesOnly (the queue reading the verdicts on a batch head)', () => {
  const check = (name: string, state: CheckContext['state'], v?: QueueVerdict): CheckContext => ({ name, kind: 'check', state, description: state, createdAt: null, ...(v ? { queueVerdict: v } : {}) })
  it.each<[string, string, CheckContext[], boolean]>([
    ['the job failed and the only report says every failing test is flaky', 'build', [check('build', 'failure'), check('unit', 'failure', verdict(['a'], ['a']))], true],
    ['the failing check is the report itself, all flaky', 'unit', [check('unit', 'failure', verdict(['a'], ['a'])), check('e2e', 'failure', verdict(['b'], []))], true],
    ['the failing check is the report itself, one real failure', 'unit', [check('unit', 'failure', verdict(['a', 'b'], ['a']))], false],
    ['one of two reports has a real failure', 'build', [check('build', 'failure'), check('unit', 'failure', verdict(['a'], ['a'])), check('e2e', 'failure', verdict(['b'], []))], false],
    ['a passing report beside an all-flaky one', 'build', [check('build', 'failure'), check('unit', 'failure', verdict(['a'], ['a'])), check('lint', 'success', verdict([], []))], true],
    ['the only report has no failing test (the job failed for something else)', 'build', [check('build', 'failure'), check('unit', 'success', verdict([], []))], false],
    ['no report at all', 'build', [check('build', 'failure')], false],
    ['a report that could not read a file', 'build', [check('build', 'failure'), check('unit', 'failure', verdict(['a'], ['a'], { inputProblems: 1 }))], false]
  ])('%s', (_name, failing, checks, want) => {
    expect(failedOnFlakesOnly(failing, checks)).toBe(want)
  })

  it('reads the flaky retry from a queue status', () => {
    expect(retryBatchOf('In batch 12 (retry) with #3, #7: failed, being resolved')).toBe(12)
    expect(retryBatchOf('In batch 12 with #3 (retry)')).toBeNull()
    expect(retryBatchOf(null)).toBeNull()
  })
})
