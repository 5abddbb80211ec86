/**
 * `shepherd queue simulate`: the merge-queue strategies compared on a modelled repository and CI
 * (src/core/merge-queue/model.ts): ours (the real planner) and models of serial, bors, Tide's
 * default and GitHub's merge queue default, in one run. `--backend sim` runs the real reconcile
 * loop against the simulator instead (real git merges, a simulated CI; ours only: queue-sim.ts).
 */
import { simulate, STRATEGIES, type Metrics, type Scenario, type Strategy } from '../../core/merge-queue/model.js'
import { intOption, parse, UsageError, type Command } from '../args.js'

const USAGE =
  'shepherd queue simulate [--prs N] [--ci-minutes T] [--break-rate P] [--flake-rate F] [--verdict-miss-rate M] [--strategy ours|serial|bors|tide|github|all] [--seed X] [--runs R] [--backend model|sim] [--json]' +
  ' (model: a discrete-event model of repository and CI driving the real planner; sim: the real reconcile loop against the simulator with real git merges and a simulated CI, --strategy ours only, default 20 PRs and 1 run)'

const OPTIONS = {
  prs: { type: 'string' },
  'ci-minutes': { type: 'string' },
  'break-rate': { type: 'string' },
  'flake-rate': { type: 'string' },
  'verdict-miss-rate': { type: 'string' },
  strategy: { type: 'string' },
  seed: { type: 'string' },
  runs: { type: 'string' },
  backend: { type: 'string' }
} as const

/** The `queue` command: `simulate` prints each strategy's metrics; exits 2 on bad usage. */
export const queueCommand: Command = {
  name: 'queue',
  summary: 'Merge-queue strategies compared on a modelled repository and CI (queue simulate)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, OPTIONS, 1)
    if (positionals[0] !== 'simulate') throw new UsageError(positionals[0] === undefined ? 'missing subcommand: shepherd queue simulate' : `unknown subcommand "${positionals[0]}"; the one there is: simulate`)
    const backend = values.backend ?? 'model'
    if (backend !== 'model' && backend !== 'sim') throw new UsageError(`--backend must be model or sim, got "${backend}"`)
    const sim = backend === 'sim'
    const scenario: Scenario = {
      prs: positiveInt(values.prs, 'prs', sim ? 20 : 100),
      ciMinutes: positiveInt(values['ci-minutes'], 'ci-minutes', 30),
      breakRate: rate(values['break-rate'], 'break-rate', 0.02),
      flakeRate: rate(values['flake-rate'], 'flake-rate', 0),
      verdictMissRate: rate(values['verdict-miss-rate'], 'verdict-miss-rate', 0)
    }
    const strategy = values.strategy ?? (sim ? 'ours' : 'all')
    if (strategy !== 'all' && !(STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')} or all, got "${strategy}"`)
    const seed = intOption(values.seed, 'seed', 20261122)
    const runs = positiveInt(values.runs, 'runs', sim ? 1 : 100)
    if (sim) {
      // Loaded only here: the simulator is not needed by the model.
      const { MAX_SIM_PRS, simulateOnSimulator } = await import('./queue-sim.js')
      if (strategy !== 'ours') throw new UsageError(`--backend sim runs only --strategy ours (the real reconcile loop; the other strategies exist only as models: use --backend model), got "${strategy}"`)
      if (scenario.verdictMissRate) throw new UsageError('--verdict-miss-rate is not supported with --backend sim (its CI reports no flake verdicts); use --backend model')
      if (scenario.prs > MAX_SIM_PRS) throw new UsageError(`--prs must be at most ${MAX_SIM_PRS} with --backend sim (each PR is a branch and real git merges), got ${scenario.prs}`)
      const { verdictMissRate: _, ...simScenario } = scenario
      const metrics = await simulateOnSimulator(simScenario, seed, runs)
      const { details, ...summary } = metrics
      if (values.json) io.out(JSON.stringify({ scenario: simScenario, seed, runs, mode: 'sim', results: [summary], details }, null, 2))
      else for (const line of formatTable(simScenario, [summary], 'simulator')) io.out(line)
      return 0
    }
    const chosen = strategy === 'all' ? [...STRATEGIES] : [strategy as Strategy]
    const results = chosen.map((s) => simulate(s, scenario, seed, runs))
    if (values.json) io.out(JSON.stringify({ scenario, seed, runs, mode: 'model', results }, null, 2))
    else for (const line of formatTable(scenario, results)) io.out(line)
    return 0
  }
}

/** The metrics as an aligned text table, one strategy a row. */
export function formatTable(scenario: Scenario, results: readonly Metrics[], mode: 'model' | 'simulator' = 'model'): string[] {
  const head = ['strategy', 'merged/h', 'CI runs/merged', 'wait p50 h', 'wait p95 h', 'good ejected/100', 'API req/merged']
  const rows = results.map((m) => [m.strategy, m.mergedPerHour.toFixed(1), m.ciRunsPerMerged.toFixed(2), m.waitP50Hours.toFixed(1), m.waitP95Hours.toFixed(1), m.goodEjectedPer100.toFixed(2), m.apiPerMerged === null ? '—' : m.apiPerMerged.toFixed(1)])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [
    `${scenario.prs} PRs queued, ${scenario.ciMinutes}-minute CI, break rate ${scenario.breakRate}, flake rate ${scenario.flakeRate}${scenario.verdictMissRate ? `, flakes called real ${scenario.verdictMissRate}` : ''} (${mode}; ${results[0]?.runs ?? 0} run${results[0]?.runs === 1 ? '' : 's'} each)`,
    line(head),
    ...rows.map(line)
  ]
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  const n = intOption(value, name, fallback)
  if (n < 1) throw new UsageError(`--${name} must be at least 1, got ${n}`)
  return n
}

function rate(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw new UsageError(`--${name} must be a probability from 0 up to (not including) 1, such as 0.02, got "${value}"`)
  return n
}
