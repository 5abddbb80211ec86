// Merge queue on the simulator (issue #5): the real reconcile loop (`reconcileQueue`, in process)
// drains 100 approved PRs (the bars' scenario) against the simulator with real git merges and the
// simulated CI of src/sim/queue-ci.ts (30-minute runs; a PR breaks with probability p, no flakes),
// beside the model's numbers for the same scenario and the same planner options (the simulator
// runs the `merge_queue` config's defaults through plannerOptionsFromConfig; 300 model runs). One
// seed per break rate: a drain of 100 PRs takes minutes of real git work. The bar is issue 5's: at
// most 20 API requests per merged PR, counted by the simulator (the queue's REST and GraphQL
// requests; git over HTTPS and the CI's own requests are not the queue's API use).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const SEED = 20261122
const SIM_RUNS = 1
const MODEL_RUNS = 300
const PRS = 100
const BAR = 20

/** Runs the comparison; returns rows for docs/performance.md and the full table. */
export async function mergeQueueSim(root, log) {
  const { simulateOnSimulator } = await import(pathToFileURL(join(root, 'lib/cli/commands/queue-sim.js')).href)
  const { simulate } = await import(pathToFileURL(join(root, 'lib/core/merge-queue/model.js')).href)
  const { plannerOptionsFromConfig } = await import(pathToFileURL(join(root, 'lib/core/merge-queue/planner.js')).href)
  const { parseConfig } = await import(pathToFileURL(join(root, 'lib/core/config/index.js')).href)
  // The config the simulator run uses (src/cli/commands/queue-sim.ts): defaults, a 60-minute timeout.
  const options = plannerOptionsFromConfig(parseConfig('merge_queue:\n  required_checks: [build]\n  ci:\n    timeout_minutes: 60\n').merge_queue)
  const table = []
  const rows = []
  log(`| break | backend | merged/h | CI runs/merged | wait p50 h | wait p95 h | good ejected/100 | API req/merged | seconds |`)
  log('|---|---|---|---|---|---|---|---|---|')
  for (const p of [0.02, 0.1]) {
    const scenario = { prs: PRS, ciMinutes: 30, breakRate: p, flakeRate: 0 }
    const started = performance.now()
    const { details, ...sim } = await simulateOnSimulator(scenario, SEED, SIM_RUNS)
    const seconds = (performance.now() - started) / 1000 / SIM_RUNS
    const model = simulate('ours', scenario, SEED, MODEL_RUNS, options)
    const requests = details.map((d) => ({ seed: d.seed, merged: d.merged.length, ejected: d.ejected.length, unresolved: d.unresolved.length, apiRequests: d.apiRequests, gitRequests: d.gitRequests, byRoute: d.byRoute }))
    table.push({ breakRate: p, prs: PRS, sim: { ...sim, secondsPerRun: seconds, runs: requests }, model })
    for (const [name, m, s] of [['simulator', sim, seconds.toFixed(1)], ['model', model, '—']]) {
      log(`| ${p} | ${name} | ${m.mergedPerHour.toFixed(1)} | ${m.ciRunsPerMerged.toFixed(2)} | ${m.waitP50Hours.toFixed(1)} | ${m.waitP95Hours.toFixed(1)} | ${m.goodEjectedPer100.toFixed(2)} | ${m.apiPerMerged === null ? '—' : m.apiPerMerged.toFixed(1)} | ${s} |`)
    }
    rows.push({
      what: `merge queue API requests per merged PR on the simulator (${PRS} PRs, p=${p}, ${SIM_RUNS} seeds; ${sim.mergedPerHour.toFixed(1)} merged/h, ${sim.ciRunsPerMerged.toFixed(2)} CI runs/merged)`,
      value: sim.apiPerMerged.toFixed(1),
      reference: `model ${model.apiPerMerged.toFixed(1)} (${model.mergedPerHour.toFixed(1)}/h, ${model.ciRunsPerMerged.toFixed(2)} runs/merged)`,
      ratio: (sim.apiPerMerged / model.apiPerMerged).toFixed(2),
      budget: `≤ ${BAR}: ${sim.apiPerMerged <= BAR ? 'met' : 'NOT met'}`
    })
  }
  return { seed: SEED, simRuns: SIM_RUNS, modelRuns: MODEL_RUNS, plannerOptions: options, table, rows }
}
