/**
 * CI for a batch: start the configured workflow on the batch branch by `workflow_dispatch` (which
 * events caused by GITHUB_TOKEN may still do), record that on the batch head as a pending
 * `shepherd/merge-queue` status (so the next run, reading only GitHub, knows CI was started and
 * when), and judge the batch head's checks and statuses.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import type { CheckContext } from './merge-queue-state.js'

/** The commit status context the queue writes on pull request heads and batch heads. */
export const QUEUE_CONTEXT = 'shepherd/merge-queue'

const DISPATCHED = 'CI dispatched'

/**
 * Returns the queue's status among a batch head's contexts, or null. The queue sets it when it
 * dispatches CI ("CI dispatched: …", pending) and may later replace it with the verdict (say,
 * success "Batch 7 passed" before the base is fast-forwarded to that commit, so the base's head
 * does not show a pending queue status); either way CI was dispatched.
 */
export function dispatchMark(checks: CheckContext[]): CheckContext | null {
  return checks.find((c) => c.kind === 'status' && c.name === QUEUE_CONTEXT) ?? null
}

export interface DispatchOptions {
  /** Workflow file name (`ci.yml`) or id. */
  workflow: string
  /** The batch branch (without `refs/heads/`) and its head. */
  branch: string
  sha: string
  /** The batch head's contexts as readQueueState read them: a dispatch mark there means done. */
  checks: CheckContext[]
  inputs?: Record<string, string>
}

export type DispatchResult = { outcome: 'applied'; runId: number | null } | { outcome: 'unchanged' }

/**
 * Dispatches the workflow on the batch branch unless the batch head already carries the mark,
 * then sets the mark. Two requests; none when already dispatched. Dispatch goes first: a crash
 * between the two costs a duplicate run, never a batch whose CI was never started.
 * Throws when GitHub refuses (unknown workflow, bad inputs, no permission).
 */
export async function dispatchBatchCI(client: GitHubClient, where: RepoRef, options: DispatchOptions): Promise<DispatchResult> {
  if (dispatchMark(options.checks)) return { outcome: 'unchanged' }
  const { data } = await client.rest.actions.createWorkflowDispatch({
    ...where,
    workflow_id: options.workflow,
    ref: options.branch,
    inputs: options.inputs,
    return_run_details: true
  })
  const run = (data ?? null) as { workflow_run_id?: number; html_url?: string } | null
  const runId = run?.workflow_run_id ?? null
  await client.rest.repos.createCommitStatus({
    ...where,
    sha: options.sha,
    context: QUEUE_CONTEXT,
    state: 'pending',
    description: `${DISPATCHED}: ${options.workflow}${runId ? ` run ${runId}` : ''}`.slice(0, 140),
    ...(run?.html_url ? { target_url: run.html_url } : {})
  })
  return { outcome: 'applied', runId }
}

export type CIResult =
  | { state: 'passed' }
  | { state: 'pending'; waitingFor: string[] }
  | { state: 'failed'; failing: string[]; reason: string }

export interface CIJudgement {
  /** Check run names and status contexts that must succeed; empty: every one that reports. */
  required: string[]
  /** When CI was started (the dispatch mark's time, else the batch head's commit date), ISO. */
  startedAt: string
  /** Now, ISO (the reconcile run's clock). */
  now: string
  timeoutMinutes: number
}

/**
 * Judges a batch head's contexts (the queue's own status aside): any required one failing →
 * failed, naming them; all required present and green → passed; else pending until the timeout,
 * then failed with what never reported or never finished.
 */
export function batchCIResult(checks: CheckContext[], judgement: CIJudgement): CIResult {
  const reported = checks.filter((c) => c.name !== QUEUE_CONTEXT)
  const required = judgement.required.length ? judgement.required : [...new Set(reported.map((c) => c.name))]
  const byName = new Map(reported.map((c) => [c.name, c]))
  const failing = required.filter((n) => ['failure', 'error'].includes(byName.get(n)?.state ?? ''))
  if (failing.length) return { state: 'failed', failing, reason: `failed: ${failing.join(', ')}` }
  const waitingFor = required.filter((n) => byName.get(n)?.state !== 'success')
  if (required.length && !waitingFor.length) return { state: 'passed' }
  const elapsed = (Date.parse(judgement.now) - Date.parse(judgement.startedAt)) / 60_000
  if (!(elapsed >= judgement.timeoutMinutes)) return { state: 'pending', waitingFor }
  const missing = waitingFor.filter((n) => !byName.has(n))
  const unfinished = waitingFor.filter((n) => byName.has(n))
  const reason = !reported.length
    ? `no CI reported within ${judgement.timeoutMinutes} minutes`
    : [missing.length ? `${missing.join(', ')} never reported` : '', unfinished.length ? `${unfinished.join(', ')} still pending` : '']
        .filter(Boolean)
        .join('; ') + ` after ${judgement.timeoutMinutes} minutes`
  return { state: 'failed', failing: waitingFor, reason }
}
