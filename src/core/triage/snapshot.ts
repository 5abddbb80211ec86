/**
 * The triage snapshot: everything the triage planner reads, as plain data. The action loads it
 * from GitHub in a few batched requests; `shepherd triage plan --snapshot FILE` reads it from JSON.
 * Documented field by field in docs/triage.md ("The snapshot").
 */
import type { ShepherdConfig } from '../config/index.js'

export type Permission = 'none' | 'read' | 'triage' | 'write' | 'maintain' | 'admin'

export interface ChangedFile {
  path: string
  /** For renames: the path before. */
  previousPath?: string
  additions: number
  deletions: number
}

export interface SnapshotComment {
  id: number
  author: string
  body: string
  createdAt: string
  /** True for comments by bots (GitHub Apps, `[bot]` logins). */
  authorIsBot?: boolean
}

export interface SnapshotReview {
  author: string
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING'
  body: string
  submittedAt: string
  /** The head SHA the review was submitted on. */
  commit?: string
}

export interface SnapshotItem {
  number: number
  isPullRequest: boolean
  author: string
  authorIsBot?: boolean
  state: 'open' | 'closed'
  merged?: boolean
  draft?: boolean
  title: string
  body: string
  labels: string[]
  assignees: string[]
  /** Users whose review is requested (pull requests). */
  requestedReviewers?: string[]
  /** Title of the item's milestone; null for none. */
  milestone?: string | null
  headSha?: string
  headRef?: string
  baseRef?: string
  baseSha?: string
  /** Git tree of the head commit (Prow's store_tree_hash: lgtm survives a push with the same tree). */
  treeSha?: string
  changedFiles?: ChangedFile[]
  /** GitHub's answer to "can this merge": CONFLICTING adds needs-rebase. */
  mergeable?: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN'
  /**
   * The OWNERS and OWNERS_ALIASES files this pull request changes, as its head has them (null when
   * it deletes one): validated on open and push, never used to decide who approves.
   */
  headOwners?: Record<string, string | null>
  /** Comments in creation order (approvals are recomputed from them every run, as Prow does). */
  comments?: SnapshotComment[]
  reviews?: SnapshotReview[]
}

export interface SnapshotUser {
  permission: Permission
  orgMember: boolean
  /** Teams as `org/slug`. */
  teams: string[]
  /** Which of the configured `triage.trusted.orgs` the user belongs to (when any are configured). */
  orgs?: string[]
}

/** A milestone of the repository. */
export interface SnapshotMilestone {
  number: number
  title: string
}

export interface SnapshotRun {
  id: number
  workflow: string
  headSha: string
  status: 'queued' | 'in_progress' | 'completed'
  conclusion: string | null
}

export interface SnapshotCheck {
  name: string
  /** `status` for commit statuses, `check` for check runs. */
  kind: 'status' | 'check'
  state: 'success' | 'failure' | 'error' | 'pending' | 'neutral' | 'skipped' | 'cancelled' | 'timed_out' | 'action_required'
}

/** A branch frozen with `/shepherd freeze`: by whom, when (ISO), why (untrusted, one line). */
export interface SnapshotFreeze {
  base: string
  by: string
  at: string
  reason: string
}

export interface TriageSnapshot {
  repo: { owner: string; name: string; defaultBranch: string }
  /** The login Shepherd acts as; its own comments never trigger it. */
  bot: string
  item: SnapshotItem
  /** What GitHub says about each user the event involves (commenter, author, named users). */
  users: Record<string, SnapshotUser>
  /** OWNERS files (and `OWNERS_ALIASES`) from the base branch at its current SHA: path → text. */
  owners: Record<string, string>
  repoLabels: string[]
  /** The repository's open milestones, by number; read only for events with a `/milestone` command. */
  milestones?: SnapshotMilestone[]
  /** Workflow runs on the PR head, for /retest. */
  runs?: SnapshotRun[]
  /** Commit statuses and check runs on the PR head, for /override. */
  checks?: SnapshotCheck[]
  /**
   * The `/shepherd freeze` of the base branch (a PR's base, an issue's default branch), read only
   * for events with `/shepherd freeze` or `unfreeze`: null when not frozen.
   */
  freeze?: SnapshotFreeze | null
  config: ShepherdConfig
}

/** Returns what the snapshot knows of a user; unknown users have no rights. */
export function userOf(snapshot: TriageSnapshot, login: string): SnapshotUser {
  return snapshot.users[login] ?? { permission: 'none', orgMember: false, teams: [] }
}
