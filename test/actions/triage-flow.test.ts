import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { createClient } from '../../src/github/client.js'
import { runAction, type RunResult } from '../../src/runner/run.js'
import { NODE24 } from '../support/node24.js'

// A contributor's PR through its whole review, each step driven by the webhook the simulator emits,
// each run by the committed bundle under Node 24.
function fixture(): Fixture {
  return {
    orgs: [{ login: 'acme', members: ['maintainer', 'api-lead', 'web-lead', 'reviewer', 'member'] }],
    tokens: [
      { token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' },
      ...['maintainer', 'api-lead', 'web-lead', 'reviewer', 'member', 'contributor'].map((login) => ({ token: `${login}-token`, login }))
    ],
    repos: [
      {
        owner: 'acme',
        name: 'shop',
        collaborators: { reviewer: 'write', 'api-lead': 'write', 'web-lead': 'write', maintainer: 'admin' },
        labels: ['lgtm', 'approved', 'needs-ok-to-test', 'ok-to-test', 'area/api', 'area/web', 'size/XS', 'size/S', 'do-not-merge/hold', 'kind/feature'].map((name) => ({ name })),
        milestones: [{ title: 'v1.0' }, { title: 'v1.1' }, { title: 'v0.9', state: 'closed' }],
        files: {
          OWNERS: 'approvers: [maintainer]\n',
          'api/OWNERS': 'approvers: [api-lead]\nreviewers: [reviewer]\nlabels: [area/api]\n',
          'web/OWNERS': 'approvers: [web-lead]\nreviewers: [reviewer]\nlabels: [area/web]\n',
          'api/cart.go': 'package api\n',
          'web/cart.ts': 'export {}\n'
        },
        workflows: ['ci.yml'],
        branches: { 'cart-totals': { files: { 'api/cart.go': 'package api\n\nfunc Total() int { return 1 }\n', 'web/cart.ts': 'export const total = 1\n' } } }
      }
    ]
  }
}

let sim: Simulator
const repo = () => sim.state.repos.get('acme/shop')!
const as = (login: string) => createClient({ token: `${login}-token`, baseUrl: sim.url, pacing: false })
const where = { owner: 'acme', repo: 'shop' }
const labels = () => [...repo().issues.get(1)!.labels].sort()

/** Runs triage on the last event of `name` the simulator emitted, as GitHub would deliver it. */
async function triageOn(name: string, as: string = name): Promise<RunResult & { requests: string[] }> {
  const event = [...sim.state.events].reverse().find((e) => e.name === name)!
  const before = sim.requests.length
  const result = await runAction({ actionDir: 'actions/triage', event: as, payload: event.payload, apiUrl: sim.url, token: 'ghs', node: NODE24 })
  expect({ exitCode: result.exitCode, annotations: result.annotations }).toEqual({ exitCode: 0, annotations: [] })
  return { ...result, requests: sim.requests.slice(before).map((r) => r.route) }
}
const comment = async (login: string, body: string) => as(login).rest.issues.createComment({ ...where, issue_number: 1, body })

beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
})
afterAll(async () => sim.stop())

describe('a pull request from open to lgtm + approved', () => {
  it('on open: size, OWNERS labels, reviewers and needs-ok-to-test with a welcome', async () => {
    await as('contributor').rest.pulls.create({ ...where, title: 'Cart totals', head: 'cart-totals', base: 'main', body: 'Adds totals.' })
    const run = await triageOn('pull_request', 'pull_request_target')
    expect(labels()).toEqual(['area/api', 'area/web', 'needs-ok-to-test', 'size/XS'])
    // The OWNERS list one reviewer; blunderbuss tops up from the approvers, as Prow does.
    expect(repo().issues.get(1)!.pull!.requestedReviewers).toEqual(expect.arrayContaining(['reviewer']))
    expect(repo().issues.get(1)!.pull!.requestedReviewers).toHaveLength(2)
    const bodies = [...repo().comments.values()].map((c) => c.body)
    expect(bodies.some((b) => b.includes('Hi @contributor. Thanks for your PR.'))).toBe(true)
    expect(bodies.some((b) => b.includes('**NOT APPROVED**'))).toBe(true)
    // Read, OWNERS read, one mutation for labels and comments; the author's permission and the
    // review request go through REST.
    expect([...run.requests].sort()).toEqual(['graphql', 'graphql', 'graphql', 'pulls/request-reviewers', 'repos/get-collaborator-permission-level'])
  })

  it('/ok-to-test from a member', async () => {
    await comment('member', '/ok-to-test')
    await triageOn('issue_comment')
    expect(labels()).toEqual(['area/api', 'area/web', 'ok-to-test', 'size/XS'])
  })

  it('/lgtm from a reviewer', async () => {
    await comment('reviewer', '/lgtm')
    const run = await triageOn('issue_comment')
    expect(labels()).toContain('lgtm')
    expect(repo().issues.get(1)!.assignees).toEqual(['reviewer'])
    // Issue 3's budget is 4: one read, the permission read, one mutation for label, assignee and tree record.
    expect([...run.requests].sort()).toEqual(['graphql', 'graphql', 'repos/get-collaborator-permission-level'])
  })

  it('/approve from one area’s approver leaves the PR unapproved and the notifier says who is missing', async () => {
    await comment('api-lead', '/approve')
    await triageOn('issue_comment')
    expect(labels()).not.toContain('approved')
    const notifier = [...repo().comments.values()].filter((c) => c.body.includes('shepherd:approve'))
    expect(notifier).toHaveLength(1)
    expect(notifier[0].body).toContain('**NOT APPROVED**')
  })

  it('/hold and /unhold in between', async () => {
    await comment('member', '/hold')
    await triageOn('issue_comment')
    expect(labels()).toContain('do-not-merge/hold')
    await comment('member', '/unhold')
    await triageOn('issue_comment')
    expect(labels()).not.toContain('do-not-merge/hold')
  })

  it('/approve from the other area’s approver approves it, and the notifier is edited in place', async () => {
    await comment('web-lead', '/approve')
    await triageOn('issue_comment')
    expect(labels()).toEqual(['approved', 'area/api', 'area/web', 'lgtm', 'ok-to-test', 'size/XS'])
    const notifier = [...repo().comments.values()].filter((c) => c.body.includes('shepherd:approve'))
    expect(notifier).toHaveLength(1)
    expect(notifier[0].body).toContain('**APPROVED**')
  })

  it('a push that changes the tree takes lgtm away', async () => {
    const head = repo().issues.get(1)!.pull!.head.sha
    const gh = as('maintainer')
    const { data: blob } = await gh.rest.git.createBlob({ ...where, content: 'export const total = 2\n' })
    const { data: base } = await gh.rest.git.getCommit({ ...where, commit_sha: head })
    const { data: tree } = await gh.rest.git.createTree({ ...where, base_tree: base.tree.sha, tree: [{ path: 'web/cart.ts', mode: '100644', type: 'blob', sha: blob.sha }] })
    const { data: commit } = await gh.rest.git.createCommit({ ...where, message: 'Fix total', tree: tree.sha, parents: [head] })
    await as('maintainer').rest.git.updateRef({ ...where, ref: 'heads/cart-totals', sha: commit.sha })
    await triageOn('pull_request', 'pull_request_target')
    expect(labels()).not.toContain('lgtm')
    expect([...repo().comments.values()].some((c) => c.body.includes('New changes are detected. LGTM label has been removed.'))).toBe(true)
  })

  it('/retest re-runs the failed CI run on the new head, once', async () => {
    await as('maintainer').rest.actions.createWorkflowDispatch({ ...where, workflow_id: 'ci.yml', ref: 'cart-totals' })
    const run = [...repo().workflowRuns.values()].at(-1)!
    expect(run.headSha).toBe(repo().issues.get(1)!.pull!.head.sha)
    await fetch(`${sim.url}/_sim/repos/acme/shop/runs/${run.id}/complete`, { method: 'POST', body: JSON.stringify({ conclusion: 'failure' }) })
    await comment('member', '/retest')
    const first = await triageOn('issue_comment')
    expect(first.requests).toContain('actions/re-run-workflow-failed-jobs')
    expect(repo().workflowRuns.get(run.id)).toMatchObject({ runAttempt: 2, status: 'queued' })
    // Running triage again on the same comment does not start the run a third time.
    await triageOn('issue_comment')
    expect(repo().workflowRuns.get(run.id)!.runAttempt).toBe(2)
  })
})

describe('/milestone on the same pull request (no maintainers team configured: collaborators)', () => {
  const milestone = () => repo().issues.get(1)!.milestone
  const lastReply = () => [...repo().comments.values()].at(-1)!

  it('a member without write access is told who may, and nothing changes', async () => {
    await comment('member', '/milestone v1.0')
    await triageOn('issue_comment')
    expect(milestone()).toBeNull()
    expect(lastReply()).toMatchObject({ user: 'github-actions[bot]', body: expect.stringContaining('@member: You must be a collaborator (write permission or more) to set the milestone.') })
  })

  it('a collaborator sets it, in four requests, and a re-run changes nothing', async () => {
    await comment('maintainer', '/milestone v1.0')
    const run = await triageOn('issue_comment')
    expect(milestone()).toBe(1)
    expect([...run.requests].sort()).toEqual(['graphql', 'issues/get', 'issues/update', 'repos/get-collaborator-permission-level'])
    expect(sim.state.events.at(-1)).toMatchObject({ name: 'pull_request', action: 'milestoned', startsWorkflows: false })
    const again = await triageOn('issue_comment')
    expect(again.requests).not.toContain('issues/update')
  })

  it('a title that is not an open milestone gets the list, sorted', async () => {
    await comment('reviewer', '/milestone v0.9')
    await triageOn('issue_comment')
    expect(milestone()).toBe(1)
    expect(lastReply().body).toContain('The provided milestone is not valid for this repository. Milestones in this repository: [`v1.0`, `v1.1`]')
  })

  it('/milestone clear takes it out again', async () => {
    await comment('reviewer', '/milestone clear')
    await triageOn('issue_comment')
    expect(milestone()).toBeNull()
  })
})
