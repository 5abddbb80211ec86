import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { completeWorkflowRun } from '../../src/sim/routes/actions.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { buildBatch } from '../../src/github/merge-queue-build.js'
import { batchCIResult, dispatchBatchCI, QUEUE_CONTEXT } from '../../src/github/merge-queue-ci.js'
import { readQueueState } from '../../src/github/merge-queue-state.js'
import { readQueueComments, setQueueStatus, statusDescription, upsertQueueComment } from '../../src/github/merge-queue-status.js'
import { deleteBatchBranches } from '../../src/github/merge-queue-cleanup.js'
import type { CheckContext } from '../../src/github/merge-queue-state.js'
import { commentMarker } from '../../src/core/effects.js'

const where = { owner: 'acme', repo: 'widgets' }
const self = 'github-actions[bot]'

function fixture(): Fixture {
  return {
    tokens: [{ token: 'ghs', login: self, kind: 'github-token' }, { token: 'alice', login: 'alice' }],
    repos: [
      {
        owner: 'acme',
        name: 'widgets',
        branches: { one: { files: { 'a.txt': '1\n' } }, two: { files: { 'b.txt': '2\n' } } },
        pulls: [
          { number: 1, title: 'One', user: 'alice', head: 'one' },
          { number: 2, title: 'Two', user: 'bob', head: 'two' }
        ],
        workflows: ['ci.yml']
      }
    ]
  }
}

let sim: Simulator
let gh: GitHubClient
const routes = () => sim.requests.map((r) => r.route)
beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
})
afterAll(async () => sim.stop())

describe('batch CI on the simulator', () => {
  it('dispatches the workflow on the batch branch once, and judges the head’s checks', async () => {
    let state = await readQueueState(gh, where, { base: 'main' })
    const batch = { base: 'main', id: '7', baseSha: state.baseSha!, parentSha: state.baseSha!, members: state.pulls.map((p) => ({ number: p.number, sha: p.headSha })) }
    const built = await buildBatch({ token: 'ghs', serverUrl: sim.url, where, batch })
    expect(built.outcome).toBe('built')
    state = await readQueueState(gh, where, { base: 'main' })
    const b = state.batches[0]

    sim.requests.length = 0
    const first = await dispatchBatchCI(gh, where, { workflow: 'ci.yml', branch: b.branch, sha: b.sha, checks: b.checks })
    expect(routes()).toEqual(['actions/create-workflow-dispatch', 'repos/create-commit-status'])
    expect(first).toEqual({ outcome: 'applied', runId: expect.any(Number) })
    const run = sim.state.repos.get('acme/widgets')!.workflowRuns.get((first as { runId: number }).runId)!
    expect(run).toMatchObject({ event: 'workflow_dispatch', headBranch: 'shepherd/queue/main/7', headSha: b.sha, status: 'queued' })
    const dispatch = sim.state.events.filter((e) => e.name === 'workflow_dispatch').pop()!
    expect(dispatch.startsWorkflows).toBe(true)

    // The next run reads the mark and does not dispatch again.
    state = await readQueueState(gh, where, { base: 'main' })
    const mark = state.batches[0].checks.find((c) => c.name === QUEUE_CONTEXT)!
    expect(mark).toMatchObject({ state: 'pending', description: `CI dispatched: ci.yml run ${run.id}` })
    sim.requests.length = 0
    expect(await dispatchBatchCI(gh, where, { workflow: 'ci.yml', branch: b.branch, sha: b.sha, checks: state.batches[0].checks })).toEqual({ outcome: 'unchanged' })
    expect(routes()).toEqual([])

    const judge = (checks: CheckContext[], now = mark.createdAt!) => batchCIResult(checks, { required: ['build', 'ci/test'], startedAt: mark.createdAt!, now, timeoutMinutes: 60 })
    expect(judge(state.batches[0].checks)).toEqual({ state: 'pending', waitingFor: ['build', 'ci/test'] })

    // The workflow's jobs report on the batch head, and the run completes.
    await gh.rest.checks.create({ ...where, name: 'build', head_sha: b.sha, status: 'completed', conclusion: 'success' })
    await gh.rest.repos.createCommitStatus({ ...where, sha: b.sha, context: 'ci/test', state: 'failure' })
    await completeWorkflowRun(sim, sim.state.repos.get('acme/widgets')!, run.id, 'failure')
    state = await readQueueState(gh, where, { base: 'main' })
    expect(judge(state.batches[0].checks)).toEqual({ state: 'failed', failing: ['ci/test'], reason: 'failed: ci/test' })
    await gh.rest.repos.createCommitStatus({ ...where, sha: b.sha, context: 'ci/test', state: 'success' })
    state = await readQueueState(gh, where, { base: 'main' })
    expect(judge(state.batches[0].checks)).toEqual({ state: 'passed' })

    // The verdict replaces the mark (so the base's head will not show a pending queue status); still no second dispatch.
    expect(await setQueueStatus(gh, where, { sha: b.sha, state: 'success', description: 'Batch 7 passed', current: state.batches[0].checks })).toBe('applied')
    state = await readQueueState(gh, where, { base: 'main' })
    expect(judge(state.batches[0].checks)).toEqual({ state: 'passed' })
    expect(await dispatchBatchCI(gh, where, { workflow: 'ci.yml', branch: b.branch, sha: b.sha, checks: state.batches[0].checks })).toEqual({ outcome: 'unchanged' })
  })
})

describe('judging a batch head', () => {
  const at = '2026-01-01T00:00:00Z'
  const later = (minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString()
  const ctx = (name: string, state: CheckContext['state']): CheckContext => ({ name, kind: 'check', state, description: null, createdAt: null })
  const judge = (checks: CheckContext[], minutes: number, required: string[] = []) => batchCIResult(checks, { required, startedAt: at, now: later(minutes), timeoutMinutes: 30 })

  it('fails a batch that reports nothing within its timeout, with that reason', () => {
    expect(judge([], 29)).toEqual({ state: 'pending', waitingFor: [] })
    expect(judge([], 30)).toEqual({ state: 'failed', failing: [], reason: 'no CI reported within 30 minutes' })
    expect(judge([ctx(QUEUE_CONTEXT, 'pending')], 31)).toMatchObject({ reason: 'no CI reported within 30 minutes' })
  })

  it('names the required checks that never reported or never finished', () => {
    expect(judge([ctx('build', 'pending')], 45, ['build', 'e2e'])).toEqual({ state: 'failed', failing: ['build', 'e2e'], reason: 'e2e never reported; build still pending after 30 minutes' })
  })

  it('without a required list, every reported check counts, and one failure fails at once', () => {
    expect(judge([ctx('build', 'success'), ctx('lint', 'error')], 1)).toEqual({ state: 'failed', failing: ['lint'], reason: 'failed: lint' })
    expect(judge([ctx('build', 'success'), ctx('lint', 'success')], 1)).toEqual({ state: 'passed' })
  })

  it('ignores checks that are not required', () => {
    expect(judge([ctx('build', 'success'), ctx('optional', 'failure')], 1, ['build'])).toEqual({ state: 'passed' })
  })
})

describe('what the author sees', () => {
  it('sets the queue status once per change, cut to 140 characters', async () => {
    let state = await readQueueState(gh, where, { base: 'main' })
    const pr = state.pulls[1]
    const long = `In batch 12 with ${Array.from({ length: 40 }, (_, i) => `#${i + 100}`).join(', ')}`
    sim.requests.length = 0
    expect(await setQueueStatus(gh, where, { sha: pr.headSha, state: 'pending', description: long, current: pr.checks })).toBe('applied')
    expect(routes()).toEqual(['repos/create-commit-status'])
    state = await readQueueState(gh, where, { base: 'main' })
    const ours = state.pulls[1].checks.find((c) => c.name === QUEUE_CONTEXT)!
    expect(ours.description).toBe(statusDescription(long))
    expect(ours.description!.length).toBe(140)
    sim.requests.length = 0
    expect(await setQueueStatus(gh, where, { sha: pr.headSha, state: 'pending', description: long, current: state.pulls[1].checks })).toBe('unchanged')
    expect(await setQueueStatus(gh, where, { sha: pr.headSha, state: 'pending', description: 'Not mergeable: missing label approved', current: state.pulls[1].checks })).toBe('applied')
    expect(routes()).toEqual(['repos/create-commit-status'])
  })

  it('keeps one sticky comment, edited only when its text changes', async () => {
    sim.requests.length = 0
    expect((await upsertQueueComment(gh, where, { pull: 2, body: 'Position 1 of 1.', self })).outcome).toBe('applied')
    expect((await upsertQueueComment(gh, where, { pull: 2, body: 'Position 1 of 1.', self })).outcome).toBe('unchanged')
    expect((await upsertQueueComment(gh, where, { pull: 2, body: 'In batch 7.', self })).outcome).toBe('applied')
    expect(routes()).toEqual(['issues/list-comments', 'issues/create-comment', 'issues/list-comments', 'issues/list-comments', 'issues/update-comment'])
    // With the comments read in one batched GraphQL request, an unchanged comment costs nothing more.
    const alice = createClient({ token: 'alice', baseUrl: sim.url, pacing: false })
    await alice.rest.issues.createComment({ ...where, issue_number: 1, body: `${commentMarker('merge-queue')}\nforged by someone else` })
    sim.requests.length = 0
    const known = await readQueueComments(gh, where, [1, 2])
    expect(routes()).toEqual(['graphql'])
    expect(known[2]).toEqual([{ id: expect.any(Number), login: self, body: `${commentMarker('merge-queue')}\nIn batch 7.` }])
    expect((await upsertQueueComment(gh, where, { pull: 2, body: 'In batch 7.', self, known: known[2] })).outcome).toBe('unchanged')
    expect(routes()).toEqual(['graphql'])
    expect((await upsertQueueComment(gh, where, { pull: 1, body: 'Position 1.', self, known: known[1] })).outcome).toBe('applied')
    expect(routes()).toEqual(['graphql', 'issues/create-comment'])
    const comments = sim.state.repos.get('acme/widgets')!.comments
    const ours = [...comments.values()].filter((c) => c.issueNumber === 2)
    expect(ours.map((c) => c.body)).toEqual([`${commentMarker('merge-queue')}\nIn batch 7.`])
    // Someone else's comment with the marker is left alone; ours is added beside it.
    expect([...comments.values()].filter((c) => c.issueNumber === 1).map((c) => c.user)).toEqual(['alice', self])
  })

  it('reads the others\' comments when GitHub cannot resolve one pull request, and leaves that one out', async () => {
    sim.requests.length = 0
    const known = await readQueueComments(gh, where, [2, 404])
    expect(routes()).toEqual(['graphql'])
    expect(Object.keys(known)).toEqual(['2'])
    expect(known[2].map((c) => c.body)).toEqual([`${commentMarker('merge-queue')}\nIn batch 7.`])
    // Any other error still throws.
    await expect(readQueueComments(createClient({ token: 'ghs', baseUrl: `${sim.url}/nowhere`, pacing: false, retries: 0 }), where, [2])).rejects.toThrow()
  })
})

describe('cleanup', () => {
  it('deletes finished batch branches, one request each, and converges on a re-run', async () => {
    sim.requests.length = 0
    expect(await deleteBatchBranches(gh, where, { base: 'main', ids: ['7'] })).toEqual(['shepherd/queue/main/7'])
    expect(routes()).toEqual(['git/delete-ref'])
    expect(await deleteBatchBranches(gh, where, { base: 'main', ids: ['7'] })).toEqual([])
    expect((await readQueueState(gh, where, { base: 'main' })).batches).toEqual([])
  })
})
