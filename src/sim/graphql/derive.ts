/** Values GitHub computes from stored data: status rollups and the latest review per reviewer. */
import type { SimCheckRun, SimIssue, SimRepo, SimReview, SimStatus } from '../state.js'

export type RollupState = 'SUCCESS' | 'FAILURE' | 'PENDING' | 'ERROR' | 'EXPECTED'

/** Returns the latest status per context for a commit, newest first. */
export function latestStatuses(repo: SimRepo, sha: string): SimStatus[] {
  const seen = new Map<string, SimStatus>()
  for (const s of repo.statuses) {
    if (s.sha !== sha) continue
    const prev = seen.get(s.context)
    if (!prev || s.id > prev.id) seen.set(s.context, s)
  }
  return [...seen.values()].sort((a, b) => b.id - a.id)
}

/** Returns the latest check run per name for a commit, newest first. */
export function latestCheckRuns(repo: SimRepo, sha: string): SimCheckRun[] {
  const seen = new Map<string, SimCheckRun>()
  for (const c of repo.checkRuns.values()) {
    if (c.headSha !== sha) continue
    const prev = seen.get(c.name)
    if (!prev || c.id > prev.id) seen.set(c.name, c)
  }
  return [...seen.values()].sort((a, b) => b.id - a.id)
}

/** GitHub's StatusState for one commit status. */
export function statusState(s: SimStatus): RollupState {
  return s.state === 'error' ? 'ERROR' : s.state === 'failure' ? 'FAILURE' : s.state === 'pending' ? 'PENDING' : 'SUCCESS'
}

/** The state a check run contributes to a rollup. */
export function checkRunState(c: SimCheckRun): RollupState {
  if (c.status !== 'completed') return 'PENDING'
  return ['success', 'neutral', 'skipped'].includes(c.conclusion ?? '') ? 'SUCCESS' : 'FAILURE'
}

/** Combines states as GitHub's rollup does: any failure, else any error, else any pending, else success. */
export function combine(states: RollupState[]): RollupState | null {
  if (!states.length) return null
  for (const s of ['FAILURE', 'ERROR', 'PENDING', 'EXPECTED'] as const) if (states.includes(s)) return s === 'EXPECTED' ? 'PENDING' : s
  return 'SUCCESS'
}

/** The status check rollup of a commit (statuses and check runs), or null when it has none. */
export function rollupState(repo: SimRepo, sha: string): RollupState | null {
  return combine([...latestStatuses(repo, sha).map(statusState), ...latestCheckRuns(repo, sha).map(checkRunState)])
}

/** The reviews of a pull request in submission order (pending reviews only for their author). */
export function reviewsOf(repo: SimRepo, issue: SimIssue, viewer: string): SimReview[] {
  return [...repo.reviews.values()]
    .filter((r) => r.pullNumber === issue.number && (r.state !== 'PENDING' || r.user === viewer))
    .sort((a, b) => a.id - b.id)
}

/**
 * The latest review per author. `opinionated` keeps only approvals and change requests (a later
 * comment does not replace an approval), as `latestOpinionatedReviews` does.
 */
export function latestReviews(repo: SimRepo, issue: SimIssue, opinionated: boolean): SimReview[] {
  const byAuthor = new Map<string, SimReview>()
  for (const r of reviewsOf(repo, issue, '')) {
    if (r.state === 'PENDING') continue
    if (opinionated && r.state !== 'APPROVED' && r.state !== 'CHANGES_REQUESTED' && r.state !== 'DISMISSED') continue
    byAuthor.set(r.user, r)
  }
  return [...byAuthor.values()].filter((r) => !opinionated || r.state !== 'DISMISSED').sort((a, b) => a.id - b.id)
}

/** APPROVED, CHANGES_REQUESTED or null from the latest opinionated reviews (what `review:` searches use). */
export function reviewOutcome(repo: SimRepo, issue: SimIssue): 'APPROVED' | 'CHANGES_REQUESTED' | null {
  const latest = latestReviews(repo, issue, true)
  if (latest.some((r) => r.state === 'CHANGES_REQUESTED')) return 'CHANGES_REQUESTED'
  return latest.some((r) => r.state === 'APPROVED') ? 'APPROVED' : null
}
