/**
 * The merge-queue planner: one base branch's state, as the reconcile loop reads it from GitHub, in;
 * the actions that move the queue forward out. Pure and deterministic, so the same state always
 * gives the same plan, a dry run is just printing the plan, and two reconcilers agree.
 *
 * Strategy: a speculative chain of up to K batches, each built on the head of the one ahead (so
 * batch i tests base + every member of batches 0..i); batches grow along the chain from
 * `firstBatchSize` to `batchSizeMax` (sizing.ts: a break is likeliest at the front), or without a
 * ramp follow the backlog; the size halves after each recent failure (AIMD); a failed batch is
 * split into up to K chained parts (prefix bisection), the last of which is the tree that failed
 * and is not run again; a failure whose every failing test is flaky by test-report's verdict is retried once;
 * a later batch that passes clears the failed ones ahead of it (their members are in its tree).
 */
import type { MergeQueueConfig } from '../config/schema.js'
import type { PoolEntry } from './pool.js'
import { rampedBatchSize } from './sizing.js'

/** A PR as it was when batched: its number and head SHA at batching time. */
export interface BatchMember {
  number: number
  headSha: string
}

/** One failing required check of a batch, with test-report's verdict on its failing tests. */
export interface BatchFailure {
  name: string
  /** True when every failing test of this check is flaky by test-report's verdict. */
  flaky: boolean
}

/** A batch in flight: a ref under `shepherd/queue/<base>/` whose CI the queue is waiting on or has read. */
export interface BatchState {
  id: number
  /** The commit it was built on: the base branch head, or the head of the batch ahead of it. */
  baseSha: string
  /** The batch ahead of it in the chain, or null when built directly on the base branch. */
  parent: number | null
  members: BatchMember[]
  /** The batch ref's head: the tested tree. */
  headSha: string
  ci: 'pending' | 'passed' | 'failed'
  failures: BatchFailure[]
  /** Minutes since an arbitrary epoch shared with `PlannerState.now`. */
  startedAt: number
  /** True when this batch is the one flaky retry of an earlier identical batch. */
  retry: boolean
  /** Set by the builder when a member did not merge cleanly into the batch: that PR and the conflicting paths. */
  conflict?: { number: number; paths: string[] }
  /**
   * Set when the batch was built from a `build` action with `knownFailure` and never ran CI: its tree
   * is the tree batch `inheritedFrom` failed on, so it is `failed` with that batch's failures.
   */
  inheritedFrom?: number
}

/** A recent batch outcome (newest last), read from the queue's statuses; it drives batch sizing. */
export interface Outcome {
  batchId: number
  passed: boolean
  size: number
}

/** Tuning of the strategy. */
export interface PlannerOptions {
  /** Most batches in flight (K). */
  inFlight: number
  /** Largest batch. */
  batchSizeMax: number
  /** Minutes a batch may stay pending before it fails as timed out. */
  timeoutMinutes: number
  /** Recent outcomes that count for shrinking (each failure among them halves the size). */
  failureMemory: number
  /** Fewest batches in flight however many recent failures (see `speculationDepth`). */
  minInFlight: number
  /** Parts a failed batch is split into (at most K; 2 is plain bisection). */
  splitParts: number
  /** Whether to fill the chain behind the parts of a split batch (they carry its breakage if it was real). */
  fillAfterSplit: boolean
  /** Whether merging is paused (frozen branch): batches may be tested but nothing lands. */
  frozen: boolean
  /**
   * Whether the last part of a batch split after a deterministic failure (a check test-report did
   * not call flaky; not a timeout) is built without CI as known to fail (`KnownFailure`): it is
   * the tree that failed. Absent means false.
   */
  inferLastPart?: boolean
  /**
   * Size of the batch at the front of the chain: batches then grow in a straight line to
   * `batchSizeMax` at the K-th lane (`rampedBatchSize`), whatever the backlog. Absent: no ramp,
   * every fresh batch `batchSize` (the backlog spread over K lanes, capped).
   */
  firstBatchSize?: number
}

/** Everything the planner needs, all of it readable from GitHub. */
export interface PlannerState {
  base: string
  /** The base branch head now. */
  baseSha: string
  now: number
  /** The eligible PRs in pool order (see `buildPools`); in-flight members are in it too while eligible. */
  pool: PoolEntry[]
  /** Batches in flight, in chain order (the one on the base first). */
  batches: BatchState[]
  recent: Outcome[]
  /** PRs that already had their one flaky retry (read from their queue status). */
  retried: number[]
  /** The next free batch id (one above the highest ref or status seen). */
  nextBatchId: number
}

/** Something the applier does. `build` creates the batch ref; `parent` null means on the base head. */
export type QueueAction =
  | { kind: 'build'; batchId: number; parent: number | null; members: BatchMember[]; retry: boolean; knownFailure?: KnownFailure }
  | { kind: 'dispatch'; batchId: number }
  | { kind: 'merge'; batchId: number; headSha: string; prs: number[] }
  | { kind: 'eject'; pr: number; reason: string }
  | { kind: 'cancel'; batchId: number; reason: string }

/**
 * On a `build`: the batch's tree is exactly the tree batch `batchId` already failed on (the last part
 * of a split, built on the parts before it), so no CI is dispatched for it: the applier records it
 * as failed with these failures (read back as `ci: 'failed'`, `failures`, `inheritedFrom`).
 */
export interface KnownFailure {
  batchId: number
  failures: BatchFailure[]
}

/** The plan: actions in the order they must be applied. */
export interface Plan {
  actions: QueueAction[]
}

/** Default tuning (the result of bench/merge-queue.mjs; see docs/merge-queue.md). */
export const DEFAULT_PLANNER_OPTIONS: PlannerOptions = { inFlight: 5, batchSizeMax: 6, timeoutMinutes: 60, failureMemory: 0, splitParts: 5, minInFlight: 5, fillAfterSplit: false, frozen: false, inferLastPart: true, firstBatchSize: 1 }

/**
 * The planner options for a `merge_queue` config: K from `in_flight`, the batch cap from
 * `batch_size_max`, the ramp's front batch from `first_batch_size`, the timeout from
 * `ci.timeout_minutes`, frozen from `frozen` or `frozenBranch`; the rest from
 * `DEFAULT_PLANNER_OPTIONS`, with split parts and depth floor at K.
 */
export function plannerOptionsFromConfig(config: MergeQueueConfig, frozenBranch = false): PlannerOptions {
  return {
    ...DEFAULT_PLANNER_OPTIONS,
    inFlight: config.in_flight,
    minInFlight: config.in_flight,
    splitParts: config.in_flight,
    batchSizeMax: config.batch_size_max,
    firstBatchSize: config.first_batch_size,
    timeoutMinutes: config.ci.timeout_minutes,
    frozen: config.frozen || frozenBranch
  }
}

/**
 * Plans the next step for one base branch. Never throws on a consistent state; throws when
 * `state.batches` is not a chain (a batch's parent is not the batch before it), since acting on a
 * state that cannot come from the applier would be unsafe.
 */
export function plan(state: PlannerState, options: PlannerOptions): Plan {
  checkChain(state.batches)
  const actions: QueueAction[] = []
  const poolByNumber = new Map(state.pool.map((e) => [e.number, e]))
  let chain = [...state.batches]
  const ejected = new Set<number>()
  const eject = (pr: number, reason: string): void => {
    if (ejected.has(pr)) return
    ejected.add(pr)
    actions.push({ kind: 'eject', pr, reason })
  }
  const cancelFrom = (index: number, reason: string): void => {
    for (const b of chain.slice(index)) actions.push({ kind: 'cancel', batchId: b.id, reason })
    chain = chain.slice(0, index)
  }

  // 1. Invalidation: a moved base, a conflict, a member whose head changed or who left the pool.
  //    A member whose head changed is ejected whatever else cancels its batch (a moved base, a batch
  //    ahead of it): cancelled with the rest it would go back to the pool, and be rebatched, at a
  //    head the pool never admitted (found by the fault campaign, test/github/merge-queue-faults.test.ts).
  for (const m of chain.flatMap((b) => b.members)) {
    const entry = poolByNumber.get(m.number)
    if (entry && entry.headSha !== m.headSha) eject(m.number, `Head changed from ${m.headSha.slice(0, 7)} to ${entry.headSha.slice(0, 7)} after it was batched`)
  }
  if (chain.length > 0 && chain[0].baseSha !== state.baseSha) cancelFrom(0, `base ${state.base} moved to ${state.baseSha.slice(0, 7)} outside the queue`)
  for (let i = 0; i < chain.length; i++) {
    const batch = chain[i]
    let reason: string | null = null
    if (batch.conflict) {
      const c = batch.conflict
      eject(c.number, `Merge conflict with the PRs ahead of it in the queue${c.paths.length ? ` in ${c.paths.join(', ')}` : ''}`)
      reason = `#${c.number} does not merge cleanly`
    }
    for (const m of batch.members) {
      const entry = poolByNumber.get(m.number)
      if (!entry) {
        eject(m.number, 'Left the pool while batched (a label, check or mergeability changed)')
        reason ??= `#${m.number} left the pool`
      } else if (entry.headSha !== m.headSha) {
        eject(m.number, `Head changed from ${m.headSha.slice(0, 7)} to ${entry.headSha.slice(0, 7)} after it was batched`)
        reason ??= `head of #${m.number} changed`
      }
    }
    if (reason) {
      cancelFrom(i, reason)
      break
    }
  }

  // 2. Timeouts become failures (not deterministic ones: a timed-out tree is never inferred to fail).
  const timedOut = new Set<number>()
  chain = chain.map((b) => {
    if (b.ci !== 'pending' || state.now - b.startedAt < options.timeoutMinutes) return b
    timedOut.add(b.id)
    return { ...b, ci: 'failed' as const, failures: [{ name: `no result within ${options.timeoutMinutes} minutes`, flaky: false }] }
  })

  // 3. Merge: the deepest passed batch whose chain ahead is all resolved (optimistic clearing:
  //    a passed batch contains every member ahead of it, so failures ahead were not real).
  const front: Array<BatchState & { knownFailure?: KnownFailure }> = [] // batches rebuilt at the front of the chain (splits and retries)
  if (!options.frozen) {
    let deepest = -1
    for (let i = 0; i < chain.length; i++) if (chain[i].ci === 'passed') deepest = i
    // Land only a prefix in which nothing ahead is still pending... a pending one ahead of a pass is
    // implied good by the pass as well, so landing at `deepest` is safe as soon as it passed.
    if (deepest >= 0) {
      const landed = chain.slice(0, deepest + 1)
      const prs = landed.flatMap((b) => b.members.map((m) => m.number))
      actions.push({ kind: 'merge', batchId: chain[deepest].id, headSha: chain[deepest].headSha, prs })
      for (const b of landed.slice(0, -1)) if (b.ci === 'pending') actions.push({ kind: 'cancel', batchId: b.id, reason: `cleared by batch ${chain[deepest].id}` })
      for (const pr of prs) ejected.add(pr) // merged: not available to rebatch in this plan
      chain = chain.slice(deepest + 1)
    }
  }

  // 4. A batch that failed on real (not flaky) failures dooms every batch built on it: cancel them.
  const firstFailed = chain.findIndex((b) => b.ci === 'failed')
  if (firstFailed >= 0 && !chain[firstFailed].failures.every((f) => f.flaky) && firstFailed + 1 < chain.length) {
    cancelFrom(firstFailed + 1, `batch ${chain[firstFailed].id} ahead of it failed`)
  }

  // 5. The first batch failed (everything ahead of it has landed): wait while a later batch could
  //    still clear it, else retry it once if every failure is flaky, split it, or eject its one PR.
  let size = batchSize(state, options)
  const rampCap = rampedBatchCap(state, options)
  const depth = speculationDepth(state, options)
  let split = false
  if (chain.length > 0 && chain[0].ci === 'failed' && !chain.slice(1).some((b) => b.ci === 'pending')) {
    const failed = chain[0]
    cancelFrom(0, `batch ${failed.id} failed`)
    const members = failed.members.filter((m) => !ejected.has(m.number))
    const allFlaky = failed.failures.length > 0 && failed.failures.every((f) => f.flaky)
    const names = failed.failures.map((f) => f.name).join(', ')
    const mayRetry = !failed.retry && (members.length > 1 || (members.length === 1 && !state.retried.includes(members[0].number)))
    if (members.length === 0) {
      // Every member already left the queue; nothing to resolve.
    } else if (allFlaky && mayRetry) {
      front.push({ ...failed, members, retry: true })
    } else if (members.length === 1) {
      eject(members[0].number, `Failing checks: ${names || 'unknown'}`)
    } else {
      // A failure test-report did not call flaky is taken as deterministic: the last part, built on
      // all the others, is the very tree that failed, so it is not run again (see `KnownFailure`).
      const deterministic = failed.failures.some((f) => !f.flaky) && !timedOut.has(failed.id) && members.length === failed.members.length
      const parts = splitInto(members, Math.min(Math.max(2, Math.min(options.splitParts, depth)), members.length))
      parts.forEach((part, i) => {
        const known = (options.inferLastPart ?? false) && deterministic && i === parts.length - 1
        front.push({ ...failed, members: part, retry: false, ...(known ? { knownFailure: { batchId: failed.id, failures: failed.failures } } : {}) })
      })
      split = true
    }
    size = Math.max(1, Math.floor(size / 2))
  }

  // 6. Fill the chain up to K batches: rebuilt batches first, then (unless a split is being
  //    bisected, whose later parts would carry its breakage) the pool in order. Nothing is built
  //    on a failed batch.
  let nextId = state.nextBatchId
  let parent = chain.length > 0 ? chain[chain.length - 1].id : null
  const taken = new Set([...ejected, ...chain.flatMap((b) => b.members.map((m) => m.number)), ...front.flatMap((b) => b.members.map((m) => m.number))])
  if (!chain.some((b) => b.ci === 'failed')) {
    const build = (members: BatchMember[], retry: boolean, knownFailure?: KnownFailure): void => {
      const id = nextId++
      if (knownFailure) {
        actions.push({ kind: 'build', batchId: id, parent, members, retry, knownFailure })
        chain.push({ id, parent, members, baseSha: '', headSha: '', ci: 'failed', failures: knownFailure.failures, startedAt: state.now, retry, inheritedFrom: knownFailure.batchId })
      } else {
        actions.push({ kind: 'build', batchId: id, parent, members, retry }, { kind: 'dispatch', batchId: id })
        chain.push({ id, parent, members, baseSha: '', headSha: '', ci: 'pending', failures: [], startedAt: state.now, retry })
      }
      parent = id
    }
    const waiting = state.pool.filter((e) => !taken.has(e.number))
    let at = 0
    const fromPool = (room: number): void => {
      while (room-- > 0 && chain.length < depth && at < waiting.length) {
        const take = options.firstBatchSize === undefined ? size : rampedBatchSize(chain.length, options.inFlight, options.firstBatchSize, rampCap)
        const members = waiting.slice(at, at + take).map((e) => ({ number: e.number, headSha: e.headSha }))
        at += members.length
        build(members, false)
      }
    }
    // Split parts go first: the first batch is then always smaller than the last failure, so
    // every failure makes progress (parts placed behind fresh batches can be cancelled forever).
    for (const b of front) build(b.members, b.retry, b.knownFailure)
    if (!split || options.fillAfterSplit) fromPool(depth)
  }
  return { actions }
}

/**
 * The batch size for new batches: the backlog spread over the K lanes, capped at `batchSizeMax`,
 * halved for every failure among the last `failureMemory` outcomes (multiplicative decrease; the
 * size grows back as passes push failures out of memory).
 */
export function batchSize(state: PlannerState, options: PlannerOptions): number {
  const waiting = state.pool.length - state.batches.reduce((n, b) => n + b.members.length, 0)
  const spread = Math.ceil(Math.max(1, waiting) / options.inFlight)
  let size = Math.min(options.batchSizeMax, Math.max(1, spread))
  for (let i = 0; i < recentFailures(state, options); i++) size = Math.max(1, Math.floor(size / 2))
  return size
}

/**
 * The largest batch of the ramp (`firstBatchSize` set): `batchSizeMax`, halved for every failure
 * among the last `failureMemory` outcomes, at least 1.
 */
export function rampedBatchCap(state: PlannerState, options: PlannerOptions): number {
  return Math.max(1, Math.floor(options.batchSizeMax / 2 ** recentFailures(state, options)))
}

/** Failures among the last `failureMemory` outcomes (0 when the memory is off). */
function recentFailures(state: PlannerState, options: PlannerOptions): number {
  return options.failureMemory > 0 ? state.recent.slice(-options.failureMemory).filter((o) => !o.passed).length : 0
}

/**
 * How many batches may be in flight now: K, less one for every failure among the recent outcomes
 * (never below `minInFlight`): speculating behind a batch that is likely to fail only burns CI.
 */
export function speculationDepth(state: PlannerState, options: PlannerOptions): number {
  return Math.max(Math.min(options.minInFlight, options.inFlight), options.inFlight - recentFailures(state, options))
}

/** Splits `items` into `parts` contiguous, nearly equal, non-empty slices, in order. */
export function splitInto<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = []
  const n = Math.min(parts, items.length)
  let start = 0
  for (let i = 0; i < n; i++) {
    const end = start + Math.ceil((items.length - start) / (n - i))
    out.push(items.slice(start, end))
    start = end
  }
  return out
}

function checkChain(batches: readonly BatchState[]): void {
  for (let i = 0; i < batches.length; i++) {
    const want = i === 0 ? null : batches[i - 1].id
    if (batches[i].parent !== want) throw new Error(`batch ${batches[i].id} is built on ${batches[i].parent ?? 'the base'} but follows ${want ?? 'nothing'} in the chain: the batches in flight are not one chain`)
    if (i > 0 && batches[i].baseSha !== batches[i - 1].headSha) throw new Error(`batch ${batches[i].id} was built on ${batches[i].baseSha} but the batch ahead has head ${batches[i - 1].headSha}`)
  }
}
