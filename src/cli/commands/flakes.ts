/**
 * `shepherd flakes --history DIR`: the flake verdicts of a directory of history records, as a
 * readable list of the tests with verdicts, or the whole analysis with --json.
 */
import { analyzeFlakes, type FlakeAnalysis, type FlakeOptions } from '../../core/test-history/analyze.js'
import { DEFAULT_HISTORY_RUNS, loadHistory } from '../../core/test-history/history.js'
import type { WindowOptions } from '../../core/test-history/windows.js'
import { readHistoryDir } from '../../history/record-files.js'
import { directoryOption, intOption, parse, UsageError, type Command } from '../args.js'

const USAGE =
  'shepherd flakes --history DIR [--json] [--limit N] [--job NAME] [--branch NAME] ' +
  '[--sample-days N --basis-days N | --sample-runs N --basis-runs N] [--end ISO_TIME] ' +
  '[--confidence PCT] [--pity POINTS] [--min-failures N] [--min-flip-rate PCT] [--top N]'

const OPTIONS = {
  history: { type: 'string' },
  limit: { type: 'string' },
  job: { type: 'string' },
  branch: { type: 'string' },
  'sample-days': { type: 'string' },
  'basis-days': { type: 'string' },
  'sample-runs': { type: 'string' },
  'basis-runs': { type: 'string' },
  end: { type: 'string' },
  confidence: { type: 'string' },
  pity: { type: 'string' },
  'min-failures': { type: 'string' },
  'min-flip-rate': { type: 'string' },
  top: { type: 'string' }
} as const

/** The `flakes` command: exits 1 when the directory holds no readable record. */
export const flakesCommand: Command = {
  name: 'flakes',
  summary: 'Flake and regression verdicts from stored test-history records (flakes --history DIR)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parse(argv, OPTIONS)
    const dir = values.history
    if (!dir) throw new UsageError('--history is required: the directory of test-history records (*.json, *.json.gz)')
    const limit = positive(values.limit, 'limit', DEFAULT_HISTORY_RUNS)
    const top = positive(values.top, 'top', 30)
    const options: FlakeOptions = { window: windowOption(values), branch: values.branch, end: values.end }
    if (values.end !== undefined && Number.isNaN(Date.parse(values.end))) throw new UsageError(`--end must be an ISO date and time, got "${values.end}"`)
    if (values.confidence !== undefined) options.confidence = percent(values.confidence, 'confidence', true)
    if (values.pity !== undefined) options.pityFactor = percent(values.pity, 'pity', false)
    if (values['min-flip-rate'] !== undefined) options.minFlipRate = percent(values['min-flip-rate'], 'min-flip-rate', false)
    if (values['min-failures'] !== undefined) options.minimumFailure = intOption(values['min-failures'], 'min-failures', 0)
    directoryOption(dir, 'history')

    const read = readHistoryDir(dir)
    for (const warning of read.warnings) io.err(`warning: ${warning}`)
    const history = loadHistory(read.records, { limit, job: values.job })
    for (const warning of history.warnings) io.err(`warning: ${warning}`)
    if (history.runs.length === 0) {
      const why = read.records.length > 0 ? `none of its ${read.records.length} records is of job "${values.job}"` : read.files === 0 ? 'it has no *.json or *.json.gz file' : `none of its ${read.files} record files could be read`
      io.err(`shepherd flakes: no readable test-history record in ${dir}: ${why}`)
      return 1
    }
    const analysis = analyzeFlakes(history, options)
    if (values.json) io.out(JSON.stringify(analysis, null, 2))
    else for (const line of formatAnalysis(analysis, top)) io.out(line)
    return 0
  }
}

function windowOption(values: Record<string, string | boolean | undefined>): WindowOptions | undefined {
  const days = values['sample-days'] !== undefined || values['basis-days'] !== undefined
  const runs = values['sample-runs'] !== undefined || values['basis-runs'] !== undefined
  if (days && runs) throw new UsageError('give windows in days (--sample-days, --basis-days) or in runs (--sample-runs, --basis-runs), not both')
  if (!days && !runs) return undefined
  const unit = days ? 'days' : 'runs'
  const fallback = days ? { sample: 7, basis: 30 } : { sample: 10, basis: 30 }
  const sample = positive(values[`sample-${unit}`] as string | undefined, `sample-${unit}`, fallback.sample)
  const basis = intOption(values[`basis-${unit}`] as string | undefined, `basis-${unit}`, fallback.basis)
  return { unit, sample, basis }
}

function positive(value: string | undefined, name: string, fallback: number): number {
  const n = intOption(value, name, fallback)
  if (n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a whole number ≥ 1, got "${value}"`)
  return n
}

function percent(value: string, name: string, open: boolean): number {
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN
  if (!(n >= 0 && n <= 100) || (open && (n === 0 || n === 100))) {
    throw new UsageError(`--${name} must be a number ${open ? 'between 0 and 100 (exclusive)' : 'from 0 to 100'}, got "${value}"`)
  }
  return n
}

/** Returns the analysis as text lines: what was read, then each test with a verdict, flakiest first, with its evidence. */
export function formatAnalysis(analysis: FlakeAnalysis, top: number): string[] {
  const { runs, windows, totals } = analysis
  const jobs = new Set(runs.map((r) => r.job))
  const lines = [
    `${runs.length} run${runs.length === 1 ? '' : 's'}${jobs.size > 1 ? ` of ${jobs.size} jobs` : ''} from ${runs[0].createdAt} to ${runs[runs.length - 1].createdAt}; ${totals.tests} tests, ${totals.flaky} flaky, ${totals.regressed} regressed`,
    `windows (${windows.unit}): sample ${windows.sample.runs} runs (${windows.sample.from ?? '—'} to ${windows.sample.to ?? '—'}), basis ${windows.basis.runs} runs (${windows.basis.from ?? '—'} to ${windows.basis.to ?? '—'})${analysis.options.branch ? `, branch ${printable(analysis.options.branch)}` : ''}`
  ]
  const judged = analysis.tests.filter((t) => t.verdicts.length > 0)
  if (judged.length === 0) {
    lines.push('', 'No test is flaky or regressed.')
    return lines
  }
  lines.push('')
  judged.slice(0, top).forEach((t, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${printable(t.id)}${jobs.size > 1 ? `  [job ${printable(t.job)}]` : ''}`)
    lines.push(`     flip rate ${t.flipRate.toFixed(1)}, pass rate ${t.passRate.toFixed(1)}% over ${t.runs} runs, last ${t.lastOutcome ?? 'never ran'}`)
    for (const v of t.verdicts) lines.push(`     - ${v.kind}${'severity' in v ? ` (${v.severity})` : ''}: ${printable(v.summary)}`)
  })
  if (judged.length > top) lines.push('', `… and ${judged.length - top} more tests with verdicts (--top N shows more, --json all)`)
  return lines
}

/**
 * Returns untrusted text fit for a terminal: the classname/name separator shown as ` › `, and
 * control characters and bidirectional overrides escaped, so a test name cannot move the cursor,
 * recolour the screen or reorder what follows it.
 */
export function printable(text: string): string {
  return text.replace('\u001f', ' › ').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
