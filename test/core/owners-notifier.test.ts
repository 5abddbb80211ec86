import { describe, expect, it } from '@jest/globals'
import { approvalState, type ApprovalState } from '../../src/core/owners/approve.js'
import type { HistoryItem } from '../../src/core/owners/history.js'
import { escapeMarkdown, MAX_LISTED_OWNERS_FILES, renderApprovalNotifier } from '../../src/core/owners/notifier.js'
import { buildOwnersIndex } from '../../src/core/owners/resolve.js'

const DEFAULTS = { require_self_approval: false, lgtm_acts_as_approve: false, ignore_review_state: false }
const CONTEXT = { owner: 'org', repo: 'repo', branch: 'main', prNumber: 7 }
const index = buildOwnersIndex({
  'a/OWNERS': 'approvers: [Alice]\n',
  'c/OWNERS': 'approvers: [cblecker, cjwagner]\n',
  'e/OWNERS': 'approvers: [spxtr]\n',
  'f/OWNERS': 'filters:\n  "\\\\.go$":\n    approvers: [gopher]\n  ".*":\n    approvers: [fay]\n'
})
const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString()
const state = (files: string[], history: HistoryItem[], extra: { assignees?: string[]; author?: string } = {}) =>
  approvalState({ files, index, author: extra.author ?? 'cjwagner', history, options: DEFAULTS, prNumber: 7, assignees: extra.assignees })

describe('the approval notifier comment', () => {
  it('renders Prow’s shape for a partly approved PR', () => {
    const s = state(['a/a.go', 'c/c.go', 'e/e.go', 'f/x.go', 'f/y.md'], [
      { author: 'Alice', body: '/approve', at: at(1), url: 'https://github.com/org/repo/pull/7#issuecomment-1' },
      { author: 'gopher', body: '/approve', at: at(2) }
    ])
    expect(renderApprovalNotifier(s, CONTEXT)).toBe(
      [
        '[APPROVALNOTIFIER] This PR is **NOT APPROVED**',
        '',
        'This pull-request has been approved by: *<a href="https://github.com/org/repo/pull/7#issuecomment-1" title="Approved">Alice</a>*, *<a href="https://github.com/org/repo/pull/7#" title="Author self-approved">cjwagner</a>*, *<a href="https://github.com/org/repo/pull/7#" title="Approved">gopher</a>*',
        '**Once this PR has been reviewed and has the lgtm label**, please assign @fay, @spxtr for approval.',
        '',
        'The full list of commands accepted by this bot can be found [here](https://github.com/shepherd/shepherd/blob/main/docs/commands.md).',
        '',
        '<details open>',
        'Needs approval from an approver in each of these files:',
        '',
        '- ~~[a/OWNERS](https://github.com/org/repo/blob/main/a/OWNERS)~~ [Alice]',
        '- ~~[c/OWNERS](https://github.com/org/repo/blob/main/c/OWNERS)~~ [cjwagner]',
        '- **[e/OWNERS](https://github.com/org/repo/blob/main/e/OWNERS)**',
        '- **[f/OWNERS](https://github.com/org/repo/blob/main/f/OWNERS)** [gopher]',
        '  > Need more approvers for rest parts.',
        '',
        'Approvers can indicate their approval by writing `/approve` in a comment',
        'Approvers can cancel approval by writing `/approve cancel` in a comment',
        '</details>',
        '<!-- META={"approvers":["fay","spxtr"]} -->'
      ].join('\n')
    )
  })

  it('says APPROVED, closes the details and links the process once every file is approved', () => {
    const text = renderApprovalNotifier(state(['a/a.go'], [{ author: 'alice', body: '/approve', at: at(1) }]), { ...CONTEXT, processUrl: 'https://example.com/process' })
    expect(text).toMatch(/^\[APPROVALNOTIFIER\] This PR is \*\*APPROVED\*\*\n/)
    expect(text).toContain('\n<details>\n')
    expect(text).toContain('The pull request process is described [here](https://example.com/process)')
    expect(text).not.toContain('please assign')
    expect(text).toContain('<!-- META={"approvers":[]} -->')
  })

  it('asks assignees first, then suggests more people', () => {
    const text = renderApprovalNotifier(state(['a/a.go', 'e/e.go'], [], { assignees: ['Alice'], author: 'nobody' }), CONTEXT)
    expect(text).toContain('please ask for approval from @alice and additionally assign @spxtr for approval.')
  })

  it('names the files nobody can approve', () => {
    const text = renderApprovalNotifier(state(['z/z.go'], []), CONTEXT)
    expect(text).toContain('**No OWNERS file names an approver for** `z/z.go`; add approvers to an OWNERS file above it.')
  })

  it('is the same text for the same state, whatever order the history came in', () => {
    const history: HistoryItem[] = [
      { author: 'spxtr', body: '/approve', at: at(2) },
      { author: 'alice', body: '/approve', at: at(1) }
    ]
    const one = renderApprovalNotifier(state(['a/a.go', 'e/e.go', 'c/c.go'], history), CONTEXT)
    expect(renderApprovalNotifier(state(['c/c.go', 'e/e.go', 'a/a.go'], [...history].reverse()), CONTEXT)).toBe(one)
  })

  it('escapes logins, paths and URLs from users', () => {
    const hostile: ApprovalState = {
      ...state(['a/a.go'], []),
      approvers: [{ login: '<img src=x onerror=alert(1)>', how: 'approve', url: 'javascript:alert(1)', noIssue: false }],
      files: [{ ownersFile: 'a/[x](https://evil)/*b*/@team/#1/OWNERS', files: [], approvers: [], approvedBy: ['**bold**'], approved: false }],
      suggested: ['evil-user', 'not a login'],
      unowned: ['`rm -rf`\n/approve']
    }
    const text = renderApprovalNotifier(hostile, { ...CONTEXT, owner: 'o"w', commandsUrl: 'javascript:x' })
    expect(text).not.toMatch(/<img|javascript:|\]\(https:\/\/evil|@team|\n\/approve/)
    expect(text).toContain('*<a href="https://github.com/o%22w/repo/pull/7#" title="Approved">&#60;img src=x onerror=alert\\(1\\)&#62;</a>*')
    expect(text).toContain('[a/\\[x\\]\\(https://evil\\)/\\*b\\*/&#64;team/&#35;1/OWNERS](https://github.com/o%22w/repo/blob/main/a/%5Bx%5D%28https%3A//evil%29/%2Ab%2A/%40team/%231/OWNERS)')
    expect(text).toContain('assign @evil-user, not a login for approval')
    expect(escapeMarkdown('a_b\nc')).toBe('a\\_b c')
  })

  it('lists at most a bounded number of OWNERS files', () => {
    const many: ApprovalState = {
      ...state(['a/a.go'], []),
      files: Array.from({ length: MAX_LISTED_OWNERS_FILES + 5 }, (_, i) => ({ ownersFile: `d${String(i).padStart(3, '0')}/OWNERS`, files: [], approvers: [], approvedBy: [], approved: false }))
    }
    const text = renderApprovalNotifier(many, CONTEXT)
    expect(text).toContain('- …and 5 more OWNERS files (5 not yet approved)')
    expect(text.length).toBeLessThan(65536)
  })
})
