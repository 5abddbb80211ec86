/**
 * `shepherd queue simulate`: the merge-queue strategies compared on a modelled repository and CI
 * (src/core/merge-queue/model.ts): ours (the real planner) and models of serial, bors, Tide's
 * default and GitHub's merge queue default, in one run. The simulator-backed mode (real git
 * merges through src/sim) is not built yet.
 */
import { simulate, STRATEGIES, type Metrics, type Scenario, type Strategy } from '../../core/merge-queue/model.js'
import { intOption, parse, UsageError, type Command } from '../args.js'

const USAGE =
  'shepherd queue simulate [--prs N] [--ci-minutes T] [--break-rate P] [--flake-rate F] [--verdict-miss-rate M] [--strategy ours|serial|bors|tide|github|all] [--seed X] [--runs R] [--json]' +
  ' (a discrete-event model of repository and CI driving the real planner; the simulator-backed mode with real git merges through src/sim is not built yet)'

const OPTIONS = {
  prs: { type: 'string' },
  'ci-minutes': { type: 'string' },
  'break-rate': { type: 'string' },
  'flake-rate': { type: 'string' },
  'verdict-miss-rate': { type: 'string' },
  strategy: { type: 'string' },
  seed: { type: 'string' },
  runs: { type: 'string' }
} as const

/** The `queue` command: `simulate` prints each strategy's metrics; exits 2 on bad usage. */
export const queueCommand: Command = {
  name: 'queue',
  summary: 'Merge-queue strategies compared on a modelled repository and CI (queue simulate)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parse(argv, OPTIONS, 1)
    if (positionals[0] !== 'simulate') throw new UsageError(positionals[0] === undefined ? 'missing subcommand: shepherd queue simulate' : `unknown subcommand "${positionals[0]}"; the one there is: simulate`)
    const scenario: Scenario = {
      prs: positiveInt(values.prs, 'prs', 100),
      ciMinutes: positiveInt(values['ci-minutes'], 'ci-minutes', 30),
      breakRate: rate(values['break-rate'], 'break-rate', 0.02),
      flakeRate: rate(values['flake-rate'], 'flake-rate', 0),
      verdictMissRate: rate(values['verdict-miss-rate'], 'verdict-miss-rate', 0)
    }
    const strategy = values.strategy ?? 'all'
    if (strategy !== 'all' && !(STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`--strategy must be one of ${STRATEGIES.join(', ')} or all, got "${strategy}"`)
    const seed = intOption(values.seed, 'seed', 20261122)
    const runs = positiveInt(values.runs, 'runs', 100)
    const chosen = strategy === 'all' ? [...STRATEGIES] : [strategy as Strategy]
    const results = chosen.map((s) => simulate(s, scenario, seed, runs))
    if (values.json) io.out(JSON.stringify({ scenario, seed, runs, mode: 'model', results }, null, 2))
    else for (const line of formatTable(scenario, results)) io.out(line)
    return 0
  }
}

/** The metrics as an aligned text table, one strategy a row. */
export function formatTable(scenario: Scenario, results: readonly Metrics[]): string[] {
  const head = ['strategy', 'merged/h', 'CI runs/merged', 'wait p50 h', 'wait p95 h', 'good ejected/100', 'API req/merged']
  const rows = results.map((m) => [m.strategy, m.mergedPerHour.toFixed(1), m.ciRunsPerMerged.toFixed(2), m.waitP50Hours.toFixed(1), m.waitP95Hours.toFixed(1), m.goodEjectedPer100.toFixed(2), m.apiPerMerged === null ? '—' : m.apiPerMerged.toFixed(1)])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  return [
    `${scenario.prs} PRs queued, ${scenario.ciMinutes}-minute CI, break rate ${scenario.breakRate}, flake rate ${scenario.flakeRate}${scenario.verdictMissRate ? `, flakes called real ${scenario.verdictMissRate}` : ''} (model; ${results[0]?.runs ?? 0} runs each)`,
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
