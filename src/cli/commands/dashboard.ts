/** `shepherd dashboard --history DIR --out DIR`: the TestGrid-style page of stored history records. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fromFlakeAnalysis } from '../../core/dashboard/from-flakes.js'
import { dashboardPage } from '../../core/dashboard/render.js'
import { analyzeFlakes } from '../../core/test-history/analyze.js'
import { DEFAULT_HISTORY_RUNS, loadHistory } from '../../core/test-history/history.js'
import { readHistoryDir } from '../../history/record-files.js'
import { directoryOption, intOption, parse, UsageError, type Command } from '../args.js'

/**
 * The `dashboard` command: reads the records under --history (`*.json`, `*.json.gz`; bad files are
 * skipped with a warning), keeps the newest --runs runs, analyzes them for flakes and writes
 * index.html into --out. Exits 1 when no record can be read, 2 on bad usage.
 */
export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'Write the TestGrid-style HTML dashboard of stored test-history records (dashboard --history DIR --out DIR)',
  usage: `shepherd dashboard --history DIR --out DIR [--title TITLE] [--runs N (default ${DEFAULT_HISTORY_RUNS})] [--job NAME] [--json]`,
  async run(argv, io) {
    const { values } = parse(argv, { history: { type: 'string' }, out: { type: 'string' }, title: { type: 'string' }, runs: { type: 'string' }, job: { type: 'string' } })
    const dir = values.history
    if (!dir) throw new UsageError('--history is required: the directory of test-history records (*.json, *.json.gz)')
    if (!values.out) throw new UsageError('--out is required: the directory to write index.html into')
    const runs = intOption(values.runs, 'runs', DEFAULT_HISTORY_RUNS)
    if (runs < 1 || !Number.isSafeInteger(runs)) throw new UsageError(`--runs must be a whole number ≥ 1, got "${values.runs}"`)
    directoryOption(dir, 'history')

    const read = readHistoryDir(dir)
    const history = loadHistory(read.records, { limit: runs, job: values.job })
    const warnings = [...read.warnings, ...history.warnings]
    for (const warning of warnings) io.err(`warning: ${warning}`)
    if (history.runs.length === 0) {
      const why =
        read.records.length > 0 ? `none of its ${read.records.length} records is of job "${values.job}"` : read.files === 0 ? 'it has no *.json or *.json.gz file' : `none of its ${read.files} record files could be read`
      io.err(`shepherd dashboard: no readable test-history record in ${dir}: ${why}`)
      return 1
    }
    const generatedAt = new Date().toISOString()
    const analysis = fromFlakeAnalysis(analyzeFlakes(history, { generatedAt }))
    const page = dashboardPage(history.records, analysis, { title: values.title, generatedAt })
    mkdirSync(values.out, { recursive: true })
    const file = join(values.out, 'index.html')
    writeFileSync(file, page.html)
    const bytes = Buffer.byteLength(page.html)
    const { tests, flaky, regressed, failing } = page
    if (values.json) io.out(JSON.stringify({ file, records: read.records.length, runs: page.runs, tests, flaky, regressed, failing, bytes, warnings }, null, 2))
    else {
      const shown = relative(process.cwd(), file) || file
      io.out(`wrote ${shown}: ${page.runs} of ${read.records.length} runs × ${tests} tests (${flaky} flaky, ${regressed} regressed, ${failing} failing now), ${(bytes / 1024).toFixed(0)} KiB`)
    }
    return 0
  }
}
