/**
 * Everything a test report does with a report once it is read: the full report artifact, the job
 * summary, the check run with annotations, the PR comment, history and dashboard writes, outputs.
 * A token that may not write (a fork's pull request, a read-only `GITHUB_TOKEN`) does not fail
 * the job: the summary is still written, the writes are skipped with a notice, and in the test job
 * the JUnit files are left in an artifact for a `workflow_run` workflow to report.
 */
import * as core from '@actions/core'
import { statSync, truncateSync } from 'node:fs'
import { cp, writeFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { ActionRuntime } from './action-runtime.js'
import { applyEffects } from './apply.js'
import { writeCheckRun } from './test-report-check.js'
import { INPUT_PREFIX, REPORT_PREFIX, artifactName, artifactUrl, uploadContents, uploadPaths, allUnder } from './test-report-artifacts.js'
import { HANDOFF_FILES, HANDOFF_MANIFEST, type InputManifest, type ReportTarget } from './test-report-context.js'
import { writePieces, type FileContent } from './write-pieces.js'
import type { Report } from '../core/test-report/model.js'
import type { Settings } from '../core/test-report/settings.js'
import { LIMITS, checkTitle, fullReport, inRunFlakes, renderSummary, summaryPieces, type Baseline, type FlakyTest, type SummaryInput } from '../core/test-report/summary.js'
import { checkAnnotations, displayName } from '../core/test-report/annotations.js'
import { reportOutputs, resultsOf, verdict, type Verdict } from '../core/test-report/outputs.js'
import { queueVerdictOf } from '../core/test-report/queue-verdict.js'
import { groupDigits } from '../core/numbers.js'

/** What the history adds to a report: verdicts on its tests, the new failures, and how to save this run. */
export interface HistoryView {
  flaky: FlakyTest[]
  /** Undefined when the history has no run of the base branch to compare with. */
  newFailures?: string[]
  baseline?: Baseline
  notes?: string[]
}

/** A write the history or the dashboard needs (run under the same read-only guard). */
export type Write = { what: string; run: () => Promise<string | void> }

export interface PublishOptions {
  rt: ActionRuntime
  settings: Settings
  /** Report name (the check's name and the comment's marker). */
  name: string
  target: ReportTarget
  report: Report
  /** No file matched the patterns. */
  noFiles: boolean
  history?: HistoryView
  /** Writes after the check run and the comment: history record, Pages. */
  writes?: Write[]
  /** Artifacts of this step (e.g. the dashboard), by file name → content, uploaded with the report. */
  extraArtifacts?: Record<string, string>
  /** The step's own run (artifacts belong to it) and the server for links. */
  ownRunId: number
  serverUrl: string
  temp: string
  /** In the test job: the JUnit files to hand to a `workflow_run` workflow when writes are refused. */
  handoff?: { paths: string[]; root: string; sourceRoot: string }
}

export interface Published {
  outputs: Record<string, string>
  verdict: Verdict
  /** Why writes were skipped, when they were. */
  skipped?: string
}

/** Publishes the report. Throws only for what makes the step's result unknowable. */
export async function publish(o: PublishOptions): Promise<Published> {
  const { rt, settings, report, target } = o
  const flaky = mergeFlaky(inRunFlakes(report), o.history?.flaky ?? [])
  const v = verdict(report, settings.failOn, o.noFiles)
  const baseInput = {
    title: o.name,
    report,
    flaky,
    newFailures: o.history?.newFailures,
    baseline: o.history?.baseline,
    blobUrl: target.blobUrl,
    runUrl: target.runUrl
  }
  const link = (id: number) => artifactUrl(o.serverUrl, rt.where, o.ownRunId, id)

  // Every summary links to the full report. The check run's annotation requests need no link, so
  // they go out first and the report is rendered and uploaded while they are answered; only the
  // request completing the check run waits for the link.
  let reportLinked!: (url: string) => void
  const linked = new Promise<string>((resolve) => (reportLinked = resolve))
  const withLink = (url: string) => ({ ...baseInput, reportUrl: url || undefined })

  const guard = new WriteGuard(target.fork ? 'this pull request comes from a fork, whose token is read-only' : undefined)
  let checkAnnotated = false
  const checked = !settings.checkRun
    ? Promise.resolve()
    : guard.run('the check run', async () => {
        const annotations = settings.annotations ? checkAnnotations(report, flaky) : { count: 0, make: () => [], omitted: 0 }
        if (annotations.omitted) core.notice(`Test report: ${annotations.omitted} annotation(s) past the first ${annotations.count} left out of the check run; the summary and the full report list every failure.`)
        const check = await writeCheckRun(rt.client, rt.where, {
          name: o.name,
          headSha: target.headSha,
          title: checkTitle(report),
          summary: linked.then((url) => renderSummary(withLink(url), { maxBytes: LIMITS.checkOutput, detailChars: 2000, detailLines: 25 }).markdown),
          conclusion: v.conclusion,
          annotations,
          detailsUrl: target.runUrl,
          queueVerdict: queueVerdictOf(report, flaky, o.noFiles)
        })
        checkAnnotated = annotations.count > 0
        core.info(`Check run "${o.name}" on ${target.headSha.slice(0, 7)}: ${annotations.count} annotation(s) in ${check.requests} request(s)`)
      })
  // Let the first check request leave before the report's rendering holds the thread.
  await new Promise((resolve) => setImmediate(resolve))
  const reportUrl = await uploadFullReport(o, { ...baseInput, notes: o.history?.notes }, flaky, link)
  reportLinked(reportUrl)
  const input = withLink(reportUrl)
  // The job summary says what was not written, which is known only when the writes are done; but
  // a refusal is rare. So the summary is rendered and written now (after one turn of the event
  // loop, which lets a request waiting for the link leave first), while the check run, the
  // comment and the history are still being written, and written again only if one is refused.
  const summaryFile = process.env.GITHUB_STEP_SUMMARY
  if (!summaryFile) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.')
  const summaryStart = statSync(summaryFile, { throwIfNoEntry: false })?.size ?? 0
  const writeSummary = () => {
    const notes = [...(o.history?.notes ?? [])]
    if (guard.refused) notes.push(`> [!NOTE]\n> Not written: ${guard.skipped.join(', ')} (${guard.refused}). Shepherd's docs/test-report.md, "Fork pull requests", shows how to report from a \`workflow_run\` workflow.`)
    // Written as it is rendered: a job summary of 1 MiB is not held whole (see summaryPieces).
    writePieces(summaryFile, () => summaryPieces({ ...input, notes }, { maxBytes: LIMITS.jobSummary }), true)
  }
  const early = !guard.refused
  if (early) {
    await new Promise((resolve) => setImmediate(resolve))
    writeSummary()
  }
  await checked
  if (settings.comment !== 'off' && target.pullRequest) {
    const number = target.pullRequest
    await guard.run('the pull request comment', () => upsertComment(o, number, input, v))
  }
  for (const w of o.writes ?? []) await guard.run(w.what, w.run)

  workflowAnnotations(report, flaky, settings.annotations && !checkAnnotated)

  if (early && guard.refused) truncateSync(summaryFile, summaryStart)
  if (!early || guard.refused) writeSummary()

  if (guard.refused) {
    core.notice(`Test report: ${guard.skipped.join(', ')} not written: ${guard.refused}. The job summary has the report.`)
    // The history record alone being refused is no reason for a second report.
    if (o.handoff && guard.skipped.some((w) => w === 'the check run' || w === 'the pull request comment')) await handOff(o, link)
  }
  return { outputs: reportOutputs(report, flaky, v, reportUrl), verdict: v, ...(guard.refused ? { skipped: guard.refused } : {}) }
}

/**
 * Renders and uploads the full report (no size limit) with the step's other artifacts. Returns
 * its link, or '' when it could not be uploaded (said in a warning): the summaries then go without.
 */
async function uploadFullReport(o: PublishOptions, input: SummaryInput, flaky: FlakyTest[], link: (id: number) => string): Promise<string> {
  try {
    const files: Record<string, FileContent> = {
      'report.md': () => fullReport(input, { detailChars: 20_000, detailLines: 400, slowest: 50 }),
      'report.json': () => reportJson(o.report, flaky, o.history),
      ...(o.extraArtifacts ?? {})
    }
    core.info(`Full report: ${Object.keys(files).join(', ')} (${groupDigits(o.report.results.length)} test(s)), zipped and uploaded as they render`)
    const ref = await uploadContents(artifactName(REPORT_PREFIX, o.name), files, link)
    core.info(`Full report: ${ref.url}`)
    return ref.url
  } catch (err) {
    core.warning(`The full report could not be uploaded as an artifact: ${(err as Error).message}`)
    return ''
  }
}

/** In-run flakes first, then history verdicts; one entry per test with all its evidence. */
function mergeFlaky(own: FlakyTest[], history: FlakyTest[]): FlakyTest[] {
  const byId = new Map<string, FlakyTest>()
  for (const f of [...own, ...history]) {
    const seen = byId.get(f.id)
    if (seen) seen.evidence.push(...f.evidence.filter((e) => !seen.evidence.includes(e)))
    else byId.set(f.id, { ...f, evidence: [...f.evidence] })
  }
  return [...byId.values()]
}

/**
 * The JSON report: totals, files and errors, and every result that did not simply pass; in
 * pieces, a result at a time, as `JSON.stringify` of the whole object would write it (5,000
 * failures with their traces are megabytes, never held whole).
 */
function* reportJson(report: Report, flaky: FlakyTest[], history?: HistoryView): Generator<string> {
  const head = JSON.stringify({
    format: 'shepherd-test-report',
    version: 1,
    runs: report.runs,
    tests: report.tests,
    errors: report.errors,
    files: report.files.map((f) => ({ file: f.file, runs: f.runs, tests: f.tests, ...(f.error ? { error: f.error } : {}) }))
  })
  yield `${head.slice(0, -1)},"results":[`
  // Passing tests are counted above and kept in the history record; listing 100,000 of them here would only slow the upload.
  const results = report.results
  let comma = ''
  for (const i of results.indexesOf('failed', 'errored', 'skipped', 'flaky')) {
    yield comma + JSON.stringify(results.at(i))
    comma = ','
  }
  yield `],${JSON.stringify({ flaky, newFailures: history?.newFailures ?? null, baseline: history?.baseline ?? null }).slice(1)}`
}

/** Skips every write after the first one GitHub refuses for lack of permission. */
class WriteGuard {
  readonly skipped: string[] = []
  constructor(public refused?: string) {}

  async run(what: string, write: () => Promise<unknown>): Promise<void> {
    if (this.refused) {
      this.skipped.push(what)
      return
    }
    try {
      await write()
    } catch (err) {
      const e = err as { status?: number; message?: string }
      if (e.status === 403 && !/rate limit/i.test(e.message ?? '')) {
        this.refused = `the token may not write: ${e.message ?? 'forbidden'}`
        this.skipped.push(what)
        return
      }
      // Reporting is secondary to the tests' verdict: say what failed, go on.
      core.warning(`Test report: writing ${what} failed: ${e.message ?? String(err)}`)
    }
  }
}

async function upsertComment(o: PublishOptions, number: number, input: Parameters<typeof renderSummary>[0], v: Verdict): Promise<void> {
  const { rt } = o
  const marker = `test-report:${o.name.replace(/[^A-Za-z0-9._-]+/g, '-')}`
  const prefix = `<!-- shepherd:${marker} -->`
  const listed = await rt.client.paginate(rt.client.rest.issues.listComments, { ...rt.where, issue_number: number, per_page: 100 })
  const comments = listed.map((c) => ({ id: c.id, login: c.user?.login ?? '', body: c.body ?? '' }))
  const existing = comments.some((c) => c.login === rt.self && c.body.startsWith(prefix))
  // `failures`: comment when something is wrong, and keep an earlier comment current once it is fixed.
  if (o.settings.comment === 'failures' && v.conclusion === 'success' && !existing) return
  const body = renderSummary(input, { maxBytes: LIMITS.comment, detailChars: 1500, detailLines: 20, sections: ['errors', 'new', 'flaky', 'failures'] }).markdown
  const [applied] = await applyEffects(rt.client, rt.where, [{ type: 'comment.upsert', issue: number, marker, body }], { self: rt.self, knownComments: { [number]: comments } })
  core.info(`Comment on #${number}: ${applied?.outcome ?? 'unchanged'}`)
}

/**
 * Workflow-command annotations: unreadable files always (file and position); failures and flaky
 * tests when no check run carries them (GitHub shows at most 10 of each level per step).
 */
function workflowAnnotations(report: Report, flaky: FlakyTest[], tests: boolean): void {
  for (const e of report.errors) {
    core.error(`${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}: ${e.message}`, {
      title: 'Unreadable JUnit file',
      file: e.file,
      ...(e.line ? { startLine: e.line } : {}),
      ...(e.line && e.column ? { startColumn: e.column } : {})
    })
  }
  if (!tests) return
  const failing = report.results.indexesOf('failed', 'errored').slice(0, 10).map((i) => report.results.at(i))
  for (const r of failing) {
    core.error(r.failure?.message.slice(0, 1000) || r.outcome, { title: `${r.outcome === 'errored' ? 'Error' : 'Failed'}: ${displayName(r)}`.slice(0, 255), ...(r.file ? { file: r.file } : {}), ...(r.line ? { startLine: r.line } : {}) })
  }
  const shown = flaky.slice(0, 10)
  const byId = resultsOf(report, shown)
  for (const f of shown) {
    const r = byId.get(f.id)
    core.warning(f.evidence.join('; ').slice(0, 1000), { title: `Flaky: ${displayName(f)}`.slice(0, 255), ...(r?.file ? { file: r.file } : {}), ...(r?.line ? { startLine: r.line } : {}) })
  }
}

/** Leaves the JUnit files and what the run was about for a `workflow_run` workflow. */
async function handOff(o: PublishOptions, link: (id: number) => string): Promise<void> {
  const h = o.handoff!
  const dir = join(o.temp, `input-${Date.now()}`)
  // Copies: the files are uploaded from one directory with the manifest beside them.
  const files = h.paths.filter((p) => allUnder([p], h.root)).map((p) => relative(h.root, p).split(sep).join('/'))
  const manifest: InputManifest = {
    format: 'shepherd-test-report-input',
    version: 1,
    name: o.name,
    files,
    ...(o.target.pullRequest ? { pullRequest: o.target.pullRequest } : {}),
    run: o.target.run,
    sourceRoot: h.sourceRoot
  }
  try {
    for (const f of files) await cp(join(h.root, f), join(dir, HANDOFF_FILES, f))
    await writeFile(join(dir, HANDOFF_MANIFEST), JSON.stringify(manifest))
    const ref = await uploadPaths(artifactName(INPUT_PREFIX, o.name), [join(dir, HANDOFF_MANIFEST), ...files.map((f) => join(dir, HANDOFF_FILES, f))], dir, link)
    core.notice(`The JUnit files are in artifact ${ref.name} for a workflow_run workflow to report (docs/test-report.md, "Fork pull requests").`)
  } catch (err) {
    core.warning(`The JUnit files could not be left for a workflow_run workflow: ${(err as Error).message}`)
  }
}
