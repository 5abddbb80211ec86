// The planner's invariants over random event sequences (fast-check, seed 20261122): CI results
// (passes, real and flaky failures), pushes to batched PRs, PRs leaving the pool, base moves
// outside the queue, merge conflicts, timeouts and new PRs, in any order. Every plan is applied
// to a model repository that checks the actions against what really happened.
import { describe, it, expect } from '@jest/globals'
import fc from 'fast-check'
import { parseConfig } from '../../src/core/config/index.js'
import { plan, plannerOptionsFromConfig, splitInto, DEFAULT_PLANNER_OPTIONS, type BatchState, type PlannerOptions, type PlannerState, type Outcome } from '../../src/core/merge-queue/planner.js'
import { rampedBatchSize } from '../../src/core/merge-queue/sizing.js'
import type { PoolEntry } from '../../src/core/merge-queue/pool.js'

type Event =
  | { kind: 'ci'; pick: number; pass: boolean; flaky: boolean }
  | { kind: 'push'; pick: number }
  | { kind: 'leave'; pick: number }
  | { kind: 'base-move' }
  | { kind: 'conflict'; pick: number }
  | { kind: 'wait'; minutes: number }
  | { kind: 'arrive' }

const event: fc.Arbitrary<Event> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('ci' as const), pick: fc.nat(20), pass: fc.boolean(), flaky: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('push' as const), pick: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), pick: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'base-move' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('conflict' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 90 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'arrive' as const }) }
)

const options: fc.Arbitrary<PlannerOptions> = fc.record({
  inFlight: fc.integer({ min: 1, max: 6 }),
  batchSizeMax: fc.integer({ min: 1, max: 8 }),
  timeoutMinutes: fc.constant(60),
  failureMemory: fc.integer({ min: 0, max: 3 }),
  splitParts: fc.integer({ min: 2, max: 6 }),
  minInFlight: fc.integer({ min: 1, max: 6 }),
  fillAfterSplit: fc.boolean(),
  frozen: fc.boolean(),
  inferLastPart: fc.boolean(),
  firstBatchSize: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined })
})

/** A repository the planner's actions are applied to; it throws when an action breaks an invariant. */
class World {
  heads = new Map<number, string>() // open PRs in the pool → current head
  entered = new Set<number>()
  merged = new Set<number>()
  ejected = new Map<number, string>()
  chain: BatchState[] = []
  baseSha = 'base0'
  now = 0
  nextId = 1
  nextPr = 1
  recent: Outcome[] = []
  retried: number[] = []
  pushes = 0
  left = new Set<number>()
  dispatched = new Set<number>()
  /** Batch id → its tree (base SHA and members in order) for every batch that failed or inherited a failure. */
  failedTrees = new Map<number, string>()
  /** Base SHA → what it contains (the first base, then every landed member in order), so trees compare by content. */
  contents = new Map<string, string>()

  /** A batch's tree: the base under the chain and every member up to and including it, in order. */
  tree(b: BatchState): string {
    const upTo = this.chain.indexOf(b) >= 0 ? this.chain.slice(0, this.chain.indexOf(b) + 1) : [...this.chain, b]
    return [this.contents.get(this.baseSha) ?? this.baseSha, ...upTo.flatMap((x) => x.members.map((m) => `${m.number}@${m.headSha}`))].join(' ')
  }

  arrive(): void {
    const n = this.nextPr++
    this.heads.set(n, `h${n}.0`)
    this.entered.add(n)
  }

  state(): PlannerState {
    for (const b of this.chain) if (b.ci === 'failed') this.failedTrees.set(b.id, this.tree(b))
    const pool: PoolEntry[] = [...this.heads].map(([number, headSha]) => ({ number, headSha, priority: 0, updatedAt: new Date(number * 1000).toISOString() }))
    return { base: 'main', baseSha: this.baseSha, now: this.now, pool, batches: this.chain.map((b) => ({ ...b })), recent: this.recent.slice(-10), retried: this.retried, nextBatchId: this.nextId }
  }

  reconcile(opts: PlannerOptions): void {
    for (const a of plan(this.state(), opts).actions) {
      if (a.kind === 'build') {
        const parent = a.parent === null ? null : this.chain.find((b) => b.id === a.parent)
        if (a.parent !== null && !parent) throw new Error(`built on batch ${a.parent}, not in flight`)
        if (parent && this.chain[this.chain.length - 1] !== parent) throw new Error('built on a batch that is not the end of the chain')
        if (!parent && this.chain.length > 0) throw new Error('built on the base while batches are in flight')
        for (const m of a.members) {
          if (this.heads.get(m.number) !== m.headSha) throw new Error(`batched #${m.number} at a head that is not its current one`)
          if (this.chain.some((b) => b.members.some((x) => x.number === m.number))) throw new Error(`#${m.number} in two batches in flight`)
        }
        if (new Set(a.members.map((m) => m.number)).size !== a.members.length) throw new Error('a PR twice in one batch')
        const known = a.knownFailure
        if (known && !this.failedTrees.has(known.batchId)) throw new Error(`batch ${a.batchId} inherits the failure of batch ${known.batchId}, which did not fail`)
        const batch: BatchState = { id: a.batchId, parent: a.parent, baseSha: parent ? parent.headSha : this.baseSha, members: a.members, headSha: `b${a.batchId}`, ci: known ? 'failed' : 'pending', failures: known ? known.failures : [], startedAt: this.now, retry: a.retry, ...(known ? { inheritedFrom: known.batchId } : {}) }
        // A known failure must be the very tree that failed: the same PRs, in the same order, on the same base.
        if (known && this.tree(batch) !== this.failedTrees.get(known.batchId)) throw new Error(`batch ${a.batchId} inherits the failure of batch ${known.batchId} but is not its tree`)
        this.chain.push(batch)
        if (!known) this.dispatched.add(a.batchId)
        this.nextId = Math.max(this.nextId, a.batchId + 1)
        if (a.retry && a.members.length === 1) this.retried.push(a.members[0].number)
      } else if (a.kind === 'merge') {
        const at = this.chain.findIndex((b) => b.id === a.batchId)
        if (at < 0) throw new Error(`merged batch ${a.batchId}, not in flight`)
        const top = this.chain[at]
        if (top.ci !== 'passed' || top.headSha !== a.headSha) throw new Error(`merged batch ${a.batchId}, whose tree did not pass (${top.ci})`)
        if (this.chain[0].baseSha !== this.baseSha) throw new Error('merged a batch built on a base that moved')
        const landed = this.chain.slice(0, at + 1).flatMap((b) => b.members)
        if (landed.map((m) => m.number).sort().join() !== [...a.prs].sort().join()) throw new Error('merge lists PRs that are not in the landed tree')
        for (const m of landed) {
          if (this.heads.get(m.number) !== m.headSha) throw new Error(`merged #${m.number} whose head changed after batching`)
          this.heads.delete(m.number)
          this.merged.add(m.number)
        }
        for (const b of this.chain.slice(0, at + 1)) this.recent.push({ batchId: b.id, passed: true, size: b.members.length })
        this.contents.set(a.headSha, this.tree(top))
        this.baseSha = a.headSha
        this.chain = this.chain.slice(at + 1)
        if (this.chain.length) this.chain[0] = { ...this.chain[0], parent: null }
      } else if (a.kind === 'eject') {
        if (a.reason.trim() === '') throw new Error(`ejected #${a.pr} without a reason`)
        if (this.merged.has(a.pr)) throw new Error(`ejected #${a.pr} after merging it`)
        this.heads.delete(a.pr)
        this.ejected.set(a.pr, a.reason)
      } else if (a.kind === 'cancel') {
        const at = this.chain.findIndex((b) => b.id === a.batchId)
        if (at >= 0) {
          if (at === 0 && this.chain[0].ci === 'failed') this.recent.push({ batchId: a.batchId, passed: false, size: this.chain[0].members.length })
          this.chain = this.chain.filter((b) => b.id !== a.batchId)
          if (this.chain.length && at === 0) this.chain[0] = { ...this.chain[0], parent: null }
        }
      }
    }
    // After a plan the chain is one chain again (the planner cancels suffixes only).
    this.chain.forEach((b, i) => {
      if (b.parent !== (i === 0 ? null : this.chain[i - 1].id)) throw new Error(`batch ${b.id} is left off the chain`)
    })
  }

  apply(e: Event): void {
    const pending = this.chain.filter((b) => b.ci === 'pending')
    const open = [...this.heads.keys()]
    switch (e.kind) {
      case 'ci': {
        if (pending.length === 0) return
        const b = pending[e.pick % pending.length]
        b.ci = e.pass ? 'passed' : 'failed'
        b.failures = e.pass ? [] : [{ name: e.flaky ? 'flaky-test' : 'test', flaky: e.flaky }]
        return
      }
      case 'push':
        if (open.length) {
          const n = open[e.pick % open.length]
          this.heads.set(n, `h${n}.${++this.pushes}`)
        }
        return
      case 'leave':
        if (open.length) {
          const n = open[e.pick % open.length]
          this.heads.delete(n)
          if (!this.ejected.has(n)) this.left.add(n)
        }
        return
      case 'base-move':
        this.baseSha = `${this.baseSha}+`
        return
      case 'conflict':
        if (pending.length) {
          const b = pending[e.pick % pending.length]
          b.conflict = { number: b.members[e.pick % b.members.length].number, paths: ['go.mod'] }
        }
        return
      case 'wait':
        this.now += e.minutes
        return
      case 'arrive':
        this.arrive()
        return
    }
  }
}

describe('merge-queue planner invariants (fast-check, seed 20261122)', () => {
  it('never merges a changed head or an untested tree, never loses a PR, never batches a PR twice', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 1, max: 12 }), fc.array(event, { minLength: 1, maxLength: 120 }), (opts, initial, events) => {
        const w = new World()
        for (let i = 0; i < initial; i++) w.arrive()
        w.reconcile(opts)
        for (const e of events) {
          w.apply(e)
          w.reconcile(opts)
          // The same state plans the same actions (two reconcilers agree).
          expect(plan(w.state(), opts)).toEqual(plan(w.state(), opts))
        }
        // Never lose a PR: with the disruptions over and every batch passing, the queue drains
        // (unless frozen): every PR that entered ends merged, ejected with a reason, or left the pool by itself.
        for (let i = 0; i < 400 && (w.heads.size > 0 || w.chain.length > 0) && !opts.frozen; i++) {
          for (const b of w.chain) if (b.ci === 'pending') b.ci = 'passed'
          w.reconcile(opts)
        }
        for (const n of w.entered) {
          const ends = [w.merged.has(n), w.ejected.has(n), w.left.has(n), opts.frozen && w.heads.has(n)].filter(Boolean).length
          if (ends === 0) throw new Error(`#${n} entered and neither merged, was ejected, nor left`)
          expect(w.merged.has(n) && w.heads.has(n)).toBe(false)
        }
      }),
      { numRuns: 1000, seed: 20261122 }
    )
  })

  it('drains any queue with breaking PRs: every bad PR ejected, every good one merged, no livelock', () => {
    fc.assert(
      fc.property(options, fc.integer({ min: 1, max: 100 }), fc.array(fc.nat(99), { maxLength: 12 }), (raw, prs, badList) => {
        const opts = { ...raw, frozen: false }
        const bad = new Set(badList.map((b) => (b % prs) + 1))
        const w = new World()
        for (let i = 0; i < prs; i++) w.arrive()
        w.reconcile(opts)
        for (let i = 0; i < 20 * prs + 50 && (w.heads.size > 0 || w.chain.length > 0); i++) {
          w.chain.forEach((b, at) => {
            if (b.ci !== 'pending') return
            const broken = w.chain.slice(0, at + 1).some((x) => x.members.some((m) => bad.has(m.number)))
            b.ci = broken ? 'failed' : 'passed'
            b.failures = broken ? [{ name: 'test', flaky: false }] : []
          })
          w.reconcile(opts)
        }
        expect(w.heads.size).toBe(0)
        expect([...w.ejected.keys()].sort((a, b) => a - b)).toEqual([...bad].sort((a, b) => a - b))
        expect(w.merged.size).toBe(prs - bad.size)
      }),
      { numRuns: 500, seed: 20261122 }
    )
  })

  it('drains a queue in which every batch passes, in pool order', () => {
    const w = new World()
    for (let i = 0; i < 20; i++) w.arrive()
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 3, minInFlight: 3, batchSizeMax: 4 }
    w.reconcile(opts)
    for (let i = 0; i < 50 && w.heads.size > 0; i++) {
      for (const b of w.chain) b.ci = 'passed'
      w.reconcile(opts)
    }
    expect(w.merged.size).toBe(20)
    expect(w.ejected.size).toBe(0)
  })

  it('splits a failed batch, ejects the one bad PR naming the failing check, and merges the rest', () => {
    const w = new World()
    for (let i = 0; i < 4; i++) w.arrive()
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 1, minInFlight: 1, batchSizeMax: 4, splitParts: 2 }
    w.reconcile(opts)
    for (let i = 0; i < 20 && w.heads.size > 0; i++) {
      for (const b of w.chain) {
        const upTo = w.chain.slice(0, w.chain.indexOf(b) + 1).flatMap((x) => x.members.map((m) => m.number))
        b.ci = upTo.includes(3) ? 'failed' : 'passed'
        b.failures = b.ci === 'failed' ? [{ name: 'unit-tests', flaky: false }] : []
      }
      w.reconcile(opts)
    }
    expect([...w.merged].sort()).toEqual([1, 2, 4])
    expect(w.ejected.get(3)).toBe('Failing checks: unit-tests')
  })

  it('does not run the last part of a split again after a deterministic failure: it inherits the failure, and its PR is ejected once the parts ahead pass', () => {
    const w = new World()
    for (let i = 0; i < 4; i++) w.arrive()
    w.reconcile({ ...DEFAULT_PLANNER_OPTIONS, inFlight: 1, minInFlight: 1, batchSizeMax: 4 })
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 4, minInFlight: 4, batchSizeMax: 4, splitParts: 4, inferLastPart: true }
    const failed = w.chain[0]
    expect(failed.members.map((m) => m.number)).toEqual([1, 2, 3, 4])
    failed.ci = 'failed'
    failed.failures = [{ name: 'unit-tests', flaky: false }]
    const before = w.dispatched.size
    w.reconcile(opts)
    const parts = w.chain.map((b) => ({ members: b.members.map((m) => m.number), ci: b.ci, inheritedFrom: b.inheritedFrom }))
    expect(parts.slice(0, -1).every((p) => p.ci === 'pending')).toBe(true)
    expect(parts[parts.length - 1]).toEqual({ members: [4], ci: 'failed', inheritedFrom: failed.id })
    expect(w.dispatched.size - before).toBe(parts.length - 1) // CI started for every part but the last
    for (const b of w.chain) if (b.ci === 'pending') b.ci = 'passed'
    w.reconcile(opts)
    expect(w.ejected.get(4)).toBe('Failing checks: unit-tests')
    expect([...w.merged].sort((a, b) => a - b)).toEqual([1, 2, 3])
  })

  it('runs every part again when the failure was flaky by verdict, a timeout, or inference is off', () => {
    const cases: Array<[string, (w: World) => void, boolean]> = [
      ['flaky (a retry that failed flaky again)', (w) => { w.chain[0].ci = 'failed'; w.chain[0].failures = [{ name: 'e2e', flaky: true }]; w.chain[0].retry = true }, true],
      ['timed out', (w) => { w.now += 60 }, true],
      ['deterministic, inference off', (w) => { w.chain[0].ci = 'failed'; w.chain[0].failures = [{ name: 'unit-tests', flaky: false }] }, false]
    ]
    for (const [, fail, infer] of cases) {
      const w = new World()
      for (let i = 0; i < 4; i++) w.arrive()
      const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 1, minInFlight: 1, batchSizeMax: 4, splitParts: 2, inferLastPart: infer }
      w.reconcile(opts)
      fail(w)
      w.reconcile(opts)
      expect(w.chain.map((b) => [b.members.length, b.ci])).toEqual([[2, 'pending'], [2, 'pending']])
    }
  })

  it('retries a single PR once when every failure is flaky, then ejects it', () => {
    const w = new World()
    w.arrive()
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 1, minInFlight: 1 }
    w.reconcile(opts)
    w.chain[0].ci = 'failed'
    w.chain[0].failures = [{ name: 'e2e', flaky: true }]
    w.reconcile(opts)
    expect(w.chain).toHaveLength(1)
    expect(w.chain[0].retry).toBe(true)
    w.chain[0].ci = 'failed'
    w.chain[0].failures = [{ name: 'e2e', flaky: true }]
    w.reconcile(opts)
    expect(w.ejected.get(1)).toBe('Failing checks: e2e')
  })

  it('clears a failed batch when a later batch containing it passes (optimistic clearing)', () => {
    const w = new World()
    for (let i = 0; i < 4; i++) w.arrive()
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 2, minInFlight: 2, batchSizeMax: 2, firstBatchSize: 2 }
    w.reconcile(opts)
    expect(w.chain.map((b) => b.members.length)).toEqual([2, 2])
    w.chain[0].ci = 'failed'
    w.chain[0].failures = [{ name: 'e2e', flaky: true }]
    w.reconcile(opts) // waits: the later batch may clear it
    expect(w.merged.size).toBe(0)
    w.chain[1].ci = 'passed'
    w.reconcile(opts)
    expect([...w.merged].sort()).toEqual([1, 2, 3, 4])
  })

  it('ejects a PR pushed to after batching, naming both heads, and cancels its batch', () => {
    const w = new World()
    for (let i = 0; i < 2; i++) w.arrive()
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 1, minInFlight: 1 }
    w.reconcile(opts)
    w.heads.set(2, 'h2.new')
    w.chain[0].ci = 'passed'
    w.reconcile(opts)
    expect(w.merged.size).toBe(0)
    expect(w.ejected.get(2)).toMatch(/^Head changed from h2\.0 to h2\.new/)
  })

  it('takes K, the batch cap, the timeout and the freeze from the merge_queue config, with no ramp (the config has no key for it)', () => {
    const config = parseConfig('merge_queue:\n  in_flight: 4\n  batch_size_max: 5\n  ci:\n    timeout_minutes: 90\n').merge_queue
    expect(plannerOptionsFromConfig(config)).toMatchObject({ inFlight: 4, minInFlight: 4, splitParts: 4, batchSizeMax: 5, firstBatchSize: 1, timeoutMinutes: 90, frozen: false })
    expect(plannerOptionsFromConfig(config, true).frozen).toBe(true)
    const ramp = parseConfig('merge_queue:\n  first_batch_size: 3\n').merge_queue
    expect(plannerOptionsFromConfig(ramp)).toMatchObject({ inFlight: 5, batchSizeMax: 6, firstBatchSize: 3 })
  })

  it('ramps fresh batches along the chain from firstBatchSize to the batch cap, whatever the backlog', () => {
    const sizes = (prs: number, opts: PlannerOptions): number[] => {
      const w = new World()
      for (let i = 0; i < prs; i++) w.arrive()
      w.reconcile(opts)
      return w.chain.map((b) => b.members.length)
    }
    const ramp = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 5, minInFlight: 5, batchSizeMax: 6, firstBatchSize: 1 }
    expect(sizes(40, ramp)).toEqual([1, 2, 4, 5, 6])
    expect(sizes(5, ramp)).toEqual([1, 2, 2]) // a short pool: the ramp, then what is left
    const { firstBatchSize: _, ...uniform } = ramp
    expect(sizes(40, uniform)).toEqual([6, 6, 6, 6, 6]) // no ramp: the backlog spread over K, capped
    expect(sizes(5, uniform)).toEqual([1, 1, 1, 1, 1])
  })

  it('sizes batches added behind batches in flight by their place in the chain', () => {
    const w = new World()
    for (let i = 0; i < 40; i++) w.arrive()
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 5, minInFlight: 5, batchSizeMax: 6, firstBatchSize: 1 }
    w.reconcile(opts)
    w.chain[0].ci = 'passed'
    w.chain[1].ci = 'passed'
    w.reconcile(opts) // batches 1 and 2 land; 3, 4, 5 stay in flight at the front; two more behind them
    expect(w.merged.size).toBe(3)
    expect(w.chain.map((b) => b.members.length)).toEqual([4, 5, 6, 5, 6])
  })

  it('computes the ramp as a rounded straight line from the first size to the cap at the last lane', () => {
    expect([0, 1, 2, 3, 4].map((i) => rampedBatchSize(i, 5, 1, 6))).toEqual([1, 2, 4, 5, 6])
    expect([0, 1, 2, 3, 4, 5].map((i) => rampedBatchSize(i, 6, 2, 6))).toEqual([2, 3, 4, 4, 5, 6])
    expect(rampedBatchSize(9, 5, 1, 6)).toBe(6) // past the K-th lane (parts of a split ahead): the cap
    expect(rampedBatchSize(0, 3, 8, 5)).toBe(5) // a first size above the cap is the cap
    expect(rampedBatchSize(0, 1, 2, 6)).toBe(6) // one lane: the cap
    expect(() => rampedBatchSize(0, 5, 0, 6)).toThrow('first must be a whole number of at least 1, got 0')
    expect(() => rampedBatchSize(-1, 5, 1, 6)).toThrow(/^position must be/)
    expect(() => rampedBatchSize(0, 5, 1, 2.5)).toThrow(/^cap must be/)
  })

  it('fails a batch that reports nothing within the timeout, naming it', () => {
    const w = new World()
    w.arrive()
    const opts = { ...DEFAULT_PLANNER_OPTIONS, inFlight: 1, minInFlight: 1, timeoutMinutes: 60 }
    w.reconcile(opts)
    w.now += 60
    w.reconcile(opts)
    expect(w.ejected.get(1)).toBe('Failing checks: no result within 60 minutes')
  })

  it('splits into contiguous nearly equal parts', () => {
    expect(splitInto([1, 2, 3, 4, 5], 2)).toEqual([[1, 2, 3], [4, 5]])
    expect(splitInto([1, 2], 4)).toEqual([[1], [2]])
  })

  it('refuses batches that are not one chain', () => {
    const b = (id: number, parent: number | null): BatchState => ({ id, parent, baseSha: 'x', members: [], headSha: 'x', ci: 'pending', failures: [], startedAt: 0, retry: false })
    const w = new World()
    expect(() => plan({ ...w.state(), batches: [b(1, null), b(2, 7)] }, DEFAULT_PLANNER_OPTIONS)).toThrow(/not one chain/)
  })
})
