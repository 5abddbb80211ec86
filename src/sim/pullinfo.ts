/**
 * Pull-request facts computed from git: mergeability (`git merge-tree --write-tree` of base and
 * head), commit count and diff statistics, and the `refs/pull/N/merge` test-merge commit.
 */
import { GitRepo } from './git.js'
import { diffFiles } from './gitdiff.js'
import { pullPayload } from './shapes.js'
import type { SimIssue, SimRepo, SimState } from './state.js'

/** What GitHub computes about a pull request in the background. */
export interface PullDetails {
  mergeable: boolean | null
  mergeableState: string
  commits: number
  additions: number
  deletions: number
  changedFiles: number
}

/** The fields of the full pull-request shape that the listing (pull-request-simple) does not have. */
const FULL_ONLY = ['merged', 'mergeable', 'rebaseable', 'mergeable_state', 'merged_by', 'comments', 'review_comments', 'maintainer_can_modify', 'commits', 'additions', 'deletions', 'changed_files']

/** Returns the merge base and head a pull request's diff is taken between. */
export async function pullRange(state: SimState, repo: SimRepo, issue: SimIssue): Promise<{ git: GitRepo; base: string; head: string; mergeBase: string | null }> {
  const pull = issue.pull!
  const git = new GitRepo(repo.gitDir)
  if (issue.state === 'open') {
    // An open pull request is always measured against the base branch as it is now.
    const live = await git.resolve(`refs/heads/${pull.base.ref}`)
    if (live) pull.base.sha = live
  }
  return { git, base: pull.base.sha, head: pull.head.sha, mergeBase: await git.mergeBase(pull.base.sha, pull.head.sha) }
}

/**
 * Computes mergeability and statistics. For a mergeable open pull request it also writes the
 * test-merge commit to `refs/pull/N/merge` and reports it as `merge_commit_sha`, as GitHub does.
 */
export async function pullDetails(state: SimState, repo: SimRepo, issue: SimIssue): Promise<PullDetails> {
  const pull = issue.pull!
  const { git, base, head, mergeBase } = await pullRange(state, repo, issue)
  const commits = (await git.revList([`${base}..${head}`, '--'])).length
  const files = await diffFiles(git, mergeBase, head, false)
  const stats = {
    commits,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changedFiles: files.length
  }
  if (pull.merged) return { ...stats, mergeable: null, mergeableState: 'unknown' }
  const merge = await git.mergeTree(base, head)
  if (issue.state === 'open') {
    if (merge.clean) {
      const test = await git.commitTree(merge.tree, [base, head], `Merge ${head} into ${base}`)
      await git.updateRef(`refs/pull/${issue.number}/merge`, test)
      pull.mergeCommitSha = test
    } else {
      if (await git.resolve(`refs/pull/${issue.number}/merge`)) await git.deleteRef(`refs/pull/${issue.number}/merge`)
      pull.mergeCommitSha = null
    }
  }
  return { ...stats, mergeable: merge.clean, mergeableState: merge.clean ? 'clean' : 'dirty' }
}

/** Returns the full pull-request shape with mergeability and statistics computed from git. */
export async function fullPullPayload(state: SimState, repo: SimRepo, issue: SimIssue): Promise<Record<string, unknown>> {
  return pullPayload(state, repo, issue, await pullDetails(state, repo, issue))
}

/** Returns the pull-request shape webhooks carry: real statistics, mergeability not yet computed. */
export async function eventPullPayload(state: SimState, repo: SimRepo, issue: SimIssue): Promise<Record<string, unknown>> {
  const details = await pullDetails(state, repo, issue)
  return pullPayload(state, repo, issue, { ...details, mergeable: null, mergeableState: 'unknown' })
}

/** Returns the pull-request-simple shape that listings use. */
export function simplePullPayload(state: SimState, repo: SimRepo, issue: SimIssue): Record<string, unknown> {
  const full = pullPayload(state, repo, issue, { mergeable: null, mergeableState: 'unknown', commits: 0, additions: 0, deletions: 0, changedFiles: 0 })
  for (const key of FULL_ONLY) delete full[key]
  // pull-request-simple documents label descriptions as strings, where the full shape allows null.
  full.labels = (full.labels as { description: string | null }[]).map((l) => ({ ...l, description: l.description ?? '' }))
  return full
}
