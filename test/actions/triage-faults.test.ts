import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import type { FaultRule } from '../../src/sim/faults.js'
import { runAction, type RunResult } from '../../src/runner/run.js'
import { NODE24 } from '../support/node24.js'

// A reviewer's "/lgtm" and an approver's "/approve" in one comment: three writes (label, assignee,
// notifier) and a tree record, with faults injected on the way. Whatever happens, a run either
// completes or fails saying what it could not do, and a re-run converges to the clean result.
const fixture = (): Fixture => ({
  orgs: [{ login: 'acme', members: ['lead'] }],
  tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }],
  repos: [
    {
      owner: 'acme',
      name: 'svc',
      collaborators: { lead: 'write' },
      labels: [{ name: 'lgtm' }, { name: 'approved' }],
      files: { OWNERS: 'approvers: [lead]\n', 'main.go': 'package main\n' },
      branches: { change: { files: { 'main.go': 'package main\n\nfunc main() {}\n' } } },
      pulls: [{ number: 1, title: 'Add main', user: 'author', head: 'change' }],
      comments: [{ issue: 1, user: 'lead', body: '/lgtm\n/approve' }]
    }
  ]
})

let sim: Simulator
beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
})
afterAll(async () => sim.stop())

function commentEvent() {
  const repo = sim.state.repos.get('acme/svc')!
  const comment = [...repo.comments.values()][0]
  return {
    action: 'created',
    issue: { number: 1, pull_request: { url: `${sim.url}/repos/acme/svc/pulls/1` }, user: { login: 'author' } },
    comment: { id: comment.id, body: comment.body, user: { login: 'lead', type: 'User' } },
    repository: { full_name: 'acme/svc', default_branch: 'main' },
    sender: { login: 'lead' }
  }
}
const triage = (): Promise<RunResult> => runAction({ actionDir: 'actions/triage', event: 'issue_comment', payload: commentEvent(), apiUrl: sim.url, token: 'ghs', node: NODE24 })
function outcome() {
  const repo = sim.state.repos.get('acme/svc')!
  const issue = repo.issues.get(1)!
  const bot = [...repo.comments.values()].filter((c) => c.user === 'github-actions[bot]')
  return {
    labels: [...issue.labels].sort(),
    assignees: issue.assignees,
    notifiers: bot.filter((c) => c.body.startsWith('<!-- shepherd:approve -->')).length,
    treeRecords: bot.filter((c) => c.body.startsWith('<!-- shepherd:lgtm-tree -->')).length
  }
}

let clean: ReturnType<typeof outcome>

describe('triage under API faults', () => {
  it('a clean run gives the reference result', async () => {
    const result = await triage()
    expect(result.exitCode).toBe(0)
    clean = outcome()
    expect(clean).toEqual({ labels: ['approved', 'lgtm'], assignees: ['lead'], notifiers: 1, treeRecords: 1 })
  })

  const cases: [string, FaultRule[]][] = [
    ['a 502 on the label write, once', [{ match: 'issues/add-labels', kind: 'status', status: 502, times: 1 }]],
    ['a secondary rate limit on the GraphQL read', [{ match: 'graphql', kind: 'secondary-rate-limit', retryAfter: 1, times: 1 }]],
    ['a dropped connection on the comment write', [{ match: 'issues/create-comment', kind: 'drop', times: 1 }]],
    ['the comment write failing every time', [{ match: 'issues/create-comment', kind: 'status', status: 503 }]],
    ['the assignee write failing every time', [{ match: 'issues/add-assignees', kind: 'status', status: 500 }]]
  ]
  it.each(cases)('%s: the run completes or fails clearly, and a re-run converges', async (_name, rules) => {
    await sim.reset(fixture())
    sim.setFaults(rules, 7)
    const first = await triage()
    sim.setFaults([])
    if (first.exitCode !== 0) {
      expect(first.annotations).toHaveLength(1)
      expect(first.annotations[0].message).toMatch(/^could not (add label|assign|upsert comment|comment|request review)[^:]*: .+/)
    }
    const second = await triage()
    expect({ exitCode: second.exitCode, annotations: second.annotations }).toEqual({ exitCode: 0, annotations: [] })
    expect(outcome()).toEqual(clean)
    // A third run finds nothing left to do.
    const third = await triage()
    expect(JSON.parse(third.outputs.changed)).toBe(0)
    expect(outcome()).toEqual(clean)
  })
})
