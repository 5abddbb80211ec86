/**
 * `shepherd queue simulate --backend sim`: the real reconcile loop (`reconcileQueue`, in process)
 * against the simulator, with real git merges, and a simulated CI (src/sim/queue-ci.ts) that fails
 * any batch holding a breaking PR and flakes at the given rate. The simulated clock jumps to the
 * next CI completion; nothing sleeps. API requests are the queue's own, counted by the simulator
 * (git over HTTPS and the CI's requests aside).
 */
import { parseConfig } from '../../core/config/index.js'
import { metricsOf, type Metrics, type RunResult, type Scenario } from '../../core/merge-queue/model.js'
import { createClient } from '../../github/client.js'
import { reconcileQueue } from '../../github/merge-queue-reconcile.js'
import type { Fixture } from '../../sim/fixture.js'
import { QueueCI, seededCI } from '../../sim/queue-ci.js'
import { Simulator } from '../../sim/server.js'

const BOT = 'github-actions[bot]'
const where = { owner: 'acme', repo: 'widgets' }

/** Most PRs one simulator run takes (each is a branch, a PR and real git merges). */
export const MAX_SIM_PRS = 200

/** What one drain of the queue on the simulator produced. */
export interface SimRun {
  seed: number
  breaking: number[]
  /** Merged PRs with the simulated minute each landed (all PRs are queued at minute 0). */
  merged: { number: number; minute: number }[]
  ejected: { number: number; reason: string; breaking: boolean }[]
  /** PRs neither merged nor ejected when the loop stopped (a stuck queue; 0 when it drained). */
  unresolved: number[]
  minutes: number
  ciRuns: number
  reconciles: number
  /** The queue's API requests (REST and GraphQL; git over HTTPS and the CI's aside). */
  apiRequests: number
  gitRequests: number
  /** API requests by route, for finding where they go. */
  byRoute: Record<string, number>
}

/** Metrics comparable with the model's, plus each run's details. */
export interface SimMetrics extends Metrics {
  mode: 'sim'
  details: SimRun[]
}

/** Drains one seeded scenario on a fresh simulator. Throws when the scenario is out of range. */
export async function runOnSimulator(scenario: Scenario, seed: number, log: (line: string) => void = () => undefined): Promise<SimRun> {
  if (!Number.isInteger(scenario.prs) || scenario.prs < 1 || scenario.prs > MAX_SIM_PRS) throw new Error(`prs must be a whole number from 1 to ${MAX_SIM_PRS} on the simulator, got ${scenario.prs}`)
  const { breaking, verdict } = seededCI({ prs: scenario.prs, breakRate: scenario.breakRate, flakeRate: scenario.flakeRate, seed })
  const sim = await Simulator.start({ fixture: fixture(scenario.prs), checkResponses: true })
  try {
    const start = sim.state.clock
    // The timeout stays well above the CI time, so only the verdicts fail batches.
    const timeout = Math.max(60, Math.ceil(scenario.ciMinutes * 2))
    const config = parseConfig(`merge_queue:\n  required_checks: [build]\n  ci:\n    timeout_minutes: ${timeout}\n`).merge_queue
    const client = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
    const ci = new QueueCI(sim, { ...where, token: 'ci-token', ciMinutes: scenario.ciMinutes, verdict })
    const merged: SimRun['merged'] = []
    const ejected: SimRun['ejected'] = []
    let reconciles = 0
    // The bound only stops a queue that never drains.
    const limit = scenario.prs * 8 + 20
    while (reconciles < limit) {
      const r = await reconcileQueue(client, where, { base: 'main', config, git: { token: 'ghs', serverUrl: sim.url }, self: BOT, now: () => new Date(sim.state.clock), ciMinutes: scenario.ciMinutes })
      reconciles++
      const minute = (sim.state.clock - start) / 60_000
      for (const n of r.merged) merged.push({ number: n, minute })
      for (const e of r.ejected) ejected.push({ ...e, breaking: breaking.has(e.number) })
      if (r.merged.length || r.ejected.length) log(`minute ${minute.toFixed(0)}: merged ${r.merged.join(', ') || '—'}; ejected ${r.ejected.map((e) => e.number).join(', ') || '—'}`)
      if (merged.length + ejected.length >= scenario.prs) break
      // A run that acted (merged, built, ejected) is followed by another at the same minute, as
      // the events it caused would trigger one; time moves on only once the queue is quiet.
      if (r.actions.length) continue
      const due = ci.nextDue()
      if (due === null) break
      if (due > sim.state.clock) sim.state.clock = due
      await ci.completeDue()
    }
    const done = new Set([...merged.map((m) => m.number), ...ejected.map((e) => e.number)])
    const ours = sim.requests.filter((q) => q.actor === BOT)
    const api = ours.filter((q) => q.route !== 'git')
    const byRoute: Record<string, number> = {}
    for (const q of api) byRoute[q.route] = (byRoute[q.route] ?? 0) + 1
    const repo = sim.state.repos.get(`${where.owner}/${where.repo}`)!
    return {
      seed,
      breaking: [...breaking].sort((a, b) => a - b),
      merged,
      ejected,
      unresolved: Array.from({ length: scenario.prs }, (_, i) => i + 1).filter((n) => !done.has(n)),
      minutes: Math.max(0, ...merged.map((m) => m.minute)),
      ciRuns: [...repo.workflowRuns.values()].filter((w) => w.headBranch.startsWith('shepherd/queue/')).length,
      reconciles,
      apiRequests: api.length,
      gitRequests: ours.length - api.length,
      byRoute
    }
  } finally {
    await sim.stop()
  }
}

/** Runs `runs` seeded drains (seed, seed+1, …) one after another and returns their metrics. */
export async function simulateOnSimulator(scenario: Scenario, seed: number, runs: number, log?: (line: string) => void): Promise<SimMetrics> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`runs must be a whole number of at least 1, got ${runs}`)
  const details: SimRun[] = []
  for (let r = 0; r < runs; r++) details.push(await runOnSimulator(scenario, seed + r, log))
  const results: RunResult[] = details.map((d) => ({
    minutes: d.minutes,
    mergedAt: d.merged.map((m) => m.minute),
    ejectedGood: d.ejected.filter((e) => !e.breaking).length,
    ejectedBad: d.ejected.filter((e) => e.breaking).length,
    ciRuns: d.ciRuns,
    apiRequests: d.apiRequests
  }))
  return { ...metricsOf('ours', scenario, results), mode: 'sim', details }
}

/** N approved PRs, each adding its own file (no conflicts), each head green on `build`. */
function fixture(n: number): Fixture {
  const branches: Record<string, { files: Record<string, string> }> = {}
  for (let i = 1; i <= n; i++) branches[`topic-${i}`] = { files: { [`src/f${i}.ts`]: `export const f = ${i}\n` } }
  return {
    tokens: [
      { token: 'ghs', login: BOT, kind: 'github-token' },
      { token: 'ci-token', login: 'ci[bot]', kind: 'app' }
    ],
    repos: [
      {
        owner: where.owner,
        name: where.repo,
        branches,
        pulls: Array.from({ length: n }, (_, i) => ({ number: i + 1, title: `Change ${i + 1}`, user: 'dev', head: `topic-${i + 1}`, labels: ['lgtm', 'approved'] })),
        workflows: ['ci.yml'],
        statuses: Array.from({ length: n }, (_, i) => ({ ref: `topic-${i + 1}`, context: 'build', state: 'success' as const }))
      }
    ]
  }
}
