import { describe, expect, it } from '@jest/globals'
import { planPullRequest, sizeLabel, isWipTitle } from '../../src/core/triage/pull-request.js'
import { snapshotOf } from '../support/snapshots.js'

const files = (n: number) => [{ path: 'src/a.ts', additions: n, deletions: 0 }]

describe('size labels (Prow’s thresholds)', () => {
  it.each([
    [0, 'size/XS'],
    [9, 'size/XS'],
    [10, 'size/S'],
    [29, 'size/S'],
    [30, 'size/M'],
    [99, 'size/M'],
    [100, 'size/L'],
    [499, 'size/L'],
    [500, 'size/XL'],
    [999, 'size/XL'],
    [1000, 'size/XXL']
  ])('%i changed lines is %s', (lines, label) => expect(sizeLabel(lines)).toBe(label))

  it('labels a new pull request by its size', () => {
    expect(planPullRequest('opened', snapshotOf({ item: { changedFiles: files(42) } }))).toContainEqual({ type: 'label.add', issue: 7, label: 'size/M' })
  })

  it('replaces the old size label when a push changes the size', () => {
    const effects = planPullRequest('synchronize', snapshotOf({ item: { labels: ['size/XS'], changedFiles: files(120) } }))
    expect(effects.slice(0, 2)).toEqual([
      { type: 'label.remove', issue: 7, label: 'size/XS' },
      { type: 'label.add', issue: 7, label: 'size/L' }
    ])
  })

  it('leaves generated files out of the count', () => {
    const snap = snapshotOf({
      config: 'triage:\n  size:\n    generated_files: ["**/zz_generated.*", "vendor/**"]\n',
      item: { changedFiles: [{ path: 'pkg/api/zz_generated.deepcopy.go', additions: 5000, deletions: 0 }, { path: 'vendor/x/y.go', additions: 900, deletions: 0 }, { path: 'pkg/api/types.go', additions: 12, deletions: 0 }] }
    })
    expect(planPullRequest('opened', snap)).toContainEqual({ type: 'label.add', issue: 7, label: 'size/S' })
  })

  it('does not relabel the size when only the title changed', () => {
    expect(planPullRequest('edited', snapshotOf({ item: { changedFiles: files(500) } })).filter((e) => 'label' in e && e.label.startsWith('size/'))).toEqual([])
  })
})

describe('work in progress', () => {
  it.each([
    ['WIP: faster widgets', true],
    ['[WIP] faster widgets', true],
    ['wip faster widgets', true],
    ['WIP', true],
    ['Wipe the cache', false],
    ['Faster widgets (WIP)', false]
  ])('title %j is WIP: %s', (title, wip) => expect(isWipTitle(title)).toBe(wip))

  it('marks a draft', () => {
    expect(planPullRequest('converted_to_draft', snapshotOf({ item: { draft: true } }))).toContainEqual({ type: 'label.add', issue: 7, label: 'do-not-merge/work-in-progress' })
  })

  it('clears the label when the pull request is ready and the title is plain', () => {
    expect(planPullRequest('ready_for_review', snapshotOf({ item: { labels: ['do-not-merge/work-in-progress'] } }))).toEqual([
      { type: 'label.remove', issue: 7, label: 'do-not-merge/work-in-progress' }
    ])
  })
})

describe('needs-rebase', () => {
  it('is added when GitHub reports a conflict', () => {
    expect(planPullRequest('synchronize', snapshotOf({ item: { mergeable: 'CONFLICTING' } }))).toContainEqual({ type: 'label.add', issue: 7, label: 'needs-rebase' })
  })
  it('is removed once the conflict is gone', () => {
    expect(planPullRequest('synchronize', snapshotOf({ item: { mergeable: 'MERGEABLE', labels: ['needs-rebase'] } }))).toContainEqual({ type: 'label.remove', issue: 7, label: 'needs-rebase' })
  })
  it('is left alone while GitHub has not decided', () => {
    expect(planPullRequest('synchronize', snapshotOf({ item: { mergeable: 'UNKNOWN', labels: ['needs-rebase'] } })).filter((e) => 'label' in e && e.label === 'needs-rebase')).toEqual([])
  })
})

describe('needs-ok-to-test', () => {
  it('welcomes an untrusted author and asks for /ok-to-test', () => {
    const effects = planPullRequest('opened', snapshotOf())
    expect(effects).toContainEqual({ type: 'label.add', issue: 7, label: 'needs-ok-to-test' })
    const welcome = effects.find((e) => e.type === 'comment.create')
    expect(welcome).toMatchObject({ marker: 'welcome' })
    expect((welcome as { body: string }).body).toMatch(/^Hi @contributor\. Thanks for your PR\./)
  })

  it.each([
    ['an org member', 'member'],
    ['a collaborator with write access', 'reviewer'],
    ['an admin', 'maintainer']
  ])('trusts %s', (_who, login) => {
    expect(planPullRequest('opened', snapshotOf({ item: { author: login } })).filter((e) => 'label' in e && e.label === 'needs-ok-to-test')).toEqual([])
  })

  it('trusts a member of a configured trusted team', () => {
    const snap = snapshotOf({ config: 'triage:\n  trusted:\n    teams: [acme/friends]\n', users: { contributor: { teams: ['acme/friends'] } } })
    expect(planPullRequest('opened', snap).filter((e) => 'label' in e && e.label === 'needs-ok-to-test')).toEqual([])
  })

  it('trusts a member of a configured trusted organization', () => {
    const snap = snapshotOf({ config: 'triage:\n  trusted:\n    orgs: [friends]\n', users: { contributor: { orgs: ['friends'] } } })
    expect(planPullRequest('opened', snap).filter((e) => 'label' in e && e.label === 'needs-ok-to-test')).toEqual([])
  })

  it('does nothing when configured off', () => {
    const snap = snapshotOf({ config: 'triage:\n  ok_to_test:\n    require_ok_to_test_for_untrusted: false\n' })
    expect(planPullRequest('opened', snap).filter((e) => e.type === 'comment.create')).toEqual([])
  })
})

it('does nothing on a closed pull request or an issue', () => {
  expect(planPullRequest('opened', snapshotOf({ item: { state: 'closed', draft: true } }))).toEqual([])
  expect(planPullRequest('opened', snapshotOf({ item: { isPullRequest: false, draft: true } }))).toEqual([])
})
