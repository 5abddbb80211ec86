/**
 * The merge queue's read of GitHub (readQueueState) turned into the planner's input: the pool
 * (buildPools over pullRequestView), the batches in flight in chain order from their trailers with
 * their CI verdicts (batchCIResult), and the next batch id. Pure: no requests. Everything the
 * queue remembers between runs is read back from GitHub here: batch trailers, the dispatch mark,
 * and the `shepherd/merge-queue` status on each PR head (an ejection stands until the head changes:
 * `standingEjection` of src/core/merge-queue/view.ts, one definition for the pool and the texts),
 * test-report's verdict markers on batch heads (a failure on flaky tests only), and the "(retry)"
 * in the queue status of the PRs in a batch that is the one flaky retry.
 */
import type { MergeQueueConfig } from '../core/config/schema.js'
import { buildPools, type BranchPool } from '../core/merge-queue/pool.js'
import type { BatchState, PlannerState } from '../core/merge-queue/planner.js'
import { parseBatchMessage } from './merge-queue-batch-message.js'
import { batchCIResult, dispatchMark, QUEUE_CONTEXT } from './merge-queue-ci.js'
import type { CheckContext, QueueBatch, QueueState } from './merge-queue-state.js'
import { pullRequestView } from './merge-queue-view.js'
import { standingEjection } from '../core/merge-queue/view.js'
import { allFailingFlaky } from '../core/test-report/queue-verdict.js'

/** The planner's input and what the reconcile loop needs beside it to apply the plan. */
export interface ReadState {
  planner: PlannerState
  /** This base's pool: standing ejections moved from eligible to ineligible (with the status as the reason), as the view takes it. */
  pool: BranchPool
  /** The batch branches in the chain, by id, as read (their head SHA, checks and metadata). */
  chain: Map<number, QueueBatch>
  /** Batch branches outside the chain (unreadable trailers, a broken or superseded chain): to delete. */
  strays: QueueBatch[]
  /** PRs kept out of the pool by a standing ejection on their head: number → its status description. */
  ejected: Map<number, string>
}

export interface PlannerStateInput {
  state: QueueState
  config: MergeQueueConfig
  /** The run's clock. */
  now: Date
  /** Branches frozen beyond `config.frozen` and the base's own `/shepherd freeze` (`state.freeze`). */
  frozenBranches?: string[]
}

/** The queue's own status among a commit's contexts, or null. */
export function queueStatusOf(checks: readonly CheckContext[]): CheckContext | null {
  return checks.find((c) => c.kind === 'status' && c.name === QUEUE_CONTEXT) ?? null
}

/**
 * Orders batch branches into the one chain the planner takes: the batch built on the base SHA its
 * trailers name (preferring one built on `baseSha`, the base head now), then the batch built on its
 * head, and so on (lowest id first where two compete). Batches with unreadable trailers or a
 * non-numeric id, and those off the chain, are strays.
 */
export function chainOf(batches: readonly QueueBatch[], baseSha: string): { chain: QueueBatch[]; strays: QueueBatch[] } {
  const usable = batches.filter((b) => b.meta && /^[1-9][0-9]{0,8}$/.test(b.id)).sort((a, b) => Number(a.id) - Number(b.id))
  const chain: QueueBatch[] = []
  // The chain starts at the batch built on the base as it is now: the first batch of a chain (its
  // parent is its recorded base), or, once the batches ahead of it landed and the base was
  // fast-forwarded to their head, the batch built on that head. Its recorded base is still the
  // chain's first, so the batches behind it follow as before instead of being thrown away.
  const roots = usable.filter((b) => b.meta!.parentSha === b.meta!.baseSha || b.meta!.parentSha === baseSha)
  let next: QueueBatch | undefined = roots.find((b) => b.meta!.parentSha === baseSha) ?? roots.find((b) => b.meta!.baseSha === baseSha) ?? roots[0]
  while (next) {
    chain.push(next)
    const tip: QueueBatch = next
    // Linked by parent only: a batch built after the head of the chain landed records the new base.
    next = usable.find((b) => !chain.includes(b) && b.meta!.parentSha === tip.sha)
  }
  return { chain, strays: batches.filter((b) => !chain.includes(b)) }
}

/**
 * Whether a failing required check of a batch head failed on flaky tests only, by test-report's
 * verdict markers on that head: the check's own verdict when it is test-report's check, else the
 * verdicts of every test-report check on the head, which must all say that each failing test is
 * flaky, with at least one failing test among them. No verdict, a verdict with a failing test not
 * called flaky, a capped list or an unreadable input: not flaky (the PR is ejected, never merged
 * untested; a wrong "flaky" costs one more CI run).
 */
export function failedOnFlakesOnly(check: string, checks: readonly CheckContext[]): boolean {
  const own = checks.find((c) => c.kind === 'check' && c.name === check && c.queueVerdict)?.queueVerdict
  if (own) return allFailingFlaky(own)
  const verdicts = checks.flatMap((c) => (c.kind === 'check' && c.queueVerdict ? [c.queueVerdict] : []))
  const failing = verdicts.filter((v) => v.failingTotal > 0 || v.inputProblems > 0)
  return failing.length > 0 && failing.every(allFailingFlaky)
}

/** The batch a queue status says its PR is in as the one flaky retry ("In batch 12 (retry) …"), or null. */
export function retryBatchOf(description: string | null): number | null {
  const m = /^In batch ([0-9]{1,9}) \(retry\)/.exec(description ?? '')
  return m ? Number(m[1]) : null
}

/**
 * The queue status that records a batch built without CI because its tree is the one an earlier
 * batch failed on (the planner's `knownFailure`): "Known to fail: the tree batch 5 failed on (build, lint)".
 */
export function inheritedFailureDescription(batchId: number, failures: readonly string[]): string {
  // Within GitHub's 140 characters, so that it reads back: as many names as fit.
  const names = [...failures]
  const text = () => `Known to fail: the tree batch ${batchId} failed on (${names.join(', ')})`
  while (names.length > 1 && text().length > 140) names.pop()
  return text()
}

/** Reads inheritedFailureDescription back; null for any other description. */
export function inheritedFailure(description: string): { batchId: number; failures: string[] } | null {
  const m = /^Known to fail: the tree batch ([0-9]{1,9}) failed on \((.*)\)$/.exec(description)
  return m ? { batchId: Number(m[1]), failures: m[2].split(', ').filter(Boolean) } : null
}

/** The batch id a landed batch's trailers name in the base head's message, or 0. */
export function landedBatchId(baseMessage: string | null): number {
  if (!baseMessage) return 0
  try {
    const id = Number(parseBatchMessage(baseMessage).id)
    return Number.isSafeInteger(id) ? id : 0
  } catch {
    return 0
  }
}

/**
 * Builds the planner's state for one base. Throws when the base branch does not exist (there is
 * nothing to queue onto) or when `state.base` is not a branch the config's pools serve.
 */
export function plannerStateOf(input: PlannerStateInput): ReadState {
  const { state, config } = input
  if (!state.baseSha) throw new Error(`base branch ${state.base} does not exist: nothing can be queued onto it`)
  const views = state.pulls.map((p) => pullRequestView(p, state.base, config.required_checks))
  const pools = buildPools(views, { ...config, branches: [state.base] }, { frozenBranches: [...(input.frozenBranches ?? []), ...(state.freeze ? [state.base] : [])] })
  const pool = pools[0]
  const ejected = new Map<number, string>()
  for (const pull of state.pulls) {
    const standing = standingEjection(pull)
    if (standing && pool.eligible.some((e) => e.number === pull.number)) {
      ejected.set(pull.number, standing)
      pool.eligible = pool.eligible.filter((e) => e.number !== pull.number)
      pool.ineligible.set(pull.number, [standing])
    }
  }

  const { chain, strays } = chainOf(state.batches, state.baseSha)
  // A batch is the one flaky retry when its PRs' queue statuses say so (the view writes "(retry)"
  // for a batch built with \`retry\`, and keeps writing it while the batch is in flight); a PR in
  // such a batch has had its retry.
  const retries = new Map<number, number[]>()
  for (const pull of state.pulls) {
    const id = retryBatchOf(queueStatusOf(pull.checks)?.description ?? null)
    if (id !== null) retries.set(id, [...(retries.get(id) ?? []), pull.number])
  }
  const nowMs = input.now.getTime()
  const batches: BatchState[] = chain.map((b, i) => {
    const mark = dispatchMark(b.checks)
    const startedAt = mark?.createdAt ?? b.committedDate ?? input.now.toISOString()
    const inherited = mark?.state === 'failure' ? inheritedFailure(mark.description ?? '') : null
    const verdict = inherited
      ? ({ state: 'failed', failing: inherited.failures, reason: `failed: ${inherited.failures.join(', ')}` } as const)
      : batchCIResult(b.checks, { required: config.required_checks, startedAt, now: input.now.toISOString(), timeoutMinutes: config.ci.timeout_minutes })
    const failures =
      verdict.state !== 'failed'
        ? []
        : verdict.reason.startsWith('failed: ')
          ? verdict.failing.map((name) => ({ name, flaky: !inherited && failedOnFlakesOnly(name, b.checks) }))
          : [{ name: verdict.reason, flaky: false }]
    return {
      ...(inherited ? { inheritedFrom: inherited.batchId } : {}),
      id: Number(b.id),
      baseSha: b.meta!.parentSha,
      parent: i === 0 ? null : Number(chain[i - 1].id),
      members: b.meta!.members.map((m) => ({ number: m.number, headSha: m.sha })),
      headSha: b.sha,
      ci: verdict.state,
      failures,
      startedAt: minutes(Date.parse(startedAt) || nowMs),
      retry: retries.has(Number(b.id))
    }
  })

  // A push to a batched PR resets its checks, so it also leaves the pool; the planner names a
  // member missing from the pool "Left the pool" before it compares heads. Shown at its new head,
  // the member is ejected for what happened: "Head changed …". (It is ejected either way, so it is
  // never rebatched in this plan; the next read leaves it out until its checks pass.)
  const pullByNumber = new Map(state.pulls.map((p) => [p.number, p]))
  const plannerPool = [...pool.eligible]
  for (const b of batches) {
    for (const m of b.members) {
      const now = pullByNumber.get(m.number)
      if (now && now.headSha !== m.headSha && !plannerPool.some((e) => e.number === m.number)) {
        plannerPool.push({ number: m.number, headSha: now.headSha, priority: config.priority_labels.length, updatedAt: now.updatedAt })
      }
    }
  }

  const inStatuses = state.pulls.map((p) => /^In batch ([0-9]{1,9})\b/.exec(queueStatusOf(p.checks)?.description ?? '')?.[1]).map(Number).filter(Number.isSafeInteger)
  const highest = Math.max(0, landedBatchId(state.baseMessage), ...state.batches.map((b) => Number(b.id)).filter(Number.isSafeInteger), ...inStatuses)
  return {
    planner: { base: state.base, baseSha: state.baseSha, now: minutes(nowMs), pool: plannerPool, batches, recent: [], retried: [...retries.values()].flat().sort((x, y) => x - y), nextBatchId: highest + 1 },
    pool,
    chain: new Map(chain.map((b) => [Number(b.id), b])),
    strays,
    ejected
  }
}

function minutes(ms: number): number {
  return ms / 60_000
}
