/** `shepherd dashboard --history DIR --out DIR`: the TestGrid-style page of stored history records. */
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { checkRecord } from '../../core/dashboard/record-check.js'
import { dashboardPage } from '../../core/dashboard/render.js'
import type { RunRecord } from '../../core/test-report/model.js'
import { intOption, parse, UsageError, type Command } from '../args.js'

/** Runs shown when --runs is not given (the history's default window). */
export const DEFAULT_RUNS = 100
/** Record files larger than this are passed over: a record of 10,000 tests is well under 1 MiB. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024
/** Most files visited under --history: a guard against pointing it at a whole disk. */
const MAX_ENTRIES = 200_000

/** A record file's text and its path. */
interface RecordFile {
  source: string
  text: string
}

/** Returns every `*.json` file under `root` (sorted by path; symbolic links not followed) and a warning for each passed over. */
export function readRecordFiles(root: string): { files: RecordFile[]; warnings: string[] } {
  const files: RecordFile[] = []
  const warnings: string[] = []
  const pending = ['']
  let visited = 0
  while (pending.length > 0) {
    const rel = pending.pop() as string
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      if (++visited > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} files under ${root}; point --history at the records' directory`)
      const path = rel ? join(rel, entry.name) : entry.name
      if (entry.isDirectory()) pending.push(path)
      else if (entry.isFile() && entry.name.endsWith('.json')) {
        const full = join(root, path)
        const size = statSync(full).size
        if (size > MAX_RECORD_BYTES) warnings.push(`skipped ${full}: ${size} bytes is larger than a history record can be`)
        else files.push({ source: full, text: readFileSync(full, 'utf8') })
      }
    }
  }
  files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
  return { files, warnings }
}

/** Returns the records among `files`; a file that is not a valid record is skipped with a warning naming it and the problem. */
export function decodeRecordFiles(files: readonly RecordFile[]): { records: RunRecord[]; warnings: string[] } {
  const records: RunRecord[] = []
  const warnings: string[] = []
  for (const { source, text } of files) {
    try {
      records.push(checkRecord(text, source))
    } catch (err) {
      warnings.push(`skipped ${(err as Error).message}`)
    }
  }
  return { records, warnings }
}

/** The `dashboard` command: exits 1 when the history holds no readable record, 2 on bad usage. */
export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'Write the TestGrid-style HTML dashboard of stored test history records',
  usage: 'shepherd dashboard --history DIR --out DIR [--title TITLE] [--runs N] [--json]',
  async run(argv, io) {
    const { values } = parse(argv, { history: { type: 'string' }, out: { type: 'string' }, title: { type: 'string' }, runs: { type: 'string' } })
    if (!values.history) throw new UsageError('--history is required: the directory of stored history records (*.json)')
    if (!values.out) throw new UsageError('--out is required: the directory to write index.html into')
    const runs = intOption(values.runs, 'runs', DEFAULT_RUNS)
    if (runs < 1) throw new UsageError('--runs must be at least 1')
    try {
      if (!lstatSync(values.history).isDirectory()) throw new UsageError(`--history ${values.history} is not a directory`)
    } catch (err) {
      if (err instanceof UsageError) throw err
      throw new UsageError(`cannot read --history ${values.history}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    const read = readRecordFiles(values.history)
    const decoded = decodeRecordFiles(read.files)
    const warnings = [...read.warnings, ...decoded.warnings]
    for (const w of warnings) io.err(`warning: ${w}`)
    if (decoded.records.length === 0) {
      io.err(`no readable history record in ${values.history} (${read.files.length} *.json file${read.files.length === 1 ? '' : 's'} found)`)
      return 1
    }
    const page = dashboardPage(decoded.records, undefined, { title: values.title, maxRuns: runs, generatedAt: new Date().toISOString() })
    mkdirSync(values.out, { recursive: true })
    const file = join(values.out, 'index.html')
    writeFileSync(file, page.html)
    const bytes = Buffer.byteLength(page.html)
    const { runs: shown, tests, flaky, failing } = page
    if (values.json) io.out(JSON.stringify({ file, records: decoded.records.length, runs: shown, tests, flaky, failing, bytes, warnings }, null, 2))
    else io.out(`wrote ${relative(process.cwd(), file) || file}: ${shown} of ${decoded.records.length} runs × ${tests} tests (${flaky} flaky, ${failing} failing now), ${(bytes / 1024).toFixed(0)} KiB`)
    return 0
  }
}
