import { describe, expect, it } from '@jest/globals'
import { approvalState, associatedIssue, removeSubdirs } from '../../src/core/owners/approve.js'
import { approvalsFromHistory, historyFromSnapshot, type HistoryItem } from '../../src/core/owners/history.js'
import { buildOwnersIndex } from '../../src/core/owners/resolve.js'

const DEFAULTS = { require_self_approval: false, lgtm_acts_as_approve: false, ignore_review_state: false }

/** Prow's approve_test.go repository: a/ alice; a/b/ bob (alice inherited); c/ cblecker, cjwagner; e/ spxtr. */
const handleRepo = buildOwnersIndex({
  'a/OWNERS': 'approvers: [Alice]\n',
  'a/b/OWNERS': 'approvers: [Bob]\n',
  'c/OWNERS': 'approvers: [cblecker, cjwagner]\n',
  'e/OWNERS': 'approvers: [spxtr]\n'
})

/** Prow's approvers_test.go repository (TestUnapprovedFiles, TestGetFiles, TestGetCCs). */
const ccRepo = buildOwnersIndex({
  OWNERS: 'approvers: [Alice, Bob]\n',
  'a/OWNERS': 'approvers: [Art, Anne]\n',
  'b/OWNERS': 'approvers: [Bill, Ben, Barbara]\n',
  'c/OWNERS': 'approvers: [Chris, Carol]\n',
  'a/d/OWNERS': 'approvers: [David, Dan, Debbie]\n',
  'a/combo/OWNERS': 'approvers: [Eve, Erin, David, Dan, Debbie, Chris, Carol]\n'
})

let clock = 0
const comment = (author: string, body: string, extra: Partial<HistoryItem> = {}): HistoryItem => ({ author, body, at: new Date(Date.UTC(2024, 0, 1, 0, 0, clock++)).toISOString(), ...extra })
const review = (author: string, state: HistoryItem['review'], body = '') => comment(author, body, { review: state })

describe('Prow’s own approve plugin cases (approve_test.go TestHandle)', () => {
  const state = (files: string[], history: HistoryItem[], options: Partial<typeof DEFAULTS> = {}, author = 'cjwagner') =>
    approvalState({ files, index: handleRepo, author, history, options: { ...DEFAULTS, ...options }, prNumber: 101 })

  it.each([
    ['implicit self approval on', ['c/c.go'], [], {}, true],
    ['implicit self approval off', ['c/c.go'], [], { require_self_approval: true }, false],
    ['explicit self approval with implicit self approval off', ['c/c.go'], [comment('cjwagner', '/approve')], { require_self_approval: true }, true],
    ['cancel implicit self approve', ['c/c.go'], [comment('CJWagner', '/approve cancel')], {}, false],
    ['cancel implicit self approve (with lgtm-after-commit message)', ['c/c.go'], [comment('CJWagner', '/lgtm cancel //PR changed after LGTM, removing LGTM.')], { lgtm_acts_as_approve: true }, false],
    ['approve by an approver of the only file', ['a/a.go'], [comment('Alice', 'stuff\n/approve\nmore stuff')], {}, true],
    ['an approver’s approval of a parent covers a subdirectory', ['a/b/b.go'], [comment('alice', '/approve')], {}, true],
    ['a child approver does not cover the parent', ['a/a.go', 'a/b/b.go'], [comment('bob', '/approve')], {}, false],
    ['approval from someone who is not an approver does not count', ['a/a.go'], [comment('spxtr', '/approve')], {}, false],
    ['partial approval: one of two OWNERS files', ['a/a.go', 'e/e.go'], [comment('alice', '/approve')], {}, false],
    ['lgtm means approve', ['a/a.go', 'a/aa.go'], [comment('alice', 'stuff\n/lgtm\nblah')], { lgtm_acts_as_approve: true }, true],
    ['lgtm does not mean approve', ['a/a.go', 'a/aa.go'], [comment('alice', 'stuff\n/lgtm\nblah')], {}, false],
    ['remove approval with /approve cancel', ['a/a.go'], [comment('Alice', '/approve no-issue'), comment('Alice', 'stuff\n/approve cancel \nmore stuff')], {}, false],
    ['/remove-approve removes approval', ['a/a.go'], [comment('alice', '/approve'), comment('alice', '/remove-approve')], {}, false],
    ['an approval after a cancel approves again', ['a/a.go'], [comment('alice', '/approve cancel'), comment('alice', '/approve')], {}, true],
    ['approve cancel command supersedes simultaneous approved review', ['a/a.go', 'c/c.go'], [comment('alice', '/approve'), review('cjwagner', 'APPROVED', '/approve cancel')], {}, false],
    ['approve command supersedes simultaneous changes requested review', ['a/a.go'], [review('Alice', 'CHANGES_REQUESTED', '/approve')], {}, true],
    ['review in approve state means approve', ['a/a.go'], [review('alice', 'APPROVED')], {}, true],
    ['review in request changes state means cancel', ['a/a.go'], [comment('alice', '/approve'), review('alice', 'CHANGES_REQUESTED')], {}, false],
    ['review in approve state is ignored with ignore_review_state', ['a/a.go'], [review('alice', 'APPROVED')], { ignore_review_state: true }, false],
    ['request changes is ignored with ignore_review_state', ['a/a.go'], [comment('alice', '/approve'), review('alice', 'CHANGES_REQUESTED')], { ignore_review_state: true }, true],
    ['a commented review is not an approval, but a command in its body is', ['a/a.go'], [review('alice', 'COMMENTED', 'nice\n/approve')], {}, true],
    ['a pending review counts for nothing', ['a/a.go'], [review('alice', 'PENDING', '/approve')], {}, false],
    ['a dismissed review’s state counts for nothing', ['a/a.go'], [review('alice', 'DISMISSED')], {}, false],
    ['bot comments are ignored', ['a/a.go'], [comment('alice', '/approve', { isBot: true })], {}, false],
    ['GitHub App comments are ignored', ['a/a.go'], [comment('alice[bot]', '/approve')], {}, false],
    ['within one comment the last command line wins (approve)', ['a/a.go'], [comment('alice', '/approve cancel\n/approve')], {}, true],
    ['within one comment the last command line wins (cancel)', ['a/a.go'], [comment('alice', '/approve\n/approve cancel')], {}, false],
    ['a quoted or fenced /approve is not a command', ['a/a.go'], [comment('alice', '> /approve\n```\n/approve\n```')], {}, false],
    ['/APPROVE is case-insensitive', ['a/a.go'], [comment('alice', '/APPROVE')], {}, true],
    ['history is replayed in time order, not list order', ['a/a.go'], [{ ...comment('alice', '/approve'), at: '2030-01-01T00:00:00Z' }, { ...comment('alice', '/approve cancel'), at: '2020-01-01T00:00:00Z' }], {}, true],
    ['a renamed file also needs approval for its old path', [], [comment('alice', '/approve')], {}, false]
  ])('%s', (_name, files, history, options, approved) => {
    const changed = files.length ? files : [{ path: 'a/moved.go', previousPath: 'e/moved.go' }]
    expect(approvalState({ files: changed, index: handleRepo, author: 'cjwagner', history, options: { ...DEFAULTS, ...options }, prNumber: 101 }).approved).toBe(approved)
  })

  it('a PR with no changed files is not approved', () => {
    expect(state([], [comment('alice', '/approve')]).approved).toBe(false)
  })

  it('records who approved and how, and which OWNERS files each approval satisfies', () => {
    const s = state(['a/a.go', 'c/c.go', 'e/e.go'], [comment('Alice', '/approve'), review('spxtr', 'APPROVED'), comment('random', '/approve')], { lgtm_acts_as_approve: true })
    expect(s.approvers.map((a) => [a.login, a.how])).toEqual([['Alice', 'approve'], ['cjwagner', 'author'], ['random', 'approve'], ['spxtr', 'review']])
    expect(s.files.map((f) => [f.ownersFile, f.approvedBy, f.approved])).toEqual([
      ['a/OWNERS', ['Alice'], true],
      ['c/OWNERS', ['cjwagner'], true],
      ['e/OWNERS', ['spxtr'], true]
    ])
    expect(s.approved).toBe(true)
  })

  it('keeps an earlier no-issue approval over a later plain one (Prow’s shouldNotOverrideApproval)', () => {
    const approvals = approvalsFromHistory([comment('alice', '/approve no-issue'), comment('alice', '/approve')], 'x', DEFAULTS)
    expect(approvals.get('alice')).toMatchObject({ noIssue: true })
  })

  it.each([
    ['no associated issue and no no-issue approval', '', [comment('alice', '/approve')], false],
    ['an issue reference in the body', 'Fixes #42', [comment('alice', '/approve')], true],
    ['a no-issue approval from an approver', '', [comment('alice', '/approve no-issue')], true],
    ['a no-issue approval from someone who approves nothing', '', [comment('alice', '/approve'), comment('spxtr', '/approve no-issue')], false]
  ])('with issue_required: %s', (_name, body, history, approved) => {
    const s = approvalState({ files: ['a/a.go'], index: handleRepo, author: 'x', history, options: { ...DEFAULTS, issue_required: true }, prNumber: 1, body, org: 'org' })
    expect(s.approved).toBe(approved)
  })

  it('a manually added approved label approves, as in Prow', () => {
    const s = approvalState({ files: ['a/a.go'], index: handleRepo, author: 'x', history: [], options: DEFAULTS, prNumber: 1, manuallyApproved: true })
    expect([s.approved, s.requirementsMet]).toEqual([true, false])
  })

  it('reads a snapshot’s comments and reviews as history, comments first at the same instant', () => {
    const at = '2024-01-01T00:00:00Z'
    const history = historyFromSnapshot({ comments: [{ id: 1, author: 'alice', body: '/approve', createdAt: at }], reviews: [{ author: 'alice', state: 'CHANGES_REQUESTED', body: '', submittedAt: at }] })
    expect(history.map((h) => h.review ?? 'comment')).toEqual(['comment', 'CHANGES_REQUESTED'])
    expect(approvalsFromHistory(history, 'x', DEFAULTS).has('alice')).toBe(false)
  })

  it('finds the associated issue the way Prow does', () => {
    expect([associatedIssue('Fixes #12', 'org'), associatedIssue('see org/repo/issues/7', 'org'), associatedIssue('nothing', 'org')]).toEqual([12, 7, null])
  })
})

describe('which OWNERS files a PR needs (Prow’s TestUnapprovedFiles and TestGetFiles)', () => {
  const state = (files: string[], approvers: string[], assignees: string[] = [], prNumber = 0) =>
    approvalState({ files, index: ccRepo, author: '', approvals: new Map(approvers.map((a) => [a.toLowerCase(), { login: a, how: 'approve' as const, noIssue: false }])), options: DEFAULTS, prNumber, assignees })
  const unapproved = (files: string[], approvers: string[]) => state(files, approvers).files.filter((f) => !f.approved).map((f) => f.ownersFile)

  it.each([
    ['Single Root File PR Approved', ['kubernetes.go'], ['Alice'], []],
    ['Single Root File PR No One Approved', ['kubernetes.go'], [], ['OWNERS']],
    ['B Files Approved at Root', ['b/test.go', 'b/test_1.go'], ['Alice', 'Bob'], []],
    ['B Only UnApproved', ['b/test_1.go', 'b/test.go'], [], ['b/OWNERS']],
    ['Combo and Other; Neither Approved', ['a/combo/test.go', 'a/d/test.go'], [], ['a/combo/OWNERS', 'a/d/OWNERS']],
    ['Combo and Other; Combo Approved', ['a/combo/test.go', 'a/d/test.go'], ['Eve', 'Erin', 'Chris', 'Carol'], ['a/d/OWNERS']],
    ['Combo and Other; Both Approved', ['a/combo/test.go', 'a/d/test.go'], ['David', 'Dan', 'Debbie'], []]
  ])('%s', (_name, files, approvers, expected) => {
    expect(unapproved(files, approvers)).toEqual(expected)
  })

  it('Files Approved Multiple times: a subdirectory folds into its ancestor and lists every approver of it', () => {
    const s = state(['a/test.go', 'a/d/test.go', 'b/test'], ['Alice', 'Bob', 'Art', 'Anne', 'Bill', 'Ben', 'Barbara'])
    expect(s.files.map((f) => [f.ownersFile, f.files, f.approvedBy])).toEqual([
      ['a/OWNERS', ['a/d/test.go', 'a/test.go'], ['Alice', 'Anne', 'Art', 'Bob']],
      ['b/OWNERS', ['b/test'], ['Alice', 'Barbara', 'Ben', 'Bill', 'Bob']]
    ])
  })

  it('removeSubdirs keeps a subdirectory under no_parent_owners', () => {
    const index = buildOwnersIndex({ 'a/OWNERS': 'approvers: [x]\n', 'a/b/OWNERS': 'options: {no_parent_owners: true}\napprovers: [y]\n', 'a/b/c/OWNERS': 'approvers: [z]\n', 'a/e/OWNERS': 'approvers: [w]\n' })
    expect([...removeSubdirs(index, new Set(['a', 'a/b', 'a/b/c', 'a/e']))].sort()).toEqual(['a', 'a/b'])
  })

  it('files in a sub-folder without OWNERS under auto_approve_unowned_subfolders need nobody', () => {
    const index = buildOwnersIndex({ 'gen/OWNERS': 'options:\n  auto_approve_unowned_subfolders: true\napprovers: [g]\n' })
    const s = approvalState({ files: ['gen/zz/x.go'], index, author: '', approvals: new Map(), options: DEFAULTS, prNumber: 1 })
    expect([s.approved, s.autoApproved, s.files]).toEqual([true, ['gen/zz/x.go'], []])
    expect(approvalState({ files: ['gen/x.go'], index, author: '', approvals: new Map(), options: DEFAULTS, prNumber: 1 }).approved).toBe(false)
  })

  it('a file nobody can approve keeps the PR unapproved, is listed, and does not hide the other OWNERS files', () => {
    const index = buildOwnersIndex({ 'a/OWNERS': 'approvers: [x]\n' })
    const s = approvalState({ files: ['a/f', 'b/f'], index, author: '', history: [comment('x', '/approve')], options: DEFAULTS, prNumber: 1 })
    expect([s.approved, s.unowned, s.files.map((f) => [f.ownersFile, f.files, f.approved])]).toEqual([false, ['b/f'], [['OWNERS', ['b/f'], false], ['a/OWNERS', ['a/f'], true]]])
  })

  it('a filtered ancestor approval does not cover a folded subdirectory file it cannot approve (stricter than Prow)', () => {
    const index = buildOwnersIndex({ OWNERS: 'approvers: [root]\n', 'a/OWNERS': 'filters:\n  "\\\\.go$":\n    approvers: [gopher]\n', 'a/b/OWNERS': 'approvers: [bee]\n' })
    const s = approvalState({ files: ['a/x.go', 'a/b/y.md'], index, author: '', history: [comment('gopher', '/approve')], options: DEFAULTS, prNumber: 1 })
    expect(s.files.map((f) => [f.ownersFile, f.files, f.approved])).toEqual([['a/OWNERS', ['a/b/y.md', 'a/x.go'], false]])
  })

  describe('suggested approvers (Prow’s TestGetCCs)', () => {
    const d = ['dan', 'david', 'debbie']
    it.each([
      ['Empty PR', [], [], [], [[], []]],
      ['Single Root File PR Approved', ['kubernetes.go'], ['Alice'], [], [[], []]],
      ['Combo and Other; Both Approved', ['a/combo/test.go', 'a/d/test.go'], ['David', 'Dan', 'Debbie'], [], [[], []]],
      ['Assignee is top OWNER, No one has approved', ['a/test.go'], [], ['alice'], [['alice'], []]]
    ])('%s', (_name, files, approvers, assignees, [assigned, suggested]) => {
      const s = state(files, approvers, assignees)
      expect([s.assignedApprovers, s.suggested]).toEqual([assigned, suggested])
    })

    it('Combo and Other; Neither Approved: one approver of a/d covers both', () => {
      const s = state(['a/combo/test.go', 'a/d/test.go'], [])
      expect(s.suggested).toHaveLength(1)
      expect(d).toContain(s.suggested[0])
    })

    it('Combo, C, D; None Approved: one approver of a/d and one of c', () => {
      const s = state(['a/combo/test.go', 'a/d/test.go', 'c/test'], [], [], 0)
      expect(s.suggested).toHaveLength(2)
      expect(s.suggested.filter((x) => d.includes(x))).toHaveLength(1)
      expect(s.suggested.filter((x) => ['carol', 'chris'].includes(x))).toHaveLength(1)
    })

    it.each([
      ['A, B, C; Nothing Approved', [], [], 3, []],
      ['A, B, C; Partially approved by non-suggested approvers', ['Art', 'Ben'], [], 1, []],
      ['A, B, C; Nothing approved, but assignees can approve', [], ['Art', 'Ben'], 1, ['art', 'ben']],
      ['A, B, C; Nothing approved, but SOME assignees can approve', [], ['Art', 'Ben', 'John', 'Jack'], 1, ['art', 'ben']]
    ])('%s', (_name, approvers, assignees, suggestedCount, assigned) => {
      const s = state(['a/test.go', 'b/test.go', 'c/test'], approvers, assignees)
      expect(s.assignedApprovers).toEqual(assigned)
      expect(s.suggested).toHaveLength(suggestedCount)
      expect(s.suggested.every((x) => ['anne', 'art', 'barbara', 'ben', 'bill', 'carol', 'chris'].includes(x))).toBe(true)
    })

    it('are the same on every run for one PR and vary across PRs', () => {
      const files = ['a/test.go', 'b/test.go', 'c/test']
      const picks = new Set<string>()
      for (let pr = 1; pr <= 40; pr++) {
        const once = state(files, [], [], pr).suggested
        expect(state(files, [], [], pr).suggested).toEqual(once)
        picks.add(once.join(','))
      }
      expect(picks.size).toBeGreaterThan(5)
    })

    it('prefer the closest approvers to a root approver who could approve everything', () => {
      const s = state(['a/d/x.go', 'b/y.go', 'c/z.go'], [])
      expect(s.suggested.some((x) => ['alice', 'bob'].includes(x))).toBe(false)
    })

    it('approve the whole PR together with the current approvals, and none of them is redundant', () => {
      for (let pr = 0; pr < 30; pr++) {
        const files = ['a/test.go', 'a/d/x.go', 'a/combo/y.go', 'b/test.go', 'c/test', 'kubernetes.go'].slice(pr % 3)
        const s = state(files, ['Art'], [], pr)
        const all = new Map([...s.approvers.map((a) => a.login.toLowerCase()), ...s.suggested].map((l) => [l, { login: l, how: 'approve' as const, noIssue: false }]))
        expect(approvalState({ files, index: ccRepo, author: '', approvals: all, options: DEFAULTS, prNumber: pr }).approved).toBe(true)
        for (const dropped of s.suggested) {
          const fewer = new Map([...all].filter(([k]) => k !== dropped))
          expect(approvalState({ files, index: ccRepo, author: '', approvals: fewer, options: DEFAULTS, prNumber: pr }).approved).toBe(false)
        }
      }
    })
  })
})
