import { describe, expect, it } from '@jest/globals'
import { planTriage } from '../../src/core/triage/plan.js'
import type { TriageEvent } from '../../src/core/triage/event.js'
import type { Effect } from '../../src/core/effects.js'
import { snapshotOf, type SnapshotOverrides } from '../support/snapshots.js'
import type { PullRequestAction } from '../../src/core/triage/pull-request.js'

// Roles in snapshotOf: contributor (read, the default PR author), member (org member, read),
// reviewer (write, org member), maintainer (admin).
function run(author: string, body: string, over: SnapshotOverrides = {}) {
  const event: TriageEvent = { source: 'issue_comment', action: 'created', body, author, authorIsBot: false, number: 7, isPull: over.item?.isPullRequest ?? true, commentId: 99, headSha: null }
  return planTriage({ event }, snapshotOf(over))
}
const labelChanges = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'label.add' ? [`+${e.label}`] : e.type === 'label.remove' ? [`-${e.label}`] : []))
const reply = (effects: Effect[]) => (effects.find((e) => e.type === 'comment.create') as { body: string } | undefined)?.body ?? ''

describe('/lgtm', () => {
  it('a collaborator’s /lgtm adds lgtm, assigns them and records the tree', () => {
    const { effects } = run('reviewer', '/lgtm')
    expect(labelChanges(effects)).toEqual(['+lgtm'])
    expect(effects).toContainEqual({ type: 'assignees.add', issue: 7, logins: ['reviewer'] })
    expect(effects).toContainEqual(expect.objectContaining({ type: 'comment.upsert', marker: 'lgtm-tree', body: expect.stringContaining(`Git tree hash: ${'b'.repeat(40)}`) }))
  })
  it('the author cannot LGTM their own PR', () => {
    const { effects } = run('contributor', '/lgtm')
    expect(labelChanges(effects)).toEqual([])
    expect(reply(effects)).toMatch(/^@contributor: you cannot LGTM your own PR\./)
  })
  it('a reader cannot LGTM', () => {
    expect(reply(run('member', '/lgtm').effects)).toMatch(/^@member: changing LGTM is restricted to collaborators/)
  })
  it('the author may cancel an lgtm', () => {
    expect(labelChanges(run('contributor', '/lgtm cancel', { item: { labels: ['lgtm'] } }).effects)).toEqual(['-lgtm'])
  })
  it('the last line wins: /lgtm then /lgtm cancel leaves no lgtm', () => {
    expect(labelChanges(run('reviewer', '/lgtm\n/lgtm cancel').effects)).toEqual([])
  })
  it('does nothing on an issue or a closed PR', () => {
    expect(run('reviewer', '/lgtm', { item: { isPullRequest: false } }).effects).toEqual([])
    expect(run('reviewer', '/lgtm', { item: { state: 'closed' } }).effects).toEqual([])
  })
})

describe('label commands', () => {
  it('anyone adds a family label the repository has', () => {
    expect(labelChanges(run('contributor', '/kind bug').effects)).toEqual(['+kind/bug'])
  })
  it('a label the repository lacks is refused with Prow’s words', () => {
    const { effects } = run('contributor', '/kind nonsense')
    expect(labelChanges(effects)).toEqual([])
    expect(reply(effects)).toContain("The label(s) `kind/nonsense` cannot be applied, because the repository doesn't have them.")
  })
  it('only org members accept triage', () => {
    const repoLabels = ['triage/accepted']
    expect(reply(run('contributor', '/triage accepted', { repoLabels }).effects)).toContain('Only GitHub organization members can add the label.')
    expect(labelChanges(run('member', '/triage accepted', { repoLabels }).effects)).toEqual(['+triage/accepted'])
  })
  it('removing the last kind brings back needs-kind when the repository has it', () => {
    const { effects } = run('contributor', '/remove-kind bug', { item: { labels: ['kind/bug'] }, repoLabels: ['kind/bug', 'needs-kind'] })
    expect(labelChanges(effects)).toEqual(['-kind/bug', '+needs-kind'])
  })
  it('adding a kind clears needs-kind', () => {
    expect(labelChanges(run('contributor', '/kind bug', { item: { labels: ['needs-kind'] } }).effects)).toEqual(['-needs-kind', '+kind/bug'])
  })
  it('/label cannot touch gate labels, whatever the configuration says', () => {
    const config = 'triage:\n  labels:\n    additional: [lgtm, tide/merge-method-squash]\n'
    const { effects } = run('maintainer', '/label lgtm', { config })
    expect(labelChanges(effects)).toEqual([])
    expect(reply(effects)).toContain('cannot be changed with `/label`')
  })
  it('/label adds a configured label the repository has', () => {
    const over = { config: 'triage:\n  labels:\n    additional: [tide/merge-method-squash]\n', repoLabels: ['tide/merge-method-squash'] }
    expect(labelChanges(run('contributor', '/label tide/merge-method-squash', over).effects)).toEqual(['+tide/merge-method-squash'])
    expect(reply(run('contributor', '/label other', over).effects)).toContain('These labels are supported: `tide/merge-method-squash`')
  })
  it('lifecycle labels exclude each other, and frozen is not for pull requests', () => {
    expect(labelChanges(run('contributor', '/lifecycle rotten', { item: { labels: ['lifecycle/stale'] } }).effects)).toEqual(['-lifecycle/stale', '+lifecycle/rotten'])
    expect(reply(run('contributor', '/lifecycle frozen').effects)).toContain('The `lifecycle/frozen` label cannot be applied to Pull Requests.')
  })
  it('help and good-first-issue are for open issues', () => {
    const issue = { item: { isPullRequest: false } }
    const { effects } = run('contributor', '/good-first-issue', issue)
    expect(labelChanges(effects)).toEqual(['+help wanted', '+good first issue'])
    expect(reply(effects)).toContain('suitable for new contributors')
    expect(run('contributor', '/help').effects).toEqual([])
    expect(labelChanges(run('contributor', '/remove-help', { item: { isPullRequest: false, labels: ['help wanted', 'good first issue'] } }).effects)).toEqual(['-help wanted', '-good first issue'])
  })
})

describe('people', () => {
  it('/assign with no names assigns the commenter; /assign @a @b assigns them', () => {
    expect(run('member', '/assign').effects).toEqual([{ type: 'assignees.add', issue: 7, logins: ['member'] }])
    expect(run('member', '/assign @reviewer @maintainer').effects).toEqual([{ type: 'assignees.add', issue: 7, logins: ['reviewer', 'maintainer'] }])
  })
  it('/unassign removes only who is assigned', () => {
    expect(run('member', '/unassign @reviewer', { item: { assignees: ['reviewer', 'member'] } }).effects).toEqual([{ type: 'assignees.remove', issue: 7, logins: ['reviewer'] }])
  })
  it('/cc requests reviews, teams included, but never from the author', () => {
    const { effects } = run('member', '/cc @reviewer @contributor @acme/api-reviewers')
    expect(effects).toContainEqual({ type: 'reviewers.request', pull: 7, logins: ['reviewer'], teams: [] })
    expect(effects).toContainEqual({ type: 'reviewers.request', pull: 7, logins: [], teams: ['api-reviewers'] })
    expect(reply(effects)).toContain('authors cannot review their own PRs')
  })
})

describe('state', () => {
  it('the author closes their PR; a stranger may not, unless it is stale', () => {
    expect(run('contributor', '/close').effects).toContainEqual({ type: 'issue.update', issue: 7, state: 'closed', stateReason: 'completed' })
    expect(reply(run('member', '/close').effects)).toContain("You can't close an active PR unless you authored it or you are a collaborator.")
    expect(run('member', '/close', { item: { labels: ['lifecycle/stale'] } }).effects).toContainEqual({ type: 'issue.update', issue: 7, state: 'closed', stateReason: 'completed' })
  })
  it('/close not-planned is for issues', () => {
    expect(run('contributor', '/close not-planned', { item: { isPullRequest: false } }).effects).toContainEqual({ type: 'issue.update', issue: 7, state: 'closed', stateReason: 'not_planned' })
    expect(reply(run('contributor', '/close not-planned').effects)).toContain('PRs cannot be closed as Not Planned.')
  })
  it('/reopen by a collaborator; never a merged PR', () => {
    expect(run('reviewer', '/reopen', { item: { state: 'closed' } }).effects).toContainEqual({ type: 'issue.update', issue: 7, state: 'open', stateReason: 'reopened' })
    expect(run('reviewer', '/reopen', { item: { state: 'closed', merged: true } }).effects).toEqual([])
  })
  it('/retitle by a trusted user, without issue-closing keywords', () => {
    expect(run('member', '/retitle Faster widgets').effects).toEqual([{ type: 'issue.update', issue: 7, title: 'Faster widgets' }])
    expect(reply(run('contributor', '/retitle Faster widgets').effects)).toContain('Re-titling can only be requested by trusted users')
    expect(reply(run('member', '/retitle Fixes #12').effects)).toContain('Titles may not contain')
  })
})

describe('/ok-to-test', () => {
  it('a trusted user lets an untrusted PR be tested', () => {
    expect(labelChanges(run('member', '/ok-to-test', { item: { labels: ['needs-ok-to-test'] } }).effects)).toEqual(['-needs-ok-to-test', '+ok-to-test'])
  })
  it('an untrusted commenter cannot, and hears why', () => {
    const { effects } = run('contributor', '/ok-to-test', { item: { labels: ['needs-ok-to-test'] } })
    expect(labelChanges(effects)).toEqual([])
    expect(reply(effects)).toContain('Cannot trigger testing until a trusted user reviews the PR')
  })
  it('only trusted users revoke it', () => {
    expect(labelChanges(run('reviewer', '/ok-to-test cancel', { item: { labels: ['ok-to-test'] } }).effects)).toEqual(['-ok-to-test', '+needs-ok-to-test'])
    expect(reply(run('contributor', '/ok-to-test cancel', { item: { labels: ['ok-to-test'] } }).effects)).toContain('Only trusted users can revoke `/ok-to-test`.')
  })
})

describe('replies', () => {
  it('answer once per comment, quote it, and carry a marker so a re-run does not repeat them', () => {
    const { effects } = run('contributor', '/lgtm\n/kind nonsense')
    const replies = effects.filter((e) => e.type === 'comment.create')
    expect(replies).toHaveLength(1)
    expect(replies[0]).toMatchObject({ marker: 'reply-issue_comment-99' })
    expect(reply(effects)).toContain('> /lgtm\n> /kind nonsense')
  })
  it('explain an invalid command', () => {
    expect(reply(run('reviewer', '/lgtm please').effects)).toMatch(/^@reviewer: /)
  })
  it('record an accepted cherry-pick request in a comment of its own, which the merge reads back', () => {
    const { effects } = run('maintainer', '/cherry-pick release-1.0')
    expect(effects).toContainEqual(expect.objectContaining({ type: 'comment.create', marker: 'cherry-pick-request-release-1.0', body: expect.stringMatching(/^@maintainer: once the present PR merges/) }))
    const record = `<!-- shepherd:cherry-pick-request-release-1.0 -->\n@maintainer: once the present PR merges, I will cherry-pick it`
    const spoof = `<!-- shepherd:cherry-pick-request-evil -->\n@contributor: once the present PR merges`
    const merged = planTriage({ prAction: 'closed' }, snapshotOf({ item: { state: 'closed', merged: true, comments: [
      { id: 1, author: 'github-actions[bot]', body: record, createdAt: '2026-01-01T00:00:00Z' },
      { id: 2, author: 'contributor', body: spoof, createdAt: '2026-01-01T00:00:01Z' }
    ] } })).effects
    expect(merged.filter((e) => e.type === 'cherrypick')).toEqual([{ type: 'cherrypick', pull: 7, branch: 'release-1.0', requester: 'maintainer' }])
  })
  it('list the enabled commands for /shepherd help', () => {
    const { effects } = run('contributor', '/shepherd help', { config: 'triage:\n  commands:\n    disabled: [cherry-pick]\n' })
    expect(reply(effects)).toContain('`/hold')
    expect(reply(effects)).not.toContain('/cherry-pick')
  })
})

describe('OWNERS approval', () => {
  const owners = {
    OWNERS: 'approvers: [maintainer]\nreviewers: [reviewer]\n',
    'api/OWNERS': 'approvers: [api-lead]\nreviewers: [api-reviewer]\nlabels: [area/api]\n'
  }
  const files = [
    { path: 'api/types.go', additions: 10, deletions: 2 },
    { path: 'README.md', additions: 1, deletions: 0 }
  ]
  const notifier = (effects: Effect[]) => effects.find((e) => e.type === 'comment.upsert' && e.marker === 'approve') as { body: string } | undefined

  it('an approver of every file approves the PR with /approve, and the notifier says so', () => {
    const { effects } = run('maintainer', '/approve', { owners, item: { changedFiles: files } })
    expect(labelChanges(effects)).toEqual(['+approved'])
    expect(notifier(effects)!.body).toContain('**APPROVED**')
  })
  it('an approver of part of the PR does not approve it, and the notifier suggests who can', () => {
    const { effects } = run('api-lead', '/approve', { owners, item: { changedFiles: files }, users: { 'api-lead': { permission: 'write' } } })
    expect(labelChanges(effects)).toEqual([])
    const body = notifier(effects)!.body
    expect(body).toContain('**NOT APPROVED**')
    expect(body).toContain('@maintainer')
  })
  it('someone who is not an approver changes nothing', () => {
    expect(labelChanges(run('member', '/approve', { owners, item: { changedFiles: files } }).effects)).toEqual([])
  })
  it('/approve cancel takes an approval back', () => {
    const comments = [{ id: 1, author: 'maintainer', body: '/approve', createdAt: '2026-01-01T00:00:00Z' }]
    const { effects } = run('maintainer', '/approve cancel', { owners, item: { changedFiles: files, labels: ['approved'], comments } })
    expect(labelChanges(effects)).toEqual(['-approved'])
  })
  it('an author who is an approver approves implicitly', () => {
    const { effects } = planTriage({ prAction: 'opened' }, snapshotOf({ owners, item: { author: 'maintainer', changedFiles: [{ path: 'README.md', additions: 1, deletions: 0 }] } }))
    expect(labelChanges(effects)).toContain('+approved')
  })
  it('a GitHub review approval from an approver counts, as in Prow', () => {
    const reviews = [{ author: 'maintainer', state: 'APPROVED' as const, body: '', submittedAt: '2026-01-01T00:00:00Z' }]
    const event: TriageEvent = { source: 'review', action: 'created', body: '', author: 'maintainer', authorIsBot: false, number: 7, isPull: true, commentId: null, headSha: null }
    expect(labelChanges(planTriage({ event }, snapshotOf({ owners, item: { changedFiles: files, reviews } })).effects)).toContain('+approved')
  })
})

describe('pull request events', () => {
  const owners = { OWNERS: 'approvers: [maintainer]\nreviewers: [reviewer, other-reviewer]\nlabels: [area/core]\n' }
  const pr = (action: PullRequestAction, over: SnapshotOverrides = {}) => planTriage({ prAction: action }, snapshotOf({ owners, repoLabels: ['area/core', 'lgtm', 'approved'], ...over }))

  it('a new PR gets reviewers from its OWNERS and the OWNERS labels', () => {
    const { effects } = pr('opened')
    expect(effects).toContainEqual(expect.objectContaining({ type: 'reviewers.request', pull: 7 }))
    expect(labelChanges(effects)).toContain('+area/core')
  })
  it('reviewer choice is the same on every run for the same PR', () => {
    expect(pr('opened').effects).toEqual(pr('opened').effects)
  })
  it('a push that keeps the tree keeps lgtm', () => {
    const comments = [{ id: 3, author: 'github-actions[bot]', body: `<!-- shepherd:lgtm-tree -->\nLGTM label has been added.\n\nGit tree hash: ${'b'.repeat(40)}`, createdAt: '2026-01-01T00:00:00Z' }]
    expect(labelChanges(pr('synchronize', { item: { labels: ['lgtm'], comments } }).effects)).not.toContain('-lgtm')
  })
  it('a push that changes the tree removes lgtm and says so', () => {
    const comments = [{ id: 3, author: 'github-actions[bot]', body: `<!-- shepherd:lgtm-tree -->\nLGTM label has been added.\n\nGit tree hash: ${'c'.repeat(40)}`, createdAt: '2026-01-01T00:00:00Z' }]
    const { effects } = pr('synchronize', { item: { labels: ['lgtm'], comments } })
    expect(labelChanges(effects)).toContain('-lgtm')
    expect(effects).toContainEqual(expect.objectContaining({ type: 'comment.create', body: 'New changes are detected. LGTM label has been removed.' }))
  })
  it('someone else’s comment carrying the tree marker does not keep lgtm', () => {
    const comments = [{ id: 3, author: 'contributor', body: `<!-- shepherd:lgtm-tree -->\nGit tree hash: ${'b'.repeat(40)}`, createdAt: '2026-01-01T00:00:00Z' }]
    expect(labelChanges(pr('synchronize', { item: { labels: ['lgtm'], comments } }).effects)).toContain('-lgtm')
  })
})

describe('CI commands', () => {
  const head = 'a'.repeat(40)
  const runs = [
    { id: 10, workflow: 'ci.yml', headSha: head, status: 'completed' as const, conclusion: 'failure' },
    { id: 11, workflow: 'lint.yml', headSha: head, status: 'completed' as const, conclusion: 'success' },
    { id: 12, workflow: 'e2e.yml', headSha: head, status: 'completed' as const, conclusion: 'failure' },
    { id: 13, workflow: 'e2e.yml', headSha: head, status: 'in_progress' as const, conclusion: null },
    { id: 9, workflow: 'ci.yml', headSha: 'f'.repeat(40), status: 'completed' as const, conclusion: 'failure' }
  ]
  const withRuns = (over: SnapshotOverrides = {}) => {
    const snap = snapshotOf(over)
    snap.runs = runs
    snap.checks = [
      { name: 'ci/legacy', kind: 'status', state: 'failure' },
      { name: 'build', kind: 'check', state: 'failure' },
      { name: 'lint', kind: 'status', state: 'success' }
    ]
    return snap
  }
  const plan = (author: string, body: string, over: SnapshotOverrides = {}) =>
    planTriage({ event: { source: 'issue_comment', action: 'created', body, author, authorIsBot: false, number: 7, isPull: true, commentId: 5, headSha: null } }, withRuns(over)).effects

  it('/retest re-runs the latest failed run of each workflow on the head', () => {
    expect(plan('member', '/retest').filter((e) => e.type === 'workflow.rerun')).toEqual([{ type: 'workflow.rerun', runId: 10 }])
  })
  it('/retest from an untrusted commenter on an untrusted PR is refused', () => {
    expect(reply(plan('contributor', '/retest'))).toContain('Cannot trigger testing until a trusted user reviews the PR')
  })
  it('/retest from the author works once the PR is ok-to-test', () => {
    expect(plan('contributor', '/retest', { item: { labels: ['ok-to-test'] } }).filter((e) => e.type === 'workflow.rerun')).toHaveLength(1)
  })
  it('/test dispatches the configured workflow for the PR head and names unknown tests', () => {
    const effects = plan('member', '/test unit nope', { config: 'triage:\n  test_workflows:\n    unit: unit.yml\n    e2e: e2e.yml\n' })
    expect(effects).toContainEqual({ type: 'workflow.dispatch', workflow: 'unit.yml', ref: 'main', inputs: { 'pr-number': '7', 'head-sha': head } })
    expect(reply(effects)).toContain('The specified target(s) for `/test` were not found: `nope`')
  })
  it('/test all dispatches every configured workflow', () => {
    const effects = plan('member', '/test all', { config: 'triage:\n  test_workflows:\n    unit: unit.yml\n    e2e: e2e.yml\n' })
    expect(effects.filter((e) => e.type === 'workflow.dispatch').map((e) => (e as { workflow: string }).workflow)).toEqual(['unit.yml', 'e2e.yml'])
  })
  it('/override lets an admin pass a failing status, not a check run, and refuses others', () => {
    const effects = plan('maintainer', '/override ci/legacy build')
    expect(effects).toContainEqual({ type: 'status.set', sha: head, context: 'ci/legacy', state: 'success', description: 'Overridden by @maintainer' })
    expect(reply(effects)).toContain('`build` is a check run')
    expect(reply(plan('reviewer', '/override ci/legacy'))).toContain('only repository admins may')
  })
})

describe('OWNERS files a PR changes', () => {
  const opened = (headOwners: Record<string, string | null>, labels: string[] = []) =>
    planTriage({ prAction: 'synchronize' }, snapshotOf({ item: { headOwners, labels, changedFiles: [{ path: 'api/OWNERS', additions: 1, deletions: 0 }] } })).effects

  it('an invalid OWNERS file blocks the PR and the comment names the file and line', () => {
    const effects = opened({ 'api/OWNERS': 'approvers:\n  - alice\nreviewrs: [bob]\n' })
    expect(labelChanges(effects)).toContain('+do-not-merge/invalid-owners-file')
    const comment = effects.find((e) => e.type === 'comment.upsert' && e.marker === 'invalid-owners') as { body: string }
    expect(comment.body).toMatch(/api\/OWNERS:3:1: .*reviewrs/)
  })
  it('valid files change nothing', () => {
    expect(labelChanges(opened({ 'api/OWNERS': 'approvers: [alice]\n', 'api/v1/OWNERS': null }))).not.toContain('+do-not-merge/invalid-owners-file')
  })
  it('fixing them lifts the block', () => {
    const effects = opened({ 'api/OWNERS': 'approvers: [alice]\n' }, ['do-not-merge/invalid-owners-file'])
    expect(labelChanges(effects)).toContain('-do-not-merge/invalid-owners-file')
    expect(effects).toContainEqual(expect.objectContaining({ type: 'comment.upsert', marker: 'invalid-owners', body: 'The OWNERS files this PR changes are valid now.' }))
  })
  it('/label cannot lift it', () => {
    const effects = planTriage(
      { event: { source: 'issue_comment', action: 'created', body: '/remove-label do-not-merge/invalid-owners-file', author: 'maintainer', authorIsBot: false, number: 7, isPull: true, commentId: 1, headSha: null } },
      snapshotOf({ item: { labels: ['do-not-merge/invalid-owners-file'] }, config: 'triage:\n  labels:\n    additional: [do-not-merge/invalid-owners-file]\n' })
    ).effects
    expect(labelChanges(effects)).toEqual([])
  })
})

describe('reviews as lgtm (triage.lgtm.review_acts_as_lgtm)', () => {
  const review = (author: string, state: string, body = '', config = 'triage:\n  lgtm:\n    review_acts_as_lgtm: true\n', labels: string[] = []) =>
    labelChanges(planTriage({ event: { source: 'review', action: 'created', body, author, authorIsBot: false, number: 7, isPull: true, commentId: 3, headSha: null, reviewState: state } }, snapshotOf({ config, item: { labels } })).effects)
  it('a collaborator’s approval adds lgtm', () => expect(review('reviewer', 'approved')).toContain('+lgtm'))
  it('requesting changes removes it', () => expect(review('reviewer', 'changes_requested', '', undefined, ['lgtm'])).toContain('-lgtm'))
  it('the author’s or a reader’s approval does not', () => {
    expect(review('contributor', 'approved')).not.toContain('+lgtm')
    expect(review('member', 'approved')).not.toContain('+lgtm')
  })
  it('is off by default, as in Prow', () => expect(review('reviewer', 'approved', '', '')).not.toContain('+lgtm'))
})
