import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { readQueueState } from '../../src/github/merge-queue-state.js'
import { formatBatchMessage } from '../../src/github/merge-queue-batch-message.js'

const where = { owner: 'acme', repo: 'widgets' }

// 120 open pull requests into main (more than one page), one into a release branch.
function fixture(): Fixture {
  const branches: NonNullable<NonNullable<Fixture['repos']>[number]['branches']> = { 'release-1.0': { files: {} } }
  const pulls: NonNullable<NonNullable<Fixture['repos']>[number]['pulls']> = []
  for (let i = 1; i <= 120; i++) {
    branches[`topic-${i}`] = { files: { [`src/f${i}.ts`]: `export const x = ${i}\n` } }
    pulls.push({ number: i, title: `Change ${i}`, user: i % 2 ? 'alice' : 'bob', head: `topic-${i}`, labels: i <= 3 ? ['lgtm', 'approved'] : [], draft: i === 4 })
  }
  branches['topic-rel'] = { from: 'release-1.0', files: { 'rel.txt': 'x\n' } }
  pulls.push({ number: 121, title: 'Release fix', user: 'alice', head: 'topic-rel', base: 'release-1.0' })
  return {
    tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }],
    repos: [{ owner: 'acme', name: 'widgets', branches, pulls, statuses: [{ ref: 'topic-1', context: 'ci/test', state: 'success', description: 'ok' }], workflows: ['ci.yml'] }]
  }
}

let sim: Simulator
let gh: GitHubClient
beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
}, 120_000)
afterAll(async () => sim.stop())

async function commitOnMain(message: string): Promise<string> {
  const main = (await gh.rest.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha
  const tree = (await gh.rest.git.getCommit({ ...where, commit_sha: main })).data.tree.sha
  return (await gh.rest.git.createCommit({ ...where, message, tree, parents: [main] })).data.sha
}

describe('readQueueState', () => {
  it('reads 120 pull requests, the base and the batches in two GraphQL requests', async () => {
    const main = (await gh.rest.git.getRef({ ...where, ref: 'heads/main' })).data.object.sha
    const head1 = (await gh.rest.pulls.get({ ...where, pull_number: 1 })).data.head.sha
    const meta = { base: 'main', id: '1', baseSha: main, parentSha: main, members: [{ number: 1, sha: head1 }] }
    const batch = await commitOnMain(formatBatchMessage(meta, 'Change 1'))
    await gh.rest.git.createRef({ ...where, ref: 'refs/heads/shepherd/queue/main/1', sha: batch })
    await gh.rest.checks.create({ ...where, name: 'build', head_sha: batch, status: 'completed', conclusion: 'failure' })
    await gh.rest.repos.createCommitStatus({ ...where, sha: batch, context: 'ci/test', state: 'pending' })
    const junk = await commitOnMain('not a batch')
    await gh.rest.git.createRef({ ...where, ref: 'refs/heads/shepherd/queue/main/2', sha: junk })
    // A batch of the base `main/x` is not one of main's.
    await gh.rest.git.createRef({ ...where, ref: 'refs/heads/shepherd/queue/main/x/1', sha: batch })
    await gh.rest.checks.create({ ...where, name: 'lint', head_sha: head1, status: 'in_progress' })

    sim.requests.length = 0
    const state = await readQueueState(gh, where, { base: 'main' })
    expect(sim.requests.map((r) => r.route)).toEqual(['graphql', 'graphql'])

    expect(state.baseSha).toBe(main)
    expect(state.baseMessage).toMatch(/^Initial commit/)
    expect(state.pulls.map((p) => p.number)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1))
    const [p1, , , p4] = state.pulls
    expect(p1).toMatchObject({ number: 1, title: 'Change 1', author: 'alice', headSha: head1, headRef: 'topic-1', labels: ['lgtm', 'approved'], draft: false, mergeable: 'MERGEABLE' })
    expect(p1.checks.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'ci/test', kind: 'status', state: 'success', description: 'ok', createdAt: expect.any(String) },
      { name: 'lint', kind: 'check', state: 'pending', description: null, createdAt: null }
    ])
    expect(p4.draft).toBe(true)
    expect(state.pulls[1].checks).toEqual([])

    expect(state.batches.map((b) => b.branch)).toEqual(['shepherd/queue/main/1', 'shepherd/queue/main/2'])
    const [b1, b2] = state.batches
    expect(b1).toMatchObject({ id: '1', sha: batch, meta, problem: null })
    expect(b1.checks.map((c) => `${c.name}:${c.state}`).sort()).toEqual(['build:failure', 'ci/test:pending'])
    expect(b2).toMatchObject({ id: '2', sha: junk, meta: null, problem: 'batch message has no trailer block after its subject' })
  })

  it('reads another base on its own: its pull requests only, no batches, and a missing base as null', async () => {
    sim.requests.length = 0
    const rel = await readQueueState(gh, where, { base: 'release-1.0' })
    expect(sim.requests).toHaveLength(1)
    expect(rel.pulls.map((p) => p.number)).toEqual([121])
    expect(rel.batches).toEqual([])
    expect(rel.baseSha).toMatch(/^[0-9a-f]{40}$/)
    const none = await readQueueState(gh, where, { base: 'nope' })
    expect(none).toEqual({ base: 'nope', baseSha: null, baseMessage: null, pulls: [], batches: [], freeze: null })
  })

  it('refuses a base that is not a branch name', async () => {
    await expect(readQueueState(gh, where, { base: 'a..b' })).rejects.toThrow('base branch "a..b"')
  })
})
