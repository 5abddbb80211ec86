/**
 * A simulated CI for the merge queue on the simulator. It plays GitHub Actions: it finds the
 * workflow runs the queue dispatched on its batch branches (`shepherd/queue/<base>/<id>`), and once
 * `ciMinutes` of simulated time have passed since a run was created it reports the required check
 * on the batch head (a completed check run, through the API as the CI's own token) and completes
 * the run (in process, as GitHub would). Whether a run passes is a callback's decision, given the
 * batch's member PRs (read from the batch commit's trailers), so a scenario decides which PRs
 * break the build and which runs flake.
 *
 * Time never passes by sleeping: the caller jumps the simulator clock (`sim.state.clock`) to
 * `nextDue()` and calls `completeDue()`. The driver's requests are made as its own token, so a
 * caller can leave them out of the queue's request count (they stand for GitHub Actions).
 *
 * Only `ci.mode: dispatch` is driven (a push-triggered CI has no run to find).
 */
import { createClient, type GitHubClient } from '../github/client.js'
import { parseBatchMessage } from '../github/merge-queue-batch-message.js'
import { seededRandom } from '../core/random.js'
import { GitRepo } from './git.js'
import { completeWorkflowRun } from './routes/actions.js'
import type { Simulator } from './server.js'
import type { SimRepo } from './state.js'

/** The outcome a simulated CI run reports. */
export type CIConclusion = 'success' | 'failure'

/** What the verdict callback is told about the run it decides. */
export interface CIRunInfo {
  runId: number
  /** The batch branch the run was dispatched on. */
  branch: string
  headSha: string
  /** The batch's member PRs, in order (empty when the head carries no readable trailers). */
  members: number[]
  /**
   * Every PR in the tested tree: the members of this batch and of the batches it was built on
   * (a speculative batch tests base + every batch ahead of it), ahead first. What a build breaks on.
   */
  tree: number[]
}

export interface QueueCIOptions {
  owner: string
  repo: string
  /** Token the CI reports with (a fixture token other than the queue's). */
  token: string
  /** Simulated minutes from a run's creation to its result. */
  ciMinutes: number
  /** Decides each run's outcome. Called once per run, in the order runs complete. */
  verdict: (run: CIRunInfo) => CIConclusion
  /** Check run reported on the batch head (default `build`: the queue's required check). */
  checkName?: string
}

/** One run the driver completed. */
export interface CompletedRun extends CIRunInfo {
  conclusion: CIConclusion
  /** Simulated time (ms) the run completed. */
  at: number
}

const BATCH_PREFIX = 'shepherd/queue/'

/** Drives the simulated CI of one repository's merge queue. */
export class QueueCI {
  private readonly due = new Map<number, number>()
  private readonly client: GitHubClient
  /** Every run completed so far, in order. */
  readonly completed: CompletedRun[] = []

  /** Throws when `ciMinutes` is not a positive number. */
  constructor(
    private readonly sim: Simulator,
    private readonly options: QueueCIOptions
  ) {
    if (!(options.ciMinutes > 0)) throw new Error(`ciMinutes must be more than 0, got ${options.ciMinutes}`)
    this.client = createClient({ token: options.token, baseUrl: sim.url, pacing: false })
  }

  /** Records every not yet completed batch run dispatched since the last call; returns how many are awaiting CI. */
  discover(): number {
    for (const run of this.repo().workflowRuns.values()) {
      if (run.status === 'completed' || !run.headBranch.startsWith(BATCH_PREFIX) || this.due.has(run.id)) continue
      this.due.set(run.id, Date.parse(run.createdAt) + this.options.ciMinutes * 60_000)
    }
    return this.due.size
  }

  /** Simulated time (ms) the next awaited run completes, or null when none is awaited. */
  nextDue(): number | null {
    this.discover()
    return this.due.size ? Math.min(...this.due.values()) : null
  }

  /**
   * Completes every awaited run due by the simulator clock: reports the check on its head, then
   * completes the run. Returns the runs completed, in run order.
   */
  async completeDue(): Promise<CompletedRun[]> {
    this.discover()
    const now = this.sim.state.clock
    const ready = [...this.due].filter(([, at]) => at <= now).map(([id]) => id).sort((a, b) => a - b)
    const done: CompletedRun[] = []
    for (const id of ready) {
      this.due.delete(id)
      const run = this.repo().workflowRuns.get(id)!
      const { members, tree } = await this.contents(run.headSha)
      const info: CIRunInfo = { runId: id, branch: run.headBranch, headSha: run.headSha, members, tree }
      const conclusion = this.options.verdict(info)
      const where = { owner: this.options.owner, repo: this.options.repo }
      await this.client.rest.checks.create({ ...where, name: this.options.checkName ?? 'build', head_sha: run.headSha, status: 'completed', conclusion })
      await completeWorkflowRun(this.sim, this.repo(), id, conclusion)
      done.push({ ...info, conclusion, at: now })
    }
    this.completed.push(...done)
    return done
  }

  private repo(): SimRepo {
    const repo = this.sim.state.repos.get(`${this.options.owner}/${this.options.repo}`)
    if (!repo) throw new Error(`the simulator has no repository ${this.options.owner}/${this.options.repo}`)
    return repo
  }

  /** The batch's own members, and every PR in its tree: its trailers, then its parent batch's, back to the chain's base. */
  private async contents(headSha: string): Promise<{ members: number[]; tree: number[] }> {
    const git = new GitRepo(this.repo().gitDir)
    const chain: number[][] = []
    for (let sha: string | undefined = headSha; sha !== undefined && chain.length < 100; ) {
      const commit = await git.readCommit(sha)
      if (!commit) break
      let meta: ReturnType<typeof parseBatchMessage>
      try {
        meta = parseBatchMessage(commit.message)
      } catch {
        break
      }
      chain.unshift(meta.members.map((m) => m.number))
      sha = meta.parentSha === meta.baseSha ? undefined : meta.parentSha
    }
    return { members: chain[chain.length - 1] ?? [], tree: chain.flat() }
  }
}

/** A seeded scenario's CI: which PRs break the build, and a verdict that also flakes. */
export interface SeededCI {
  /** PRs (1..prs) that break any tree containing them. */
  breaking: Set<number>
  /** Fails a run containing a breaking PR; otherwise fails with probability `flakeRate`. */
  verdict: (run: CIRunInfo) => CIConclusion
}

/**
 * Draws each PR 1..`prs` breaking with probability `breakRate` and returns a verdict that fails
 * any run containing one, and any other run with probability `flakeRate`. The same seed gives the
 * same breaking PRs and, for the same sequence of runs, the same flakes. Throws on a rate outside [0, 1).
 */
export function seededCI(options: { prs: number; breakRate: number; flakeRate: number; seed: number }): SeededCI {
  for (const name of ['breakRate', 'flakeRate'] as const) {
    const p = options[name]
    if (!(p >= 0 && p < 1)) throw new Error(`${name} must be at least 0 and below 1, got ${p}`)
  }
  const random = seededRandom(options.seed)
  const breaking = new Set<number>()
  for (let pr = 1; pr <= options.prs; pr++) if (random() < options.breakRate) breaking.add(pr)
  const verdict = (run: CIRunInfo): CIConclusion => {
    const flake = random() < options.flakeRate
    return flake || run.tree.some((pr) => breaking.has(pr)) ? 'failure' : 'success'
  }
  return { breaking, verdict }
}
