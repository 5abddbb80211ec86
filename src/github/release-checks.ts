/**
 * What the release gate reads about a commit: its check runs (all pages), its statuses (the
 * combined status lists the newest per context) and test-report's verdict from the check run
 * that carries one. The cut's own workflow run is running on the commit by definition: its check
 * runs are marked `self` (found by the run's check suite) and not judged.
 */
import { allFailingFlaky, parseQueueVerdict } from '../core/test-report/queue-verdict.js'
import type { GateCheckRun, GateInput, GateStatus } from '../core/release/gate.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'

export interface CommitChecks {
  checkRuns: GateCheckRun[]
  statuses: GateStatus[]
  testReport?: GateInput['testReport']
}

/** Reads the checks of `sha`. `selfRunId` is the workflow run doing the cut (GITHUB_RUN_ID), when known. */
export async function readCommitChecks(client: GitHubClient, where: RepoRef, sha: string, selfRunId?: number): Promise<CommitChecks> {
  let selfSuite: number | undefined
  if (selfRunId) {
    try {
      const { data } = await client.rest.actions.getWorkflowRun({ ...where, run_id: selfRunId })
      selfSuite = (data as { check_suite_id?: number }).check_suite_id
    } catch (err) {
      // A run of another repository (a reusable workflow's caller) or none: nothing to leave out.
      if ((err as { status?: number }).status !== 404) throw err
    }
  }
  const checkRuns: GateCheckRun[] = []
  let testReport: GateInput['testReport']
  for (let page = 1; ; page++) {
    const { data } = await client.rest.checks.listForRef({ ...where, ref: sha, per_page: 100, page, filter: 'latest' })
    for (const run of data.check_runs) {
      const self = selfSuite !== undefined && run.check_suite?.id === selfSuite
      checkRuns.push({ name: run.name, status: run.status, conclusion: run.conclusion ?? null, ...(self ? { self } : {}) })
      const verdict = parseQueueVerdict(run.output?.text)
      if (verdict && !self) {
        // Several test-report check runs (one per report name): one that is not clean is enough to refuse.
        const clean = (verdict.failingTotal === 0 && verdict.inputProblems === 0) || allFailingFlaky(verdict)
        if (!testReport || (testReport.clean && !clean)) testReport = { clean, failing: verdict.failingTotal, flaky: verdict.flaky.length }
      }
    }
    if (data.check_runs.length < 100) break
  }
  const { data: combined } = await client.rest.repos.getCombinedStatusForRef({ ...where, ref: sha, per_page: 100 })
  const statuses = combined.statuses.map((s) => ({ context: s.context, state: s.state }))
  return { checkRuns, statuses, ...(testReport ? { testReport } : {}) }
}
