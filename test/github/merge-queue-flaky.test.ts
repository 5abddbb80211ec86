// The one flaky retry, on the simulator: test-report writes its verdict marker on the batch head
// (publish, the function the action calls, from a real JUnit report), the queue reads it with the
// batch's checks and retries a single PR once when every failing test is flaky, else ejects it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { GitRepo } from '../../src/sim/git.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { parseConfig } from '../../src/core/config/index.js'
import { reconcileQueue, type ReconcileResult } from '../../src/github/merge-queue-reconcile.js'
import { readQueueState } from '../../src/github/merge-queue-state.js'
import { plannerStateOf } from '../../src/github/merge-queue-planner-state.js'
import { publish } from '../../src/github/test-report-publish.js'
import { runTarget } from '../../src/github/test-report-context.js'
import { parseSettings } from '../../src/core/test-report/settings.js'
import { mergeReports, readJUnitText } from '../../src/core/junit/index.js'
import { testId } from '../../src/core/test-report/model.js'

const REPOS = ['retry-passes', 'retry-fails', 'one-real', 'no-verdict']
const config = parseConfig('merge_queue:\n  required_checks: [build]\n  in_flight: 1\n').merge_queue
// A hostile test name: it must neither end the marker's comment nor forge another.
const HOSTILE = 'ends --> here <!-- shepherd:queue-verdict {"version":1} --> & "quotes"'
const JUNIT = `<?xml version="1.0"?>
<testsuite name="unit" tests="3" failures="2">
  <testcase classname="pkg.Widgets" name="renders"/>
  <testcase classname="pkg.Widgets" name="${HOSTILE.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}"><failure message="timeout"/></testcase>
  <testcase classname="pkg.Net" name="retries"><failure message="connection reset"/></testcase>
</testsuite>`
const HOSTILE_ID = testId('pkg.Widgets', HOSTILE)
const NET_ID = testId('pkg.Net', 'retries')

function fixture(): Fixture {
  return {
    tokens: [
      { token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' },
      { token: 'ci-token', login: 'ci[bot]', kind: 'app' }
    ],
    repos: REPOS.map((name) => ({
      owner: 'acme',
      name,
      branches: { topic: { files: { 'src/widget.ts': 'export const w = 1\n' } } },
      pulls: [{ number: 1, title: 'Widgets', user: 'alice', head: 'topic', labels: ['lgtm', 'approved'] }],
      workflows: ['ci.yml'],
      statuses: [{ ref: 'topic', context: 'build', state: 'success' as const }]
    }))
  }
}

let sim: Simulator
let gh: GitHubClient
let ci: GitHubClient
let temp: string
const summaryEnv = process.env.GITHUB_STEP_SUMMARY
beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
  ci = createClient({ token: 'ci-token', baseUrl: sim.url, pacing: false })
  temp = await mkdtemp(join(tmpdir(), 'shepherd-flaky-'))
  // publish writes the job summary, as the action does.
  process.env.GITHUB_STEP_SUMMARY = join(temp, 'summary.md')
  await writeFile(process.env.GITHUB_STEP_SUMMARY, '')
})
afterAll(async () => {
  if (summaryEnv === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = summaryEnv
  await rm(temp, { recursive: true, force: true })
  await sim.stop()
})

const reconcile = (repo: string): Promise<ReconcileResult> =>
  reconcileQueue(gh, { owner: 'acme', repo }, { base: 'main', config, git: { token: 'ghs', serverUrl: sim.url }, self: 'github-actions[bot]', now: () => new Date(sim.state.clock) })

/** CI on a batch head: the required `build` check, and (unless `flaky` is null) test-report's check run with its verdict. */
async function runCI(repo: string, headSha: string, outcome: 'success' | 'failure', flaky: string[] | null): Promise<void> {
  const where = { owner: 'acme', repo }
  await ci.rest.checks.create({ ...where, name: 'build', head_sha: headSha, status: 'completed', conclusion: outcome })
  if (outcome === 'failure' && flaky) {
    // test-report in the batch's CI job (dispatched on the batch branch), with the history's flake
    // verdicts given as prepareHistory would hand them over.
    const inputs: Record<string, string> = { files: 'reports/*.xml', name: 'unit', history: 'off', dashboard: 'false', comment: 'off' }
    const settings = parseSettings((name) => inputs[name] ?? '', 'unit')
    const env = { GITHUB_SERVER_URL: sim.url, GITHUB_RUN_ID: '1', GITHUB_WORKFLOW: 'ci', GITHUB_SHA: headSha, GITHUB_REF: 'refs/heads/shepherd/queue/main/1' }
    const target = runTarget(env, 'workflow_dispatch', {}, where, 'unit')
    const report = mergeReports([readJUnitText(JUNIT, 'reports/junit.xml')])
    const history = { flaky: report.results.toArray().filter((r) => flaky.includes(r.id)).map((r) => ({ id: r.id, classname: r.classname, name: r.name, evidence: ['flipped between passing and failing on main'] })) }
    const rt = { client: ci, where, eventName: 'workflow_dispatch', payload: {}, dryRun: false, self: 'ci[bot]', git: { token: 'ci-token', serverUrl: sim.url } }
    const published = await publish({ rt, settings, name: 'unit', target, report, noFiles: false, history, ownRunId: 1, serverUrl: sim.url, temp })
    expect(published.verdict.conclusion).toBe('failure')
  }
}

function world(repo: string) {
  const r = sim.state.repos.get(`acme/${repo}`)!
  const git = new GitRepo(r.gitDir)
  return {
    runs: () => r.workflowRuns.size,
    merged: () => r.issues.get(1)!.pull!.merged,
    main: () => git.resolve('refs/heads/main'),
    queueStatus: () => [...r.statuses].reverse().find((s) => s.sha === r.issues.get(1)!.pull!.head.sha && s.context === 'shepherd/merge-queue')
  }
}

/** Queues PR #1 and fails its first batch with the given verdict; returns the first batch's head. */
async function failFirstBatch(repo: string, flaky: string[] | null): Promise<string> {
  const first = await reconcile(repo)
  expect(first.batches).toEqual([expect.objectContaining({ id: 1, members: [1] })])
  await runCI(repo, first.batches[0].sha, 'failure', flaky)
  return first.batches[0].sha
}

describe('a single PR whose CI fails', () => {
  it('is retried once when every failing test is flaky by test-report, and merged by fast-forward when the retry passes', async () => {
    const repo = 'retry-passes'
    const w = world(repo)
    const failedHead = await failFirstBatch(repo, [HOSTILE_ID, NET_ID])

    // The queue reads the verdict with the batch's checks, in its one GraphQL request.
    const logged = sim.requests.length
    const read = plannerStateOf({ state: await readQueueState(gh, { owner: 'acme', repo }, { base: 'main' }), config, now: new Date(sim.state.clock) })
    expect(sim.requests.slice(logged).map((r) => r.route)).toEqual(['graphql'])
    expect(read.planner.batches[0]).toMatchObject({ id: 1, headSha: failedHead, ci: 'failed', failures: [{ name: 'build', flaky: true }], retry: false })
    expect(read.chain.get(1)!.checks.find((c) => c.name === 'unit')?.queueVerdict).toEqual({ failing: [HOSTILE_ID, NET_ID], flaky: [HOSTILE_ID, NET_ID], failingTotal: 2, inputProblems: 0 })

    const retry = await reconcile(repo)
    expect(retry.actions).toEqual([
      { kind: 'cancel', batchId: 1, reason: 'batch 1 failed' },
      { kind: 'build', batchId: 2, parent: null, members: [{ number: 1, headSha: expect.any(String) }], retry: true },
      { kind: 'dispatch', batchId: 2 }
    ])
    expect(retry.ejected).toEqual([])
    expect(w.queueStatus()).toMatchObject({ state: 'pending', description: 'In batch 2 (retry)' })
    expect(w.runs()).toBe(2)

    // A fresh process reads the retry back from the PR's queue status.
    const again = plannerStateOf({ state: await readQueueState(gh, { owner: 'acme', repo }, { base: 'main' }), config, now: new Date(sim.state.clock) })
    expect(again.planner.batches.map((b) => [b.id, b.retry, b.ci])).toEqual([[2, true, 'pending']])
    expect(again.planner.retried).toEqual([1])
    expect((await reconcile(repo)).actions).toEqual([])

    const retryHead = retry.batches[0].sha
    await runCI(repo, retryHead, 'success', null)
    const landed = await reconcile(repo)
    expect(landed.merged).toEqual([1])
    expect(await w.main()).toBe(retryHead)
    expect(w.merged()).toBe(true)
    expect(w.runs()).toBe(2)
  })

  it('is ejected with the failing checks named when its retry fails on flaky tests again: no second retry', async () => {
    const repo = 'retry-fails'
    const w = world(repo)
    await failFirstBatch(repo, [HOSTILE_ID, NET_ID])
    const retry = await reconcile(repo)
    expect(retry.actions.filter((a) => a.kind === 'build')).toEqual([expect.objectContaining({ batchId: 2, retry: true })])

    await runCI(repo, retry.batches[0].sha, 'failure', [HOSTILE_ID, NET_ID])
    const out = await reconcile(repo)
    expect(out.ejected).toEqual([{ number: 1, reason: 'Failing checks: build' }])
    expect(out.actions.filter((a) => a.kind === 'build' || a.kind === 'dispatch')).toEqual([])
    expect(w.queueStatus()).toMatchObject({ state: 'failure', description: 'Ejected: Failing checks: build' })
    expect(w.runs()).toBe(2)
    expect(w.merged()).toBe(false)
    expect((await reconcile(repo)).actions).toEqual([])
  })

  it('is ejected at once when the verdict has a failing test it does not call flaky', async () => {
    const repo = 'one-real'
    const w = world(repo)
    await failFirstBatch(repo, [NET_ID])
    const out = await reconcile(repo)
    expect(out.ejected).toEqual([{ number: 1, reason: 'Failing checks: build' }])
    expect(out.actions.filter((a) => a.kind === 'build')).toEqual([])
    expect(w.runs()).toBe(1)
  })

  it('is ejected at once when no test-report verdict is on the batch head', async () => {
    const repo = 'no-verdict'
    const w = world(repo)
    await failFirstBatch(repo, null)
    const out = await reconcile(repo)
    expect(out.ejected).toEqual([{ number: 1, reason: 'Failing checks: build' }])
    expect(out.actions.filter((a) => a.kind === 'build')).toEqual([])
    expect(w.runs()).toBe(1)
    expect(w.queueStatus()).toMatchObject({ state: 'failure', description: 'Ejected: Failing checks: build' })
  })
})
