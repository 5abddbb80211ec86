import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { planTriage } from '../src/core/triage/plan.js'
import type { TriageEvent } from '../src/core/triage/event.js'
import { snapshotOf } from './support/snapshots.js'

interface CorpusCase {
  body: string
  context?: string
  expected: { labels_add: string[]; labels_remove: string[] }
  source: string
  parse_check: { fn: string; want: string | null }
}

const corpus = (JSON.parse(readFileSync(new URL('./fixtures/prow-commands-corpus.json', import.meta.url), 'utf8')) as CorpusCase[]).filter(
  (c) => c.parse_check.fn === 'hold'
)

const HOLD = 'do-not-merge/hold'
const event = (over: Partial<TriageEvent> = {}): TriageEvent => ({
  source: 'issue_comment',
  action: 'created',
  body: '/hold',
  author: 'contributor',
  authorIsBot: false,
  number: 7,
  isPull: true,
  commentId: 1,
  headSha: null,
  ...over
})
/** Plans a comment by `contributor` (read access: hold needs no rights) on #7. */
const plan = (body: string, labels: string[] = [], isPull = true, config?: string) =>
  planTriage({ event: event({ body }) }, snapshotOf({ item: { labels, isPullRequest: isPull }, config })).effects

describe('Prow’s own hold test cases', () => {
  it('covers the corpus', () => expect(corpus.length).toBeGreaterThanOrEqual(5))
  it.each(corpus.map((c) => [c.source.split('"')[1] ?? c.body, c] as const))('%s', (_name, c) => {
    const labels = c.context?.includes(HOLD) ? [HOLD] : []
    const isPull = !c.context?.startsWith('issue')
    const effects = plan(c.body, labels, isPull)
    expect(effects.filter((e) => e.type === 'label.add').map((e) => (e as { label: string }).label)).toEqual(c.expected.labels_add)
    expect(effects.filter((e) => e.type === 'label.remove').map((e) => (e as { label: string }).label)).toEqual(c.expected.labels_remove)
  })
})

describe('hold commands', () => {
  it.each([
    ['/hold on an unlabelled PR adds the label', '/hold', [], [{ type: 'label.add', issue: 7, label: HOLD }]],
    ['/HOLD is case-insensitive', '/HOLD', [], [{ type: 'label.add', issue: 7, label: HOLD }]],
    ['/hold on a held PR changes nothing', '/hold', [HOLD], []],
    ['/hold cancel removes the label', '/hold cancel', [HOLD], [{ type: 'label.remove', issue: 7, label: HOLD }]],
    ['/unhold removes the label', '/unhold', [HOLD], [{ type: 'label.remove', issue: 7, label: HOLD }]],
    ['/remove-hold removes the label', '/remove-hold please', [HOLD], [{ type: 'label.remove', issue: 7, label: HOLD }]],
    ['/hold cancellation is a hold with a reason', '/hold cancellation of the release', [], [{ type: 'label.add', issue: 7, label: HOLD }]],
    ['/holdx is not a command', '/holdx', [], []],
    ['a hold mid-sentence never fires', 'please /hold', [], []],
    ['an indented hold never fires', '  /hold', [], []],
    ['a quoted hold never fires', '> /hold', [], []],
    ['a fenced hold never fires', '```\n/hold\n```', [], []],
    ['a tilde-fenced hold never fires', '~~~sh\n/hold\n~~~', [], []],
    ['a hold in an HTML comment never fires', '<!--\n/hold\n-->', [], []],
    ['a hold after a closed fence fires', '```\ncode\n```\n/hold', [], [{ type: 'label.add', issue: 7, label: HOLD }]],
    ['the last line wins: hold then cancel', '/hold\n/hold cancel', [HOLD], [{ type: 'label.remove', issue: 7, label: HOLD }]],
    ['the last line wins: cancel then hold', '/unhold\n/hold', [], [{ type: 'label.add', issue: 7, label: HOLD }]],
    ['CRLF line endings work', 'LGTM\r\n/hold\r\n', [], [{ type: 'label.add', issue: 7, label: HOLD }]]
  ])('%s', (_name, body, labels, expected) => {
    expect(plan(body as string, labels as string[])).toEqual(expected)
  })
})

describe('the triage planner', () => {
  it('runs commands from a new comment', () => {
    expect(plan('/hold')).toEqual([{ type: 'label.add', issue: 7, label: HOLD }])
  })
  it('does not run commands from an edited comment', () => {
    const p = planTriage({ event: event({ action: 'edited' }) }, snapshotOf())
    expect(p.effects).toEqual([])
    expect(p.skipped).toMatch(/edited/)
  })
  it('ignores Shepherd’s own comments', () => {
    expect(planTriage({ event: event({ author: 'github-actions[bot]' }) }, snapshotOf()).effects).toEqual([])
  })
  it('honours a configured hold label', () => {
    expect(plan('/hold', [], true, 'triage:\n  hold:\n    label: hold\n')).toEqual([{ type: 'label.add', issue: 7, label: 'hold' }])
  })
  it('ignores a disabled command, and its cancellations', () => {
    expect(plan('/hold', [], true, 'triage:\n  commands:\n    disabled: [hold]\n')).toEqual([])
    expect(plan('/unhold', [HOLD], true, 'triage:\n  commands:\n    disabled: [hold]\n')).toEqual([])
  })
})
