import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { runAction, type RunResult } from '../../src/runner/run.js'
import { GitRepo } from '../../src/sim/git.js'
import { NODE24 } from '../support/node24.js'

// The committed bundle of actions/merge-queue, run by the harness on the simulator with the
// webhook payloads the simulator recorded. CI is played by the test: a `build` check run on every
// batch head, failing when the batch's tree holds a file named BROKEN.

const where = { owner: 'acme', repo: 'widgets' }
const BOT = 'github-actions[bot]'

function fixture(n: number, options: { broken?: number[]; config?: string } = {}): Fixture {
  const branches: Record<string, { files: Record<string, string> }> = {}
  const pulls = []
  for (let i = 1; i <= n; i++) {
    branches[`topic-${i}`] = { files: { [`src/f${i}.ts`]: `export const f = ${i}\n`, ...(options.broken?.includes(i) ? { BROKEN: `#${i}\n` } : {}) } }
    pulls.push({ number: i, title: `Change ${i} <b>`, user: 'dev', head: `topic-${i}`, labels: ['lgtm', 'approved'] })
  }
  return {
    tokens: [
      { token: 'ghs', login: BOT, kind: 'github-token' },
      { token: 'ci-token', login: 'ci[bot]', kind: 'app' },
      { token: 'lead-token', login: 'lead' },
      { token: 'dev-token', login: 'dev' }
    ],
    repos: [
      {
        owner: 'acme',
        name: 'widgets',
        collaborators: { lead: 'admin', dev: 'write' },
        files: { '.github/shepherd.yml': options.config ?? 'merge_queue:\n  required_checks: [build]\n  in_flight: 1\n' },
        branches,
        pulls,
        workflows: ['ci.yml'],
        statuses: Array.from({ length: n }, (_, i) => ({ ref: `topic-${i + 1}`, context: 'build', state: 'success' as const }))
      }
    ]
  }
}

// Each scenario runs the bundle several times (about a second each on a shared 2-core machine).
jest.setTimeout(240_000)

let sim: Simulator
afterEach(async () => sim?.stop())
const repo = () => sim.state.repos.get('acme/widgets')!
const client = (token: string): GitHubClient => createClient({ token, baseUrl: sim.url, pacing: false })

/** Runs the bundle on the newest recorded event called `name`, delivered as `as`. */
async function queueOn(name: string, as = name, inputs: Record<string, string> = {}, ok = true, laterMinutes = 0): Promise<RunResult> {
  const event = [...sim.state.events].reverse().find((e) => e.name === name)
  if (!event) throw new Error(`no ${name} event recorded`)
  // The simulator keeps its own clock; the action reads "now" from SHEPHERD_NOW under the simulator.
  const now = new Date(sim.state.clock + laterMinutes * 60_000).toISOString()
  const result = await runAction({ actionDir: 'actions/merge-queue', event: as, payload: event.payload, apiUrl: sim.url, token: 'ghs', node: NODE24, inputs, env: { SHEPHERD_NOW: now } })
  if (ok) expect({ exitCode: result.exitCode, annotations: result.annotations, stderr: result.stderr }).toEqual({ exitCode: 0, annotations: [], stderr: '' })
  return result
}

/** Reports `build` on every batch head that has no result yet (started, then completed, as CI does). */
async function runCI(): Promise<number> {
  const ci = client('ci-token')
  const git = new GitRepo(repo().gitDir)
  let reported = 0
  for (const sha of new Set((await git.listRefs('refs/heads/shepherd/queue/')).values())) {
    if ([...repo().checkRuns.values()].some((r) => r.headSha === sha)) continue
    const broken = (await git.readFile(sha, 'BROKEN')) !== null
    const { data } = await ci.rest.checks.create({ ...where, name: 'build', head_sha: sha, status: 'in_progress' })
    await ci.rest.checks.update({ ...where, check_run_id: data.id, status: 'completed', conclusion: broken ? 'failure' : 'success' })
    reported++
  }
  return reported
}

/** Labels the last PR (the pool orders by last update) so the simulator records a real `pull_request.labeled` event. */
async function label(): Promise<void> {
  const last = Math.max(...[...repo().issues.keys()])
  await client('lead-token').rest.issues.addLabels({ ...where, issue_number: last, labels: ['kind/feature'] })
}

const pull = (n: number) => repo().issues.get(n)!.pull!
const queueStatus = (sha: string) => [...repo().statuses].reverse().find((s) => s.sha === sha && s.context === 'shepherd/merge-queue')
const queueComments = (n: number) => [...repo().comments.values()].filter((c) => c.issueNumber === n && c.body.includes('<!-- shepherd:merge-queue -->'))
const ours = () => sim.requests.filter((r) => r.actor === BOT && r.route !== 'git')
const countByRoute = () => ours().reduce<Record<string, number>>((n, r) => ({ ...n, [r.route]: (n[r.route] ?? 0) + 1 }), {})

describe('actions/merge-queue', () => {
  it('takes 5 approved PRs through one batch and merges them by fast-forward to the tested commit', async () => {
    sim = await Simulator.start({ fixture: fixture(5), checkResponses: true })
    await label()
    const first = await queueOn('pull_request', 'pull_request_target')
    expect(JSON.parse(first.outputs.batches)).toEqual([{ base: 'main', id: 1, members: [1, 2, 3, 4, 5], sha: expect.any(String), ci: 'pending' }])
    expect(JSON.parse(first.outputs.plan)[0].actions.map((a: { kind: string }) => a.kind)).toEqual(['build', 'dispatch'])
    expect([...repo().workflowRuns.values()].map((r) => [r.workflowId, r.event, r.headBranch])).toEqual([['ci.yml', 'workflow_dispatch', 'shepherd/queue/main/1']])
    expect(queueStatus(pull(3).head.sha)).toMatchObject({ state: 'pending', description: 'In batch 1 with #1, #2 and 2 more' })
    const batchSha = JSON.parse(first.outputs.batches)[0].sha as string

    expect(await runCI()).toBe(1)
    const second = await queueOn('check_run')
    expect(JSON.parse(second.outputs.merged)).toEqual([1, 2, 3, 4, 5])
    const git = new GitRepo(repo().gitDir)
    expect(await git.resolve('refs/heads/main')).toBe(batchSha)
    expect([...(await git.listRefs('refs/heads/shepherd/'))]).toEqual([])
    for (let i = 1; i <= 5; i++) {
      expect(pull(i).merged).toBe(true)
      expect(queueStatus(pull(i).head.sha)).toMatchObject({ state: 'success', description: 'Merged in batch 1' })
      expect(queueComments(i)).toHaveLength(1)
      expect(queueComments(i)[0].body).toContain(`**Merged:** \`main\` was fast-forwarded to ${batchSha.slice(0, 7)}, the exact commit CI tested in batch 1`)
    }
    // API requests (git over HTTPS aside) per merged PR: the issue's bar is 20.
    const perPr = ours().length / 5
    if (process.env.MQ_DEBUG) console.log('requests per merged PR, one batch:', perPr, JSON.stringify(countByRoute()))
    expect(perPr).toBeLessThanOrEqual(20)
    expect(second.summary).toContain('Change 1')
    expect(second.summary).not.toContain('<b>')

    // A third run finds nothing to do and writes nothing.
    const before = ours().length
    const third = await queueOn('check_run')
    expect(JSON.parse(third.outputs.plan)).toEqual([{ base: 'main', actions: [] }])
    expect(ours().slice(before).every((r) => r.method === 'GET' || r.route === 'graphql')).toBe(true)
  })

  it('splits a batch whose CI fails, ejects the breaking PR naming the failing check, and merges the rest', async () => {
    sim = await Simulator.start({ fixture: fixture(6, { broken: [3] }), checkResponses: true })
    await label()
    let result = await queueOn('pull_request', 'pull_request_target')
    const merged: number[] = []
    const ejected: { number: number; reason: string }[] = []
    for (let round = 0; round < 12 && merged.length + ejected.length < 6; round++) {
      await runCI()
      result = await queueOn('check_run')
      merged.push(...(JSON.parse(result.outputs.merged) as number[]))
      ejected.push(...(JSON.parse(result.outputs.ejected) as { number: number; reason: string }[]))
    }
    expect(ejected).toEqual([{ number: 3, reason: 'Failing checks: build' }])
    expect(merged.sort()).toEqual([1, 2, 4, 5, 6])
    expect(pull(3).merged).toBe(false)
    // The last part of the split is the tree that failed: recorded failed on its head, never run.
    const known = repo().statuses.filter((st) => st.context === 'shepherd/merge-queue' && st.description?.startsWith('Known to fail: the tree batch 1 failed on (build)'))
    expect(known).toHaveLength(1)
    expect([...repo().workflowRuns.values()].some((r) => r.headSha === known[0].sha)).toBe(false)
    const perPr = ours().length / merged.length
    if (process.env.MQ_DEBUG) console.log('requests per merged PR, with a split:', perPr, JSON.stringify(countByRoute()))
    expect(perPr).toBeLessThanOrEqual(20)
    expect(queueStatus(pull(3).head.sha)).toMatchObject({ state: 'failure', description: 'Ejected: Failing checks: build' })
    expect(queueComments(3).map((c) => c.body)).toEqual([expect.stringContaining('**Removed from the queue:** Failing checks\\: build.')])
    const git = new GitRepo(repo().gitDir)
    expect(await git.readFile('refs/heads/main', 'BROKEN')).toBeNull()
    for (const n of [1, 2, 4, 5, 6]) expect(await git.isAncestor(pull(n).head.sha, (await git.resolve('refs/heads/main'))!)).toBe(true)

    // The ejection stands: another run leaves #3 out and says nothing new.
    result = await queueOn('check_run')
    expect(JSON.parse(result.outputs.plan)).toEqual([{ base: 'main', actions: [] }])
    expect(queueComments(3)).toHaveLength(1)
  })

  it('ejects a PR pushed to after it was batched with "Head changed" and never lands the batch that holds its old head', async () => {
    sim = await Simulator.start({ fixture: fixture(2), checkResponses: true })
    await label()
    const first = await queueOn('pull_request', 'pull_request_target')
    const [batch] = JSON.parse(first.outputs.batches) as { sha: string; members: number[] }[]
    expect(batch.members).toEqual([1, 2])
    const oldHead = pull(2).head.sha
    await client('dev-token').rest.repos.createOrUpdateFileContents({ ...where, path: 'src/late.ts', message: 'Late change', content: Buffer.from('late\n').toString('base64'), branch: 'topic-2' })
    const newHead = pull(2).head.sha
    expect(newHead).not.toBe(oldHead)
    await runCI() // the batch passes: it must not land anyway

    const main = await new GitRepo(repo().gitDir).resolve('refs/heads/main')
    const second = await queueOn('pull_request', 'pull_request_target')
    const reason = `Head changed from ${oldHead.slice(0, 7)} to ${newHead.slice(0, 7)} after it was batched`
    expect(JSON.parse(second.outputs.ejected)).toEqual([{ number: 2, reason }])
    expect(JSON.parse(second.outputs.merged)).toEqual([])
    expect(pull(2).merged).toBe(false)
    expect(await new GitRepo(repo().gitDir).resolve('refs/heads/main')).toBe(main)
    expect(queueStatus(newHead)).toMatchObject({ state: 'failure', description: `Ejected: ${reason}` })
    expect(queueComments(2)[0].body).toContain('Head changed from')
    // #1 goes on alone in a new batch; #2's new head has no green build yet, so it waits outside the pool.
    expect(JSON.parse(second.outputs.batches)).toEqual([{ base: 'main', id: 2, members: [1], sha: expect.any(String), ci: 'pending' }])
  })

  it('in a dry run prints the plan and writes nothing', async () => {
    sim = await Simulator.start({ fixture: fixture(3), checkResponses: true })
    await label()
    sim.requests.length = 0
    const result = await queueOn('pull_request', 'pull_request_target', { 'dry-run': 'true', 'page-path': 'queue/index.html' })
    expect(JSON.parse(result.outputs.plan)[0].actions.map((a: { kind: string }) => a.kind)).toEqual(['build', 'dispatch'])
    expect(result.summary).toContain('**Dry run:** the plan below was not applied; nothing was changed.')
    expect(result.log).toContain('(dry run) Build batch 1 of #1, #2, #3 on main.')
    expect(sim.requests.filter((r) => r.method !== 'GET' && r.route !== 'graphql')).toEqual([])
    expect(sim.requests.filter((r) => r.route === 'git')).toEqual([])
    expect(repo().statuses.filter((s) => s.context === 'shepherd/merge-queue')).toEqual([])
  })

  it('converges after a run that stopped half-way (the fast-forward refused), without a second batch or CI run', async () => {
    sim = await Simulator.start({ fixture: fixture(3), checkResponses: true })
    await label()
    await queueOn('pull_request', 'pull_request_target')
    await runCI()
    sim.setFaults([{ match: 'git/update-ref', kind: 'status', status: 403, times: 1 }])
    const crashed = await queueOn('check_run', 'check_run', {}, false)
    expect(crashed.exitCode).not.toBe(0)
    expect(pull(1).merged).toBe(false)
    sim.setFaults([])
    const rerun = await queueOn('check_run')
    expect(JSON.parse(rerun.outputs.merged)).toEqual([1, 2, 3])
    expect(repo().workflowRuns.size).toBe(1)
    for (let i = 1; i <= 3; i++) expect(queueComments(i)).toHaveLength(1)
  })

  it('ejects a PR whose batch reports nothing within merge_queue.ci.timeout_minutes, saying so', async () => {
    sim = await Simulator.start({ fixture: fixture(1), checkResponses: true })
    await label()
    await queueOn('pull_request', 'pull_request_target')
    const early = await queueOn('pull_request', 'pull_request_target', {}, true, 59)
    expect(JSON.parse(early.outputs.plan)).toEqual([{ base: 'main', actions: [] }])
    const late = await queueOn('pull_request', 'pull_request_target', {}, true, 61)
    expect(JSON.parse(late.outputs.ejected)).toEqual([{ number: 1, reason: 'Failing checks: no CI reported within 60 minutes' }])
    expect(queueStatus(pull(1).head.sha)).toMatchObject({ state: 'failure', description: 'Ejected: Failing checks: no CI reported within 60 minutes' })
    expect([...(await new GitRepo(repo().gitDir).listRefs('refs/heads/shepherd/'))]).toEqual([])
  })

  it('with merge_method squash, merges each PR through the API with its tested head, and the base ends with the tested tree', async () => {
    sim = await Simulator.start({ fixture: fixture(3, { config: 'merge_queue:\n  required_checks: [build]\n  in_flight: 1\n  merge_method: squash\n' }), checkResponses: true })
    await label()
    const first = await queueOn('pull_request', 'pull_request_target')
    const batchSha = JSON.parse(first.outputs.batches)[0].sha as string
    await runCI()
    const second = await queueOn('check_run')
    expect(JSON.parse(second.outputs.merged)).toEqual([1, 2, 3])
    expect(sim.requests.filter((r) => r.route === 'pulls/merge' && r.actor === BOT).map((r) => r.status)).toEqual([200, 200, 200])
    const git = new GitRepo(repo().gitDir)
    expect(await git.resolve('refs/heads/main^{tree}')).toBe(await git.resolve(`${batchSha}^{tree}`))
    for (let i = 1; i <= 3; i++) expect(pull(i).merged).toBe(true)
    expect(queueComments(1)[0].body).toContain('(squash) after batch 1 passed')
  })

  it('refuses an invalid configuration, naming the key and its line, and changes nothing', async () => {
    sim = await Simulator.start({ fixture: fixture(2, { config: 'merge_queue:\n  in_flight: 0\n' }), checkResponses: true })
    await label()
    sim.requests.length = 0
    const result = await queueOn('pull_request', 'pull_request_target', {}, false)
    expect(result.exitCode).toBe(1)
    expect(result.annotations.map((a) => a.message).join('\n')).toMatch(/\.github\/shepherd\.yml:2:\d+: merge_queue\.in_flight: /)
    expect(sim.requests.filter((r) => r.method !== 'GET' && r.route !== 'graphql')).toEqual([])
    expect(sim.requests.filter((r) => r.route === 'git')).toEqual([])
  })

})
