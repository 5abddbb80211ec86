/**
 * What people see of the queue: one base branch's queue after this run's plan, as plain data
 * (`buildQueueView`), and the texts made from it: the `shepherd/merge-queue` status of each PR
 * head (`queueStatusFor`), the sticky comment (`queueCommentFor`, view-markdown.ts), the job
 * summary (`renderQueueSummary`) and the static queue page (`renderQueuePage`, view-html.ts).
 * Pure: the reconcile loop reads GitHub, plans, and passes everything in.
 */
import { truncate } from '../test-report/markdown.js'
import { estimateLandings } from './eta.js'
import { batchSize, DEFAULT_PLANNER_OPTIONS, rampedBatchCap, type BatchState, type Plan, type PlannerOptions, type PlannerState, type QueueAction } from './planner.js'
import type { BranchPool } from './pool.js'

import { prList } from './view-markdown.js'

export { prList, queueCommentFor, renderQueueSummary } from './view-markdown.js'
export { renderQueuePage } from './view-html.js'

/** The fields of a pull request the view uses (src/github/merge-queue-state.ts `QueuePull` has them all). */
export interface ViewPull {
  number: number
  title: string
  author: string | null
  headSha: string
  headRef: string
  labels: string[]
  draft: boolean
  updatedAt: string
  /** The head's checks and statuses (readQueueState reads them): the queue's own status there tells a standing ejection. */
  checks?: readonly { name: string; kind: string; state: string; description: string | null }[]
}

/** The commit status context the queue writes (`QUEUE_CONTEXT` in src/github/merge-queue-ci.ts). */
export const QUEUE_STATUS_CONTEXT = 'shepherd/merge-queue'

/** How every ejection's status description starts (`EJECTED` in src/github/merge-queue-planner-state.ts). */
export const EJECTED_PREFIX = 'Ejected: '

/** Ejections about something other than the head's code: the PR re-enters as soon as it is eligible. */
const TRANSIENT_EJECTIONS = ['Head changed', 'Left the pool']

/** One check or status on a batch head, as the page shows it. */
export interface ViewCheck {
  name: string
  state: 'success' | 'failure' | 'pending' | 'error'
}

/** Recent outcomes the queue remembers (read from statuses and comments by the reconcile loop). */
export interface QueueHistory {
  merged: { number: number; title: string; batchId: number; sha: string; at: string }[]
  ejected: { number: number; title: string; reason: string; at: string }[]
}

/** Everything `buildQueueView` needs: the reconcile loop's read and its plan. */
export interface QueueViewInput {
  /** `owner/name`. */
  repo: string
  base: string
  /** This run's time, ISO 8601. */
  now: string
  frozen: boolean
  baseSha: string
  /** Every open pull request into `base` (readQueueState's `pulls`). */
  pulls: ViewPull[]
  /** buildPools' result; the one for `base` is used. */
  pools: BranchPool[]
  planner: PlannerState
  plan: Plan
  /** Minutes one CI run of a batch takes, for ETAs. */
  ciMinutes: number
  history: QueueHistory
  /** This reconcile run's page, linked from the texts. */
  runUrl?: string
  /** The planner's tuning (K, batch size) for ETAs; default `DEFAULT_PLANNER_OPTIONS`. */
  options?: PlannerOptions
  /** `merge_queue.priority_labels`, to name each PR's priority; without it the page shows its rank. */
  priorityLabels?: string[]
  /** Per batch id: the checks on its head (QueueBatch.checks) and its CI run's URL. */
  batchDetails?: Record<number, { checks?: ViewCheck[]; ciUrl?: string }>
  /** Web address of GitHub; default https://github.com. */
  serverUrl?: string
  /** `merge_queue.merge_method`, for the merge's wording; default fast-forward. */
  mergeMethod?: 'fast-forward' | 'merge' | 'squash' | 'rebase'
}

/** A PR in the queue (in a batch or waiting), in queue order. */
export interface QueuedView {
  number: number
  title: string
  author: string | null
  headSha: string
  /** 1-based place in the queue: batched PRs in chain order first, then the pool's order. */
  position: number
  /** Rank of its highest priority label (0 = highest); `priorityLabels.length` when none. */
  priority: number
  /** That label, when `priorityLabels` was given and it carries one. */
  priorityLabel: string | null
  /** The batch it is in after this run, or null while it waits. */
  batchId: number | null
  /** Minutes until it should land if everything passes; null while frozen. */
  etaMinutes: number | null
}

/** A PR into the base that is not in the pool, with every reason (Tide's wording). */
export interface WaitingView {
  number: number
  title: string
  author: string | null
  headSha: string
  /** Every reason it is not in the pool, a standing ejection aside. */
  reasons: string[]
  /**
   * The ejection that keeps it out: one this run makes, or one standing on its head (a failing queue
   * status "Ejected: …" that is not transient, kept until a push changes the head). `status` is the
   * description as it stands on the head, so it is written back unchanged. `at` is null when neither
   * this run nor the history dates it.
   */
  ejected: { reason: string; at: string | null; status?: string } | null
}

/** What happens to a batch in this run. */
export type BatchFate =
  | { kind: 'in-flight' }
  | { kind: 'merging' }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'new' }

/** A batch in flight before this run, or one this run builds. */
export interface BatchView {
  id: number
  parent: number | null
  members: { number: number; title: string; headSha: string }[]
  /** The batch ref's head; empty for a batch this run builds. */
  headSha: string
  baseSha: string
  ci: BatchState['ci']
  /** Checks on the head (from `batchDetails`), else the failing checks the planner knows. */
  checks: ViewCheck[]
  retry: boolean
  /** The batch whose failure this one inherits without running CI (the last part of a split is the tree that failed), or null. */
  inheritedFrom: number | null
  /** Minutes since it was built. */
  ageMinutes: number
  ciUrl: string | null
  fate: BatchFate
  /** Minutes until it should land if everything passes; null when cancelled, landing now, or frozen. */
  etaMinutes: number | null
}

/** The queue after this run's plan. */
export interface QueueView {
  repo: string
  base: string
  now: string
  frozen: boolean
  baseSha: string
  runUrl: string | null
  serverUrl: string
  ciMinutes: number
  mergeMethod: 'fast-forward' | 'merge' | 'squash' | 'rebase'
  inFlight: number
  /** The largest fresh batch (the ramp's cap, or the backlog spread over K lanes). */
  batchSize: number
  queue: QueuedView[]
  waiting: WaitingView[]
  batches: BatchView[]
  /** The plan, one sentence per action (the dry-run lines). */
  next: string[]
  /** Merged in this run first, then the history's, newest first. */
  merged: { number: number; title: string; batchId: number; sha: string; at: string }[]
  /** Ejected in this run first, then the history's, newest first. */
  ejected: { number: number; title: string; reason: string; at: string }[]
}

/**
 * Returns the queue as it stands once `plan` is applied: merged and ejected PRs leave it, batches
 * the plan cancels release their members back to the pool, batches it builds hold theirs. Throws
 * when `pools` has no pool for `base` or when the plan names a batch that is neither in flight nor
 * built by it.
 */
export function buildQueueView(input: QueueViewInput): QueueView {
  const pool = input.pools.find((p) => p.base === input.base)
  if (!pool) throw new Error(`buildQueueView: pools has no pool for base ${JSON.stringify(input.base)} (it has ${input.pools.map((p) => JSON.stringify(p.base)).join(', ') || 'none'})`)
  const options = input.options ?? DEFAULT_PLANNER_OPTIONS
  const frozen = input.frozen || pool.frozen
  const pulls = new Map(input.pulls.map((p) => [p.number, p]))
  const titleOf = (n: number): string => pulls.get(n)?.title ?? ''
  const nowMs = Date.parse(input.now)
  if (Number.isNaN(nowMs)) throw new Error(`buildQueueView: now is not an ISO time: ${JSON.stringify(input.now)}`)

  const { actions } = input.plan
  const known = new Set(input.planner.batches.map((b) => b.id))
  const built = actions.filter((a): a is Extract<QueueAction, { kind: 'build' }> => a.kind === 'build')
  for (const a of actions) {
    if ((a.kind === 'cancel' || a.kind === 'merge' || a.kind === 'dispatch') && !known.has(a.batchId) && !built.some((b) => b.batchId === a.batchId)) {
      throw new Error(`buildQueueView: the plan's ${a.kind} names batch ${a.batchId}, which is neither in flight nor built by the plan`)
    }
  }
  const cancelled = new Map<number, string>()
  for (const a of actions) if (a.kind === 'cancel' && !cancelled.has(a.batchId)) cancelled.set(a.batchId, a.reason)
  const merges = actions.filter((a): a is Extract<QueueAction, { kind: 'merge' }> => a.kind === 'merge')
  const mergedNow = new Set(merges.flatMap((m) => m.prs))
  const mergingBatches = new Set<number>()
  for (const m of merges) {
    const at = input.planner.batches.findIndex((b) => b.id === m.batchId)
    for (const b of input.planner.batches.slice(0, at + 1)) mergingBatches.add(b.id)
  }
  const ejectedNow = new Map<number, string>()
  for (const a of actions) if (a.kind === 'eject' && !ejectedNow.has(a.pr)) ejectedNow.set(a.pr, a.reason)

  const details = input.batchDetails ?? {}
  const batches: BatchView[] = []
  for (const b of input.planner.batches) {
    const fate: BatchFate = mergingBatches.has(b.id) ? { kind: 'merging' } : cancelled.has(b.id) ? { kind: 'cancelled', reason: cancelled.get(b.id)! } : { kind: 'in-flight' }
    batches.push({
      id: b.id,
      parent: b.parent,
      members: b.members.map((m) => ({ number: m.number, title: titleOf(m.number), headSha: m.headSha })),
      headSha: b.headSha,
      baseSha: b.baseSha,
      ci: b.ci,
      checks: details[b.id]?.checks ?? b.failures.map((f) => ({ name: f.name, state: 'failure' as const })),
      retry: b.retry,
      inheritedFrom: inheritedFrom(b),
      ageMinutes: Math.max(0, Math.round(input.planner.now - b.startedAt)),
      ciUrl: details[b.id]?.ciUrl ?? null,
      fate,
      etaMinutes: null
    })
  }
  for (const a of built) {
    const known = knownFailure(a)
    batches.push({
      id: a.batchId,
      parent: a.parent,
      members: a.members.map((m) => ({ number: m.number, title: titleOf(m.number), headSha: m.headSha })),
      headSha: '',
      baseSha: '',
      ci: known ? 'failed' : 'pending',
      checks: known ? known.failures.map((f) => ({ name: f.name, state: 'failure' as const })) : [],
      retry: a.retry,
      inheritedFrom: known?.batchId ?? null,
      ageMinutes: 0,
      ciUrl: null,
      fate: { kind: 'new' },
      etaMinutes: null
    })
  }

  // The chain after the plan, and the pool entries that wait behind it.
  const chain = batches.filter((b) => b.fate.kind === 'in-flight' || b.fate.kind === 'new')
  const inChain = new Set(chain.flatMap((b) => b.members.map((m) => m.number)))
  const entries = new Map(pool.eligible.map((e) => [e.number, e]))
  const waitingEntries = pool.eligible.filter((e) => !inChain.has(e.number) && !mergedNow.has(e.number) && !ejectedNow.has(e.number))
  // The planner's fresh batches: a ramp up to its cap, or the backlog spread over K lanes.
  const ramp = options.firstBatchSize
  const size = Math.max(1, ramp === undefined ? batchSize(input.planner, options) : rampedBatchCap(input.planner, options))
  const landings = estimateLandings({
    // A failed batch still in the chain is waiting to be retried or split: one more CI run.
    chain: chain.map((b) => ({ remainingMinutes: b.ci === 'pending' ? input.ciMinutes - b.ageMinutes : b.ci === 'failed' ? input.ciMinutes : 0 })),
    waiting: waitingEntries.length,
    batchSize: size,
    ...(ramp === undefined ? {} : { firstBatchSize: Math.max(1, ramp) }),
    inFlight: Math.max(1, options.inFlight),
    ciMinutes: Math.max(0, input.ciMinutes)
  })
  if (!frozen) chain.forEach((b, i) => (b.etaMinutes = landings.chain[i]))

  const priorityLabels = input.priorityLabels ?? null
  const queue: QueuedView[] = []
  const push = (n: number, batchId: number | null, eta: number | null, headSha: string): void => {
    const pull = pulls.get(n)
    const priority = entries.get(n)?.priority ?? priorityLabels?.length ?? 0
    queue.push({
      number: n,
      title: pull?.title ?? '',
      author: pull?.author ?? null,
      headSha: pull?.headSha ?? headSha,
      position: queue.length + 1,
      priority,
      priorityLabel: priorityLabels?.[priority] ?? null,
      batchId,
      etaMinutes: frozen ? null : eta
    })
  }
  for (const b of chain) for (const m of b.members) push(m.number, b.id, b.etaMinutes, m.headSha)
  waitingEntries.forEach((e, i) => push(e.number, null, landings.waiting[i], e.headSha))

  // When an ejection happened: the newest history entry for that PR and reason.
  const dateOf = (n: number, reason: string): string | null =>
    input.history.ejected.filter((e) => e.number === n && e.reason === reason).reduce<string | null>((at, e) => (at === null || Date.parse(e.at) > Date.parse(at) ? e.at : at), null)
  const waiting: WaitingView[] = []
  for (const pull of input.pulls) {
    const all = pool.ineligible.get(pull.number)
    if (!all || inChain.has(pull.number) || mergedNow.has(pull.number)) continue
    const reasons = all.filter((r) => !r.startsWith(EJECTED_PREFIX))
    let ejected: WaitingView['ejected'] = null
    const standing = standingEjection(pull) ?? all.find((r) => r.startsWith(EJECTED_PREFIX) && !isTransient(r)) ?? null
    if (ejectedNow.has(pull.number)) ejected = { reason: ejectedNow.get(pull.number)!, at: input.now }
    else if (standing) {
      const reason = standing.slice(EJECTED_PREFIX.length)
      ejected = { reason, at: dateOf(pull.number, reason), status: standing }
    }
    waiting.push({ number: pull.number, title: pull.title, author: pull.author, headSha: pull.headSha, reasons, ejected })
  }
  // Ejected now but still eligible by labels and checks (a failing batch): not in the pool either.
  for (const [n, reason] of ejectedNow) {
    if (waiting.some((w) => w.number === n)) continue
    const pull = pulls.get(n)
    waiting.push({ number: n, title: pull?.title ?? '', author: pull?.author ?? null, headSha: pull?.headSha ?? '', reasons: [], ejected: { reason, at: input.now } })
  }
  waiting.sort((a, b) => a.number - b.number)

  const merged = [
    ...merges.flatMap((m) => m.prs.map((n) => ({ number: n, title: titleOf(n), batchId: m.batchId, sha: m.headSha, at: input.now }))),
    ...[...input.history.merged].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
  ]
  const ejected = [
    ...[...ejectedNow].map(([n, reason]) => ({ number: n, title: titleOf(n), reason, at: input.now })),
    ...[...input.history.ejected].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
  ]

  return {
    repo: input.repo,
    base: input.base,
    now: input.now,
    frozen,
    baseSha: input.baseSha,
    runUrl: input.runUrl ?? null,
    serverUrl: (input.serverUrl ?? 'https://github.com').replace(/\/+$/, ''),
    ciMinutes: input.ciMinutes,
    mergeMethod: input.mergeMethod ?? 'fast-forward',
    inFlight: options.inFlight,
    batchSize: size,
    queue,
    waiting,
    batches,
    next: actions.map((a) => describeAction(a, input.base)),
    merged,
    ejected
  }
}

/** Returns one plain sentence for a planned action (a dry-run line); PR numbers as `#N`. */
export function describeAction(action: QueueAction, base: string): string {
  switch (action.kind) {
    case 'build': {
      const known = knownFailure(action)
      const what = `batch ${action.batchId} of ${prList(action.members.map((m) => m.number))} on ${action.parent === null ? base : `batch ${action.parent}`}`
      if (known) return `Record ${what} as failed without CI: it is the tree batch ${known.batchId} failed on.`
      return `Build ${what}${action.retry ? ' (the one retry after a flaky failure)' : ''}.`
    }
    case 'dispatch':
      return `Start CI on batch ${action.batchId}.`
    case 'merge':
      return `Fast-forward ${base} to batch ${action.batchId} (${action.headSha.slice(0, 7)}), merging ${prList(action.prs)}.`
    case 'eject':
      return `Eject #${action.pr}: ${action.reason}.`
    case 'cancel':
      return `Cancel batch ${action.batchId}: ${action.reason}.`
  }
}

/** Status of a PR head: GitHub's states. */
export interface QueueStatus {
  state: 'pending' | 'success' | 'failure' | 'error'
  description: string
}

/** GitHub's limit on a commit status description. */
export const MAX_STATUS_DESCRIPTION = 140

/**
 * Returns the `shepherd/merge-queue` status for PR `pr`, Tide-style and at most 140 characters:
 * "Merged in batch 12" (success), "Ejected: Failing checks: unit-tests" (failure), "In batch 12
 * with #3, #7" (pending), "In merge pool (20+ ahead)", "In merge pool (fewer than 20 ahead);
 * frozen: merging into main is paused", "Not mergeable: missing label approved (and 2 more
 * reasons)". A waiting PR's status names only a coarse bucket of the PRs ahead of it
 * (`AHEAD_BUCKETS`), never its exact position or ETA: those change at every landing, and a status
 * rewritten on every waiting PR at every landing would cost requests in proportion to landings
 * times queue length. Returns null when `pr` is not an open PR into the view's base.
 */
export function queueStatusFor(view: QueueView, pr: number): QueueStatus | null {
  const merged = view.merged.find((m) => m.number === pr)
  const queued = view.queue.find((q) => q.number === pr)
  const waiting = view.waiting.find((w) => w.number === pr)
  if (!queued && !waiting) {
    // Merged in this run (it is still open in the read): say so; otherwise not ours.
    return merged && merged.at === view.now ? status('success', `Merged in batch ${merged.batchId}`) : null
  }
  if (queued) {
    if (queued.batchId !== null) {
      const batch = view.batches.find((b) => b.id === queued.batchId)!
      const others = batch.members.map((m) => m.number).filter((n) => n !== pr)
      const head = `In batch ${batch.id}${batch.retry ? ' (retry)' : ''}${others.length ? ` with ${prList(others, 3)}` : ''}`
      if (view.frozen) return status('pending', `${head}; frozen: merging into ${view.base} is paused`)
      if (batch.ci === 'failed') return status('pending', `${head}: failed, being resolved`)
      if (batch.ci === 'passed') return status('pending', `${head}: passed`)
      return status('pending', head)
    }
    const pool = `${IN_POOL} (${aheadText(queued.position - 1)})`
    return status('pending', view.frozen ? `${pool}; frozen: merging into ${view.base} is paused` : pool)
  }
  const w = waiting!
  // A standing ejection is written back as it reads (the reconciler wrote it flat and cut, so this changes nothing).
  if (w.ejected) return status('failure', w.ejected.status ?? `${EJECTED_PREFIX}${w.ejected.reason}`)
  const [first, ...rest] = w.reasons
  return status('pending', `${first}${rest.length ? ` (and ${rest.length} more ${rest.length === 1 ? 'reason' : 'reasons'})` : ''}`)
}

/** How a waiting PR's status starts (Tide's "In merge pool."). */
const IN_POOL = 'In merge pool'

/**
 * The lower bounds of the buckets a waiting PR's status counts the PRs ahead of it in, largest
 * first: "50+ ahead", "20+ ahead", else "fewer than 20 ahead". Few, so that a PR crosses at most
 * two on its way to a batch (each crossing is one status write).
 */
export const AHEAD_BUCKETS: readonly number[] = [50, 20]

function aheadText(ahead: number): string {
  const bucket = AHEAD_BUCKETS.find((b) => ahead >= b)
  return bucket === undefined ? `fewer than ${AHEAD_BUCKETS[AHEAD_BUCKETS.length - 1]} ahead` : `${bucket}+ ahead`
}

/**
 * Where a queue status puts its PR, from the status's description: `none` (no status), `pool`
 * (waiting), `batch <id>`, `merged`, `ejected`, or `out` (not in the pool for another reason).
 * The reconcile loop writes the sticky comment when this changes into the pool or a batch, or from
 * them to `out`: the comment follows the PR's moves, not the queue's every step.
 */
export function statusPhase(description: string | null | undefined): string {
  if (description === null || description === undefined) return 'none'
  if (description.startsWith(IN_POOL)) return 'pool'
  const batch = /^In batch (\d+)/.exec(description)
  if (batch) return `batch ${batch[1]}`
  if (description.startsWith('Merged in batch ')) return 'merged'
  if (description.startsWith(EJECTED_PREFIX)) return 'ejected'
  return 'out'
}

/**
 * Returns the queue's failing "Ejected: …" status on a PR head when it stands (its reason is about
 * the head's code: failing checks, a conflict, a timeout), else null. A push drops it: a new head
 * has no queue status.
 */
export function standingEjection(pull: ViewPull): string | null {
  const ours = pull.checks?.find((c) => c.kind === 'status' && c.name === QUEUE_STATUS_CONTEXT)
  if (!ours || ours.state !== 'failure' || !ours.description?.startsWith(EJECTED_PREFIX) || isTransient(ours.description)) return null
  return ours.description
}

// A build of the last part of a split carries the failure it inherits (planner's `knownFailure`); read
// structurally, so the view also works with a planner that does not have it.
function knownFailure(action: QueueAction): { batchId: number; failures: { name: string }[] } | null {
  return (action as { knownFailure?: { batchId: number; failures: { name: string }[] } }).knownFailure ?? null
}

function inheritedFrom(batch: BatchState): number | null {
  return (batch as { inheritedFrom?: number }).inheritedFrom ?? null
}

function isTransient(description: string): boolean {
  return TRANSIENT_EJECTIONS.some((t) => description.startsWith(`${EJECTED_PREFIX}${t}`))
}

function status(state: QueueStatus['state'], text: string): QueueStatus {
  return { state, description: truncate(text.replace(/\s+/g, ' ').trim(), MAX_STATUS_DESCRIPTION) }
}
