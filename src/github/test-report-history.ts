/**
 * The test report's history: load the records of earlier runs (the base branch's, and for a pull
 * request its own), judge flakes and new failures with src/core/test-history, and save this run's
 * record; render the dashboard from the same records. Reading is best effort: a history that cannot
 * be read leaves the report without new failures, with a warning, never without a report.
 */
import * as core from '@actions/core'
import type { ActionRuntime } from './action-runtime.js'
import { createHistoryStore, type HistoryKey, type HistoryStore, type StoredRecord } from './test-history-store.js'
import { publishPages } from './pages-publish.js'
import type { HistoryView, Write } from './test-report-publish.js'
import type { ReportTarget } from './test-report-context.js'
import type { Report, RunRecord } from '../core/test-report/model.js'
import type { Settings } from '../core/test-report/settings.js'
import type { FlakyTest } from '../core/test-report/summary.js'
import { inline } from '../core/test-report/markdown.js'
import { analyzeFlakes, encodeRecord, recordDecoder, loadHistory, newFailures, toRunRecord, type FlakeAnalysis } from '../core/test-history/index.js'
import { renderDashboard } from '../core/dashboard/render.js'
import { fromFlakeAnalysis } from '../core/dashboard/from-flakes.js'

export interface HistoryPlan {
  view?: HistoryView
  /** Saving this run's record and publishing the dashboard: run under the read-only guard. */
  writes: Write[]
  /** Files for the report artifact (the dashboard). */
  artifacts: Record<string, string>
}

export interface HistoryEnv {
  /** Where git fetches the data branch (the server's web URL; the simulator serves git at its API URL). */
  gitServerUrl: string
  token: string
  temp: string
}

/**
 * Returns the history's key for a run: pull requests keep their own (`pull/<n>`), so a fork's
 * branch named `main` never writes into main's history; a pull request run whose number is not
 * known (a fork's, reported through workflow_run without a verified number) goes to `pull/unknown`.
 */
export function historyKey(run: ReportTarget['run']): HistoryKey {
  const branch = run.pullRequest ? `pull/${run.pullRequest}` : run.event.startsWith('pull_request') ? 'pull/unknown' : run.branch || 'unknown'
  return { workflow: run.workflow || 'workflow', job: run.job, branch }
}

/** Loads, analyses and prepares the writes. Never throws for an unreadable history. */
export async function prepareHistory(rt: ActionRuntime, settings: Settings, target: ReportTarget, report: Report, env: HistoryEnv): Promise<HistoryPlan> {
  const title = `Tests: ${target.run.job}`
  if (settings.history === 'off') {
    return { writes: [], artifacts: settings.dashboard ? { 'dashboard.html': renderDashboard([toRunRecord(report, target.run)], undefined, { title }) } : {} }
  }
  const current = toRunRecord(report, target.run)
  const store = createHistoryStore(settings.history, rt.client, rt.where, {
    branch: { git: { token: env.token, serverUrl: env.gitServerUrl }, tempDir: env.temp },
    artifact: { tempDir: env.temp }
  })
  const own = historyKey(target.run)
  const baseBranch = target.baseBranch ?? target.run.branch
  const keys = [{ ...own, branch: baseBranch }, ...(own.branch !== baseBranch ? [own] : [])]
  const notes: string[] = []
  const loaded = await loadRecords(store, keys, settings.historyRuns, notes)
  // A re-run of this job replaces its earlier attempt's record in the analysis, not adds to it.
  const earlier = loaded.filter((r) => !(r.run.id === current.run.id && r.run.attempt === current.run.attempt))
  let analysis: FlakeAnalysis | null = null
  let view: HistoryView = { flaky: [], notes }
  let records: RunRecord[] = [current]
  try {
    const history = loadHistory([...earlier, current], { limit: earlier.length + 1, job: current.run.job })
    records = history.records as RunRecord[]
    analysis = analyzeFlakes(history)
    const fresh = newFailures(history, current, baseBranch)
    view = {
      flaky: flakyInReport(analysis, report),
      notes,
      ...(fresh.base ? { newFailures: fresh.failures.map((f) => f.id), baseline: { branch: baseBranch, sha: fresh.base.sha, url: fresh.base.url } } : {})
    }
    core.info(`History: ${earlier.length} earlier run(s) of ${keys.map((k) => k.branch).join(' and ')}; ${fresh.base ? `${fresh.failures.length} new failure(s) since run ${fresh.base.id}` : `no run of ${baseBranch} to compare with`}`)
  } catch (err) {
    core.warning(`The history could not be analysed: ${(err as Error).message}`)
  }
  const writes: Write[] = [
    {
      what: 'the history record',
      run: async () => {
        const saved = await store.save({ ...target.run, branch: own.branch }, new TextEncoder().encode(encodeRecord(current)))
        core.info(`History record ${saved.outcome}: ${saved.source}`)
      }
    }
  ]
  const artifacts: Record<string, string> = {}
  if (settings.dashboard) {
    const html = renderDashboard(records, analysis ? fromFlakeAnalysis(analysis) : undefined, { title })
    artifacts['dashboard.html'] = html
    if (settings.pagesBranch) {
      const dir = `test-report/${own.job.replace(/[^A-Za-z0-9._-]+/g, '-')}/${own.branch.replace(/[^A-Za-z0-9._-]+/g, '-')}`
      writes.push({
        what: `the dashboard on ${settings.pagesBranch}`,
        run: async () => {
          const r = await publishPages(rt.client, rt.where, { branch: settings.pagesBranch, dir, files: { 'index.html': html } })
          core.info(`Dashboard ${r.outcome} on ${settings.pagesBranch}:${dir}/index.html`)
        }
      })
    }
  }
  return { view, writes, artifacts }
}

async function loadRecords(store: HistoryStore, keys: HistoryKey[], limit: number, notes: string[]): Promise<RunRecord[]> {
  const out: RunRecord[] = []
  // One decoder for the whole history: records of a suite share their names, parsed once.
  const decode = recordDecoder()
  for (const key of keys) {
    try {
      // Each record decoded as it is read: the history's bytes are never held together.
      const each = (r: StoredRecord) => {
        try {
          out.push(decode(r.bytes, r.source))
        } catch (err) {
          core.warning(`History: skipped ${r.source}: ${(err as Error).message}`)
        }
      }
      const loaded = await store.load(key, { limit, each })
      for (const s of loaded.skipped) core.warning(`History: skipped ${s.source}: ${s.reason}`)
    } catch (err) {
      core.warning(`The history of ${key.branch} could not be read: ${(err as Error).message}`)
      notes.push(inline(`History of ${key.branch} unavailable: ${(err as Error).message}`, 300))
    }
  }
  // Oldest first, each run attempt once.
  const seen = new Set<string>()
  return out
    .filter((r) => {
      const k = `${r.run.id}/${r.run.attempt}`
      return seen.has(k) ? false : (seen.add(k), true)
    })
    .sort((a, b) => Date.parse(a.run.createdAt) - Date.parse(b.run.createdAt) || a.run.id - b.run.id || a.run.attempt - b.run.attempt)
}

/** The history's flake verdicts for tests that failed or were flaky in this run, with each verdict's evidence. */
function flakyInReport(analysis: FlakeAnalysis, report: Report): FlakyTest[] {
  const results = report.results
  const out: FlakyTest[] = []
  for (const t of analysis.tests) {
    if (!t.flaky) continue
    // Looked up by id: only the history's flaky tests, not every failure of the run, are read.
    const i = results.indexOfId(t.id)
    const outcome = i < 0 ? undefined : results.outcomeAt(i)
    if (outcome !== 'failed' && outcome !== 'errored' && outcome !== 'flaky') continue
    out.push({ id: t.id, classname: results.classnameAt(i), name: results.nameAt(i), evidence: t.verdicts.filter((v) => v.category === 'flake').map((v) => v.summary) })
  }
  return out
}
