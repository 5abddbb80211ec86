/**
 * The demo's merge-queue chapter (issue 5): on the repository the CI chapter left, a maintainer
 * turns the queue on; five pull requests, each green on its own head, get `lgtm` and `approved`.
 * One of them calls a function main removed after its branch was cut (merge skew): green alone,
 * broken with today's main. The committed actions/merge-queue bundle runs through the runner
 * harness on each webhook GitHub would send (the labeling, then every completed CI run); the
 * simulated CI (src/sim/queue-ci.ts) completes each dispatched batch run with a `build` check. The batch of five fails, is split, the breaking PR is
 * ejected with its reason, the rest land by fast-forward to the commit CI tested. The action writes
 * the queue page (its `page-path` input) to `merge-queue/index.html`, its job summary beside it.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Simulator } from '../../sim/server.js'
import { GitRepo } from '../../sim/git.js'
import { createClient, type GitHubClient } from '../../github/client.js'
import { updateBranch } from '../../github/branch-commit.js'
import { runAction, type RunResult } from '../../runner/run.js'
import { QueueCI } from '../../sim/queue-ci.js'
import { REPO_ROOT } from '../args.js'
import { node24 } from './demo-test-report.js'

const REPO = { owner: 'acme', repo: 'widgets' }
const QUEUE_CONTEXT = 'shepherd/merge-queue'
const MARKER = '<!-- shepherd:merge-queue -->'
/** Simulated minutes one CI run of a batch takes (the action's ci-minutes, for its ETAs). */
const CI_MINUTES = 10

/** The queue's configuration the maintainer adds (the triage part stays as it was). */
const CONFIG = 'triage:\n  hold:\n    label: do-not-merge/hold\nmerge_queue:\n  required_checks: [build]\n  in_flight: 1\n'

/** A pull request of the chapter: its branch, title and the files it adds. */
interface QueuedPull {
  branch: string
  title: string
  files: Record<string, string>
  /** The release note in the PR's body (`NONE` for none) and its kind label. */
  note: string
  kind: string
}

/** The breaking one: cut while main still had LegacyTotal, which main removes before the queue runs. */
const SKEWED: QueuedPull = {
  branch: 'dev/checkout-endpoint',
  title: 'API: checkout endpoint',
  files: { 'api/checkout.go': 'package api\n\n// Checkout charges the cart.\nfunc Checkout(prices []int) int {\n\treturn LegacyTotal(prices)\n}\n' },
  note: 'A checkout endpoint charges the cart.',
  kind: 'feature'
}
const OTHERS: QueuedPull[] = [
  { branch: 'dev/theme-tokens', title: 'Widgets: theme tokens', files: { 'src/theme.ts': "export const theme = { accent: '#0969da' }\n" }, note: 'Widgets take their colours from theme tokens.', kind: 'feature' },
  { branch: 'dev/currency', title: 'Cart: format prices as currency', files: { 'web/currency.ts': "export const currency = (cents: number) => `$${(cents / 100).toFixed(2)}`\n" }, note: 'ACTION REQUIRED: prices are shown as currency; integrations that parsed the plain number must parse "$1.00".', kind: 'api-change' },
  { branch: 'dev/queue-docs', title: 'Docs: how the merge queue works', files: { 'docs/queue.md': '# The merge queue\n\nLabel a pull request `lgtm` and `approved`; the queue tests it with others and merges it.\n' }, note: 'NONE', kind: 'documentation' },
  { branch: 'dev/lazy-images', title: 'Web: lazy-load images', files: { 'web/images.ts': "export const lazy = (img: { loading: string }) => { img.loading = 'lazy' }\n" }, note: 'Images load lazily.', kind: 'feature' }
]

/** What the chapter did, for the transcript and the tests. */
export interface MergeQueueChapter {
  pulls: { number: number; title: string }[]
  /** The pull request that breaks the build. */
  breaking: number
  runs: RunResult[]
  merged: number[]
  ejected: { number: number; reason: string }[]
  /** CI runs completed on batch heads: the batch head's SHA and the conclusion. */
  ci: { sha: string; conclusion: 'success' | 'failure' }[]
  /** `git log --oneline` of main at the end, newest first. */
  baseLog: string[]
  /** The ejected PR's queue status and sticky comment. */
  ejectedStatus: string
  ejectedComment: string
  files: { page: string; summary: string }
  ok: boolean
}


/**
 * The `build` CI would run on a tree: Go's compiler refuses a call to a function nothing defines.
 * Returns the error, or null when the tree builds.
 */
async function buildError(git: GitRepo, sha: string): Promise<string | null> {
  const checkout = (await git.readFile(sha, 'api/checkout.go'))?.toString()
  if (!checkout?.includes('LegacyTotal(')) return null
  const defined = (await git.readFile(sha, 'api/legacy.go'))?.toString().includes('func LegacyTotal(') ?? false
  return defined ? null : 'api/checkout.go:5:9: undefined: LegacyTotal'
}

/**
 * Plays the chapter on a running simulator (acme/widgets after the CI chapter). Writes under
 * `outDir/merge-queue/`; `step` logs. Throws when the simulator refuses a setup step.
 */
export async function playMergeQueueChapter(sim: Simulator, outDir: string, step: (title: string, detail: string) => void): Promise<MergeQueueChapter> {
  const dir = join(outDir, 'merge-queue')
  mkdirSync(dir, { recursive: true })
  const as = (login: string): GitHubClient => createClient({ token: `${login}-token`, baseUrl: sim.url, pacing: false })
  const repo = () => sim.state.repos.get('acme/widgets')!
  const git = new GitRepo(repo().gitDir)
  const node = node24()
  const push = async (author: string, branch: string, message: string, files: Record<string, string | null>) =>
    (await updateBranch(as(author), REPO, { branch, message, build: () => Object.entries(files).map(([path, content]) => ({ path, content })) })).sha!

  // main gets the queue's configuration, a workflow_dispatch trigger on ci.yml (the queue
  // dispatches it on each batch) and, for now, LegacyTotal.
  const workflow = (await git.readFile('refs/heads/main', '.github/workflows/ci.yml'))?.toString() ?? 'name: ci\non:\n'
  const dispatchable = workflow.replace(/^on:\n/m, 'on:\n  workflow_dispatch:\n')
  let sha = await push('maintainer', 'main', 'Turn on the merge queue (required check: build)', { '.github/shepherd.yml': CONFIG, '.github/workflows/ci.yml': dispatchable, 'api/legacy.go': 'package api\n\n// LegacyTotal is Total under its v1 name.\nfunc LegacyTotal(prices []int) int { return Total(prices) }\n' })
  step('maintainer turned the merge queue on', `${sha.slice(0, 7)} .github/shepherd.yml:\n${CONFIG.trim()}\nand workflow_dispatch in .github/workflows/ci.yml`)

  const opened: { number: number; title: string; head: string }[] = []
  const open = async (p: QueuedPull) => {
    const from = (await as('dev').rest.git.getRef({ ...REPO, ref: 'heads/main' })).data.object.sha
    await as('dev').rest.git.createRef({ ...REPO, ref: `refs/heads/${p.branch}`, sha: from })
    const head = await push('dev', p.branch, p.title, p.files)
    const { data } = await as('dev').rest.pulls.create({ ...REPO, title: p.title, head: p.branch, base: 'main', body: `${p.title}.\n\n\`\`\`release-note\n${p.note}\n\`\`\`\n` })
    await as('maintainer').rest.issues.addLabels({ ...REPO, issue_number: data.number, labels: [`kind/${p.kind}`] })
    // The PR's own CI: green on its head, against the main it was cut from.
    await as('ci').rest.repos.createCommitStatus({ ...REPO, sha: head, context: 'build', state: 'success', description: 'Build passed' })
    opened.push({ number: data.number, title: p.title, head })
  }
  await open(SKEWED)
  sha = await push('maintainer', 'main', 'API: remove LegacyTotal (deprecated since v1)', { 'api/legacy.go': null })
  step('maintainer removed LegacyTotal from main', `${sha.slice(0, 7)}: ${SKEWED.title}'s branch, cut before, still calls it`)
  for (const p of OTHERS) await open(p)
  const breaking = opened[0].number
  step('dev opened five pull requests, each green on its own head', opened.map((p) => `#${p.number} ${p.title} (build ✓ at ${p.head.slice(0, 7)})`).join('\n'))

  // The breaking PR is approved last: the pool takes PRs in the order they were last updated.
  for (const p of [...opened.slice(1), opened[0]]) await as('maintainer').rest.issues.addLabels({ ...REPO, issue_number: p.number, labels: ['lgtm', 'approved'] })
  step('Reviewers and approvers agreed on all five', 'each has lgtm and approved, as the triage chapter leaves a PR (labels added by maintainer here, to keep the chapter short)')

  const runs: RunResult[] = []
  const merged: number[] = []
  const ejected: { number: number; reason: string }[] = []
  /** Runs the bundle on the newest event called `name`, as the workflow on `trigger` would. */
  const queue = async (name: string, trigger = name) => {
    const event = [...sim.state.events].reverse().find((e) => e.name === name)
    if (!event) throw new Error(`the simulator recorded no ${name} event`)
    const before = sim.requests.length
    const result = await runAction({
      actionDir: join(REPO_ROOT, 'actions/merge-queue'),
      event: trigger,
      payload: event.payload,
      apiUrl: sim.url,
      token: 'ghs_actions',
      node,
      inputs: { 'page-path': 'index.html', 'ci-minutes': String(CI_MINUTES) },
      // The page lands in the demo's output: the workspace is where a later upload step would look.
      env: { GITHUB_WORKSPACE: dir, SHEPHERD_NOW: new Date(sim.state.clock).toISOString() }
    })
    runs.push(result)
    const plan = JSON.parse(result.outputs.plan ?? '[]') as { actions: { kind: string }[] }[]
    const m = JSON.parse(result.outputs.merged ?? '[]') as number[]
    const e = JSON.parse(result.outputs.ejected ?? '[]') as { number: number; reason: string }[]
    const batches = JSON.parse(result.outputs.batches ?? '[]') as { id: number; members: number[]; sha: string }[]
    merged.push(...m)
    ejected.push(...e)
    const what = [
      `plan: ${plan.flatMap((p) => p.actions.map((a) => a.kind)).join(', ') || 'nothing to do'}`,
      ...batches.map((b) => `batch ${b.id} of ${b.members.map((n) => `#${n}`).join(', ')} at ${b.sha.slice(0, 7)}, CI dispatched`),
      ...(m.length ? [`merged ${m.map((n) => `#${n}`).join(', ')}`] : []),
      ...e.map((x) => `ejected #${x.number}: ${x.reason}`),
      ...result.annotations.map((a) => `${a.level}: ${a.message}`)
    ]
    step(`actions/merge-queue on ${trigger}.${event.action ?? ''} exited ${result.exitCode} (${sim.requests.length - before} API requests, ${result.durationMs} ms)`, what.join('\n'))
    return result
  }

  // CI plays GitHub Actions (src/sim/queue-ci.ts): each dispatched batch run reports `build` on the
  // batch head ten simulated minutes later. Any batch holding the skewed PR fails: main no longer
  // defines what it calls. The log shows the compiler's error, read from the batch's own tree.
  const ci: { sha: string; conclusion: 'success' | 'failure' }[] = []
  const driver = new QueueCI(sim, { ...REPO, token: 'ci-token', ciMinutes: CI_MINUTES, verdict: (run) => (run.tree.includes(breaking) ? 'failure' : 'success') })

  await queue('pull_request', 'pull_request_target')
  for (let round = 0; round < 16 && merged.length + ejected.length < opened.length; round++) {
    const due = driver.nextDue()
    if (due === null) break
    sim.state.clock = Math.max(sim.state.clock, due)
    for (const run of await driver.completeDue()) {
      ci.push({ sha: run.headSha, conclusion: run.conclusion })
      const error = await buildError(git, run.headSha)
      step(`CI: build of batch ${run.branch.split('/').pop()} (${run.members.map((n) => `#${n}`).join(', ')}) at ${run.headSha.slice(0, 7)} ${run.conclusion === 'success' ? 'passed' : 'failed'}`, error ?? 'go build ./... succeeded')
    }
    // The dispatched run completing sends workflow_run.completed: the queue's workflow runs on it.
    await queue('workflow_run')
  }

  const baseLog = execFileSync('git', ['--git-dir', repo().gitDir, 'log', '--format=%h %s', '-n', '8', 'main'], { encoding: 'utf8' }).trim().split('\n')
  step('git log main (newest first)', baseLog.join('\n'))
  const head = opened[0].head
  const status = [...repo().statuses].reverse().find((s) => s.sha === head && s.context === QUEUE_CONTEXT)
  const ejectedStatus = status ? `${status.state}: ${status.description}` : '(none)'
  const ejectedComment = [...repo().comments.values()].find((c) => c.issueNumber === breaking && c.body.includes(MARKER))?.body ?? '(none)'
  step(`#${breaking}'s ${QUEUE_CONTEXT} status`, ejectedStatus)
  step(`#${breaking}'s sticky comment`, ejectedComment.replace(MARKER, '').trim())

  const files = { page: join(dir, 'index.html'), summary: join(dir, 'summary.md') }
  writeFileSync(files.summary, runs.at(-1)?.summary ?? '')
  step('Queue page and job summary', `${files.page}\n${files.summary}`)
  const others = opened.filter((p) => p.number !== breaking).map((p) => p.number)
  const ok =
    runs.every((r) => r.exitCode === 0) &&
    ejected.length === 1 &&
    ejected[0].number === breaking &&
    [...merged].sort((a, b) => a - b).join() === others.join() &&
    (await git.readFile('refs/heads/main', 'api/checkout.go')) === null &&
    (await Promise.all(ci.map(async (c) => ((await buildError(git, c.sha)) ? 'failure' : 'success') === c.conclusion))).every(Boolean)
  return { pulls: opened.map(({ number, title }) => ({ number, title })), breaking, runs, merged, ejected, ci, baseLog, ejectedStatus, ejectedComment, files, ok }
}
