/** `shepherd junit summarize FILES... [--json]`: what JUnit files say, per file and in total. */
import { mergeReports } from '../../core/junit/index.js'
import { readJUnitFiles } from '../../junit/files.js'
import type { Counts, FileReport, ReadError, Report, TestCounts } from '../../core/test-report/model.js'
import { parse, UsageError, type Command } from '../args.js'
import { LIMITS, inRunFlakes, renderSummary } from '../../core/test-report/summary.js'

/** What `--json` prints: per file and in total, runs (per `<testcase>`) and tests (retries merged). */
export interface JUnitSummary {
  files: { file: string; runs: Counts; tests: TestCounts; error?: ReadError }[]
  total: { files: number; runs: Counts; tests: TestCounts }
  /** Files that could not be read, or were read only up to an error. */
  errors: ReadError[]
}

/** Returns the summary of a report (no per-test detail). */
export function summarize(report: Report): JUnitSummary {
  return {
    files: report.files.map((f: FileReport) => ({ file: f.file, runs: f.runs, tests: f.tests, ...(f.error ? { error: f.error } : {}) })),
    total: { files: report.files.length, runs: report.runs, tests: report.tests },
    errors: report.errors
  }
}

/** Control characters in file names and messages would drive the terminal: show them escaped. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

const RUN_COLUMNS = ['total', 'passed', 'failed', 'errored', 'skipped'] as const
const TEST_COLUMNS = [...RUN_COLUMNS, 'flaky'] as const

/** Returns the summary as an aligned table: one row per file and a total, then the errors. */
export function formatSummary(summary: JUnitSummary): string[] {
  const header = ['file', ...RUN_COLUMNS.map((c) => `runs ${c}`), ...TEST_COLUMNS.map((c) => `tests ${c}`)]
  const row = (name: string, runs: Counts, tests: TestCounts) => [name, ...RUN_COLUMNS.map((c) => String(runs[c])), ...TEST_COLUMNS.map((c) => String(tests[c]))]
  const rows = [header, ...summary.files.map((f) => row(printable(f.file) + (f.error ? ' (!)' : ''), f.runs, f.tests)), row(`total (${summary.total.files} files)`, summary.total.runs, summary.total.tests)]
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd())
  if (summary.errors.length > 0) {
    lines.push('', `${summary.errors.length} file${summary.errors.length === 1 ? '' : 's'} could not be read in full (counts above hold what was read before the problem):`)
    for (const e of summary.errors) lines.push(`  ${printable(e.file)}${e.line ? `:${e.line}:${e.column}` : ''}: ${printable(e.message)}`)
  }
  return lines
}

/** The `junit` command; exits 1 when any file could not be read in full. */
export const junitCommand: Command = {
  name: 'junit',
  summary: 'Summarize JUnit XML files: runs, unique tests, flaky tests, unreadable files (junit summarize FILES...)',
  usage: 'shepherd junit summarize FILE... [--json | --markdown]   (exit 0: every file read; 1: some file could not be read in full; 2: bad usage)',
  async run(argv, io) {
    // Output formats live here: the table by default, --json, --markdown (the action's job summary).
    const { values, positionals } = parse(argv, { markdown: { type: 'boolean' } }, Number.MAX_SAFE_INTEGER)
    if (values.json && values.markdown) throw new UsageError('--json and --markdown are two outputs; give one')
    if (positionals[0] !== 'summarize') throw new UsageError(`junit takes one subcommand, summarize; got ${positionals[0] ? `"${positionals[0]}"` : 'none'}`)
    const files = positionals.slice(1)
    if (files.length === 0) throw new UsageError('junit summarize needs at least one JUnit XML file')
    const report = mergeReports(await readJUnitFiles(files, { sourceRoot: process.cwd() }))
    const summary = summarize(report)
    if (values.markdown) io.out(renderSummary({ title: 'Test report', report, flaky: inRunFlakes(report) }, { maxBytes: LIMITS.jobSummary }).markdown.trimEnd())
    else if (values.json) io.out(JSON.stringify(summary, null, 2))
    else for (const line of formatSummary(summary)) io.out(line)
    return summary.errors.length > 0 ? 1 : 0
  }
}
