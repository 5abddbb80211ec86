/**
 * Effects: what a plan asks the world to change, as typed data. The applier (src/github/apply.ts)
 * makes each one idempotent, so a re-run after a crash converges instead of duplicating.
 */

/** A label added to an issue or pull request (no-op when already present). */
export interface LabelAdd {
  kind: 'label.add'
  issue: number
  label: string
}

/** A label removed from an issue or pull request (no-op when absent). */
export interface LabelRemove {
  kind: 'label.remove'
  issue: number
  label: string
}

/** A comment found by its hidden marker and created or edited in place. */
export interface CommentUpsert {
  kind: 'comment.upsert'
  issue: number
  /** Identifies the comment across runs; rendered as `<!-- shepherd:<marker> -->`. */
  marker: string
  body: string
}

/** A commit status on a SHA. */
export interface StatusSet {
  kind: 'status.set'
  sha: string
  context: string
  state: 'error' | 'failure' | 'pending' | 'success'
  description: string
  targetUrl?: string
}

/** A ref moved to `sha` only if it still points at `expected` (null: must not exist yet). */
export interface RefUpdate {
  kind: 'ref.update'
  ref: string
  sha: string
  expected: string | null
}

/** A workflow started by `workflow_dispatch` on a ref. */
export interface WorkflowDispatch {
  kind: 'workflow.dispatch'
  workflow: string
  ref: string
  inputs: Record<string, string>
}

export type Effect = LabelAdd | LabelRemove | CommentUpsert | StatusSet | RefUpdate | WorkflowDispatch

/** Returns the hidden HTML marker that identifies an upserted comment. */
export function commentMarker(marker: string): string {
  return `<!-- shepherd:${marker} -->`
}

/** Returns a one-line human description of an effect, for logs, dry runs and summaries. */
export function describeEffect(e: Effect): string {
  switch (e.kind) {
    case 'label.add':
      return `add label "${e.label}" to #${e.issue}`
    case 'label.remove':
      return `remove label "${e.label}" from #${e.issue}`
    case 'comment.upsert':
      return `upsert comment "${e.marker}" on #${e.issue}`
    case 'status.set':
      return `set status "${e.context}" to ${e.state} on ${e.sha.slice(0, 7)}`
    case 'ref.update':
      return `move ${e.ref} from ${e.expected?.slice(0, 7) ?? '(none)'} to ${e.sha.slice(0, 7)}`
    case 'workflow.dispatch':
      return `dispatch ${e.workflow} on ${e.ref}`
  }
}
