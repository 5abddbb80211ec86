import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { completeWorkflowRun } from '../../src/sim/routes/actions.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { buildBatch } from '../../src/github/merge-queue-build.js'
import { batchCIResult, dispatchBatchCI, dispatchMark } from '../../src/github/merge-queue-ci.js'
import { fastForwardBase } from '../../src/github/merge-queue-merge.js'
import { readQueueState } from '../../src/github/merge-queue-state.js'
import { setQueueStatus } from '../../src/github/merge-queue-status.js'
import { deleteBatchBranches } from '../../src/github/merge-queue-cleanup.js'

const where = { owner: 'acme', repo: 'widgets' }
const N = 5

function fixture(): Fixture {
  const branches: Record<string, { files: Record<string, string> }> = {}
  const pulls = []
  for (let i = 1; i <= N; i++) {
    branches[`topic-${i}`] = { files: { [`src/f${i}.ts`]: `export const f = ${i}\n` } }
    pulls.push({ number: i, title: `Change ${i}`, user: 'alice', head: `topic-${i}`, labels: ['lgtm', 'approved'] })
  }
  return { tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }], repos: [{ owner: 'acme', name: 'widgets', branches, pulls, workflows: ['ci.yml'] }] }
}

let sim: Simulator
let gh: GitHubClient
beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
})
afterAll(async () => sim.stop())

describe('one batch from pool to merge', () => {
  it(`merges ${N} pull requests through one batch in at most 3 API requests per merged pull request`, async () => {
    sim.requests.length = 0
    // Run 1: read, build, dispatch, tell each author.
    let state = await readQueueState(gh, where, { base: 'main' })
    const batch = { base: 'main', id: '1', baseSha: state.baseSha!, parentSha: state.baseSha!, members: state.pulls.map((p) => ({ number: p.number, sha: p.headSha })) }
    const built = (await buildBatch({ token: 'ghs', serverUrl: sim.url, where, batch })) as { outcome: string; branch: string; sha: string }
    expect(built.outcome).toBe('built')
    await dispatchBatchCI(gh, where, { workflow: 'ci.yml', branch: built.branch, sha: built.sha, checks: [] })
    const others = (n: number) => batch.members.filter((m) => m.number !== n).map((m) => `#${m.number}`).join(', ')
    for (const p of state.pulls) await setQueueStatus(gh, where, { sha: p.headSha, state: 'pending', description: `In batch 1 with ${others(p.number)}`, current: p.checks })

    // CI reports on the batch head.
    await gh.rest.checks.create({ ...where, name: 'build', head_sha: built.sha, status: 'completed', conclusion: 'success' })
    const run = [...sim.state.repos.get('acme/widgets')!.workflowRuns.values()].pop()!
    await completeWorkflowRun(sim, sim.state.repos.get('acme/widgets')!, run.id, 'success')
    const ciRequests = sim.requests.filter((r) => r.route === 'checks/create').length

    // Run 2: read, judge, land, tidy up.
    state = await readQueueState(gh, where, { base: 'main' })
    const b = state.batches[0]
    const verdict = batchCIResult(b.checks, { required: ['build'], startedAt: dispatchMark(b.checks)!.createdAt!, now: new Date().toISOString(), timeoutMinutes: 60 })
    expect(verdict).toEqual({ state: 'passed' })
    expect(await fastForwardBase(gh, where, { base: 'main', to: b.sha, expected: b.meta!.baseSha })).toEqual({ outcome: 'applied', sha: b.sha })
    await deleteBatchBranches(gh, where, { base: 'main', ids: [b.id] })

    state = await readQueueState(gh, where, { base: 'main' })
    expect(state.pulls).toEqual([])
    expect(state.batches).toEqual([])
    expect(state.baseSha).toBe(built.sha)
    for (let i = 1; i <= N; i++) expect(sim.state.repos.get('acme/widgets')!.issues.get(i)!.pull!.merged).toBe(true)

    const api = sim.requests.filter((r) => r.route !== 'git').length - ciRequests
    const byRoute: Record<string, number> = {}
    for (const r of sim.requests) if (r.route !== 'git' && r.route !== 'checks/create') byRoute[r.route] = (byRoute[r.route] ?? 0) + 1
    expect(byRoute).toEqual({
      graphql: 3,
      'actions/create-workflow-dispatch': 1,
      'repos/create-commit-status': N + 1,
      'git/get-ref': 1,
      'git/update-ref': 1,
      'git/delete-ref': 1
    })
    expect(api / N).toBeLessThanOrEqual(3)
  })
})
