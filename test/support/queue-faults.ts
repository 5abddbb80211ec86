/**
 * The merge queue's fault campaign world (test/github/merge-queue-faults.test.ts): one simulator
 * reused across scenarios (`reset` per scenario: fresh git repositories), the real reconcile loop
 * in process, a CI driver the scenario controls run by run, a developer who pushes, labels and
 * reports green builds, seeded API faults on the queue's requests, and the three invariants checked
 * against the simulator's ground truth (git history of the base, check runs, statuses, comments).
 */
import { getOctokit } from '@actions/github'
import { cp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { parseConfig } from '../../src/core/config/index.js'
import type { MergeQueueConfig } from '../../src/core/config/schema.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { httpFetch } from '../../src/github/http-fetch.js'
import { parseBatchMessage } from '../../src/github/merge-queue-batch-message.js'
import { reconcileQueue, type ReconcileResult } from '../../src/github/merge-queue-reconcile.js'
import { requestPacing } from '../../src/github/request-pacing.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { GitRepo } from '../../src/sim/git.js'
import { moveRef } from '../../src/sim/pushes.js'
import { completeWorkflowRun } from '../../src/sim/routes/actions.js'
import type { Simulator } from '../../src/sim/server.js'
import type { SimRepo, SimState } from '../../src/sim/state.js'

export const BOT = 'github-actions[bot]'
const CI = 'ci[bot]'
/** The app the CI's check runs are recorded under. */
const CI_APP = 'ci'
const DEV = 'dev'
export const where = { owner: 'acme', repo: 'widgets' }
const MARKER = '<!-- shepherd:merge-queue -->'
const HOLD = 'do-not-merge/hold'

/** One thing that happens in a scenario. `pr` and `run` are indexes, taken modulo what exists. */
export type Step =
  | { kind: 'reconcile' }
  /** Two reconcilers at once: `barrier` holds each after its first read until both have read; `stagger` starts the second `delayMs` later. */
  | { kind: 'race'; mode: 'barrier' | 'stagger'; delayMs: number }
  | { kind: 'ci'; run: number; outcome: 'pass' | 'fail' | 'flaky' }
  /** A dispatched CI run that never reports. */
  | { kind: 'ci-lost'; run: number }
  | { kind: 'clock'; minutes: number }
  /** The developer force-pushes a new head to a PR (its checks start over). */
  | { kind: 'push-pr'; pr: number }
  /** The developer's own CI reports `build` green on a PR's current head. */
  | { kind: 'green-pr'; pr: number }
  /** Someone pushes straight to the base. */
  | { kind: 'push-base' }
  | { kind: 'hold'; pr: number }
  | { kind: 'unhold'; pr: number }
  /**
   * Never drawn by the campaign: what a broken queue would do, as the queue's own token, to show
   * that the checks catch it. `untested`: move the base to a commit no CI ran on; `old-head`: land
   * a head a push replaced (in a commit CI passed); `close`: close a PR unmerged.
   */
  | { kind: 'sabotage'; what: 'untested' | 'old-head' | 'close' }

export interface FaultSetting {
  /** Share of the queue's API requests that fail (5xx, secondary rate limit, dropped connection). */
  rate: number
  /** The client's retries after the first attempt (0: every fault aborts the run where it hit). */
  retries: number
}

export interface Scenario {
  prs: number
  inFlight: number
  batchSizeMax: number
  faults: FaultSetting
  steps: Step[]
  /** After the steps, run the queue without faults, CI passing everything, until it has nothing left to do. */
  drain: boolean
  seed: number
}

/** What a scenario did, summed over the campaign. */
export interface Counts {
  scenarios: number
  steps: number
  reconciles: number
  /** Reconcile runs that stopped on an API error (the fault outlasted the retries). */
  aborted: number
  faults: number
  ciRuns: number
  merges: number
  ejections: number
  basePushes: number
  prPushes: number
  holds: number
  /** Scenarios that ended with a full drain. */
  drained: number
}

export function emptyCounts(): Counts {
  return { scenarios: 0, steps: 0, reconciles: 0, aborted: 0, faults: 0, ciRuns: 0, merges: 0, ejections: 0, basePushes: 0, prPushes: 0, holds: 0, drained: 0 }
}

/** N approved PRs, each adding its own file, each head green on `build`. */
export function fixture(n: number): Fixture {
  const branches: Record<string, { files: Record<string, string> }> = {}
  for (let i = 1; i <= n; i++) branches[`topic-${i}`] = { files: { [`src/f${i}.ts`]: `export const f = ${i}\n` } }
  return {
    tokens: [
      { token: 'ghs', login: BOT, kind: 'github-token' },
      { token: 'ci-token', login: CI, kind: 'app' },
      { token: 'dev-token', login: DEV, kind: 'pat' }
    ],
    repos: [
      {
        owner: where.owner,
        name: where.repo,
        files: { 'README.md': 'widgets\n' },
        collaborators: { [DEV]: 'write' },
        branches,
        pulls: Array.from({ length: n }, (_, i) => ({ number: i + 1, title: `Change ${i + 1}`, user: DEV, head: `topic-${i + 1}`, labels: ['lgtm', 'approved'] })),
        workflows: ['ci.yml'],
        statuses: Array.from({ length: n }, (_, i) => ({ ref: `topic-${i + 1}`, context: 'build', state: 'success' as const }))
      }
    ]
  }
}

/**
 * The client `createClient` makes (same retry and rate-limit handling, `request-pacing.ts`), with
 * every wait shrunk to nothing: a campaign of thousands of retried faults cannot sleep seconds each.
 */
function queueClient(sim: Simulator, retries: number, onFirstRead?: () => Promise<void>): GitHubClient {
  const retry = (_after: number, _req: unknown, _o: unknown, count: number) => count < retries
  const client = getOctokit(
    'ghs',
    { baseUrl: sim.url, request: { fetch: httpFetch } },
    requestPacing({ pacing: false, retries, doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 429, 451], onRateLimit: retry, onSecondaryRateLimit: retry, retryAfterBaseValue: 0 })
  )
  if (onFirstRead) {
    let first = true
    client.hook.after('request', async (_response, options) => {
      if (first && String(options.url).includes('/graphql')) {
        first = false
        await onFirstRead()
      }
    })
  }
  return client
}

/** A barrier for two: each waits until both arrived (or it gives up after `ms`, so one run that fails its read does not hang the other). */
function barrier(ms = 1_000): () => Promise<void> {
  let arrived = 0
  let release!: () => void
  const all = new Promise<void>((resolve) => (release = resolve))
  return async () => {
    if (++arrived >= 2) release()
    await Promise.race([all, new Promise<void>((resolve) => setTimeout(resolve, ms))])
  }
}

/** A violated invariant, with what the scenario did up to it. */
export class InvariantError extends Error {}

/** One scenario on a reset simulator: applies the steps, then drains the queue without faults, checking the invariants throughout. */
export class FaultWorld {
  private repo!: SimRepo
  private git!: GitRepo
  private readonly ci: GitHubClient
  private readonly dev: GitHubClient
  private config!: MergeQueueConfig
  /** Heads a push replaced, per PR: none of them may ever reach the base. */
  private readonly abandoned = new Map<number, Set<string>>()
  /** CI runs (workflow run ids) that never report. */
  private readonly lost = new Set<number>()
  /** Flaky runs: failed once, to pass on their re-run at the next CI step. */
  private readonly rerun: { sha: string }[] = []
  private pushSeq = 0
  private eventsSeen = 0
  private readonly entered = new Set<number>()
  readonly log: string[] = []
  /** A freshly seeded world per PR count, copied for each scenario (seeding one costs dozens of git processes). */
  private readonly templates = new Map<number, { state: SimState; gitDir: string }>()
  private worlds = 0
  private worldDir: string | null = null

  constructor(
    private readonly sim: Simulator,
    private readonly counts: Counts
  ) {
    this.ci = createClient({ token: 'ci-token', baseUrl: sim.url, pacing: false, retries: 0 })
    this.dev = createClient({ token: 'dev-token', baseUrl: sim.url, pacing: false, retries: 0 })
  }

  /** Runs one scenario to the end. Throws InvariantError when an invariant breaks. */
  async run(s: Scenario): Promise<void> {
    await this.fresh(s.prs)
    this.repo = this.sim.state.repos.get(`${where.owner}/${where.repo}`)!
    this.git = new GitRepo(this.repo.gitDir)
    this.config = parseConfig(`merge_queue:\n  required_checks: [build]\n  in_flight: ${s.inFlight}\n  batch_size_max: ${s.batchSizeMax}\n  ci:\n    timeout_minutes: 60\n`).merge_queue
    this.abandoned.clear()
    this.lost.clear()
    this.rerun.length = 0
    this.eventsSeen = this.sim.state.events.length
    this.entered.clear()
    this.log.length = 0
    for (let n = 1; n <= s.prs; n++) this.entered.add(n)
    this.counts.scenarios++
    for (const [i, step] of s.steps.entries()) {
      this.counts.steps++
      this.log.push(`${i}: ${JSON.stringify(step)}`)
      await this.step(step, s)
      await this.checkBase()
    }
    if (s.drain) {
      await this.drain(s)
      this.counts.drained++
    } else {
      // One run without faults, so that statuses reflect the queue as it stands (a run an API
      // error stopped may have left them behind).
      await this.reconcile(queueClient(this.sim, 0))
      await this.checkBase()
    }
    await this.checkEnd(s.drain)
    this.counts.merges += [...this.repo.issues.values()].filter((i) => i.pull?.merged).length
    this.counts.ciRuns += [...this.repo.workflowRuns.values()].filter((r) => r.headBranch.startsWith('shepherd/queue/')).length
  }

  /** Puts the simulator in the state a fresh `reset(fixture(prs))` would: a copy of the seeded world, its own git directory. */
  private async fresh(prs: number): Promise<void> {
    let template = this.templates.get(prs)
    if (!template) {
      await this.sim.reset(fixture(prs))
      const gitDir = join(this.sim.dataDir, `template-${prs}.git`)
      await cp(this.sim.state.repos.get(`${where.owner}/${where.repo}`)!.gitDir, gitDir, { recursive: true })
      template = { state: structuredClone(this.sim.state), gitDir }
      this.templates.set(prs, template)
    }
    const gitDir = join(this.sim.dataDir, `fault-world-${++this.worlds}.git`)
    await cp(template.gitDir, gitDir, { recursive: true })
    const state = structuredClone(template.state)
    state.repos.get(`${where.owner}/${where.repo}`)!.gitDir = gitDir
    this.sim.state = state
    this.sim.requests.length = 0
    if (this.worldDir) await rm(this.worldDir, { recursive: true, force: true })
    this.worldDir = gitDir
  }

  private async step(step: Step, s: Scenario): Promise<void> {
    switch (step.kind) {
      case 'reconcile':
        return this.withFaults(s, () => this.reconcile(queueClient(this.sim, s.faults.retries)).then(() => undefined))
      case 'race': {
        const meet = step.mode === 'barrier' ? barrier() : undefined
        const a = queueClient(this.sim, s.faults.retries, meet)
        const b = queueClient(this.sim, s.faults.retries, meet)
        return this.withFaults(s, async () => {
          const later = new Promise<void>((resolve) => setTimeout(resolve, step.mode === 'stagger' ? step.delayMs : 0)).then(() => this.reconcile(b))
          await Promise.all([this.reconcile(a), later])
        })
      }
      case 'ci':
        return this.completeRun(step.run, step.outcome)
      case 'ci-lost': {
        const run = this.pending()[step.run % Math.max(1, this.pending().length)]
        if (run) this.lost.add(run.id)
        return
      }
      case 'clock':
        this.sim.state.clock += step.minutes * 60_000
        return
      case 'push-pr': {
        const issue = this.openPull(step.pr)
        if (!issue) return
        const pull = issue.pull!
        const parent = (await this.git.readCommit(pull.head.sha))!.parents[0]
        const tree = await this.git.writeTree(parent, { [`src/f${issue.number}.ts`]: `export const f = ${issue.number} // v${++this.pushSeq}\n` })
        const sha = await this.git.commitTree(tree, [parent], `Rework ${issue.number} (${this.pushSeq})\n`)
        if (!this.abandoned.has(issue.number)) this.abandoned.set(issue.number, new Set())
        this.abandoned.get(issue.number)!.add(pull.head.sha)
        await moveRef(this.sim.state, this.repo, `refs/heads/${pull.head.ref}`, sha, pull.head.sha, { login: DEV, tokenKind: 'pat' })
        this.counts.prPushes++
        return
      }
      case 'green-pr': {
        const issue = this.openPull(step.pr)
        if (issue) await this.dev.rest.repos.createCommitStatus({ ...where, sha: issue.pull!.head.sha, context: 'build', state: 'success' })
        return
      }
      case 'push-base': {
        const head = (await this.git.resolve('refs/heads/main'))!
        const tree = await this.git.writeTree(head, { 'README.md': `widgets ${++this.pushSeq}\n` })
        const sha = await this.git.commitTree(tree, [head], `Docs ${this.pushSeq}\n`)
        await moveRef(this.sim.state, this.repo, 'refs/heads/main', sha, head, { login: DEV, tokenKind: 'pat' })
        this.counts.basePushes++
        return
      }
      case 'hold': {
        const issue = this.openPull(step.pr)
        if (!issue || issue.labels.includes(HOLD)) return
        await this.dev.rest.issues.addLabels({ ...where, issue_number: issue.number, labels: [HOLD] })
        this.counts.holds++
        return
      }
      case 'unhold': {
        const issue = this.openPull(step.pr)
        if (issue?.labels.includes(HOLD)) await this.dev.rest.issues.removeLabel({ ...where, issue_number: issue.number, name: HOLD })
        return
      }
      case 'sabotage':
        return this.sabotage(step.what)
    }
  }

  private async sabotage(what: 'untested' | 'old-head' | 'close'): Promise<void> {
    const bot = { login: BOT, tokenKind: 'github-token' as const }
    const head = (await this.git.resolve('refs/heads/main'))!
    if (what === 'close') {
      const issue = this.openPull(0)!
      issue.state = 'closed'
      return
    }
    const [pr, heads] = [...this.abandoned][0] ?? [0, new Set<string>()]
    const old = [...heads][0]
    const tree = await this.git.writeTree(head, what === 'old-head' && old ? { [`src/f${pr}.ts`]: (await this.git.readFile(old, `src/f${pr}.ts`))! } : { 'SABOTAGE.md': 'x\n' })
    const sha = await this.git.commitTree(tree, what === 'old-head' && old ? [head, old] : [head], `Sabotage\n`)
    if (what === 'old-head') await this.ci.rest.checks.create({ ...where, name: 'build', head_sha: sha, status: 'completed', conclusion: 'success' })
    await moveRef(this.sim.state, this.repo, 'refs/heads/main', sha, head, bot)
  }

  /** Faults on the queue's API requests only while it runs (the CI and the developer are not the system under test); git over HTTPS is spared (see the doc). */
  private async withFaults(s: Scenario, fn: () => Promise<void>): Promise<void> {
    if (s.faults.rate > 0) {
      const p = s.faults.rate / 3
      this.sim.setFaults(
        [
          { match: 'git', kind: 'latency', latencyMs: 0 },
          { kind: 'status', status: 502, probability: p },
          { kind: 'secondary-rate-limit', retryAfter: 1, probability: p / (1 - p) },
          { kind: 'drop', probability: p / (1 - 2 * p) }
        ],
        s.seed
      )
    }
    const before = this.sim.requests.length
    try {
      await fn()
    } finally {
      this.sim.setFaults([])
      this.counts.faults += this.sim.requests.slice(before).filter((q) => q.fault && q.fault !== 'latency').length
    }
  }

  private async reconcile(client: GitHubClient): Promise<ReconcileResult | null> {
    this.counts.reconciles++
    try {
      const r = await reconcileQueue(client, where, { base: 'main', config: this.config, git: { token: 'ghs', serverUrl: this.sim.url }, self: BOT, now: () => new Date(this.sim.state.clock) })
      this.counts.ejections += r.ejected.length
      return r
    } catch (err) {
      // A run stopped by an API error: what it applied stays applied; the next run continues.
      this.counts.aborted++
      this.log.push(`  reconcile stopped: ${(err as Error).message.split('\n')[0]}`)
      return null
    }
  }

  /** Batch runs dispatched and not yet reported, oldest first (lost runs excluded). */
  private pending() {
    return [...this.repo.workflowRuns.values()].filter((r) => r.status !== 'completed' && r.headBranch.startsWith('shepherd/queue/') && !this.lost.has(r.id)).sort((a, b) => a.id - b.id)
  }

  /** Reports `build` on a run's head (as CI) and completes the run; a flaky run fails now and passes on its re-run at the next CI step. */
  private async completeRun(index: number, outcome: 'pass' | 'fail' | 'flaky'): Promise<void> {
    for (const r of this.rerun.splice(0)) await this.ci.rest.checks.create({ ...where, name: 'build', head_sha: r.sha, status: 'completed', conclusion: 'success' })
    const runs = this.pending()
    const run = runs[index % Math.max(1, runs.length)]
    if (!run) return
    const conclusion = outcome === 'pass' ? 'success' : 'failure'
    await this.ci.rest.checks.create({ ...where, name: 'build', head_sha: run.headSha, status: 'completed', conclusion })
    await completeWorkflowRun(this.sim, this.repo, run.id, conclusion)
    if (outcome === 'flaky') this.rerun.push({ sha: run.headSha })
  }

  private openPull(index: number) {
    const open = [...this.repo.issues.values()].filter((i) => i.pull && i.state === 'open').sort((a, b) => a.number - b.number)
    return open[index % Math.max(1, open.length)]
  }

  /**
   * Without faults: every open PR's head reported green, then reconcile, report every pending run
   * as passed and move the clock on, until the queue has nothing left to do.
   */
  private async drain(s: Scenario): Promise<void> {
    this.lost.clear()
    for (const issue of this.repo.issues.values()) {
      if (issue.pull && issue.state === 'open') await this.dev.rest.repos.createCommitStatus({ ...where, sha: issue.pull.head.sha, context: 'build', state: 'success' })
    }
    const client = queueClient(this.sim, 0)
    let quiet = 0
    for (let i = 0; i < s.prs * 6 + 12; i++) {
      const r = await this.reconcile(client)
      await this.checkBase()
      if (r && r.actions.length) {
        quiet = 0
        continue
      }
      const runs = this.pending()
      for (let k = 0; k < runs.length; k++) await this.completeRun(0, 'pass')
      if (!runs.length) {
        if (++quiet >= 2 && !(await this.git.listRefs('refs/heads/shepherd/queue/')).size) return
        this.sim.state.clock += 61 * 60_000
      }
    }
    const open = [...this.repo.issues.values()].filter((i) => i.pull && i.state === 'open').map((i) => `#${i.number}`)
    throw new InvariantError(`the queue did not settle after the faults stopped (open: ${open.join(', ') || 'none'})`)
  }

  /**
   * Invariants 1 and 2 on every base move since the last check: the queue moves the base only to a
   * commit the CI reported `build` green on, by fast-forward; no head a push replaced is in the base.
   */
  private async checkBase(): Promise<void> {
    // Only the CI's own check runs count: the queue writes statuses, and a `build` it wrote would prove nothing.
    const tested = new Set([...this.repo.checkRuns.values()].filter((c) => c.app === CI_APP && c.name === 'build' && c.conclusion === 'success').map((c) => c.headSha))
    const main = (await this.git.resolve('refs/heads/main'))!
    for (const [pr, heads] of this.abandoned) {
      for (const h of heads) if (await this.git.isAncestor(h, main)) throw new InvariantError(`#${pr}'s head ${h.slice(0, 7)} reached main after a push replaced it`)
    }
    const events = this.sim.state.events.slice(this.eventsSeen)
    this.eventsSeen = this.sim.state.events.length
    for (const e of events) {
      if (e.name !== 'push' || e.payload.ref !== 'refs/heads/main' || e.actor === DEV) continue
      const after = String(e.payload.after)
      const before = String(e.payload.before)
      if (!tested.has(after)) throw new InvariantError(`${e.actor} moved main to ${after.slice(0, 7)}, which CI never reported green`)
      if (!(await this.git.isAncestor(before, after))) throw new InvariantError(`${e.actor} moved main from ${before.slice(0, 7)} to ${after.slice(0, 7)}, not a fast-forward`)
      const tip = await this.git.readCommit(after)
      const meta = tip ? safeParse(tip.message) : null
      if (!meta) throw new InvariantError(`${e.actor} moved main to ${after.slice(0, 7)}, which is no batch the queue built`)
    }
    // A merged PR's head is in main, and it is the head it had when it merged (GitHub closed it then).
    for (const issue of this.repo.issues.values()) {
      if (issue.pull?.merged && !(await this.git.isAncestor(issue.pull.head.sha, main))) throw new InvariantError(`#${issue.number} is marked merged but its head is not in main`)
    }
  }

  /**
   * Invariant 3: every PR that entered is merged; or ejected with a stated reason (a failing
   * `Ejected: …` status on its head and the sticky comment); or open and still in the queue's
   * hands: eligible by the ground truth (labels, no hold, `build` green on its head) and shown
   * `In merge pool` or `In batch N` where batch N's branch holds it at that head, or not eligible and its
   * status says why. After a drain only merged, ejected and held PRs may remain.
   */
  private async checkEnd(drained: boolean): Promise<void> {
    // Batch id → its members as `#N@sha`, from the batch branches' trailers.
    const batches = new Map<string, string[]>()
    for (const [ref, sha] of await this.git.listRefs('refs/heads/shepherd/queue/main/')) {
      const meta = safeParse((await this.git.readCommit(sha))?.message ?? '')
      if (meta) batches.set(ref.split('/').pop()!, meta.members.map((m) => `#${m.number}@${m.sha}`))
    }
    for (const n of this.entered) {
      const issue = this.repo.issues.get(n)!
      const pull = issue.pull!
      if (pull.merged) continue
      const status = [...this.repo.statuses].reverse().find((st) => st.sha === pull.head.sha && st.context === 'shepherd/merge-queue')
      const said = status ? `${status.state} "${status.description}"` : 'no status'
      if (status?.state === 'failure' && /^Ejected: \S/.test(status.description ?? '')) {
        const comment = [...this.repo.comments.values()].find((c) => c.issueNumber === n && c.user === BOT && c.body.startsWith(MARKER))
        if (!comment) throw new InvariantError(`#${n} is ejected (${status.description}) without a comment saying why`)
        continue
      }
      if (issue.state !== 'open') throw new InvariantError(`#${n} is closed without being merged (${said})`)
      const held = issue.labels.includes(HOLD)
      const green = this.repo.statuses.some((st) => st.sha === pull.head.sha && st.context === 'build' && st.state === 'success')
      const eligible = !held && green && issue.labels.includes('lgtm') && issue.labels.includes('approved')
      const description = status?.description ?? ''
      if (drained) {
        if (held && status?.state === 'pending' && description.includes(HOLD)) continue
        throw new InvariantError(`#${n} is lost: still open after the queue drained, ${said}`)
      }
      if (!eligible) {
        if (status?.state === 'pending' && !/^In (merge pool|batch)\b/.test(description) && description) continue
        throw new InvariantError(`#${n} is out of the pool (${held ? 'held' : 'head not green'}) but its status does not say so: ${said}`)
      }
      if (status?.state === 'pending' && /^In merge pool\b/.test(description)) continue
      const batch = /^In batch ([0-9]+)\b/.exec(description)?.[1]
      if (status?.state === 'pending' && batch && batches.get(batch)?.includes(`#${n}@${pull.head.sha}`)) continue
      throw new InvariantError(`#${n} is lost: eligible, open, not merged, ${said}${batch ? ` (batch ${batch}: ${batches.has(batch) ? `members ${batches.get(batch)!.map((m) => m.slice(0, m.indexOf('@') + 8)).join(', ')}` : 'no such branch'})` : ''}`)
    }
  }
}

function safeParse(message: string) {
  try {
    return parseBatchMessage(message)
  } catch {
    return null
  }
}
