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
import { plan, plannerOptionsFromConfig, type BatchState, type QueueAction } from '../core/merge-queue/planner.js'
import { buildBatch } from './merge-queue-build.js'
import { batchBranch } from './merge-queue-batch-message.js'
import { dispatchBatchCI, dispatchMark, QUEUE_CONTEXT } from './merge-queue-ci.js'
import { deleteBatchBranches } from './merge-queue-cleanup.js'
import { fastForwardBase, mergePullRequest } from './merge-queue-merge.js'
import { plannerStateOf, queueStatusOf, type ReadState } from './merge-queue-planner-state.js'
import { readQueueState, type QueuePull, type QueueState } from './merge-queue-state.js'
import { readQueueComments, setQueueStatus, statusDescription, upsertQueueComment, type KnownComment } from './merge-queue-status.js'
import { commentFor, describeAction, statusFor, type PullFate } from './merge-queue-texts.js'

export interface ReconcileOptions {
  base: string
  config: MergeQueueConfig
  /** Token and server URL for git (batches are built with git over HTTPS). */
  git: { token: string; serverUrl: string }
  /** Login Shepherd writes as (its sticky comment is found by marker and author). */
  self: string
  /** Plan and compute every status, change nothing. */
  dryRun?: boolean
  /** Workflow to dispatch on a batch instead of `config.ci.workflow`. */
  workflow?: string
  /** The run's link for the statuses. */
  targetUrl?: string
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
  state: 'pending' | 'success' | 'failure'
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
  /** What the last pass read (for the queue page). */
  last: { state: QueueState; read: ReadState }
  /** API writes made (0 in a dry run). */
  writes: number
}

interface Pass {
  state: QueueState
  read: ReadState
  /** Batch id → its head, for batches in the chain or built in this pass. */
  shas: Map<number, string>
  /** Batches built (or found built) in this pass. */
  built: Map<number, { members: number[]; sha: string }>
  gone: Set<number>
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
  const method = options.config.merge_method
  const fates = new Map<number, PullFate>()
  const titles = new Map<number, string>()
  const actions: QueueAction[] = []
  let writes = 0
  let carry: BatchState | null = null
  let pass!: Pass

  for (let n = 1; n <= (options.maxPasses ?? 3); n++) {
    const state = await readQueueState(client, where, { base: options.base })
    const read = plannerStateOf({ state, config: options.config, now: now() })
    for (const p of state.pulls) titles.set(p.number, p.title)
    const planner = read.planner
    // A build that conflicted last pass is handed to the planner as the batch it would have been,
    // so that it ejects the PR naming the paths (only if it still follows the chain's tail).
    const tail = planner.batches[planner.batches.length - 1]
    if (carry && carry.parent === (tail?.id ?? null) && carry.baseSha === (tail?.headSha ?? planner.baseSha)) {
      planner.batches.push(carry)
      planner.nextBatchId = Math.max(planner.nextBatchId, carry.id + 1)
    }
    carry = null
    const planned = plan(planner, plannerOptionsFromConfig(options.config, read.pool.frozen))
    actions.push(...planned.actions)
    for (const a of planned.actions) log(`${dryRun ? 'would ' : ''}${describeAction(a)}`)
    pass = { state, read, shas: new Map([...read.chain].map(([id, b]) => [id, b.sha])), built: new Map(), gone: new Set() }
    if (dryRun) {
      for (const a of planned.actions) {
        if (a.kind === 'eject') fates.set(a.pr, { kind: 'ejected', reason: a.reason })
        if (a.kind === 'cancel') pass.gone.add(a.batchId)
        if (a.kind === 'build') pass.built.set(a.batchId, { members: a.members.map((m) => m.number), sha: '' })
        if (a.kind === 'merge') landed(pass, a, '', fates, method)
      }
      break
    }

    const apply = new Applier(client, where, options, pass, fates, () => writes++)
    await apply.strays()
    const stop = await apply.all(planned.actions)
    if (stop.carry) carry = stop.carry
    if (!stop.replan) {
      await apply.repairDispatch()
      break
    }
    log(`replanning: ${stop.replan}`)
  }

  // Every other open PR's status, written only when it differs.
  const statuses: PullStatus[] = []
  const { state, read } = pass
  const inBatch = new Map<number, { id: number; members: number[] }>()
  for (const [id, b] of read.chain) if (!pass.gone.has(id)) for (const m of b.meta!.members) inBatch.set(m.number, { id, members: b.meta!.members.map((x) => x.number) })
  for (const [id, b] of pass.built) if (!pass.gone.has(id)) for (const m of b.members) inBatch.set(m, { id, members: b.members })
  const waiting = read.pool.eligible.filter((e) => !inBatch.has(e.number) && !fates.has(e.number))
  for (const pull of state.pulls) {
    const fate = fates.get(pull.number) ?? fateOf(pull, read, inBatch, waiting.map((e) => e.number))
    const want = statusFor(fate)
    statuses.push({ number: pull.number, title: pull.title, ...want, description: statusDescription(want.description) })
    if (dryRun || fates.has(pull.number)) continue
    if ((await setQueueStatus(client, where, { sha: pull.headSha, ...want, current: pull.checks, targetUrl: options.targetUrl })) === 'applied') writes++
  }
  const batches = [...read.chain]
    .filter(([id]) => !pass.gone.has(id))
    .map(([id, b]) => ({ id, members: b.meta!.members.map((m) => m.number), sha: b.sha, ci: read.planner.batches.find((x) => x.id === id)!.ci }))
    .concat([...pass.built].filter(([id]) => !pass.gone.has(id)).map(([id, b]) => ({ id, members: b.members, sha: b.sha, ci: 'pending' as const })))
  const merged = [...fates].filter(([, f]) => f.kind === 'merged').map(([n]) => n)
  const ejected = [...fates].flatMap(([n, f]) => (f.kind === 'ejected' ? [{ number: n, reason: f.reason }] : []))
  return { base: options.base, actions, merged, ejected, batches, statuses, last: { state, read }, writes }
}

/** Where a PR not merged or ejected in this run stands. */
function fateOf(pull: QueuePull, read: ReadState, inBatch: Map<number, { id: number; members: number[] }>, waiting: number[]): PullFate {
  const standing = read.ejected.get(pull.number)
  if (standing) return { kind: 'standing', description: standing }
  const batch = inBatch.get(pull.number)
  if (batch) return { kind: 'batched', batchId: batch.id, with: batch.members.filter((n) => n !== pull.number) }
  const position = waiting.indexOf(pull.number)
  if (position >= 0) return { kind: 'queued', position: position + 1, frozen: read.pool.frozen }
  return { kind: 'blocked', reasons: read.pool.ineligible.get(pull.number) ?? ['Not in the queue'] }
}

/** Records the PRs of a merge action as merged, and its batches (and those ahead) as gone. */
function landed(pass: Pass, a: Extract<QueueAction, { kind: 'merge' }>, sha: string, fates: Map<number, PullFate>, method: string): void {
  const ids = pass.read.planner.batches.map((b) => b.id)
  const upTo = ids.indexOf(a.batchId)
  for (const id of upTo >= 0 ? ids.slice(0, upTo + 1) : [a.batchId]) pass.gone.add(id)
  for (const pr of a.prs) fates.set(pr, { kind: 'merged', batchId: a.batchId, sha: sha || a.headSha, with: a.prs.filter((n) => n !== pr), method })
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
    private readonly fates: Map<number, PullFate>,
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
      case 'eject': {
        // The comment first: should the run stop between the two, the PR is still in the pool and
        // the next run ejects it again (the comment is then unchanged); the status alone would keep
        // it out without a word.
        await this.tell(a.pr, { kind: 'ejected', reason: a.reason })
        return null
      }
      case 'build': {
        const parentSha = a.parent === null ? pass.read.planner.baseSha : pass.shas.get(a.parent)
        if (!parentSha) return { replan: `batch ${a.parent} under batch ${a.batchId} was not built` }
        const meta = { base, id: String(a.batchId), baseSha: pass.read.planner.baseSha, parentSha, members: a.members.map((m) => ({ number: m.number, sha: m.headSha })) }
        const titles = Object.fromEntries(pass.state.pulls.map((p) => [p.number, p.title]))
        const r = await buildBatch({ token: options.git.token, serverUrl: options.git.serverUrl, where, batch: meta, titles })
        if (r.outcome === 'built' || r.outcome === 'unchanged') {
          if (r.outcome === 'built') this.wrote()
          // Built by another run since our read: that run dispatches it (or, if it stopped, the next
          // run's repairDispatch does, reading the mark); dispatching here too would start CI twice.
          else if (!pass.read.chain.has(a.batchId)) this.builtElsewhere.add(a.batchId)
          pass.shas.set(a.batchId, r.sha)
          pass.built.set(a.batchId, { members: a.members.map((m) => m.number), sha: r.sha })
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
    }
    landed(pass, a, a.headSha, this.fates, options.config.merge_method)
    const ids = [...pass.gone].filter((id) => pass.read.chain.has(id) || pass.built.has(id))
    for (const _ of await deleteBatchBranches(client, where, { base, ids: ids.map(String) })) this.wrote()
    for (const pr of a.prs) await this.tell(pr, this.fates.get(pr)!)
    return null
  }

  /** Sticky comment (when there is something to say), then the status. */
  private async tell(pr: number, fate: PullFate): Promise<void> {
    this.fates.set(pr, fate)
    const pull = this.pass.state.pulls.find((p) => p.number === pr)
    const body = commentFor(fate, this.options.base)
    if (body) {
      const done = await upsertQueueComment(this.client, this.where, { pull: pr, body, self: this.options.self, ...(this.known[pr] ? { known: this.known[pr] } : {}) })
      if (done.outcome === 'applied') this.wrote()
    }
    if (!pull) return
    const want = statusFor(fate)
    if ((await setQueueStatus(this.client, this.where, { sha: pull.headSha, ...want, current: pull.checks, targetUrl: this.options.targetUrl })) === 'applied') this.wrote()
  }
}
