// Merge-queue strategies (issue #5): every strategy of the model (src/core/merge-queue/model.ts)
// in one run, 100 PRs queued, 30-minute CI, break rate 2% and 10%, flake rate 0 and 5%, the same
// seeds for every strategy. "ours" is the real planner; the references are the peer models
// (serial, bors-ng, Tide's default, GitHub's merge queue default), validated against the
// reference's Monte-Carlo tables in test/core/merge-queue-model.test.ts. The bars are issue 5's:
// p = 2%: ≥ 20 merged/h at ≤ 0.5 CI runs per merged PR; p = 10%: ≥ 8 merged/h at ≤ 1.0; f = 5%:
// fewer than 0.5 good PRs wrongly ejected per 100. A CI run is one batch run whatever its size,
// counted when started (cancelled runs too); the inherited last part of a split starts none.
// Besides the pooled numbers of the 300 runs, ours is measured on five blocks of 60 seeds each and
// the worst block is reported beside the bar: a bar met only on average over lucky seeds is not met.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const RUNS = 300
const SEED = 20261122
const BARS = { 0.02: { perHour: 20, runs: 0.5 }, 0.1: { perHour: 8, runs: 1.0 } }
const BLOCKS = 5

/** Runs the comparison; returns rows for docs/performance.md and the full table. */
export async function mergeQueue(root, log) {
  const { simulate, STRATEGIES } = await import(pathToFileURL(join(root, 'lib/core/merge-queue/model.js')).href)
  const table = []
  const rows = []
  log('| flake | break | strategy | merged/h | CI runs/merged | wait p50 h | wait p95 h | good ejected/100 | API req/merged |')
  log('|---|---|---|---|---|---|---|---|---|')
  for (const f of [0, 0.05]) {
    for (const p of [0.02, 0.1]) {
      const scenario = { prs: 100, ciMinutes: 30, breakRate: p, flakeRate: f }
      const results = STRATEGIES.map((s) => simulate(s, scenario, SEED, RUNS))
      for (const m of results) {
        table.push({ flakeRate: f, breakRate: p, ...m })
        log(`| ${f} | ${p} | ${m.strategy} | ${m.mergedPerHour.toFixed(1)} | ${m.ciRunsPerMerged.toFixed(2)} | ${m.waitP50Hours.toFixed(1)} | ${m.waitP95Hours.toFixed(1)} | ${m.goodEjectedPer100.toFixed(2)} | ${m.apiPerMerged === null ? '—' : m.apiPerMerged.toFixed(1)} |`)
      }
      const ours = results.find((m) => m.strategy === 'ours')
      const best = results.filter((m) => m.strategy !== 'ours').sort((a, b) => b.mergedPerHour - a.mergedPerHour)[0]
      const bar = BARS[p]
      const blocks = Array.from({ length: BLOCKS }, (_, b) => simulate('ours', scenario, SEED + (b * RUNS) / BLOCKS, RUNS / BLOCKS))
      const worst = { mergedPerHour: Math.min(...blocks.map((m) => m.mergedPerHour)), ciRunsPerMerged: Math.max(...blocks.map((m) => m.ciRunsPerMerged)), goodEjectedPer100: Math.max(...blocks.map((m) => m.goodEjectedPer100)) }
      table.push({ flakeRate: f, breakRate: p, strategy: 'ours', blocks: blocks.map((m) => ({ mergedPerHour: m.mergedPerHour, ciRunsPerMerged: m.ciRunsPerMerged, goodEjectedPer100: m.goodEjectedPer100 })), worst })
      const meets = (m) => m.mergedPerHour >= bar.perHour && m.ciRunsPerMerged <= bar.runs
      rows.push({
        what: `ours merged/h (p=${p}, f=${f}; CI runs/merged ${ours.ciRunsPerMerged.toFixed(2)}, bar ≤ ${bar.runs}; worst of ${BLOCKS} blocks of ${RUNS / BLOCKS} seeds ${worst.mergedPerHour.toFixed(1)}/h, ${worst.ciRunsPerMerged.toFixed(2)} runs; good ejected/100 ${ours.goodEjectedPer100.toFixed(2)})`,
        value: ours.mergedPerHour.toFixed(1),
        reference: `${best.strategy} ${best.mergedPerHour.toFixed(1)}`,
        ratio: (ours.mergedPerHour / best.mergedPerHour).toFixed(2),
        budget: `≥ ${bar.perHour}/h at ≤ ${bar.runs} runs: ${meets(ours) ? (meets(worst) ? 'met (every block)' : 'met (not in every block)') : 'NOT met'}`
      })
    }
  }
  // Sensitivity of ours: the ramp off (every batch the backlog spread, the defaults before the
  // ramp: K = 6, batches of 6), a ramp from 2 at K = 6, the last part of a split re-run, what
  // the config's defaults before they became these (K = 3, batches of up to 8, no ramp), and
  // test-report calling some flakes real (the model's default is exact verdicts). What
  // plannerOptionsFromConfig makes of an empty config is checked to be the defaults.
  const { DEFAULT_PLANNER_OPTIONS, plannerOptionsFromConfig } = await import(pathToFileURL(join(root, 'lib/core/merge-queue/planner.js')).href)
  const { parseConfig } = await import(pathToFileURL(join(root, 'lib/core/config/index.js')).href)
  const fromConfig = plannerOptionsFromConfig(parseConfig('').merge_queue)
  const configIsDefaults = JSON.stringify(Object.entries(fromConfig).sort()) === JSON.stringify(Object.entries(DEFAULT_PLANNER_OPTIONS).sort())
  log(`config defaults (plannerOptionsFromConfig of an empty merge_queue) ${configIsDefaults ? 'are' : 'are NOT'} the model's defaults: ${JSON.stringify(fromConfig)}`)
  const variants = [
    ['defaults', {}, 0],
    ['no ramp, K=6 (before)', { inFlight: 6, minInFlight: 6, splitParts: 6, firstBatchSize: undefined }, 0],
    ['ramp from 2, K=6', { inFlight: 6, minInFlight: 6, splitParts: 6, firstBatchSize: 2 }, 0],
    ['last part re-run', { inferLastPart: false }, 0],
    ['config defaults before (K=3, up to 8, no ramp)', { inFlight: 3, minInFlight: 3, splitParts: 3, batchSizeMax: 8, firstBatchSize: undefined }, 0],
    ['defaults, 10% of flakes called real', {}, 0.1],
    ['defaults, 25% of flakes called real', {}, 0.25]
  ]
  const sensitivity = []
  log('')
  log('| ours | flake | break | merged/h | CI runs/merged | wait p50 h | wait p95 h | good ejected/100 |')
  log('|---|---|---|---|---|---|---|---|')
  for (const [name, tuning, miss] of variants) {
    for (const f of miss > 0 ? [0.05] : [0, 0.05]) {
      for (const p of [0.02, 0.1]) {
        const m = simulate('ours', { prs: 100, ciMinutes: 30, breakRate: p, flakeRate: f, verdictMissRate: miss }, SEED, RUNS, { ...DEFAULT_PLANNER_OPTIONS, ...tuning })
        sensitivity.push({ variant: name, tuning, verdictMissRate: miss, flakeRate: f, breakRate: p, ...m })
        log(`| ${name} | ${f} | ${p} | ${m.mergedPerHour.toFixed(1)} | ${m.ciRunsPerMerged.toFixed(2)} | ${m.waitP50Hours.toFixed(1)} | ${m.waitP95Hours.toFixed(1)} | ${m.goodEjectedPer100.toFixed(2)} |`)
      }
    }
  }
  return { runs: RUNS, seed: SEED, configDefaults: { options: fromConfig, sameAsModelDefaults: configIsDefaults }, table, sensitivity, rows }
}
