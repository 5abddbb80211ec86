/**
 * The merge queue's reconcile loop for one base branch: read GitHub, plan, apply the plan's
 * actions in order through the door (src/github/merge-queue-*.ts), then bring every open PR's
 * `shepherd/merge-queue` status up to date. No state but GitHub's: a re-run after a crash, or a
 * second reconciler, reads what the first one wrote and converges. Every write is preceded by the
 * read that makes it idempotent (dispatch mark, batch trailers, status and comment compare, ref
 * compare-and-swap).
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import type { MergeQueueConfig } from '../core/config/schema.js'
import { plan, plannerOptionsFromConfig, type BatchState, type Plan, type PlannerOptions, type QueueAction } from '../core/merge-queue/planner.js'
import { buildQueueView, describeAction, queueCommentFor, queueStatusFor, statusPhase, type QueueHistory, type QueueView } from '../core/merge-queue/view.js'
import { buildBatch } from './merge-queue-build.js'
import { batchBranch } from './merge-queue-batch-message.js'
import { dispatchBatchCI, dispatchMark, QUEUE_CONTEXT } from './merge-queue-ci.js'
import { deleteBatchBranches } from './merge-queue-cleanup.js'
import { fastForwardBase, mergePullRequest } from './merge-queue-merge.js'
import { inheritedFailureDescription, plannerStateOf, queueStatusOf, type ReadState } from './merge-queue-planner-state.js'
import { readQueueState, type QueuePull, type QueueState } from './merge-queue-state.js'
import { readQueueComments, setQueueStatus, statusDescription, upsertQueueComment, type KnownComment } from './merge-queue-status.js'

export interface ReconcileOptions {
  base: string
  config: MergeQueueConfig
  /** Token and server URL for git (batches are built with git over HTTPS); the server URL also links the view. */
  git: { token: string; serverUrl: string }
  /** Login Shepherd writes as (its sticky comment is found by marker and author). */
  self: string
  /** Plan and compute every status, change nothing. */
  dryRun?: boolean
  /** Workflow to dispatch on a batch instead of `config.ci.workflow`. */
  workflow?: string
  /** This run's page: the statuses link to it. */
  runUrl?: string
  /** Minutes one CI run of a batch takes, for ETAs (default 30). */
  ciMinutes?: number
  /** The clock (default: the system's). */
  now?: () => Date
  /** Read-plan-apply passes at most; a build that conflicted or found a moved head replans at once. Default 3. */
  maxPasses?: number
  log?: (message: string) => void
}

/** One PR's status as the run left it (or, in a dry run, would leave it). */
export interface PullStatus {
  number: number
  title: string
  state: 'pending' | 'success' | 'failure' | 'error'
  description: string
}

export interface ReconcileResult {
  base: string
  /** Every action planned, over all passes, in order. */
  actions: QueueAction[]
  merged: number[]
  ejected: { number: number; reason: string }[]
  /** The batches in flight after the run. */
  batches: { id: number; members: number[]; sha: string; ci: BatchState['ci'] }[]
  statuses: PullStatus[]
  /** The queue after the last pass (for the job summary and the page). */
  view: QueueView
  /** API writes made (0 in a dry run). */
  writes: number
}

interface Pass {
  state: QueueState
  read: ReadState
  plan: Plan
  view: QueueView
  /** Batch id → its head, for batches in the chain or built in this pass. */
  shas: Map<number, string>
  /** Batches built (or found built) in this pass. */
  built: Map<number, { members: number[]; sha: string }>
  gone: Set<number>
  /** PRs whose status and comment this pass already wrote (merged, ejected). */
  told: Set<number>
  /** The base head after a batch this pass landed (a batch built on the base goes on it). */
  landed?: string
}

/**
 * Reconciles one base branch. Throws when GitHub refuses a write for a reason other than those the
 * door reports as outcomes (permissions, an unknown workflow); what was applied before stays applied
 * and the next run continues from it.
 */
export async function reconcileQueue(client: GitHubClient, where: RepoRef, options: ReconcileOptions): Promise<ReconcileResult> {
  const log = options.log ?? (() => undefined)
  const now = options.now ?? (() => new Date())
  const dryRun = options.dryRun ?? false
  const plannerOptions = (read: ReadState): PlannerOptions => plannerOptionsFromConfig(options.config, read.pool.frozen)
  const history: QueueHistory = { merged: [], ejected: [] }
  const actions: QueueAction[] = []
  let writes = 0
  let carry: BatchState | null = null
  let pass!: Pass

  for (let n = 1; n <= (options.maxPasses ?? 3); n++) {
    const at = now()
    const state = await readQueueState(client, where, { base: options.base })
    const read = plannerStateOf({ state, config: options.config, now: at })
    const planner = read.planner
    // A build that conflicted last pass is handed to the planner as the batch it would have been,
    // so that it ejects the PR naming the paths (only if it still follows the chain's tail).
    const tail = planner.batches[planner.batches.length - 1]
    if (carry && carry.parent === (tail?.id ?? null) && carry.baseSha === (tail?.headSha ?? planner.baseSha)) {
      planner.batches.push(carry)
      planner.nextBatchId = Math.max(planner.nextBatchId, carry.id + 1)
    }
    carry = null
    const planned = plan(planner, plannerOptions(read))
    actions.push(...planned.actions)
    for (const a of planned.actions) log(`${dryRun ? '(dry run) ' : ''}${describeAction(a, options.base)}`)
    const view = buildQueueView({
      repo: `${where.owner}/${where.repo}`,
      base: options.base,
      now: at.toISOString(),
      frozen: read.pool.frozen,
      baseSha: planner.baseSha,
      pulls: state.pulls,
      pools: [read.pool],
      planner,
      plan: planned,
      ciMinutes: options.ciMinutes ?? 30,
      history,
      ...(options.runUrl ? { runUrl: options.runUrl } : {}),
      options: plannerOptions(read),
      priorityLabels: options.config.priority_labels,
      batchDetails: Object.fromEntries([...read.chain].map(([id, b]) => [id, { checks: b.checks }])),
      serverUrl: options.git.serverUrl,
      mergeMethod: options.config.merge_method
    })
    pass = { state, read, plan: planned, view, shas: new Map([...read.chain].map(([id, b]) => [id, b.sha])), built: new Map(), gone: new Set(), told: new Set() }
    if (dryRun) break

    const apply = new Applier(client, where, options, pass, () => writes++)
    await apply.strays()
    const stop = await apply.all(planned.actions)
    for (const a of planned.actions) {
      if (a.kind === 'eject' && pass.told.has(a.pr)) history.ejected.unshift({ number: a.pr, title: titleOf(state, a.pr), reason: a.reason, at: at.toISOString() })
      if (a.kind === 'merge' && a.prs.every((pr) => pass.told.has(pr))) for (const pr of a.prs) history.merged.unshift({ number: pr, title: titleOf(state, pr), batchId: a.batchId, sha: a.headSha, at: at.toISOString() })
    }
    if (stop.carry) carry = stop.carry
    if (!stop.replan) {
      await apply.repairDispatch()
      break
    }
    log(`replanning: ${stop.replan}`)
  }

  // Every other open PR's status, written only when it differs; the sticky comment too when the PR
  // moves into the queue or a batch, or out of them (statusPhase): not at every landing ahead of it.
  const { state, read, view } = pass
  const statuses: PullStatus[] = []
  const writesFor: { pull: QueuePull; want: NonNullable<ReturnType<typeof queueStatusFor>>; comment: string | null }[] = []
  for (const pull of state.pulls) {
    const want = queueStatusFor(view, pull.number)
    if (!want) continue
    statuses.push({ number: pull.number, title: pull.title, state: want.state, description: statusDescription(want.description) })
    if (dryRun || pass.told.has(pull.number)) continue
    writesFor.push({ pull, want, comment: commentOnMove(view, pull, want.description) })
  }
  const talk = writesFor.filter((w) => w.comment !== null).map((w) => w.pull.number)
  const known = talk.length ? await readQueueComments(client, where, talk) : {}
  for (const { pull, want, comment } of writesFor) {
    // The comment first, as in Applier.tell: should the run stop between the two, the status still
    // shows the old place and the next run writes the comment again.
    if (comment !== null) {
      try {
        const done = await upsertQueueComment(client, where, { pull: pull.number, body: comment, self: options.self, ...(known[pull.number] ? { known: known[pull.number] } : {}) })
        if (done.outcome === 'applied') writes++
      } catch (err) {
        // A PR the read listed that GitHub no longer resolves: its status still goes on its head.
        if ((err as { status?: number }).status !== 404) throw err
        log(`#${pull.number}: not found, its queue comment is not written`)
      }
    }
    if ((await setQueueStatus(client, where, { sha: pull.headSha, ...want, current: pull.checks, ...(options.runUrl ? { targetUrl: options.runUrl } : {}) })) === 'applied') writes++
  }
  const batches = view.batches
    .filter((b) => b.fate.kind === 'in-flight' || b.fate.kind === 'new')
    .map((b) => ({ id: b.id, members: b.members.map((m) => m.number), sha: pass.shas.get(b.id) ?? b.headSha, ci: b.ci }))
  const merged = dryRun ? pass.plan.actions.flatMap((a) => (a.kind === 'merge' ? a.prs : [])) : history.merged.map((m) => m.number).reverse()
  const ejected = dryRun ? pass.plan.actions.flatMap((a) => (a.kind === 'eject' ? [{ number: a.pr, reason: a.reason }] : [])) : history.ejected.map((e) => ({ number: e.number, reason: e.reason })).reverse()
  void read
  return { base: options.base, actions, merged, ejected, batches, statuses, view, writes }
}

/**
 * The sticky comment to write for `pull` now that its status becomes `description`: when the PR
 * enters the pool or a batch (its status moves there from anywhere else), or leaves them for a
 * reason that is not an ejection (a label removed: the comment then lists the reasons). Null when
 * it stays where it was (a landing ahead of it changes its position, not its place).
 */
function commentOnMove(view: QueueView, pull: QueuePull, description: string): string | null {
  const ours = pull.checks.find((c) => c.kind === 'status' && c.name === QUEUE_CONTEXT)
  const from = statusPhase(ours?.description ?? null)
  const to = statusPhase(description)
  if (from === to) return null
  const queued = (phase: string): boolean => phase === 'pool' || phase.startsWith('batch ')
  if (queued(to)) return queueCommentFor(view, pull.number)
  if (to === 'out' && queued(from)) return queueCommentFor(view, pull.number, { hasComment: true })
  return null
}

function titleOf(state: QueueState, pr: number): string {
  return state.pulls.find((p) => p.number === pr)?.title ?? ''
}

interface Stop {
  /** Why the rest of the plan was not applied (the next pass replans from what GitHub holds now). */
  replan?: string
  carry?: BatchState
}

/** Applies one pass's actions in order. */
class Applier {
  private known: Record<number, KnownComment[]> = {}
  private readonly builtElsewhere = new Set<number>()

  constructor(
    private readonly client: GitHubClient,
    private readonly where: RepoRef,
    private readonly options: ReconcileOptions,
    private readonly pass: Pass,
    private readonly wrote: () => void
  ) {}

  /** Deletes batch branches outside the chain (unreadable, or left from a superseded chain). */
  async strays(): Promise<void> {
    const ids = this.pass.read.strays.map((b) => b.id).filter((id) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id))
    if (!ids.length) return
    this.options.log?.(`deleting batch branches off the chain: ${ids.join(', ')}`)
    for (const _ of await deleteBatchBranches(this.client, this.where, { base: this.options.base, ids })) this.wrote()
  }

  async all(actions: QueueAction[]): Promise<Stop> {
    // One read of the comments of every PR this plan ejects or merges, for the sticky comments.
    const talk = actions.flatMap((a) => (a.kind === 'eject' ? [a.pr] : a.kind === 'merge' ? a.prs : []))
    if (talk.length) this.known = await readQueueComments(this.client, this.where, talk)
    for (const a of actions) {
      const stop = await this.one(a)
      if (stop) return stop
    }
    return {}
  }

  private async one(a: QueueAction): Promise<Stop | null> {
    const { client, where, options, pass } = this
    const base = options.base
    switch (a.kind) {
      case 'cancel': {
        if (!pass.gone.has(a.batchId)) for (const _ of await deleteBatchBranches(client, where, { base, ids: [String(a.batchId)] })) this.wrote()
        pass.gone.add(a.batchId)
        return null
      }
      case 'eject':
        // The comment first: should the run stop between the two, the PR is still in the pool and
        // the next run ejects it again (the comment is then unchanged); the status alone would keep
        // it out without a word.
        await this.tell(a.pr)
        return null
      case 'build': {
        // On the base: on what this pass landed, if it landed a batch (the read's base head is gone,
        // and a batch built on it would be cancelled by the next run as built on a moved base).
        const baseSha = a.parent === null ? (pass.landed ?? pass.read.planner.baseSha) : pass.read.planner.baseSha
        const parentSha = a.parent === null ? baseSha : pass.shas.get(a.parent)
        if (!parentSha) return { replan: `batch ${a.parent} under batch ${a.batchId} was not built` }
        const meta = { base, id: String(a.batchId), baseSha, parentSha, members: a.members.map((m) => ({ number: m.number, sha: m.headSha })) }
        const titles = Object.fromEntries(pass.state.pulls.map((p) => [p.number, p.title]))
        // Dated by the run's clock (the simulator's under it), like every other write of the run.
        const r = await buildBatch({ token: options.git.token, serverUrl: options.git.serverUrl, where, batch: meta, titles, date: Math.floor((options.now?.() ?? new Date()).getTime() / 1000) })
        if (r.outcome === 'built' || r.outcome === 'unchanged') {
          if (r.outcome === 'built') this.wrote()
          // Built by another run since our read: that run dispatches it (or, if it stopped, the next
          // run's repairDispatch does, reading the mark); dispatching here too would start CI twice.
          else if (!pass.read.chain.has(a.batchId)) this.builtElsewhere.add(a.batchId)
          pass.shas.set(a.batchId, r.sha)
          pass.built.set(a.batchId, { members: a.members.map((m) => m.number), sha: r.sha })
          pass.gone.delete(a.batchId)
          // The tree an earlier batch failed on: recorded failed on its head, and no CI runs.
          if (a.knownFailure) {
            const description = inheritedFailureDescription(a.knownFailure.batchId, a.knownFailure.failures.map((f) => f.name))
            const current = pass.read.chain.get(a.batchId)?.sha === r.sha ? pass.read.chain.get(a.batchId)!.checks : []
            if ((await setQueueStatus(client, where, { sha: r.sha, state: 'failure', description, current })) === 'applied') this.wrote()
          }
          return null
        }
        if (r.outcome === 'conflict') {
          const carry: BatchState = { id: a.batchId, baseSha: parentSha, parent: a.parent, members: a.members, headSha: '', ci: 'pending', failures: [], startedAt: pass.read.planner.now, retry: a.retry, conflict: { number: r.pull, paths: r.files } }
          return { replan: `#${r.pull} does not merge into batch ${a.batchId}`, carry }
        }
        if (r.outcome === 'head-moved') return { replan: `the head of #${r.pull} moved before batch ${a.batchId} was built` }
        return { replan: `#${r.pull} is already in what batch ${a.batchId} was built on` }
      }
      case 'dispatch': {
        const sha = pass.shas.get(a.batchId)
        if (!sha) return { replan: `batch ${a.batchId} was not built` }
        if (this.builtElsewhere.has(a.batchId)) return null
        await this.dispatch(a.batchId, sha, pass.read.chain.get(a.batchId)?.checks ?? [])
        return null
      }
      case 'merge':
        return this.merge(a)
    }
  }

  /** Starts CI on a batch (nothing when CI runs on push, or when the batch head carries the mark). */
  async dispatch(id: number, sha: string, checks: QueuePull['checks']): Promise<void> {
    if (this.options.config.ci.mode !== 'dispatch') return
    const workflow = this.options.workflow ?? this.options.config.ci.workflow
    const r = await dispatchBatchCI(this.client, this.where, { workflow, branch: batchBranch(this.options.base, String(id)), sha, checks })
    if (r.outcome === 'applied') {
      this.wrote()
      this.wrote()
    }
  }

  /** A batch in the chain without the dispatch mark (a run that stopped between build and dispatch): dispatch it now. */
  async repairDispatch(): Promise<void> {
    for (const [id, b] of this.pass.read.chain) {
      if (this.pass.gone.has(id) || dispatchMark(b.checks)) continue
      const ci = this.pass.read.planner.batches.find((x) => x.id === id)?.ci
      if (ci === 'pending') await this.dispatch(id, b.sha, b.checks)
    }
  }

  private async merge(a: Extract<QueueAction, { kind: 'merge' }>): Promise<Stop | null> {
    const { client, where, options, pass } = this
    const base = options.base
    const expected = pass.read.planner.baseSha
    const members = new Map(pass.read.planner.batches.flatMap((b) => b.members.map((m) => [m.number, m.headSha] as const)))
    if (options.config.merge_method === 'fast-forward') {
      // The batch head becomes the base head: mark it passed first, so the base shows no pending queue status.
      const head = pass.read.chain.get(a.batchId)
      const mark = head ? queueStatusOf(head.checks) : null
      if (!mark || mark.state !== 'success') {
        await client.rest.repos.createCommitStatus({ ...where, sha: a.headSha, context: QUEUE_CONTEXT, state: 'success', description: `Batch ${a.batchId} passed` })
        this.wrote()
      }
      const r = await fastForwardBase(client, where, { base, to: a.headSha, expected })
      if (r.outcome === 'base-moved') return { replan: `base ${base} moved to ${r.actual?.slice(0, 7) ?? '(gone)'} before batch ${a.batchId} landed` }
      if (r.outcome === 'applied') this.wrote()
      pass.landed = a.headSha
    } else {
      let at = expected
      for (const pr of a.prs) {
        const r = await mergePullRequest(client, where, { number: pr, sha: members.get(pr)!, method: options.config.merge_method, expectedBase: { base, sha: at } })
        if (r.outcome === 'applied') {
          this.wrote()
          at = r.sha
        } else if (r.outcome !== 'unchanged') {
          return { replan: `#${pr} did not merge (${r.outcome}${r.outcome === 'not-mergeable' ? `: ${r.reason}` : ''})` }
        }
      }
      if (at !== expected) pass.landed = at
    }
    // The landed batch and every one ahead of it (all in the base now) are finished.
    const ids = pass.read.planner.batches.map((b) => b.id)
    for (const id of ids.slice(0, ids.indexOf(a.batchId) + 1)) pass.gone.add(id)
    const finished = [...pass.gone].filter((id) => pass.read.chain.has(id) || pass.built.has(id))
    for (const _ of await deleteBatchBranches(client, where, { base, ids: finished.map(String) })) this.wrote()
    for (const pr of a.prs) await this.tell(pr)
    return null
  }

  /** The sticky comment (when the view has something to say), then the status, from this pass's view. */
  private async tell(pr: number): Promise<void> {
    this.pass.told.add(pr)
    const pull = this.pass.state.pulls.find((p) => p.number === pr)
    if (!pull) return
    const body = queueCommentFor(this.pass.view, pr)
    if (body) {
      const done = await upsertQueueComment(this.client, this.where, { pull: pr, body, self: this.options.self, ...(this.known[pr] ? { known: this.known[pr] } : {}) })
      if (done.outcome === 'applied') this.wrote()
    }
    const want = queueStatusFor(this.pass.view, pr)
    if (!want) return
    if ((await setQueueStatus(this.client, this.where, { sha: pull.headSha, ...want, current: pull.checks, ...(this.options.runUrl ? { targetUrl: this.options.runUrl } : {}) })) === 'applied') this.wrote()
  }
}
