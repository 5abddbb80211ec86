/**
 * The merge pool (Tide's `dividePool` + `filterPR`): which open pull requests may enter the queue,
 * per base branch, in the order they are taken, and for every other one the reasons it may not,
 * worded like Tide's status ("Not mergeable: missing label approved"). Pure: the caller reads the
 * PRs from GitHub and passes plain data.
 */
import type { MergeQueueConfig } from '../config/schema.js'

/** The state of one required check on a PR head, as read from check runs and commit statuses. */
export type CheckState = 'success' | 'failure' | 'pending' | 'missing'

/** An open pull request as the reconcile loop reads it. */
export interface PullRequestView {
  number: number
  base: string
  headSha: string
  labels: string[]
  draft: boolean
  /** GitHub's `mergeable`: null while GitHub is still computing it. */
  mergeable: boolean | null
  /** Required check name → its state on the head; a required check absent here is missing. */
  checks: Record<string, CheckState>
  author: string
  /** ISO time; the pool orders by priority, then oldest first. */
  updatedAt: string
}

/** An eligible PR, in pool order. */
export interface PoolEntry {
  number: number
  headSha: string
  /** Index of its highest priority label in `priority_labels` (0 = highest), or that list's length. */
  priority: number
  updatedAt: string
}

/** One base branch's pool. */
export interface BranchPool {
  base: string
  /** True when the branch is frozen: the pool is computed and shown, nothing merges. */
  frozen: boolean
  eligible: PoolEntry[]
  /** PR number → every reason it is not in the pool (never empty). */
  ineligible: Map<number, string[]>
}

/** Options beyond the config: branches frozen by `/shepherd freeze`, and the repository's default branch. */
export interface PoolOptions {
  frozenBranches?: readonly string[]
  defaultBranch?: string
}

/**
 * Divides `prs` into one pool per base branch the queue serves (`config.branches`, or the default
 * branch when empty) and filters each. PRs to other branches are left out entirely. Throws when
 * `config.branches` is empty and no `defaultBranch` is given.
 */
export function buildPools(prs: readonly PullRequestView[], config: MergeQueueConfig, options: PoolOptions = {}): BranchPool[] {
  const branches = config.branches.length > 0 ? config.branches : options.defaultBranch ? [options.defaultBranch] : []
  if (branches.length === 0) throw new Error('merge_queue.branches is empty and no default branch was given: cannot tell which branch the queue serves')
  const frozen = new Set(options.frozenBranches ?? [])
  return branches.map((base) => {
    const pool: BranchPool = { base, frozen: config.frozen || frozen.has(base), eligible: [], ineligible: new Map() }
    for (const pr of prs) {
      if (pr.base !== base) continue
      const reasons = ineligibleReasons(pr, config)
      if (reasons.length > 0) pool.ineligible.set(pr.number, reasons)
      else pool.eligible.push({ number: pr.number, headSha: pr.headSha, priority: priorityOf(pr.labels, config.priority_labels), updatedAt: pr.updatedAt })
    }
    pool.eligible.sort(comparePoolEntries)
    return pool
  })
}

/** Pool order: highest priority first, then the oldest update, then the lowest number (Tide's tie-break). */
export function comparePoolEntries(a: PoolEntry, b: PoolEntry): number {
  return a.priority - b.priority || Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || a.number - b.number
}

/** Every reason `pr` may not enter the pool; empty when it may. */
export function ineligibleReasons(pr: PullRequestView, config: MergeQueueConfig): string[] {
  const reasons: string[] = []
  if (pr.draft) reasons.push('Not mergeable: pull request is a draft')
  const missing = config.labels.filter((l) => !pr.labels.includes(l))
  if (missing.length > 0) reasons.push(`Not mergeable: missing ${missing.length === 1 ? 'label' : 'labels'} ${missing.join(', ')}`)
  for (const label of pr.labels) {
    if (config.missing_labels.some((pattern) => labelMatches(pattern, label))) reasons.push(`Should not have ${label} label`)
  }
  if (pr.mergeable === false) reasons.push('Not mergeable: has conflicts with the base branch')
  else if (pr.mergeable === null) reasons.push('Not mergeable: GitHub has not computed mergeability yet')
  for (const name of config.required_checks) {
    const state = pr.checks[name] ?? 'missing'
    if (state === 'failure') reasons.push(`Job ${name} has not succeeded`)
    else if (state === 'pending') reasons.push(`Job ${name} is still running`)
    else if (state === 'missing') reasons.push(`Job ${name} has not run on the head`)
  }
  return reasons
}

/** True when `label` matches `pattern`, where a trailing or inner `*` matches any run of characters. */
export function labelMatches(pattern: string, label: string): boolean {
  if (!pattern.includes('*')) return pattern === label
  const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${parts.join('.*')}$`).test(label)
}

function priorityOf(labels: readonly string[], priorityLabels: readonly string[]): number {
  const index = priorityLabels.findIndex((l) => labels.includes(l))
  return index === -1 ? priorityLabels.length : index
}
