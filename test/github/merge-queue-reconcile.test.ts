import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseConfig } from '../../src/core/config/index.js'
import { formatBatchMessage } from '../../src/github/merge-queue-batch-message.js'
import { basesForEvent } from '../../src/github/merge-queue-event.js'
import { chainOf, inheritedFailure, inheritedFailureDescription, plannerStateOf } from '../../src/github/merge-queue-planner-state.js'
import { standingEjection } from '../../src/core/merge-queue/view.js'
import type { CheckContext, QueueBatch, QueuePull, QueueState } from '../../src/github/merge-queue-state.js'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { createClient } from '../../src/github/client.js'
import { reconcileQueue } from '../../src/github/merge-queue-reconcile.js'

const sha = (c: string) => c.repeat(40)
const config = parseConfig('merge_queue:\n  required_checks: [build]\n').merge_queue
const green: CheckContext = { name: 'build', kind: 'status', state: 'success', description: null, createdAt: '2026-01-01T00:00:00Z' }
const queueStatus = (state: CheckContext['state'], description: string): CheckContext => ({ name: 'shepherd/merge-queue', kind: 'status', state, description, createdAt: '2026-01-01T00:00:00Z' })

function pull(number: number, extra: Partial<QueuePull> = {}): QueuePull {
  return { number, title: `PR ${number}`, author: 'dev', headSha: sha(String(number)), headRef: `topic-${number}`, labels: ['lgtm', 'approved'], draft: false, mergeable: 'MERGEABLE', updatedAt: `2026-01-01T00:0${number}:00Z`, checks: [green], ...extra }
}

function batch(id: number, parentSha: string, headSha: string, members: number[], checks: CheckContext[] = []): QueueBatch {
  const meta = { base: 'main', id: String(id), baseSha: sha('a'), parentSha, members: members.map((n) => ({ number: n, sha: sha(String(n)) })) }
  return { branch: `shepherd/queue/main/${id}`, id: String(id), sha: headSha, message: formatBatchMessage(meta), committedDate: '2026-01-01T00:10:00Z', meta, problem: null, checks }
}

function state(pulls: QueuePull[], batches: QueueBatch[] = [], baseMessage: string | null = null): QueueState {
  return { base: 'main', baseSha: sha('a'), baseMessage, pulls, batches }
}

describe('plannerStateOf', () => {
  it('orders the batches into one chain from their trailers and judges their CI', () => {
    const b2 = batch(2, sha('b'), sha('c'), [3], [{ ...green, name: 'build', state: 'failure' }])
    const b1 = batch(1, sha('a'), sha('b'), [1, 2], [green])
    const read = plannerStateOf({ state: state([pull(1), pull(2), pull(3), pull(4)], [b2, b1]), config, now: new Date('2026-01-01T00:20:00Z') })
    expect(read.planner.batches.map((b) => [b.id, b.parent, b.baseSha, b.headSha, b.ci, b.failures])).toEqual([
      [1, null, sha('a'), sha('b'), 'passed', []],
      [2, 1, sha('b'), sha('c'), 'failed', [{ name: 'build', flaky: false }]]
    ])
    expect(read.planner.pool.map((e) => e.number)).toEqual([1, 2, 3, 4])
    expect(read.planner.nextBatchId).toBe(3)
    expect(read.strays).toEqual([])
  })

  it('fails a batch that reported nothing within the timeout, naming what never reported', () => {
    const b1 = batch(1, sha('a'), sha('b'), [1], [{ ...green, name: 'lint' }])
    const read = plannerStateOf({ state: state([pull(1)], [b1]), config, now: new Date('2026-01-01T01:10:00Z') })
    expect(read.planner.batches[0]).toMatchObject({ ci: 'failed', failures: [{ name: 'build never reported after 60 minutes', flaky: false }] })
  })

  it('keeps a PR whose head carries a standing ejection out of the pool, but not one ejected for a push or for leaving the pool', () => {
    const ejected = pull(1, { checks: [green, queueStatus('failure', 'Ejected: Failing checks: build')] })
    const pushed = pull(2, { checks: [green, queueStatus('failure', 'Ejected: Head changed from 1111111 to 2222222 after it was batched')] })
    const read = plannerStateOf({ state: state([ejected, pushed, pull(3)]), config, now: new Date('2026-01-01T00:20:00Z') })
    expect(read.planner.pool.map((e) => e.number)).toEqual([2, 3])
    expect(read.ejected).toEqual(new Map([[1, 'Ejected: Failing checks: build']]))
    expect(read.pool.ineligible.get(1)).toEqual(['Ejected: Failing checks: build'])
    expect(standingEjection(pushed)).toBeNull()
  })

  it('shows a batched PR whose head moved to the planner at its new head, so it is ejected for the push', () => {
    const b1 = batch(1, sha('a'), sha('b'), [1], [])
    const moved = pull(1, { headSha: sha('9'), checks: [] })
    const read = plannerStateOf({ state: state([moved], [b1]), config, now: new Date('2026-01-01T00:20:00Z') })
    expect(read.planner.pool).toEqual([{ number: 1, headSha: sha('9'), priority: 0, updatedAt: moved.updatedAt }])
    expect(read.pool.eligible).toEqual([])
  })

  it('takes the next batch id above the landed batch on the base, the refs and the "In batch" statuses', () => {
    const landed = formatBatchMessage({ base: 'main', id: '41', baseSha: sha('e'), parentSha: sha('e'), members: [{ number: 9, sha: sha('9') }] })
    expect(plannerStateOf({ state: state([pull(1)], [], landed), config, now: new Date() }).planner.nextBatchId).toBe(42)
    const inBatch = pull(1, { checks: [green, queueStatus('pending', 'In batch 57 with #2')] })
    expect(plannerStateOf({ state: state([inBatch], [], landed), config, now: new Date() }).planner.nextBatchId).toBe(58)
  })

  it('leaves batches off the chain (unreadable trailers, built on a superseded chain) as strays', () => {
    const good = batch(1, sha('a'), sha('b'), [1])
    const orphan = batch(3, sha('f'), sha('d'), [2])
    const broken: QueueBatch = { ...batch(4, sha('a'), sha('e'), [3]), meta: null, problem: 'no trailers' }
    const { chain, strays } = chainOf([orphan, broken, good], sha('a'))
    expect(chain.map((b) => b.id)).toEqual(['1'])
    expect(strays.map((b) => b.id)).toEqual(['3', '4'])
  })

  it('keeps the batches behind a landed batch: the chain starts at the one built on the new base head', () => {
    // Batches 1 <- 2 <- 3 were built on a; batch 1 landed (main is now its head b) and its branch is gone.
    const b2 = batch(2, sha('b'), sha('c'), [2])
    const b3 = batch(3, sha('c'), sha('d'), [3])
    const { chain, strays } = chainOf([b3, b2], sha('b'))
    expect(chain.map((b) => b.id)).toEqual(['2', '3'])
    expect(strays).toEqual([])
    const read = plannerStateOf({ state: { ...state([pull(2), pull(3)], [b3, b2]), baseSha: sha('b') }, config, now: new Date('2026-01-01T00:20:00Z') })
    expect(read.planner.batches.map((b) => [b.id, b.parent, b.baseSha])).toEqual([[2, null, sha('b')], [3, 2, sha('c')]])
  })

  it('reads back a batch recorded as known to fail (the tree an earlier batch failed on) as failed, without CI', () => {
    const description = inheritedFailureDescription(5, ['build', 'lint'])
    expect(inheritedFailure(description)).toEqual({ batchId: 5, failures: ['build', 'lint'] })
    const b1 = batch(1, sha('a'), sha('b'), [1], [queueStatus('failure', description)])
    const read = plannerStateOf({ state: state([pull(1)], [b1]), config, now: new Date('2026-01-01T00:20:00Z') })
    expect(read.planner.batches[0]).toMatchObject({ ci: 'failed', inheritedFrom: 5, failures: [{ name: 'build', flaky: false }, { name: 'lint', flaky: false }] })
    expect(inheritedFailureDescription(5, Array.from({ length: 30 }, (_, i) => `check-number-${i}`)).length).toBeLessThanOrEqual(140)
  })

  it('refuses a base branch that does not exist', () => {
    expect(() => plannerStateOf({ state: { ...state([]), baseSha: null }, config, now: new Date() })).toThrow('base branch main does not exist')
  })
})

describe('basesForEvent', () => {
  const branches = ['main', 'release-1.0']
  it.each([
    ['a label on a PR into main', 'pull_request_target', { action: 'labeled', pull_request: { number: 3, base: { ref: 'main' } } }, { bases: ['main'] }],
    ['a check on a batch branch', 'check_run', { action: 'completed', check_run: { check_suite: { head_branch: 'shepherd/queue/release-1.0/7' } } }, { bases: ['release-1.0'] }],
    ['a workflow run on a batch branch', 'workflow_run', { action: 'completed', workflow_run: { head_branch: 'shepherd/queue/main/2' } }, { bases: ['main'] }],
    ['a check on a PR head', 'check_run', { action: 'completed', check_run: { check_suite: { head_branch: 'topic' } } }, { bases: branches }],
    ['the schedule', 'schedule', { schedule: '*/10 * * * *' }, { bases: branches }],
    ['a PR into a branch the queue does not serve', 'pull_request_target', { action: 'opened', pull_request: { number: 4, base: { ref: 'dev' } } }, { skip: '#4 is into dev, which the queue does not serve' }],
    ['an edited PR description', 'pull_request_target', { action: 'edited', pull_request: { number: 4, base: { ref: 'main' } } }, { skip: 'the merge queue does not act on pull_request_target.edited' }],
    ['the queue\'s own status', 'status', { context: 'shepherd/merge-queue', branches: [] }, { skip: 'the queue set this status itself' }],
    ['an issue comment', 'issue_comment', { action: 'created' }, { skip: 'the merge queue does not act on issue_comment events' }]
  ])('%s', (_name, event, payload, want) => {
    expect(basesForEvent(event, payload, branches)).toEqual(want)
  })
})

describe('reconcileQueue on the simulator', () => {
  const where = { owner: 'acme', repo: 'widgets' }
  let sim: Simulator
  const fixture = (): Fixture => ({
    tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }],
    repos: [
      {
        owner: 'acme',
        name: 'widgets',
        files: { 'a.txt': 'base\n' },
        branches: { one: { files: { 'a.txt': 'one\n' } }, two: { files: { 'a.txt': 'two\n' } }, three: { files: { 'c.txt': 'three\n' } } },
        pulls: [1, 2, 3].map((n) => ({ number: n, title: `PR ${n}`, user: 'dev', head: ['one', 'two', 'three'][n - 1], labels: ['lgtm', 'approved'] })),
        workflows: ['ci.yml'],
        statuses: ['one', 'two', 'three'].map((ref) => ({ ref, context: 'build', state: 'success' as const }))
      }
    ]
  })
  beforeAll(async () => {
    sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  })
  afterAll(async () => sim.stop())

  it('ejects a PR that conflicts with the one ahead of it in its batch, naming the file, and rebuilds without it in the same run', async () => {
    const client = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
    const one = parseConfig('merge_queue:\n  required_checks: [build]\n  in_flight: 1\n').merge_queue
    const r = await reconcileQueue(client, where, { base: 'main', config: one, git: { token: 'ghs', serverUrl: sim.url }, self: 'github-actions[bot]', now: () => new Date(sim.state.clock) })
    expect(r.ejected).toEqual([{ number: 2, reason: 'Merge conflict with the PRs ahead of it in the queue in a.txt' }])
    // With K = 1 the ramp's one lane is its cap (batch_size_max, 6), whatever the backlog: #1 and
    // #3 go together in the rebuilt batch.
    expect(r.batches.map((b) => b.members)).toEqual([[1, 3]])
    expect(r.statuses.map((s) => [s.number, s.description])).toEqual([
      [1, 'In batch 2 with #3'],
      [2, 'Ejected: Merge conflict with the PRs ahead of it in the queue in a.txt'],
      [3, 'In batch 2 with #1']
    ])
    const repo = sim.state.repos.get('acme/widgets')!
    expect(repo.workflowRuns.size).toBe(1)
    const status = [...repo.statuses].reverse().find((s) => s.sha === repo.issues.get(2)!.pull!.head.sha && s.context === 'shepherd/merge-queue')
    expect(status).toMatchObject({ state: 'failure', description: 'Ejected: Merge conflict with the PRs ahead of it in the queue in a.txt' })

    // Run again: nothing changes, nothing is written.
    const again = await reconcileQueue(client, where, { base: 'main', config: one, git: { token: 'ghs', serverUrl: sim.url }, self: 'github-actions[bot]', now: () => new Date(sim.state.clock) })
    expect(again.actions).toEqual([])
    expect(again.writes).toBe(0)
  })
})

/** A simulator with `n` green, approved PRs (#1..#n, each adding its own file), ready to queue. */
function readyPulls(n: number): Parameters<typeof Simulator.start>[0] {
  return {
    fixture: {
      tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }],
      repos: [
        {
          owner: 'acme',
          name: 'widgets',
          branches: Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i + 1}`, { files: { [`f${i + 1}.txt`]: `${i + 1}\n` } }])),
          pulls: Array.from({ length: n }, (_, i) => ({ number: i + 1, title: `PR ${i + 1}`, user: 'dev', head: `t${i + 1}`, labels: ['lgtm', 'approved'] })),
          workflows: ['ci.yml'],
          statuses: Array.from({ length: n }, (_, i) => ({ ref: `t${i + 1}`, context: 'build', state: 'success' as const }))
        }
      ]
    },
    checkResponses: true
  }
}

describe('two reconcilers at once', () => {
  const where = { owner: 'acme', repo: 'widgets' }
  let sim: Simulator
  afterAll(async () => sim.stop())

  it('build one batch between them, land only the tested commit, and leave nothing behind', async () => {
    const n = 4
    sim = await Simulator.start(readyPulls(n))
    const client = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
    const one = parseConfig('merge_queue:\n  required_checks: [build]\n  in_flight: 1\n').merge_queue
    const run = () => reconcileQueue(client, where, { base: 'main', config: one, git: { token: 'ghs', serverUrl: sim.url }, self: 'github-actions[bot]', now: () => new Date(sim.state.clock) })
    const repo = sim.state.repos.get('acme/widgets')!
    const git = new (await import('../../src/sim/git.js')).GitRepo(repo.gitDir)

    await Promise.all([run(), run()])
    const batches = await git.listRefs('refs/heads/shepherd/queue/')
    expect([...batches.keys()]).toEqual(['refs/heads/shepherd/queue/main/1'])
    const tested = batches.get('refs/heads/shepherd/queue/main/1')!
    // A second dispatch is possible when both read the batch before either marked it; never more.
    expect(repo.workflowRuns.size).toBeGreaterThanOrEqual(1)
    expect(repo.workflowRuns.size).toBeLessThanOrEqual(2)

    await client.rest.repos.createCommitStatus({ ...where, sha: tested, context: 'build', state: 'success' })
    const [a, b] = await Promise.all([run(), run()])
    expect([...a.merged, ...b.merged].sort()).toEqual(expect.arrayContaining([1, 2, 3, 4]))
    expect(await git.resolve('refs/heads/main')).toBe(tested)
    for (let i = 1; i <= n; i++) expect(repo.issues.get(i)!.pull!.merged).toBe(true)
    expect([...(await git.listRefs('refs/heads/shepherd/'))]).toEqual([])

    // Whatever each wrote, a third run finds nothing to do.
    const after = await run()
    expect(after.actions).toEqual([])
    expect(after.writes).toBe(0)
  })
})


describe('what a waiting PR is told', () => {
  const where = { owner: 'acme', repo: 'widgets' }
  let sim: Simulator
  afterAll(async () => sim.stop())

  it('gets its comment and status when it enters the queue and a batch, and nothing when a PR ahead of it lands', async () => {
    const n = 5
    sim = await Simulator.start(readyPulls(n))
    const client = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
    // One batch of one PR at a time: four PRs wait behind it.
    const serial = parseConfig('merge_queue:\n  required_checks: [build]\n  in_flight: 1\n  batch_size_max: 1\n').merge_queue
    const run = () => reconcileQueue(client, where, { base: 'main', config: serial, git: { token: 'ghs', serverUrl: sim.url }, self: 'github-actions[bot]', runUrl: 'https://github.com/acme/widgets/actions/runs/5', now: () => new Date(sim.state.clock) })
    const repo = sim.state.repos.get('acme/widgets')!
    const head = (pr: number): string => repo.issues.get(pr)!.pull!.head.sha
    const queueStatuses = (pr: number): string[] => repo.statuses.filter((s) => s.sha === head(pr) && s.context === 'shepherd/merge-queue').map((s) => s.description ?? '')
    const comment = (pr: number) => [...repo.comments.values()].filter((c) => c.issueNumber === pr)

    const first = await run()
    expect(first.batches.map((b) => b.members)).toEqual([[1]])
    expect(queueStatuses(1)).toEqual(['In batch 1'])
    for (const pr of [2, 3, 4, 5]) expect(queueStatuses(pr)).toEqual(['In merge pool (fewer than 20 ahead)'])
    expect(comment(1).map((c) => c.body)).toEqual([expect.stringContaining('Being tested in **batch 1**')])
    expect(comment(3).map((c) => c.body)).toEqual([expect.stringContaining('In the queue, **position 3 of 5**. Estimated merge: **~1 h 30 min**')])
    expect(comment(3)[0].body).toContain('The live queue is on [the queue page](https://github.com/acme/widgets/actions/runs/5)')

    // Batch 1 passes: #1 lands, #2 enters a batch; #3, #4 and #5 each move up one place and are not written to.
    await client.rest.repos.createCommitStatus({ ...where, sha: first.batches[0].sha, context: 'build', state: 'success' })
    const before = sim.requests.length
    const second = await run()
    expect(second.merged).toEqual([1])
    expect(second.batches.map((b) => b.members)).toEqual([[2]])
    expect(comment(1).map((c) => c.body)).toEqual([expect.stringContaining('**Merged:**')])
    expect(queueStatuses(2)).toEqual(['In merge pool (fewer than 20 ahead)', 'In batch 2'])
    expect(comment(2).map((c) => c.body)).toEqual([expect.stringContaining('Being tested in **batch 2**')])
    for (const pr of [3, 4, 5]) expect(queueStatuses(pr)).toEqual(['In merge pool (fewer than 20 ahead)'])
    expect(comment(3).map((c) => c.body)).toEqual([expect.stringContaining('position 3 of 5')])
    expect(second.statuses.find((s) => s.number === 3)?.description).toBe('In merge pool (fewer than 20 ahead)')
    // The second run's writes: the batch head marked passed, the fast-forward, the batch branch
    // deleted, #1's comment and status, batch 2 built (git) and dispatched (the dispatch and its
    // mark), #2's comment and status. None for #3, #4, #5.
    const writes = sim.requests.slice(before).filter((r) => r.method !== 'GET' && r.route !== 'graphql' && r.route !== 'git')
    expect(writes.map((r) => r.route).sort()).toEqual(
      ['actions/create-workflow-dispatch', 'git/delete-ref', 'git/update-ref', 'issues/update-comment', 'issues/update-comment', 'repos/create-commit-status', 'repos/create-commit-status', 'repos/create-commit-status', 'repos/create-commit-status'].sort()
    )

    // Nothing changed: nothing is written.
    // Batch 2 was built on what batch 1 landed (the base head after the fast-forward), so the next
    // run keeps it: nothing changed, nothing is written.
    expect(second.batches[0].sha).not.toBe(first.batches[0].sha)
    const again = await run()
    expect(again.actions).toEqual([])
    expect(again.writes).toBe(0)
  })
})
