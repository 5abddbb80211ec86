/**
 * Which base branches an event asks the merge queue to reconcile. Pure: reads the webhook payload
 * as data. Every trigger runs the same reconcile; the event only narrows which bases.
 */

/** Events the queue acts on, with the actions that matter (null: every action). */
export const QUEUE_TRIGGERS: Record<string, string[] | null> = {
  pull_request_target: ['labeled', 'unlabeled', 'synchronize', 'opened', 'reopened', 'ready_for_review', 'converted_to_draft', 'closed'],
  pull_request: ['labeled', 'unlabeled', 'synchronize', 'opened', 'reopened', 'ready_for_review', 'converted_to_draft', 'closed'],
  check_run: ['completed'],
  check_suite: ['completed'],
  status: null,
  workflow_run: ['completed'],
  schedule: null,
  workflow_dispatch: null,
  repository_dispatch: null
}

export type BasesForEvent = { bases: string[] } | { skip: string }

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {})
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null)

/**
 * Returns the bases to reconcile among `branches` (the configured ones), or why the event needs
 * none. A PR event names its base; a check, status or workflow run on a batch branch
 * (`shepherd/queue/<base>/<id>`) names that base; anything else (a check on a PR head, the
 * schedule, a dispatch) reconciles every configured branch.
 */
export function basesForEvent(eventName: string, payload: unknown, branches: readonly string[]): BasesForEvent {
  const p = obj(payload)
  if (!(eventName in QUEUE_TRIGGERS)) return { skip: `the merge queue does not act on ${eventName} events` }
  const actions = QUEUE_TRIGGERS[eventName]
  const action = str(p.action)
  if (actions && action && !actions.includes(action)) return { skip: `the merge queue does not act on ${eventName}.${action}` }
  // Our own status on a head or batch: the queue wrote it, nothing changed that it does not know.
  if (eventName === 'status' && p.context === 'shepherd/merge-queue') return { skip: 'the queue set this status itself' }
  const pick = (names: (string | null)[]): BasesForEvent | null => {
    const hits = [...new Set(names.filter((n): n is string => !!n && branches.includes(n)))]
    return hits.length ? { bases: hits } : null
  }
  if (eventName.startsWith('pull_request')) {
    const base = str(obj(obj(p.pull_request).base).ref)
    return pick([base]) ?? { skip: `#${String(obj(p.pull_request).number ?? '?')} is into ${base ?? 'an unknown branch'}, which the queue does not serve` }
  }
  const heads: (string | null)[] = []
  if (eventName === 'check_run') heads.push(str(obj(obj(p.check_run).check_suite).head_branch))
  if (eventName === 'check_suite') heads.push(str(obj(p.check_suite).head_branch))
  if (eventName === 'workflow_run') heads.push(str(obj(p.workflow_run).head_branch))
  if (eventName === 'status') for (const b of Array.isArray(p.branches) ? p.branches : []) heads.push(str(obj(b).name))
  const batchBases = heads.map((h) => /^shepherd\/queue\/(.+)\/[^/]+$/.exec(h ?? '')?.[1] ?? null)
  return pick(batchBases) ?? { bases: [...branches] }
}
