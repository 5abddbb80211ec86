/**
 * The fork pull request pattern end to end: the test job's read-only token writes nothing and
 * leaves the JUnit files in an artifact of its run; a `workflow_run` run downloads them from that
 * run and reports on the PR's head commit with a token that can write.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Simulator } from '../../src/sim/server.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { runAction, type RunResult } from '../../src/runner/run.js'
import { completeWorkflowRun } from '../../src/sim/routes/actions.js'
import { artifactStore } from '../../src/sim/artifacts/store.js'
import { CORPUS } from '../core/junit-support.js'
import { NODE24 } from '../support/node24.js'
import { realExample } from '../support/payloads.js'
import { repoPayload, userPayload } from '../../src/sim/shapes.js'

const SERVER = 'https://github.com'
const FILES: Record<string, string> = {
  'reports/pytest.xml': 'EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/pytest/junit.fail.xml',
  'reports/surefire/TEST-org.acme.FlakyTest.xml': 'apache+maven-surefire/surefire-report-parser/src/test/resources/fixture/testsuitexmlparser/TEST-org.acme.FlakyTest.xml'
}

let sim: Simulator
const repo = () => sim.state.repos.get('acme/widgets')!
const comments = () => [...repo().comments.values()].filter((c) => c.user === 'github-actions[bot]')

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-ws-'))
  for (const [path, from] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), readFileSync(join(CORPUS, from)))
  }
  return dir
}

/** PR #1's `pull_request` event as a fork would send it: the head lives in another repository. */
async function forkPullRequest(number = 1): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/repos/acme/widgets/pulls/1`, { headers: { authorization: 'token maintainer-token' } })
  const pull = (await res.json()) as { number: number; head: { repo: Record<string, unknown> } }
  pull.number = number
  pull.head.repo = { ...pull.head.repo, full_name: 'contributor/widgets', fork: true }
  const payload = realExample('pull_request', 'synchronize')
  Object.assign(payload, { number, pull_request: pull, repository: repoPayload(sim.state, repo()), sender: userPayload(sim.state, 'contributor') })
  delete payload.organization
  delete payload.installation
  return payload
}

/** Starts the CI run the test job belongs to, on the PR's branch (its head commit). */
async function ciRun(): Promise<number> {
  const res = await fetch(`${sim.url}/repos/acme/widgets/actions/workflows/ci.yml/dispatches`, {
    method: 'POST',
    headers: { authorization: 'token maintainer-token', 'content-type': 'application/json' },
    body: JSON.stringify({ ref: 'feature/faster-widgets', return_run_details: true })
  })
  return ((await res.json()) as { workflow_run_id: number }).workflow_run_id
}

const action = (event: string, payload: unknown, runId: number, inputs: Record<string, string>, token = 'ghs_actions'): Promise<RunResult> =>
  runAction({
    actionDir: 'actions/test-report',
    event,
    payload,
    apiUrl: sim.url,
    token,
    inputs: { name: 'unit', ...inputs },
    env: { GITHUB_WORKSPACE: workspace(), GITHUB_SERVER_URL: SERVER },
    node: NODE24,
    runId
  })

/** Runs the test job (mode run) in CI run `ci`, completes the run, and returns its workflow_run event. */
async function testJob(ci: number, pr: Record<string, unknown>): Promise<{ job: RunResult; event: unknown }> {
  const job = await action('pull_request', pr, ci, { files: 'reports/**/*.xml', comment: 'always' })
  await completeWorkflowRun(sim, repo(), ci, 'failure')
  const event = sim.state.events.at(-1)!
  expect(`${event.name}.${event.action}`).toBe('workflow_run.completed')
  return { job, event: event.payload }
}

beforeAll(async () => {
  sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
})
afterAll(async () => sim.stop())
beforeEach(async () => sim.reset(demoFixture()))

describe('a fork pull request reported through workflow_run', () => {
  it('writes nothing from the test job and leaves the JUnit files in an artifact of its run', async () => {
    const ci = await ciRun()
    const { job } = await testJob(ci, await forkPullRequest())
    expect(job.exitCode).toBe(1)
    expect(job.summary).toContain('### ❌ unit')
    expect(repo().checkRuns.size).toBe(0)
    expect(comments()).toHaveLength(0)
    const input = [...artifactStore(sim.state).artifacts.values()].find((a) => a.name === 'shepherd-test-report-input-unit')
    expect(input).toMatchObject({ runId: ci, repo: 'acme/widgets', status: 'finalized' })
  })

  it('reports from the workflow_run run: check run on the head commit, comment on the PR, outputs', async () => {
    const ci = await ciRun()
    const head = repo().issues.get(1)!.pull!.head.sha
    const { job, event } = await testJob(ci, await forkPullRequest())
    const report = await ciRun()
    const before = sim.requests.length
    const result = await action('workflow_run', event, report, { mode: 'workflow_run', comment: 'always' })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toMatchObject({ total: job.outputs.total, failed: '1', flaky: '1', conclusion: 'failure' })
    const runs = [...repo().checkRuns.values()]
    expect(runs.map((r) => ({ name: r.name, headSha: r.headSha, conclusion: r.conclusion }))).toEqual([{ name: 'unit', headSha: head, conclusion: 'failure' }])
    expect(runs[0].output.annotations.map((a) => (a as { path: string }).path)).toEqual(['test/test_spark.py', 'org/acme/FlakyTest.java'])
    // The run's own pull_requests list is empty for forks: the artifact's PR number was checked against the head.
    expect(comments()).toHaveLength(1)
    expect(comments()[0].body).toContain('test\\_rsh\\_events')
    const sent = sim.requests.slice(before).map((r) => `${r.method} ${r.route === 'artifact' ? r.path.replace(/\d+/g, 'N') : r.route}`)
    // The inputs come from the test job's run: listed, then downloaded as a zip.
    expect(sent.slice(0, 2)).toEqual(['GET /repos/acme/widgets/actions/runs/N/artifacts', 'GET /repos/acme/widgets/actions/artifacts/N/zip'])
    expect(sent).toContain('GET pulls/get')
    // The summary links to the run that ran the tests.
    expect(result.summary).toContain(`${sim.url}/acme/widgets/actions/runs/${ci}`)
  })

  it('does not comment on a pull request the artifact names falsely', async () => {
    const ci = await ciRun()
    const { event } = await testJob(ci, await forkPullRequest(2))
    const result = await action('workflow_run', event, await ciRun(), { mode: 'workflow_run', comment: 'always' })
    expect(result.annotations.find((a) => a.level === 'warning')?.message).toMatch(/^the artifact names pull request #2, whose head is not [0-9a-f]{40}; no comment is written$/)
    expect(comments()).toHaveLength(0)
    expect(repo().checkRuns.size).toBe(1)
  })

  it('does nothing for a run that reported by itself', async () => {
    const ci = await ciRun()
    await completeWorkflowRun(sim, repo(), ci, 'success')
    const event = sim.state.events.at(-1)!.payload
    const own = await ciRun()
    const before = sim.requests.length
    const result = await action('workflow_run', event, own, { mode: 'workflow_run' })
    expect(result.exitCode).toBe(0)
    expect(result.log).toContain(`Run ${ci} left no shepherd-test-report-input-* artifact`)
    expect(sim.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /repos/acme/widgets/actions/runs/${ci}/artifacts`])
  })

  it('refuses mode workflow_run on another event, naming it', async () => {
    const result = await action('pull_request', await forkPullRequest(), await ciRun(), { mode: 'workflow_run' })
    expect(result.exitCode).toBe(1)
    expect(result.annotations.map((a) => a.message)).toEqual(['mode workflow_run runs on the workflow_run event, not on pull_request'])
  })
})
