/**
 * actions/test-report with history, end to end: runs on main leave records on the data branch; a
 * pull request's run reads them, calls only what did not fail on main "new", and a test that
 * passed and failed on one commit is reported flaky with that evidence.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Simulator } from '../../src/sim/server.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { runAction, type RunResult } from '../../src/runner/run.js'
import { GitRepo } from '../../src/sim/git.js'
import { NODE24 } from '../support/node24.js'
import { CORPUS } from '../core/junit-support.js'
import { realExample } from '../support/payloads.js'
import { repoPayload, userPayload } from '../../src/sim/shapes.js'

const GO = readFileSync(join(CORPUS, 'jstemmer+go-junit-report/testdata/001-report.xml'), 'utf8')
// The same go-junit-report file with TestOne passing.
const GO_GREEN = GO.replace(/<failure[\s\S]*?<\/failure>/, '')
const PYTEST = readFileSync(join(CORPUS, 'EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/pytest/junit.fail.xml'), 'utf8')

let sim: Simulator
const repo = () => sim.state.repos.get('acme/widgets')!

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-ws-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

async function pushToMain(): Promise<Record<string, unknown>> {
  const sha = (await new GitRepo(repo().gitDir).resolve('refs/heads/main'))!
  return { ref: 'refs/heads/main', before: '0'.repeat(40), after: sha, repository: repoPayload(sim.state, repo()), sender: userPayload(sim.state, 'maintainer'), pusher: { name: 'maintainer' } }
}

async function pullRequest(): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/repos/acme/widgets/pulls/1`, { headers: { authorization: 'token maintainer-token' } })
  const payload = realExample('pull_request', 'synchronize')
  Object.assign(payload, { number: 1, pull_request: await res.json(), repository: repoPayload(sim.state, repo()), sender: userPayload(sim.state, 'contributor') })
  delete payload.organization
  delete payload.installation
  return payload
}

const run = async (event: string, payload: Record<string, unknown>, runId: number, files: Record<string, string>, inputs: Record<string, string> = {}): Promise<RunResult> => {
  const result = await runAction({
    actionDir: 'actions/test-report',
    event,
    payload,
    apiUrl: sim.url,
    token: 'ghs_actions',
    inputs: { files: '**/*.xml', name: 'unit', 'check-run': 'false', ...inputs },
    env: { GITHUB_WORKSPACE: workspace(files), GITHUB_SERVER_URL: 'https://github.com' },
    node: NODE24,
    runId
  })
  expect(result.stderr).toBe('')
  return result
}

beforeAll(async () => {
  sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
})
afterAll(async () => sim.stop())
beforeEach(async () => sim.reset(demoFixture()))

describe.each(['branch', 'artifact'])('history: %s', (history) => {
  it('keeps a record per run and calls new only what did not fail on main', async () => {
    // main: TestOne fails already.
    const base = await run('push', await pushToMain(), 301, { 'go.xml': GO }, { history })
    expect(base.log).toMatch(/History: 0 earlier run\(s\) of main; no run of main to compare with/)
    expect(base.summary).not.toContain('New failures')
    // The pull request adds the pytest suite, with test_rsh_events failing.
    const pr = await run('pull_request', await pullRequest(), 302, { 'go.xml': GO, 'pytest.xml': PYTEST }, { history })
    expect(pr.log).toMatch(/History: 1 earlier run\(s\) of main and pull\/1; 1 new failure\(s\) since run 301/)
    const mainSha = (await pushToMain()).after as string
    expect(pr.summary).toContain(`New failures (1) since main at [${mainSha.slice(0, 7)}](https://github.com/acme/widgets/actions/runs/301)`)
    expect(pr.summary).toContain(`1 new since main ${mainSha.slice(0, 7)}`)
    const fresh = pr.summary.slice(pr.summary.indexOf('New failures'), pr.summary.indexOf('####', pr.summary.indexOf('New failures') + 5))
    expect(fresh).toContain('test\\_rsh\\_events')
    expect(fresh).not.toContain('TestOne')
    // Among failures, the new one comes first and is marked.
    const failures = pr.summary.slice(pr.summary.indexOf('Failures ('))
    expect(failures.indexOf('🆕 **test\\_rsh\\_events**')).toBeGreaterThan(0)
    expect(failures.indexOf('test\\_rsh\\_events')).toBeLessThan(failures.indexOf('TestOne'))
  })

  it('judges a test flaky when it passed and failed on one commit, and shows the evidence', async () => {
    const push = await pushToMain()
    await run('push', push, 311, { 'go.xml': GO }, { history })
    await run('push', push, 312, { 'go.xml': GO_GREEN }, { history })
    const third = await run('push', push, 313, { 'go.xml': GO }, { history })
    expect(third.outputs.flaky).toBe('1')
    expect(JSON.parse(third.outputs['flaky-tests'])).toEqual([{ classname: 'package/fail', name: 'TestOne', file: 'fail_test.go' }])
    expect(third.summary).toContain(`Flaky tests (1)\n- **TestOne** <sub>package/fail</sub>: passed and failed on 1 commit \\(${(push.after as string).slice(0, 7)}\\); flip rate 66\\.7`)
    // It passed in main's latest run (312), so this failure is new, and a known flake.
    expect(third.summary).toContain(`1 new since main ${(push.after as string).slice(0, 7)}`)
    expect(third.outputs.failed).toBe('1')
  })
})

describe('the data branch', () => {
  it('holds main and the pull request apart', async () => {
    await run('push', await pushToMain(), 321, { 'go.xml': GO })
    await run('pull_request', await pullRequest(), 322, { 'go.xml': GO })
    const git = new GitRepo(repo().gitDir)
    expect(await git.resolve('refs/heads/shepherd/test-history')).toMatch(/^[0-9a-f]{40}$/)
    const res = await fetch(`${sim.url}/repos/acme/widgets/git/trees/shepherd%2Ftest-history?recursive=1`, { headers: { authorization: 'token maintainer-token' } })
    const paths = ((await res.json()) as { tree: { path: string; type: string }[] }).tree.filter((t) => t.type === 'blob').map((t) => t.path)
    expect(paths.some((p) => p.includes('/main/'))).toBe(true)
    expect(paths.some((p) => p.includes('pull%2F1') || p.includes('pull/1'))).toBe(true)
    expect(paths.filter((p) => !p.endsWith('.nojekyll') && !p.endsWith('README.md'))).toHaveLength(2)
  })
})

describe('pages-branch', () => {
  it('publishes the dashboard of the history to the branch, one directory per report and branch', async () => {
    const push = await pushToMain()
    await run('push', push, 331, { 'go.xml': GO }, { 'pages-branch': 'gh-pages' })
    const second = await run('push', push, 332, { 'go.xml': GO_GREEN }, { 'pages-branch': 'gh-pages' })
    expect(second.log).toMatch(/Dashboard published on gh-pages:test-report\/unit\/main\/index\.html/)
    const res = await fetch(`${sim.url}/repos/acme/widgets/contents/test-report/unit/main/index.html?ref=gh-pages`, { headers: { authorization: 'token maintainer-token' } })
    const html = Buffer.from(((await res.json()) as { content: string }).content, 'base64').toString('utf8')
    expect(html).toMatch(/^<!doctype html>/i)
    // Both runs are on the page (linked), and the test's name.
    expect(html).toContain('actions/runs/331')
    expect(html).toContain('actions/runs/332')
    expect(html).toContain('TestOne')
  })
})
