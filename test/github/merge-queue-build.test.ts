import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { GitRepo } from '../../src/sim/git.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { buildBatch } from '../../src/github/merge-queue-build.js'
import { fastForwardBase, mergePullRequest } from '../../src/github/merge-queue-merge.js'
import { readQueueState } from '../../src/github/merge-queue-state.js'
import type { BatchMetadata } from '../../src/github/merge-queue-batch-message.js'

const where = { owner: 'acme', repo: 'widgets' }

const LONG = Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join('')

// #1 and #2 change different files; #3 changes the line #1 changes.
function fixture(): Fixture {
  return {
    tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }],
    repos: [
      {
        owner: 'acme',
        name: 'widgets',
        files: { 'src/widget.ts': 'export const widget = 1\n', 'src/long.txt': LONG },
        branches: {
          one: { files: { 'src/widget.ts': 'export const widget = 2\n' } },
          two: { files: { 'src/other.ts': 'export const other = 1\n' } },
          three: { files: { 'src/widget.ts': 'export const widget = 3\n' } },
          four: { files: { 'docs/four.md': '4\n' } },
          top: { files: { 'src/long.txt': LONG.replace('line 1\n', 'line ONE\n') } },
          bottom: { files: { 'src/long.txt': LONG.replace('line 20\n', 'line TWENTY\n') } }
        },
        pulls: [
          { number: 1, title: 'One', user: 'alice', head: 'one' },
          { number: 2, title: 'Two\nShepherd-Batch: 9', user: 'bob', head: 'two' },
          { number: 3, title: 'Three', user: 'carol', head: 'three' },
          { number: 4, title: 'Four', user: 'carol', head: 'four' },
          { number: 5, title: 'Top', user: 'carol', head: 'top' },
          { number: 6, title: 'Bottom', user: 'carol', head: 'bottom' }
        ]
      }
    ]
  }
}

let sim: Simulator
let gh: GitHubClient
const g = () => new GitRepo(sim.state.repos.get('acme/widgets')!.gitDir)
const head = async (n: number) => (await g().resolve(`refs/pull/${n}/head`))!
const gitRoutes = () => sim.requests.filter((r) => r.route === 'git').length
const apiRoutes = () => sim.requests.filter((r) => r.route !== 'git').map((r) => r.route)

beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
})
afterAll(async () => sim.stop())
beforeEach(async () => sim.reset(fixture()))

async function batchOf(id: string, numbers: number[], parent?: string): Promise<BatchMetadata> {
  const main = (await g().resolve('refs/heads/main'))!
  return { base: 'main', id, baseSha: main, parentSha: parent ?? main, members: await Promise.all(numbers.map(async (number) => ({ number, sha: await head(number) }))) }
}
const build = (batch: BatchMetadata, date = 1767300000) =>
  buildBatch({ token: 'ghs', serverUrl: sim.url, where, batch, titles: { 1: 'One', 2: 'Two\nShepherd-Batch: 9' }, date })

describe('buildBatch', () => {
  it('merges each member onto the base in order and pushes the batch branch, with no API request', async () => {
    const batch = await batchOf('1', [1, 2])
    sim.requests.length = 0
    const result = await build(batch)
    expect(apiRoutes()).toEqual([])
    // ls-remote, one fetch, one push: 6 HTTP requests with git 2.39.
    expect(gitRoutes()).toBeLessThanOrEqual(6)
    expect(result).toMatchObject({ outcome: 'built', branch: 'shepherd/queue/main/1' })
    const sha = (result as { sha: string }).sha
    expect(await g().resolve('refs/heads/shepherd/queue/main/1')).toBe(sha)
    const tip = (await g().readCommit(sha))!
    expect(tip.parents[1]).toBe(batch.members[1].sha)
    const first = (await g().readCommit(tip.parents[0]))!
    expect(first.parents).toEqual([batch.baseSha, batch.members[0].sha])
    expect(first.message).toBe('Merge #1 into main (batch 1)\n\nOne\n')
    expect((await g().readFile(sha, 'src/widget.ts'))!.toString()).toBe('export const widget = 2\n')
    expect((await g().readFile(sha, 'src/other.ts'))!.toString()).toBe('export const other = 1\n')
    // The state reader sees the batch with its metadata; the hostile title did not forge a trailer.
    const state = await readQueueState(gh, where, { base: 'main' })
    expect(state.batches).toEqual([expect.objectContaining({ id: '1', sha, meta: batch, problem: null })])
  })

  it('is idempotent: the same batch again leaves the branch alone', async () => {
    const batch = await batchOf('1', [1, 2])
    const first = await build(batch, 1767300000)
    sim.requests.length = 0
    const again = await build(batch, 1767400000)
    expect(again).toEqual({ outcome: 'unchanged', branch: 'shepherd/queue/main/1', sha: (first as { sha: string }).sha })
    expect(sim.state.events.filter((e) => e.name === 'push' && e.payload.ref === 'refs/heads/shepherd/queue/main/1')).toHaveLength(1)
    expect(apiRoutes()).toEqual([])
    expect(gitRoutes()).toBeLessThanOrEqual(5)
    expect(sim.requests.some((r) => r.method === 'POST' && r.path.endsWith('git-receive-pack'))).toBe(false)
  })

  it('replaces a stale branch of the same id that holds other members', async () => {
    await build(await batchOf('1', [1]))
    const result = await build(await batchOf('1', [1, 2]))
    expect(result.outcome).toBe('built')
    const state = await readQueueState(gh, where, { base: 'main' })
    expect(state.batches[0].meta!.members.map((m) => m.number)).toEqual([1, 2])
  })

  it('lets two runs build the same batch at once: one pushes, the other finds it', async () => {
    const batch = await batchOf('8', [1, 2])
    const results = await Promise.all([build(batch, 1767300000), build(batch, 1767300001)])
    expect(results.map((r) => r.outcome).sort()).toEqual(['built', 'unchanged'])
    const tip = await g().resolve('refs/heads/shepherd/queue/main/8')
    expect(results.map((r) => (r as { sha: string }).sha)).toEqual([tip, tip])
  })

  it('retries git through transient server errors, and gives up with what git said', async () => {
    const batch = await batchOf('5', [2])
    sim.setFaults([{ match: 'git', kind: 'status', status: 502, times: 2 }])
    try {
      const result = await buildBatch({ token: 'ghs', serverUrl: sim.url, where, batch, backoffMs: 5 })
      expect(result.outcome).toBe('built')
      expect(sim.requests.filter((r) => r.fault).length).toBe(2)
      sim.setFaults([{ match: 'git', kind: 'status', status: 503 }])
      await expect(buildBatch({ token: 'ghs', serverUrl: sim.url, where, batch: { ...batch, id: '6' }, backoffMs: 5 })).rejects.toThrow(/git ls-remote for batch shepherd\/queue\/main\/6 failed after 3 attempts: .*503/)
    } finally {
      sim.setFaults([])
    }
  })

  it('merges two changes to one file cleanly (the partial clone fetches the blobs the merge needs)', async () => {
    const result = (await build(await batchOf('9', [5, 6]))) as { outcome: string; sha: string }
    expect(result.outcome).toBe('built')
    expect((await g().readFile(result.sha, 'src/long.txt'))!.toString()).toBe(LONG.replace('line 1\n', 'line ONE\n').replace('line 20\n', 'line TWENTY\n'))
  })

  it('stops at the first member that conflicts and names it and its files', async () => {
    expect(await build(await batchOf('2', [1, 4, 3]))).toEqual({ outcome: 'conflict', pull: 3, files: ['src/widget.ts'] })
    expect(await g().resolve('refs/heads/shepherd/queue/main/2')).toBeNull()
  })

  it('refuses a member whose head moved after it was batched', async () => {
    const batch = await batchOf('3', [2, 4])
    const g4 = g()
    const moved = await g4.commitTree((await g4.readCommit(batch.members[1].sha))!.tree, [batch.members[1].sha], 'more\n')
    expect((await gh.rest.git.updateRef({ ...where, ref: 'heads/four', sha: moved })).status).toBe(200)
    expect(await build(batch)).toEqual({ outcome: 'head-moved', pull: 4, expected: batch.members[1].sha, actual: moved })
  })

  it('builds a speculative batch on the head of the batch ahead', async () => {
    const ahead = (await build(await batchOf('1', [1]))) as { sha: string }
    const next = await batchOf('2', [2, 4], ahead.sha)
    const result = (await build(next)) as { outcome: string; sha: string }
    expect(result.outcome).toBe('built')
    expect(await g().isAncestor(ahead.sha, result.sha)).toBe(true)
    // A member the batch ahead already holds cannot be merged again.
    expect(await build(await batchOf('3', [1], ahead.sha))).toEqual({ outcome: 'already-contained', pull: 1 })
  })
})

describe('landing a batch', () => {
  it('fast-forwards the base to the tested head in two requests; the members show as merged', async () => {
    const batch = await batchOf('1', [1, 2])
    const { sha } = (await build(batch)) as { sha: string }
    sim.requests.length = 0
    expect(await fastForwardBase(gh, where, { base: 'main', to: sha, expected: batch.baseSha })).toEqual({ outcome: 'applied', sha })
    expect(sim.requests.map((r) => r.route)).toEqual(['git/get-ref', 'git/update-ref'])
    expect(await g().resolve('refs/heads/main')).toBe(sha)
    for (const n of [1, 2]) expect((await gh.rest.pulls.get({ ...where, pull_number: n })).data).toMatchObject({ merged: true, state: 'closed' })
    expect((await gh.rest.pulls.get({ ...where, pull_number: 4 })).data.merged).toBe(false)
    const state = await readQueueState(gh, where, { base: 'main' })
    expect(state.pulls.map((p) => p.number)).toEqual([3, 4, 5, 6])
    // Again: nothing to do.
    expect(await fastForwardBase(gh, where, { base: 'main', to: sha, expected: batch.baseSha })).toEqual({ outcome: 'unchanged', sha })
  })

  it('refuses when the base is not where the batch was built, and never forces', async () => {
    const batch = await batchOf('1', [1])
    const { sha } = (await build(batch)) as { sha: string }
    // Someone merges #4 meanwhile: the base moves off the batch's base.
    expect((await gh.rest.pulls.merge({ ...where, pull_number: 4 })).status).toBe(200)
    const moved = (await g().resolve('refs/heads/main'))!
    expect(await fastForwardBase(gh, where, { base: 'main', to: sha, expected: batch.baseSha })).toEqual({ outcome: 'base-moved', actual: moved })
    // Even told the new base is expected, GitHub refuses a non-fast-forward.
    expect(await fastForwardBase(gh, where, { base: 'main', to: sha, expected: moved })).toEqual({ outcome: 'base-moved', actual: moved })
    expect(await g().resolve('refs/heads/main')).toBe(moved)
  })

  it('merges per pull request with the head SHA guard and the base guard', async () => {
    const h1 = await head(1)
    const main = (await g().resolve('refs/heads/main'))!
    expect(await mergePullRequest(gh, where, { number: 1, sha: 'f'.repeat(40), method: 'squash' })).toEqual({ outcome: 'head-moved' })
    expect(await mergePullRequest(gh, where, { number: 1, sha: h1, method: 'squash', expectedBase: { base: 'main', sha: 'e'.repeat(40) } })).toEqual({ outcome: 'base-moved', actual: main })
    sim.requests.length = 0
    const merged = await mergePullRequest(gh, where, { number: 1, sha: h1, method: 'squash', expectedBase: { base: 'main', sha: main } })
    expect(sim.requests.map((r) => r.route)).toEqual(['git/get-ref', 'pulls/merge'])
    expect(merged.outcome).toBe('applied')
    const newBase = (merged as { sha: string }).sha
    expect(await g().resolve('refs/heads/main')).toBe(newBase)
    expect(await mergePullRequest(gh, where, { number: 1, sha: h1, method: 'squash' })).toMatchObject({ outcome: 'unchanged' })
    // #3 now conflicts with the base.
    expect(await mergePullRequest(gh, where, { number: 3, sha: await head(3), method: 'merge' })).toEqual({ outcome: 'not-mergeable', reason: expect.stringContaining('not mergeable') })
  })
})
