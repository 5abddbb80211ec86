/**
 * actions/test-report end to end: the committed bundle runs under Node 24 through the runner
 * harness against the simulator, on real JUnit files from the corpus (pytest with a failure,
 * go-junit-report, Surefire with flaky elements, a truncated pytest file).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Simulator } from '../../src/sim/server.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { runAction, type RunResult } from '../../src/runner/run.js'
import { artifactStore } from '../../src/sim/artifacts/store.js'
import { NODE24 } from '../support/node24.js'
import { unzipFiles } from '../support/unzip.js'
import { CORPUS } from '../core/junit-support.js'
import { realExample } from '../support/payloads.js'
import { repoPayload, userPayload } from '../../src/sim/shapes.js'

const FILES: Record<string, string> = {
  'reports/pytest.xml': 'EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/pytest/junit.fail.xml',
  'reports/go.xml': 'jstemmer+go-junit-report/testdata/001-report.xml',
  'reports/surefire/TEST-org.acme.FlakyTest.xml': 'apache+maven-surefire/surefire-report-parser/src/test/resources/fixture/testsuitexmlparser/TEST-org.acme.FlakyTest.xml',
  'reports/broken.xml': 'EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/pytest/corrupt-xml.xml'
}

const SERVER = 'https://github.com'
let sim: Simulator
const repo = () => sim.state.repos.get('acme/widgets')!
const pr = () => repo().issues.get(1)!

/** A workspace holding corpus files (by path in the workspace → corpus path) and generated ones. */
function workspace(corpus: Record<string, string>, generated: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-ws-'))
  for (const [path, from] of Object.entries(corpus)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), readFileSync(join(CORPUS, from)))
  }
  for (const [path, text] of Object.entries(generated)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

/** A `pull_request` `synchronize` payload for PR #1 as the simulator has it (GitHub's REST shape). */
async function pullRequestEvent(change: (p: Record<string, unknown>) => void = () => undefined): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}/repos/acme/widgets/pulls/1`, { headers: { authorization: 'token maintainer-token' } })
  const pull = (await res.json()) as Record<string, unknown>
  const payload = realExample('pull_request', 'synchronize')
  payload.number = 1
  payload.pull_request = pull
  payload.repository = repoPayload(sim.state, repo())
  payload.sender = userPayload(sim.state, 'contributor')
  delete payload.organization
  delete payload.installation
  change(payload)
  return payload
}

interface Run {
  files?: Record<string, string>
  /** Make the workspace a git checkout with every file committed (real git). */
  git?: boolean
  generated?: Record<string, string>
  inputs?: Record<string, string>
  token?: string
  payload?: Record<string, unknown>
  event?: string
  runId?: number
}

async function report(run: Run = {}): Promise<RunResult> {
  const ws = workspace(run.files ?? FILES, run.generated)
  if (run.git) {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: ws })
    git('init', '-q')
    git('add', '-A')
    git('commit', '-q', '-m', 'tests')
  }
  return runAction({
    actionDir: 'actions/test-report',
    event: run.event ?? 'pull_request',
    payload: run.payload ?? (await pullRequestEvent()),
    apiUrl: sim.url,
    token: run.token ?? 'ghs_actions',
    inputs: { files: 'reports/**/*.xml', name: 'unit', ...run.inputs },
    // @actions/artifact refuses to run on GitHub Enterprise Server, which it takes any server but
    // github.com (or *.ghe.com) to be; links then point where they would on GitHub.
    env: { GITHUB_WORKSPACE: ws, GITHUB_SERVER_URL: SERVER },
    node: NODE24,
    runId: run.runId
  })
}

/** The files of a zip as text. */
async function unzip(zip: Buffer): Promise<Record<string, string>> {
  return Object.fromEntries([...(await unzipFiles(zip))].map(([name, bytes]) => [name, bytes.toString('utf8')]))
}

const checkRuns = () => [...repo().checkRuns.values()]
const comments = () => [...repo().comments.values()].filter((c) => c.issueNumber === 1)
const requests = (from: number) => sim.requests.slice(from).map((r) => `${r.method} ${r.route}`)
/** Writes to GitHub (REST, GraphQL mutations aside): what a read-only token must not attempt. Artifacts are the runner's. */
const writes = (from: number) =>
  sim.requests
    .slice(from)
    .filter((r) => r.route !== 'artifact' && r.route !== 'git' && r.route !== 'graphql' && r.method !== 'GET')
    .map((r) => `${r.method} ${r.route}`)

beforeAll(async () => {
  sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
})
afterAll(async () => sim.stop())
beforeEach(async () => sim.reset(demoFixture()))

describe('a pull request with failing, flaky and unreadable results', () => {
  let result: RunResult
  let head: string
  let sent: string[]
  // What the world looked like right after the run (each test below starts from a fresh world).
  let runs: ReturnType<typeof checkRuns>
  let posted: ReturnType<typeof comments>
  let artifacts: string[]
  /** The files of the full report artifact, unzipped. */
  let full: Record<string, string>
  beforeAll(async () => {
    await sim.reset(demoFixture())
    head = pr().pull!.head.sha
    const payload = await pullRequestEvent()
    const before = sim.requests.length
    result = await report({ payload, inputs: { comment: 'always' } })
    sent = requests(before)
    runs = checkRuns()
    posted = comments()
    artifacts = [...artifactStore(sim.state).artifacts.values()].filter((a) => a.status === 'finalized').map((a) => `${a.id} ${a.name}`)
    full = await unzip([...artifactStore(sim.state).artifacts.values()].find((a) => a.name === 'shepherd-test-report-unit')!.blob.data!)
  })

  it('fails the step, as fail-on failures says, with the reason', () => {
    expect(result.exitCode).toBe(1)
    expect(result.annotations.at(-1)).toMatchObject({ level: 'error', message: 'Test report: 1 file could not be read; 2 tests failed' })
    expect(result.stderr).toBe('')
  })

  it('gives counts from every readable part: tests merged across files, the truncated file up to its break', () => {
    // pytest 5 (3 passed, 1 failed, 1 skipped) + go 5 (2, 1, 2) + Surefire 2 (1 passed, 1 flaky);
    // the truncated file repeats a pytest test that passed, which merges into it.
    expect({ ...result.outputs, 'failed-tests': undefined, 'flaky-tests': undefined, 'report-url': undefined }).toEqual({
      total: '12',
      passed: '6',
      failed: '2',
      errored: '0',
      skipped: '3',
      flaky: '1',
      conclusion: 'failure',
      'failed-tests': undefined,
      'flaky-tests': undefined,
      'report-url': undefined
    })
    // Files are read in path order: go.xml before pytest.xml.
    expect(JSON.parse(result.outputs['failed-tests'])).toEqual([
      { classname: 'package/fail', name: 'TestOne', file: 'fail_test.go' },
      { classname: 'test.test_spark.SparkTests', name: 'test_rsh_events', file: 'test/test_spark.py' }
    ])
    expect(JSON.parse(result.outputs['flaky-tests'])).toEqual([{ classname: 'org.acme.FlakyTest', name: 'testFlaky', file: 'org/acme/FlakyTest.java' }])
  })

  it('shows its progress in the log: a folded line per file, then the totals', () => {
    const log = result.stdout
    expect(log).toContain('::group::Reading 4 JUnit file(s)')
    expect(log).toMatch(/^reports\/broken\.xml: \d+ test case\(s\), .*, \d+ ms \(stopped at 11:22: the file ends inside <skipped>/m)
    expect(log).toMatch(/^reports\/go\.xml: 5 test case\(s\), 5 test\(s\): 2 passed, 1 failed, 0 errored, 2 skipped, 0 flaky, \d+ ms$/m)
    expect(log).toMatch(/^Read 4 file\(s\) in \d+ ms: \d+ test case\(s\), 12 test\(s\): 6 passed, 2 failed, 0 errored, 3 skipped, 1 flaky; 1 file\(s\) with an error$/m)
    expect(log.indexOf('::endgroup::')).toBeLessThan(log.indexOf('Read 4 file(s)'))
  })

  it('reports the truncated file as an error annotation naming the file and position', () => {
    const bad = result.annotations.find((a) => a.title === 'Unreadable JUnit file')
    expect(bad).toMatchObject({ level: 'error', file: 'reports/broken.xml', line: 11, col: 22 })
    expect(bad!.message).toMatch(/^reports\/broken\.xml:11:22: the file ends inside <skipped>/)
  })

  it('writes a job summary: totals, flaky tests with evidence, failures with message and linked location', () => {
    const s = result.summary
    expect(s.split('\n')[0]).toBe('### ❌ unit')
    expect(s).toContain('| tests | 12 | 6 | 2 | 0 | 3 | 1 |')
    expect(s).toContain('Unreadable files (1)')
    expect(s).toMatch(/Flaky tests \(1\)\n- \*\*testFlaky\*\* <sub>org\\\.acme\\\.FlakyTest<\/sub>: failed and passed in this run\\: 4 of 5 executions failed/)
    expect(s).toContain(`(${SERVER}/acme/widgets/blob/${head}/test/test_spark.py#L819)`)
    expect(s).toMatch(/E\s+AssertionError: 143 != 0/)
    expect(s).toMatch(/\*\*TestOne\*\* <sub>package\/fail<\/sub>/)
    // No history yet: nothing can be called new.
    expect(s).not.toContain('New failures')
  })

  it('uploads the full report and links it', async () => {
    const url = result.outputs['report-url']
    expect(url).toMatch(new RegExp(`^${SERVER}/acme/widgets/actions/runs/1/artifacts/\\d+$`))
    expect(result.summary).toContain(`[full report](${url})`)
    expect(artifacts).toEqual([`${url.split('/').pop()} shepherd-test-report-unit`])
  })

  it('puts the whole report in the artifact: report.md with every section, report.json with every result that did not simply pass', () => {
    expect(Object.keys(full).sort()).toEqual(['dashboard.html', 'report.json', 'report.md'])
    const md = full['report.md']
    expect(md.split('\n')[0]).toBe('### ❌ unit')
    expect(md).toContain('| tests | 12 | 6 | 2 | 0 | 3 | 1 |')
    for (const heading of ['Unreadable files (1)', 'Flaky tests (1)', 'Failures (2)', 'Slowest tests', 'Suites']) expect(md).toContain(heading)
    expect(md.endsWith('\n')).toBe(true)
    const json = JSON.parse(full['report.json'])
    expect(json).toMatchObject({ format: 'shepherd-test-report', version: 1, tests: { total: 12, failed: 2, skipped: 3, flaky: 1 }, newFailures: null, baseline: null })
    expect(json.files).toHaveLength(4)
    expect(json.errors).toHaveLength(1)
    expect(json.results.map((r: { outcome: string }) => r.outcome).sort()).toEqual(['failed', 'failed', 'flaky', 'skipped', 'skipped', 'skipped'])
    expect(json.flaky.map((f: { name: string }) => f.name)).toEqual(['testFlaky'])
  })

  it('creates one check run on the PR head with the annotations, in one request', () => {
    expect(runs).toHaveLength(1)
    const run = runs[0]
    expect(run).toMatchObject({ name: 'unit', headSha: head, status: 'completed', conclusion: 'failure', app: 'github-actions' })
    expect(run.output.title).toBe('2 failed, 6 passed, 3 skipped, 1 flaky, 1 unreadable file')
    expect(run.output.summary).toContain('test\\_rsh\\_events')
    const shown = run.output.annotations.map((a) => {
      const x = a as { path: string; start_line: number; annotation_level: string }
      return `${x.annotation_level} ${x.path}:${x.start_line}`
    })
    // Unreadable files first, then failures in report order (go.xml before pytest.xml), then flaky tests.
    expect(shown).toEqual(['failure reports/broken.xml:11', 'failure fail_test.go:6', 'failure test/test_spark.py:819', 'warning org/acme/FlakyTest.java:18'])
    expect(sent.filter((r) => r.includes('checks/'))).toEqual(['POST checks/create'])
  })

  it('comments on the pull request once, behind a marker', () => {
    const mine = posted.filter((c) => c.user === 'github-actions[bot]')
    expect(mine).toHaveLength(1)
    expect(mine[0].body.startsWith('<!-- shepherd:test-report:unit -->\n### ❌ unit')).toBe(true)
    expect(mine[0].body).toContain('test\\_rsh\\_events')
    // The comment leaves out the long tables.
    expect(mine[0].body).not.toContain('Slowest tests')
  })
})

describe('across runs', () => {
  it('updates the one comment in place on the next run', async () => {
    await report({ inputs: { comment: 'always' } })
    const first = comments().filter((c) => c.user === 'github-actions[bot]')
    const fixed = await report({ files: { 'reports/pytest.xml': FILES['reports/pytest.xml'] }, inputs: { comment: 'always' } })
    expect(fixed.exitCode).toBe(1)
    const after = comments().filter((c) => c.user === 'github-actions[bot]')
    expect(after).toHaveLength(1)
    expect(after[0].id).toBe(first[0].id)
    expect(after[0].body).not.toContain('TestOne')
    expect(after[0].body).toContain('test\\_rsh\\_events')
  })

  it('with comment: failures, says nothing on a green run but keeps an earlier comment current', async () => {
    const green = { 'reports/ok.xml': 'EnricoMi+publish-unit-test-result-action/python/test/files/junit-xml/jest/jest-junit.xml' }
    expect((await report({ files: green, inputs: { comment: 'failures' } })).exitCode).toBe(0)
    expect(comments().filter((c) => c.user === 'github-actions[bot]')).toHaveLength(0)
    await report({ inputs: { comment: 'failures' } })
    await report({ files: green, inputs: { comment: 'failures' } })
    const mine = comments().filter((c) => c.user === 'github-actions[bot]')
    expect(mine).toHaveLength(1)
    expect(mine[0].body).toContain('### ✅ unit')
  })
})

describe('annotations beyond 50', () => {
  it('sends 120 failures as a create and two updates of at most 50 each', async () => {
    const cases = Array.from({ length: 120 }, (_, i) => `<testcase classname="pkg.Big" name="case ${i}" file="src/big_test.py" line="${i + 1}"><failure message="boom ${i}">trace ${i}</failure></testcase>`)
    const before = sim.requests.length
    const result = await report({ files: {}, generated: { 'reports/big.xml': `<testsuite name="big">${cases.join('')}</testsuite>` } })
    expect(result.outputs.failed).toBe('120')
    expect(requests(before).filter((r) => r.includes('checks/'))).toEqual(['POST checks/create', 'PATCH checks/update', 'PATCH checks/update'])
    const run = checkRuns()[0]
    expect(run.output.annotations).toHaveLength(120)
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' })
  })

  it('annotates a JVM failure at the checkout’s file, listed by git while the reports were read', async () => {
    const trace = 'java.lang.AssertionError: boom\n\tat org.junit.Assert.fail(Assert.java:88)\n\tat com.acme.FooTest.adds(FooTest.java:12)\n'
    const result = await report({
      files: {},
      git: true,
      generated: {
        'reports/TEST-com.acme.FooTest.xml': `<testsuite name="com.acme.FooTest"><testcase classname="com.acme.FooTest" name="adds"><failure message="boom"><![CDATA[${trace}]]></failure></testcase></testsuite>`,
        'service/src/test/java/com/acme/FooTest.java': 'class FooTest {}\n'
      }
    })
    expect(result.log).toContain('1 failing test location(s) matched to repository files')
    expect(checkRuns()[0].output.annotations.map((a) => `${(a as { path: string }).path}:${(a as { start_line: number }).start_line}`)).toEqual(['service/src/test/java/com/acme/FooTest.java:12'])
  })
})

describe('fail-on', () => {
  const failingOnly = { 'reports/pytest.xml': FILES['reports/pytest.xml'] }
  it.each([
    ['failures', 'a failing test', failingOnly, 1, 'failure'],
    ['errors', 'a failing test', failingOnly, 0, 'neutral'],
    ['errors', 'an unreadable file', FILES, 1, 'failure'],
    ['nothing', 'an unreadable file', FILES, 0, 'neutral']
  ])('fail-on %s with %s: exit %d, conclusion %s', async (failOn, _what, files, code, conclusion) => {
    const result = await report({ files, inputs: { 'fail-on': failOn, 'check-run': 'false' } })
    expect({ exitCode: result.exitCode, conclusion: result.outputs.conclusion }).toEqual({ exitCode: code, conclusion })
  })

  it('fails when no file matches, saying so', async () => {
    const result = await report({ files: {}, inputs: { files: 'nothing/*.xml' } })
    expect(result.exitCode).toBe(1)
    expect(result.annotations.at(-1)!.message).toBe('Test report: no JUnit file matched the `files` patterns')
  })
})

describe('bad input', () => {
  it.each([
    [{ 'fail-on': 'always' }, 'input fail-on must be one of failures, errors, nothing, got "always"'],
    [{ comment: 'yes' }, 'input comment must be one of off, always, failures, got "yes"'],
    [{ 'history-runs': '5000' }, 'input history-runs must be a whole number from 1 to 1000, got "5000"']
  ])('%j fails before any request: %s', async (inputs, message) => {
    const payload = await pullRequestEvent()
    const before = sim.requests.length
    const result = await report({ inputs, payload })
    expect(result.exitCode).toBe(1)
    expect(result.annotations.map((a) => a.message)).toEqual([message])
    expect(result.summary).toBe('')
    expect(requests(before)).toEqual([])
  })
})

describe('a token that cannot write', () => {
  it('still writes the summary, skips the writes with a notice, and leaves the files for workflow_run', async () => {
    const payload = await pullRequestEvent()
    const before = sim.requests.length
    const result = await report({ payload, token: 'contributor-token', inputs: { comment: 'always' } })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('### ❌ unit')
    expect(result.summary).toContain('Not written: the check run, the pull request comment, the history record')
    // The summary written while the check run was answered is replaced, not followed, by this one.
    expect(result.summary.split('### ❌ unit')).toHaveLength(2)
    expect(result.annotations.find((a) => a.level === 'notice')?.message).toMatch(/^Test report: the check run, the pull request comment, the history record not written: the token may not write: You must authenticate via a GitHub App/)
    expect(checkRuns()).toHaveLength(0)
    expect(comments()).toHaveLength(0)
    // One refused write, then nothing more is tried.
    expect(writes(before)).toEqual(['POST checks/create'])
    const names = [...artifactStore(sim.state).artifacts.values()].map((a) => a.name).sort()
    expect(names).toEqual(['shepherd-test-report-input-unit', 'shepherd-test-report-unit'])
  })

  it('does not even try on a pull request from a fork', async () => {
    const payload = await pullRequestEvent((p) => {
      const head = (p.pull_request as { head: { repo: Record<string, unknown> } }).head
      head.repo = { ...head.repo, full_name: 'stranger/widgets', fork: true }
    })
    const before = sim.requests.length
    const result = await report({ payload, inputs: { comment: 'always' } })
    expect(result.summary).toContain('this pull request comes from a fork')
    expect(writes(before)).toEqual([])
    expect(result.outputs.failed).toBe('2')
  })
})
