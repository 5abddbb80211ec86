import { describe, expect, it } from '@jest/globals'
import { approvalState } from '../../src/core/owners/approve.js'
import { selectReviewers } from '../../src/core/owners/blunderbuss.js'
import { renderApprovalNotifier } from '../../src/core/owners/notifier.js'
import { seededRandom } from '../../src/core/random.js'
import { buildOwnersIndex, entriesForPath, ownersForPath, validateOwners } from '../../src/core/owners/resolve.js'

const repo = buildOwnersIndex({
  OWNERS: 'approvers: [root-approvers]\nreviewers: [rita]\nlabels: [kind/repo]\n',
  OWNERS_ALIASES: 'aliases:\n  root-approvers: [alice, bob]\n  sig-node: [nina, ned]\n',
  'pkg/OWNERS': 'approvers: [Paul]\nreviewers: [pete]\nrequired_reviewers: [sec]\nlabels: [area/pkg]\n',
  'pkg/kubelet/OWNERS': 'approvers: [SIG-NODE, unknown-alias]\nreviewers: [kim]\nlabels: [sig/node]\n',
  'pkg/kubelet/secret/OWNERS': 'options:\n  no_parent_owners: true\napprovers: [sam]\nlabels: [area/secret]\n',
  'pkg/quiet/OWNERS': 'options:\n  no_parent_owners: true\nreviewers: [quinn]\n',
  'docs/OWNERS': 'filters:\n  ".*":\n    reviewers: [dora]\n  "^README\\\\.md$":\n    approvers: [dan]\n',
  'api/OWNERS': 'filters:\n  "\\\\.md$":\n    approvers: [writer]\n    labels: [kind/documentation]\n  "_test\\\\.go$":\n    reviewers: [tester]\n'
})

describe('resolving OWNERS for a path', () => {
  it.each([
    ['a root file is owned by the root OWNERS, aliases expanded', 'main.go', { approvers: ['alice', 'bob'], leafApprovers: ['alice', 'bob'], reviewers: ['rita'], approverOwnersFile: 'OWNERS', ownersFiles: ['OWNERS'], labels: ['kind/repo'] }],
    [
      'a nested file unions every OWNERS up to the root, closest first',
      'pkg/util/x.go',
      { approvers: ['alice', 'bob', 'paul'], leafApprovers: ['paul'], reviewers: ['pete', 'rita'], requiredReviewers: ['sec'], labels: ['area/pkg', 'kind/repo'], approverOwnersFile: 'pkg/OWNERS', ownersFiles: ['pkg/OWNERS', 'OWNERS'] }
    ],
    [
      'an alias is matched case-insensitively and an unknown alias name stays a login, as in Prow',
      'pkg/kubelet/k.go',
      { approvers: ['alice', 'bob', 'ned', 'nina', 'paul', 'unknown-alias'], leafApprovers: ['ned', 'nina', 'unknown-alias'], approverOwnersFile: 'pkg/kubelet/OWNERS' }
    ],
    [
      'no_parent_owners stops the walk for each kind once something was found (reviewers and required reviewers continue here)',
      'pkg/kubelet/secret/s.go',
      { approvers: ['sam'], reviewers: ['kim', 'pete', 'rita'], labels: ['area/secret'], requiredReviewers: ['sec'], ownersFiles: ['pkg/kubelet/secret/OWNERS', 'pkg/kubelet/OWNERS', 'pkg/OWNERS', 'OWNERS'] }
    ],
    [
      'no_parent_owners on a level without approvers lets approvers come from above (Prow stops only once something was found)',
      'pkg/quiet/q.go',
      { approvers: ['alice', 'bob', 'paul'], reviewers: ['quinn'], approverOwnersFile: 'pkg/OWNERS' }
    ],
    ['a filter matches the path relative to the OWNERS directory', 'docs/README.md', { approvers: ['alice', 'bob', 'dan'], leafApprovers: ['dan'], reviewers: ['dora', 'rita'], approverOwnersFile: 'docs/OWNERS' }],
    ['a filter anchored at the OWNERS directory does not match deeper files', 'docs/guide/README.md', { approvers: ['alice', 'bob'], approverOwnersFile: 'OWNERS' }],
    ['a .md filter applies to markdown files only', 'api/types.md', { approvers: ['alice', 'bob', 'writer'], labels: ['kind/documentation', 'kind/repo'], approverOwnersFile: 'api/OWNERS' }],
    ['a file that no filter matches is owned by the next OWNERS up', 'api/types.go', { approvers: ['alice', 'bob'], reviewers: ['rita'], labels: ['kind/repo'], approverOwnersFile: 'OWNERS', ownersFiles: ['OWNERS'] }],
    ['filters for different keys combine', 'api/types_test.go', { reviewers: ['rita', 'tester'], approverOwnersFile: 'OWNERS' }],
    ['a leading ./ is ignored', './pkg/x.go', { path: 'pkg/x.go', approverOwnersFile: 'pkg/OWNERS' }]
  ])('%s', (_name, path, expected) => {
    expect(ownersForPath(repo, path)).toMatchObject(expected)
  })

  it('answers null and empty lists when no OWNERS file exists', () => {
    const empty = buildOwnersIndex({})
    expect(ownersForPath(empty, 'a/b.go')).toEqual({ path: 'a/b.go', ownersFiles: [], approvers: [], reviewers: [], leafApprovers: [], leafReviewers: [], requiredReviewers: [], labels: [], approverOwnersFile: null })
  })

  it('layers reviewers closest first, each layer without the people of closer ones', () => {
    expect(entriesForPath(repo, 'pkg/kubelet/k.go', 'reviewers')).toEqual([
      { dir: 'pkg/kubelet', entries: ['kim'] },
      { dir: 'pkg', entries: ['pete'] },
      { dir: '', entries: ['rita'] }
    ])
    expect(entriesForPath(repo, 'pkg/kubelet/k.go', 'reviewers', true)).toEqual([{ dir: 'pkg/kubelet', entries: ['kim'] }])
  })

  it('gives the same answer whatever order the snapshot lists the files in', () => {
    const files = { 'a/OWNERS': 'approvers: [zoe, yann]\n', OWNERS: 'approvers: [bea, abe]\n' }
    const reversed = Object.fromEntries(Object.entries(files).reverse())
    expect(ownersForPath(buildOwnersIndex(files), 'a/f')).toEqual(ownersForPath(buildOwnersIndex(reversed), 'a/f'))
    expect(ownersForPath(buildOwnersIndex(files), 'a/f').approvers).toEqual(['abe', 'bea', 'yann', 'zoe'])
  })

  it('uses what it can of an invalid OWNERS file and reports every problem, sorted by file and line', () => {
    const index = buildOwnersIndex({
      OWNERS: 'approvers: [alice]\n',
      'a/OWNERS': 'approvers: [ann]\nreviewrs: [x]\n',
      'b/OWNERS': 'approvers: [b\n',
      'c/OWNERS_ALIASES': 'aliases: {}\n',
      'README.md': 'not an OWNERS file'
    })
    expect(ownersForPath(index, 'a/x').approvers).toEqual(['alice', 'ann'])
    expect(ownersForPath(index, 'b/x').approverOwnersFile).toBe('OWNERS')
    expect(validateOwners(index).map((e) => `${e.file}:${e.line}`)).toEqual(['a/OWNERS:2', 'b/OWNERS:2', 'c/OWNERS_ALIASES:1'])
  })
})

describe('robustness', () => {
  it('never throws on random repositories, paths and histories', () => {
    const random = seededRandom(99)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]
    const dirs = ['', 'a', 'a/b', 'a/b/c', 'x', './a', '/a', 'a//b', 'OWNERS', '..', 'a/../b']
    const texts = ['approvers: [u1, u2]\n', 'options: {no_parent_owners: true}\nreviewers: [u3]\n', 'filters:\n  "\\\\.md$":\n    approvers: [u4]\n  "(":\n    approvers: [u5]\n', 'options:\n  auto_approve_unowned_subfolders: true\napprovers: [team]\n', '[[[', '', 'approvers: team\n', 'labels: [a, b]\nrequired_reviewers: [u1]\n']
    for (let n = 0; n < 300; n++) {
      const owners: Record<string, string> = { OWNERS_ALIASES: pick(['aliases: {team: [u6, u7]}\n', 'aliases: 3\n', '']) }
      for (let k = 0; k < 5; k++) owners[`${pick(dirs)}/OWNERS`.replace(/^\//, '')] = pick(texts)
      const index = buildOwnersIndex(owners)
      const files = Array.from({ length: 1 + Math.floor(random() * 4) }, () => `${pick(dirs)}/${pick(['f.go', 'R.md', '', 'x/y.go'])}`)
      const history = Array.from({ length: 3 }, (_, i) => ({ author: pick(['u1', 'U4', 'team', '', 'bot[bot]']), body: pick(['/approve', '/approve cancel', '/lgtm', '```\n/approve', 'hi']), at: pick(['2024-01-01T00:00:0' + i + 'Z', 'not a date']), review: pick([undefined, 'APPROVED', 'CHANGES_REQUESTED', 'PENDING'] as const) }))
      expect(() => {
        validateOwners(index)
        const state = approvalState({ files, index, author: pick(['u1', '']), history, options: { require_self_approval: random() < 0.5, lgtm_acts_as_approve: random() < 0.5, ignore_review_state: random() < 0.5 }, prNumber: n })
        renderApprovalNotifier(state, { owner: 'o', repo: 'r', branch: 'main', prNumber: n })
        selectReviewers({ files, index, author: 'u1', prNumber: n, count: Math.floor(random() * 4) })
      }).not.toThrow()
    }
  })

  it('handles very deep paths', () => {
    const deep = Array(2000).fill('d').join('/')
    const index = buildOwnersIndex({ OWNERS: 'filters:\n  "x$":\n    approvers: [a]\n  ".*":\n    approvers: [b]\n' })
    expect(ownersForPath(index, `${deep}/x`).approvers).toEqual(['a', 'b'])
  })
})
