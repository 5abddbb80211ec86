/**
 * A discrete-event model of a repository and its CI, for comparing merge-queue strategies: N PRs
 * queued at time 0, each bad with probability p (any tested tree containing a bad PR fails), every
 * CI run flaking with probability f and taking T minutes, runners unlimited except as a strategy
 * limits itself. "Ours" is the real planner (`plan`) driven through its actions; serial, bors,
 * Tide and GitHub's merge queue are models of their documented algorithms
 * (../shared/reference/merge-queue.md §b). Pure and seeded: the same inputs give the same numbers.
 */
import { seededRandom } from '../random.js'
import { plan, DEFAULT_PLANNER_OPTIONS, type BatchState, type Outcome, type PlannerOptions, type QueueAction } from './planner.js'
import type { PoolEntry } from './pool.js'

/** The scenario one run simulates. */
export interface Scenario {
  prs: number
  ciMinutes: number
  breakRate: number
  flakeRate: number
  /**
   * Probability that test-report misses a flake, calling it a real failure (absent: 0, verdicts
   * exact). Ours only: the peer models have no verdicts.
   */
  verdictMissRate?: number
}

/** The strategies the model knows. */
export const STRATEGIES = ['ours', 'serial', 'bors', 'tide', 'github'] as const
/** One of `STRATEGIES`. */
export type Strategy = (typeof STRATEGIES)[number]

/** What one simulated drain of the queue produced. */
export interface RunResult {
  /** Minutes from 0 to the last PR resolved. */
  minutes: number
  /** Minute each merged PR landed. */
  mergedAt: number[]
  ejectedGood: number
  ejectedBad: number
  ciRuns: number
  /** Modelled GitHub API requests (ours only; see `apiRequests`). */
  apiRequests: number
}

/** The metrics of a strategy over several runs. */
export interface Metrics {
  strategy: Strategy
  runs: number
  merged: number
  /** Merged PRs over the time to drain the queue, totalled over the runs. */
  mergedPerHour: number
  ciRunsPerMerged: number
  waitP50Hours: number
  waitP95Hours: number
  meanWaitHours: number
  /** Good (not breaking) PRs ejected, per 100 PRs queued. */
  goodEjectedPer100: number
  /** Modelled API requests per merged PR; null for the peer models, which do not drive our applier. */
  apiPerMerged: number | null
}

/** Throws when a scenario field is out of range, naming the field. */
export function checkScenario(s: Scenario): void {
  if (!Number.isInteger(s.prs) || s.prs < 1 || s.prs > 100000) throw new Error(`prs must be a whole number from 1 to 100000, got ${s.prs}`)
  if (!(s.ciMinutes > 0)) throw new Error(`ciMinutes must be more than 0, got ${s.ciMinutes}`)
  if (!(s.breakRate >= 0 && s.breakRate < 1)) throw new Error(`breakRate must be at least 0 and below 1, got ${s.breakRate}`)
  if (!(s.flakeRate >= 0 && s.flakeRate < 1)) throw new Error(`flakeRate must be at least 0 and below 1, got ${s.flakeRate}`)
  if (s.verdictMissRate !== undefined && !(s.verdictMissRate >= 0 && s.verdictMissRate <= 1)) throw new Error(`verdictMissRate must be from 0 to 1, got ${s.verdictMissRate}`)
}

/** Runs `strategy` `runs` times (seeds seed, seed+1, …) and returns its metrics. Throws on a bad scenario. */
export function simulate(strategy: Strategy, scenario: Scenario, seed: number, runs: number, options: PlannerOptions = DEFAULT_PLANNER_OPTIONS): Metrics {
  checkScenario(scenario)
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a whole number of at least 1, got ${runs}`)
  const results: RunResult[] = []
  for (let r = 0; r < runs; r++) results.push(runOnce(strategy, scenario, seed + r, options))
  return metricsOf(strategy, scenario, results)
}

/** The metrics of drains of `scenario` (from this model or from the simulator-backed one). */
export function metricsOf(strategy: Strategy, scenario: Scenario, results: readonly RunResult[]): Metrics {
  const runs = results.length
  const merged = results.reduce((n, x) => n + x.mergedAt.length, 0)
  const totalMinutes = results.reduce((n, x) => n + x.minutes, 0)
  const waits = results.flatMap((x) => x.mergedAt).sort((a, b) => a - b)
  const q = (f: number): number => (waits.length ? waits[Math.min(waits.length - 1, Math.floor(f * waits.length))] / 60 : 0)
  return {
    strategy,
    runs,
    merged: merged / runs,
    mergedPerHour: totalMinutes > 0 ? merged / (totalMinutes / 60) : 0,
    ciRunsPerMerged: merged ? results.reduce((n, x) => n + x.ciRuns, 0) / merged : Infinity,
    waitP50Hours: q(0.5),
    waitP95Hours: q(0.95),
    meanWaitHours: waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length / 60 : 0,
    goodEjectedPer100: (results.reduce((n, x) => n + x.ejectedGood, 0) / runs / scenario.prs) * 100,
    apiPerMerged: strategy === 'ours' && merged ? results.reduce((n, x) => n + x.apiRequests, 0) / merged : null
  }
}

/** One drain of the queue with one seed. */
export function runOnce(strategy: Strategy, scenario: Scenario, seed: number, options: PlannerOptions = DEFAULT_PLANNER_OPTIONS): RunResult {
  const random = seededRandom(seed)
  const bad = Array.from({ length: scenario.prs + 1 }, (_, i) => i > 0 && random() < scenario.breakRate)
  const world: World = { scenario, random, bad, result: { minutes: 0, mergedAt: [], ejectedGood: 0, ejectedBad: 0, ciRuns: 0, apiRequests: 0 } }
  switch (strategy) {
    case 'ours':
      return runOurs(world, options)
    case 'serial':
      return runSerial(world)
    case 'bors':
      return runBors(world, Infinity)
    case 'tide':
      return runTide(world)
    case 'github':
      return runGithub(world, 5)
  }
}

interface World {
  scenario: Scenario
  random: () => number
  bad: boolean[]
  result: RunResult
}

function merge(w: World, pr: number, at: number): void {
  w.result.mergedAt.push(at)
  w.result.minutes = Math.max(w.result.minutes, at)
}

function eject(w: World, pr: number, at: number): void {
  if (w.bad[pr]) w.result.ejectedBad++
  else w.result.ejectedGood++
  w.result.minutes = Math.max(w.result.minutes, at)
}

/** One CI run of a tree holding `prs`: true when it passes. */
function ciPasses(w: World, prs: Iterable<number>): boolean {
  w.result.ciRuns++
  const flake = w.random() < w.scenario.flakeRate
  for (const pr of prs) if (w.bad[pr]) return false
  return !flake
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)

/** Serial: one PR at a time on the latest base, ejected on any failure. */
function runSerial(w: World): RunResult {
  let t = 0
  for (const pr of range(w.scenario.prs)) {
    t += w.scenario.ciMinutes
    if (ciPasses(w, [pr])) merge(w, pr, t)
    else eject(w, pr, t)
  }
  return w.result
}

/** bors-ng: one batch at a time (up to `max` PRs), a failed batch split in halves, a failed single PR ejected. */
function runBors(w: World, max: number): RunResult {
  let t = 0
  const waiting: number[][] = []
  const all = range(w.scenario.prs)
  for (let i = 0; i < all.length; i += Math.min(max, all.length)) waiting.push(all.slice(i, i + Math.min(max, all.length)))
  while (waiting.length > 0) {
    const batch = waiting.shift()!
    t += w.scenario.ciMinutes
    if (ciPasses(w, batch)) for (const pr of batch) merge(w, pr, t)
    else if (batch.length === 1) eject(w, batch[0], t)
    else {
      const half = Math.floor(batch.length / 2)
      waiting.unshift(batch.slice(0, half), batch.slice(half))
    }
  }
  return w.result
}

/**
 * Tide's default: each cycle one batch of every PR in the pool (no size limit, no bisection)
 * beside one serial retest of the top PR; a passing batch merges whole, else a passing serial
 * merges its PR and a failing one leaves the pool. Every merge moves the base, so every cycle
 * starts fresh.
 */
function runTide(w: World): RunResult {
  let t = 0
  const pool = range(w.scenario.prs)
  while (pool.length > 0) {
    t += w.scenario.ciMinutes
    const batchPassed = pool.length > 1 ? ciPasses(w, pool) : false
    const top = pool[0]
    const serialPassed = ciPasses(w, [top])
    if (batchPassed) {
      for (const pr of pool) merge(w, pr, t)
      pool.length = 0
    } else {
      pool.shift()
      if (serialPassed) merge(w, top, t)
      else eject(w, top, t)
    }
  }
  return w.result
}

/**
 * GitHub's merge queue with its defaults: each entry tested speculatively on base + every entry
 * ahead of it, at most `k` built at once (max_entries_to_build 5), ALLGREEN: an entry merges when
 * its own group passed and everything ahead merged; the first entry whose group fails is removed
 * and the groups behind it are rebuilt.
 */
function runGithub(w: World, k: number): RunResult {
  interface Entry {
    pr: number
    finishAt: number | null
    passes: boolean
  }
  const queue: Entry[] = range(w.scenario.prs).map((pr) => ({ pr, finishAt: null, passes: false }))
  let t = 0
  const start = (): void => {
    for (let i = 0; i < Math.min(k, queue.length); i++) {
      if (queue[i].finishAt !== null) continue
      queue[i].finishAt = t + w.scenario.ciMinutes
      queue[i].passes = ciPasses(w, queue.slice(0, i + 1).map((e) => e.pr))
    }
  }
  start()
  while (queue.length > 0) {
    const head = queue[0]
    t = Math.max(t, head.finishAt!)
    if (head.passes) {
      merge(w, head.pr, t)
      queue.shift()
    } else {
      eject(w, head.pr, t)
      queue.shift()
      for (const e of queue) e.finishAt = null
    }
    start()
  }
  return w.result
}

/**
 * Ours: the real planner, reconciled at every time a CI result arrives, its actions applied to a
 * modelled repository. API requests are counted per reconcile (one GraphQL pool read, one check
 * read per batch in flight) and per action (see docs/merge-queue.md).
 */
function runOurs(w: World, options: PlannerOptions): RunResult {
  const T = w.scenario.ciMinutes
  const pool = new Map<number, PoolEntry>(range(w.scenario.prs).map((n) => [n, { number: n, headSha: `h${n}`, priority: 0, updatedAt: new Date(n * 1000).toISOString() }]))
  let chain: Array<BatchState & { finishAt: number }> = []
  let baseSha = 'base0'
  let now = 0
  let nextBatchId = 1
  const recent: Outcome[] = []
  const retried: number[] = []
  for (let step = 0; ; step++) {
    if (step > 100 * w.scenario.prs + 1000) throw new Error(`the planner did not drain ${w.scenario.prs} PRs in ${step} reconciles (seed model stuck)`)
    const state = { base: 'main', baseSha, now, pool: [...pool.values()], batches: chain.map(({ finishAt: _, ...b }) => b), recent: recent.slice(-20), retried, nextBatchId }
    w.result.apiRequests += 1 + chain.length
    const actions = plan(state, options).actions
    for (const a of actions) applyAction(a)
    if (pool.size === 0 && chain.length === 0) break
    const pending = chain.filter((b) => b.ci === 'pending')
    if (pending.length === 0) {
      if (actions.length === 0) throw new Error(`the planner is stuck with ${pool.size} PRs in the pool and ${chain.length} batches in flight`)
      continue
    }
    now = Math.min(...pending.map((b) => b.finishAt))
    for (let i = 0; i < chain.length; i++) {
      const b = chain[i]
      if (b.ci !== 'pending' || b.finishAt > now) continue
      const tree = chain.slice(0, i + 1).flatMap((x) => x.members.map((m) => m.number))
      const broken = tree.some((n) => w.bad[n])
      const flaked = w.random() < w.scenario.flakeRate
      // Drawn only for a flake, so a run with exact verdicts (the default) draws the same numbers as before.
      const missed = flaked && (w.scenario.verdictMissRate ?? 0) > 0 && w.random() < w.scenario.verdictMissRate!
      b.ci = broken || flaked ? 'failed' : 'passed'
      b.failures = [...(broken ? [{ name: 'test', flaky: false }] : []), ...(flaked ? [{ name: 'flaky-test', flaky: !missed }] : [])]
    }
  }
  return w.result

  function applyAction(a: QueueAction): void {
    switch (a.kind) {
      case 'build': {
        const parent = a.parent === null ? null : chain.find((b) => b.id === a.parent)
        if (a.parent !== null && !parent) throw new Error(`build of batch ${a.batchId} on batch ${a.parent}, which is not in flight`)
        const known = a.knownFailure
        chain.push({ id: a.batchId, parent: a.parent, baseSha: parent ? parent.headSha : baseSha, members: a.members, headSha: `b${a.batchId}`, ci: known ? 'failed' : 'pending', failures: known ? known.failures : [], startedAt: now, retry: a.retry, finishAt: known ? Infinity : now + T, ...(known ? { inheritedFrom: known.batchId } : {}) })
        nextBatchId = Math.max(nextBatchId, a.batchId + 1)
        if (!known) w.result.ciRuns++ // counted when started: a cancelled run still used its runner
        if (a.retry && a.members.length === 1) retried.push(a.members[0].number)
        w.result.apiRequests += 1 + 2 * a.members.length // ref + one merge per member + a status per member
        return
      }
      case 'dispatch':
        w.result.apiRequests += 1
        return
      case 'merge': {
        const at = chain.findIndex((b) => b.id === a.batchId)
        if (at < 0 || chain[at].ci !== 'passed' || chain[at].headSha !== a.headSha) throw new Error(`merge of batch ${a.batchId}, which has not passed`)
        for (const b of chain.slice(0, at + 1)) for (const m of b.members) {
          if (pool.get(m.number)?.headSha !== m.headSha) throw new Error(`merge of #${m.number} whose head changed`)
          pool.delete(m.number)
          merge(w, m.number, now)
        }
        for (const b of chain.slice(0, at + 1)) recent.push({ batchId: b.id, passed: true, size: b.members.length })
        baseSha = a.headSha
        chain = chain.slice(at + 1)
        if (chain.length > 0) chain[0] = { ...chain[0], parent: null }
        w.result.apiRequests += 1 + 2 * a.prs.length // fast-forward + status and sticky comment per PR
        return
      }
      case 'eject':
        if (!pool.has(a.pr)) throw new Error(`eject of #${a.pr}, which is not in the pool`)
        pool.delete(a.pr)
        eject(w, a.pr, now)
        w.result.apiRequests += 2
        return
      case 'cancel':
        // The queue records a failure for the batch it resolves as failed (the first of the chain),
        // not for the ones cancelled behind it: those say nothing about their own members.
        if (chain[0]?.id === a.batchId && chain[0].ci === 'failed') recent.push({ batchId: a.batchId, passed: false, size: chain[0].members.length })
        chain = chain.filter((b) => b.id !== a.batchId)
        w.result.apiRequests += 1
        return
    }
  }
}
