/**
 * Effects: what a plan asks the world to change, as typed data. The applier (src/github/apply.ts)
 * makes each one idempotent, so a re-run after a crash converges instead of duplicating.
 */

/** A label added to an issue or pull request (no-op when already present). */
export interface LabelAdd {
  type: 'label.add'
  issue: number
  label: string
}

/** A label removed from an issue or pull request (no-op when absent). */
export interface LabelRemove {
  type: 'label.remove'
  issue: number
  label: string
}

/** A comment found by its hidden marker and created or edited in place. */
export interface CommentUpsert {
  type: 'comment.upsert'
  issue: number
  /** Identifies the comment across runs; rendered as `<!-- shepherd:<marker> -->`. */
  marker: string
  body: string
}

/** A commit status on a SHA. */
export interface StatusSet {
  type: 'status.set'
  sha: string
  context: string
  state: 'error' | 'failure' | 'pending' | 'success'
  description: string
  targetUrl?: string
}

/** A ref moved to `sha` only if it still points at `expected` (null: must not exist yet). */
export interface RefUpdate {
  type: 'ref.update'
  ref: string
  sha: string
  expected: string | null
}

/** A workflow started by `workflow_dispatch` on a ref. */
export interface WorkflowDispatch {
  type: 'workflow.dispatch'
  workflow: string
  ref: string
  inputs: Record<string, string>
}

/**
 * A new comment, e.g. a reply to a command. With a marker (e.g. the triggering comment's id and
 * line) a re-run finds the reply it already made instead of posting it twice.
 */
export interface CommentCreate {
  type: 'comment.create'
  issue: number
  body: string
  marker?: string
}

/** Title, state or milestone of an issue or pull request. */
export interface IssueUpdate {
  type: 'issue.update'
  issue: number
  title?: string
  state?: 'open' | 'closed'
  stateReason?: 'completed' | 'not_planned' | 'reopened'
  /** The milestone to put the item in (its number is what GitHub takes); null clears it. */
  milestone?: { number: number; title: string } | null
}

/** Users added to or removed from an issue's assignees. */
export interface AssigneesChange {
  type: 'assignees.add' | 'assignees.remove'
  issue: number
  logins: string[]
}

/** Review requests added to or removed from a pull request. */
export interface ReviewersChange {
  type: 'reviewers.request' | 'reviewers.remove'
  pull: number
  logins: string[]
  /** Team slugs (without the org). */
  teams: string[]
}

/** The failed jobs of a workflow run started again. */
export interface WorkflowRerun {
  type: 'workflow.rerun'
  runId: number
}

/** A merged pull request cherry-picked onto a branch, opened as a new pull request. */
export interface CherryPick {
  type: 'cherrypick'
  pull: number
  branch: string
  /** Who asked; the new pull request is assigned to them. */
  requester: string
}

/** `/shepherd freeze`: create the branch `shepherd/freeze/<base>` recording who, when and why. */
export interface QueueFreezeEffect {
  type: 'queue.freeze'
  base: string
  by: string
  /** Untrusted text, kept as data. */
  reason: string
}

/** `/shepherd unfreeze`: delete the branch `shepherd/freeze/<base>`. */
export interface QueueUnfreezeEffect {
  type: 'queue.unfreeze'
  base: string
}

export type Effect =
  | LabelAdd
  | LabelRemove
  | CommentUpsert
  | CommentCreate
  | IssueUpdate
  | AssigneesChange
  | ReviewersChange
  | StatusSet
  | RefUpdate
  | WorkflowDispatch
  | WorkflowRerun
  | CherryPick
  | QueueFreezeEffect
  | QueueUnfreezeEffect

/** Returns the hidden HTML marker that identifies an upserted comment. */
export function commentMarker(marker: string): string {
  return `<!-- shepherd:${marker} -->`
}

/** Returns a one-line human description of an effect, for logs, dry runs and summaries. */
export function describeEffect(e: Effect): string {
  switch (e.type) {
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
    case 'comment.create':
      return `comment on #${e.issue}`
    case 'issue.update':
      return `update #${e.issue}: ${Object.entries(e)
        .filter(([k]) => !['type', 'issue'].includes(k))
        .map(([k, v]) => `${k}=${JSON.stringify(k === 'milestone' && v ? (v as { title: string }).title : v)}`)
        .join(', ')}`
    case 'assignees.add':
      return `assign ${e.logins.join(', ')} to #${e.issue}`
    case 'assignees.remove':
      return `unassign ${e.logins.join(', ')} from #${e.issue}`
    case 'reviewers.request':
      return `request review from ${[...e.logins, ...e.teams.map((t) => `team ${t}`)].join(', ')} on #${e.pull}`
    case 'reviewers.remove':
      return `remove review request for ${[...e.logins, ...e.teams.map((t) => `team ${t}`)].join(', ')} on #${e.pull}`
    case 'workflow.rerun':
      return `re-run the failed jobs of run ${e.runId}`
    case 'cherrypick':
      return `cherry-pick #${e.pull} onto ${e.branch}`
    case 'queue.freeze':
      return `freeze merging into ${e.base}`
    case 'queue.unfreeze':
      return `unfreeze merging into ${e.base}`
  }
}
