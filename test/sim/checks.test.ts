import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { completeWorkflowRun } from '../../src/sim/routes/actions.js'
import type { SimEvent } from '../../src/sim/state.js'
import { webhookProblems } from '../support/webhook-schema.js'
import { type Json, useSimulator } from './support.js'

const sim = useSimulator(fixture)
const { api, since } = sim

/**
 * Webhook-schema problems in what this code builds: `repository` and `sender` come from the shared
 * repo and user shapes (which do not yet escape bot logins such as github-actions[bot] in URLs).
 */
const problems = (e: SimEvent) => webhookProblems(e.name, e.action, e.payload).filter((p) => !/^\/(repository|sender)\b/.test(p))
const widgets = () => sim.state.repos.get('acme/widgets')!
const headSha = async () => (await api('/pulls/1')).body.head.sha as string

/** The demo world with a dispatchable workflow file that declares inputs. */
function fixture(): Fixture {
  const f = demoFixture()
  const repo = f.repos![0]
  repo.files = {
    ...repo.files,
    '.github/workflows/release.yml': 'name: Release\non:\n  workflow_dispatch:\n    inputs:\n      version:\n        required: true\n      dry-run:\n        default: false\njobs: {}\n',
    '.github/workflows/nightly.yml': 'on:\n  schedule:\n    - cron: "0 0 * * *"\njobs: {}\n'
  }
  repo.workflows = ['ci.yml', 'release.yml', 'nightly.yml']
  return f
}

describe('commit statuses', () => {
  beforeEach(() => sim.reset(fixture()))

  it('reports a commit without statuses as pending with total_count 0', async () => {
    const res = await api('/commits/main/status')
    expect(res.body).toMatchObject({ state: 'pending', total_count: 0, statuses: [] })
  })

  it.each([
    ['all success', ['success', 'success'], 'success'],
    ['one pending', ['success', 'pending'], 'pending'],
    ['one failure', ['success', 'failure'], 'failure'],
    ['one error, one pending', ['error', 'pending'], 'failure']
  ])('combines %s into %s', async (_what, states, combined) => {
    const sha = await headSha()
    for (const [i, state] of states.entries()) expect((await api(`/statuses/${sha}`, { method: 'POST', body: { state, context: `ci/${i}` } })).status).toBe(201)
    const res = await api('/commits/feature%2Ffaster-widgets/status')
    expect([res.body.state, res.body.total_count, res.body.sha]).toEqual([combined, states.length, sha])
  })

  it('keeps only the latest status per context in the combined status, and all of them in the list', async () => {
    const sha = await headSha()
    const before = sim.state.events.length
    await api(`/statuses/${sha}`, { method: 'POST', body: { state: 'pending', context: 'ci/test' } })
    await api(`/statuses/${sha}`, { method: 'POST', body: { state: 'success', context: 'ci/test', target_url: 'https://ci.example/1' } })
    const combined = await api(`/commits/${sha}/status`)
    expect(combined.body.statuses.map((s: Json) => [s.context, s.state])).toEqual([['ci/test', 'success']])
    expect(combined.body.state).toBe('success')
    const all = await api(`/commits/${sha}/statuses`)
    expect(all.body.map((s: Json) => s.state)).toEqual(['success', 'pending'])
    const events = since(before)
    expect(events.map((e) => [e.name, e.payload.state, e.payload.sha])).toEqual([
      ['status', 'pending', sha],
      ['status', 'success', sha]
    ])
    expect(problems(events[1])).toEqual([])
  })

  it('refuses a status from someone without write access, and one on an unknown commit', async () => {
    expect((await api(`/statuses/${await headSha()}`, { method: 'POST', token: 'contributor-token', body: { state: 'success' } })).status).toBe(403)
    expect((await api(`/statuses/${'f'.repeat(40)}`, { method: 'POST', body: { state: 'success' } })).status).toBe(422)
  })
})

describe('check runs', () => {
  beforeAll(() => sim.reset(fixture()))

  it('creates, completes and lists check runs, emitting check_run created and completed', async () => {
    const sha = await headSha()
    const before = sim.state.events.length
    const created = await api('/check-runs', { method: 'POST', token: 'ghs_actions', body: { name: 'test', head_sha: sha, status: 'in_progress' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ status: 'in_progress', conclusion: null, app: { slug: 'github-actions' }, pull_requests: [{ number: 1 }] })
    await api('/check-runs', { method: 'POST', token: 'ghs_actions', body: { name: 'lint', head_sha: sha, conclusion: 'success' } })
    const done = await api(`/check-runs/${created.body.id}`, { method: 'PATCH', token: 'ghs_actions', body: { conclusion: 'failure', output: { title: 'Tests', summary: '1 failed' } } })
    expect(done.body).toMatchObject({ status: 'completed', conclusion: 'failure', output: { title: 'Tests', summary: '1 failed' } })
    const events = since(before)
    expect(events.map((e) => [e.name, e.action, (e.payload.check_run as Json).name])).toEqual([
      ['check_run', 'created', 'test'],
      ['check_run', 'created', 'lint'],
      ['check_run', 'completed', 'test']
    ])
    expect(events.every((e) => !e.startsWorkflows)).toBe(true)
    for (const e of events) expect(problems(e)).toEqual([])
  })

  it.each([
    ['all', '', ['lint', 'test']],
    ['by name', '?check_name=test', ['test']],
    ['by status', '?status=completed', ['lint', 'test']],
    ['by name and status', '?check_name=lint&status=in_progress', []]
  ])('lists check runs for a branch %s', async (_what, query, expected) => {
    const res = await api(`/commits/feature%2Ffaster-widgets/check-runs${query}`)
    expect(res.body.check_runs.map((r: Json) => r.name).sort()).toEqual(expected)
    expect(res.body.total_count).toBe(expected.length)
  })

  it('refuses check runs from a personal access token, as GitHub does', async () => {
    const res = await api('/check-runs', { method: 'POST', body: { name: 'x', head_sha: await headSha() } })
    expect(res.status).toBe(403)
  })
})

describe('workflow dispatch and runs', () => {
  beforeEach(() => sim.reset(fixture()))

  it('starts workflows for a dispatch by GITHUB_TOKEN, but not for a label that token adds', async () => {
    const before = sim.state.events.length
    expect((await api('/actions/workflows/ci.yml/dispatches', { method: 'POST', token: 'ghs_actions', body: { ref: 'main' } })).status).toBe(204)
    expect((await api('/issues/1/labels', { method: 'POST', token: 'ghs_actions', body: { labels: ['lgtm'] } })).status).toBe(200)
    const events = since(before)
    expect(events.map((e) => [e.name, e.tokenKind, e.startsWorkflows])).toEqual([
      ['workflow_dispatch', 'github-token', true],
      ['pull_request', 'github-token', false]
    ])
    expect(events[0].payload).toMatchObject({ ref: 'refs/heads/main', workflow: '.github/workflows/ci.yml', inputs: null })
    expect(problems(events[0])).toEqual([])
    expect([...widgets().workflowRuns.values()].map((r) => [r.workflowId, r.status, r.headBranch, r.actor])).toEqual([['ci.yml', 'queued', 'main', 'github-actions[bot]']])
  })

  it('lists workflow runs filtered by event, branch and status', async () => {
    await api('/actions/workflows/ci.yml/dispatches', { method: 'POST', body: { ref: 'main' } })
    await api('/actions/workflows/ci.yml/dispatches', { method: 'POST', body: { ref: 'feature/faster-widgets' } })
    const cases: [string, string[]][] = [
      ['', ['feature/faster-widgets', 'main']],
      ['?event=workflow_dispatch&branch=main', ['main']],
      ['?event=push', []],
      ['?status=queued', ['feature/faster-widgets', 'main']],
      ['?status=completed', []]
    ]
    for (const [query, branches] of cases) {
      const res = await api(`/actions/runs${query}`)
      expect([query, res.body.total_count, res.body.workflow_runs.map((r: Json) => r.head_branch)]).toEqual([query, branches.length, branches])
    }
  })

  it.each([
    ['an unknown workflow', 'nope.yml', { ref: 'main' }, 404, 'Not Found'],
    ['an unknown ref', 'ci.yml', { ref: 'nope' }, 422, 'No ref found for: nope'],
    ['a workflow without a workflow_dispatch trigger', 'nightly.yml', { ref: 'main' }, 422, "Workflow does not have 'workflow_dispatch' trigger"],
    ['a missing required input', 'release.yml', { ref: 'main' }, 422, "Required input 'version' not provided"],
    ['an undeclared input', 'release.yml', { ref: 'main', inputs: { version: '1', color: 'red' } }, 422, 'Unexpected inputs provided: ["color"]']
  ])('refuses a dispatch of %s', async (_what, workflow, body, status, message) => {
    const res = await api(`/actions/workflows/${workflow}/dispatches`, { method: 'POST', body })
    expect([res.status, res.body.message]).toEqual([status, message])
  })

  it('fills declared input defaults and names the run after the workflow', async () => {
    const res = await api('/actions/workflows/release.yml/dispatches', { method: 'POST', body: { ref: 'refs/heads/main', inputs: { version: '2.0.0' }, return_run_details: true } })
    expect(res.status).toBe(200)
    const run = widgets().workflowRuns.get(res.body.workflow_run_id)!
    expect([run.name, run.inputs]).toEqual(['Release', { version: '2.0.0', 'dry-run': 'false' }])
  })

  it('re-runs failed jobs only once the run has failed: run_attempt 2 and workflow_run requested', async () => {
    await api('/actions/workflows/ci.yml/dispatches', { method: 'POST', body: { ref: 'main' } })
    const [run] = widgets().workflowRuns.values()
    const rerun = () => api(`/actions/runs/${run.id}/rerun-failed-jobs`, { method: 'POST' })
    expect((await rerun()).status).toBe(403)
    await completeWorkflowRun(sim.simulator, widgets(), run.id, 'failure')
    const before = sim.state.events.length
    expect((await rerun()).status).toBe(201)
    const events = since(before)
    expect(events.map((e) => [e.name, e.action])).toEqual([['workflow_run', 'requested']])
    expect(events[0].payload.workflow_run).toMatchObject({ id: run.id, run_attempt: 2, status: 'queued', conclusion: null })
    const listed = await api(`/actions/runs?head_sha=${run.headSha}&status=queued`)
    expect(listed.body.workflow_runs.map((r: Json) => r.run_attempt)).toEqual([2])
    expect((await api('/actions/runs?status=failure')).body.total_count).toBe(0)
  })

  it('completes a run for the admin route and emits workflow_run completed', async () => {
    await api('/actions/workflows/ci.yml/dispatches', { method: 'POST', body: { ref: 'main' } })
    const [run] = widgets().workflowRuns.values()
    const before = sim.state.events.length
    await completeWorkflowRun(sim.simulator, widgets(), run.id, 'success')
    expect(since(before).map((e) => [e.name, e.action, (e.payload.workflow_run as Json).conclusion])).toEqual([['workflow_run', 'completed', 'success']])
    await expect(completeWorkflowRun(sim.simulator, widgets(), 12345, 'success')).rejects.toThrow(/no workflow run/)
  })
})
