/**
 * Landing a tested batch: fast-forward the base branch to the batch head (the exact tested tree
 * lands, and GitHub marks each member merged when its head reaches the base), or merge each
 * member through the API with the head SHA guard. Both refuse when the base is not where the
 * batch was built, so an untested tree never lands.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'

const status = (err: unknown) => (err as { status?: number }).status

export type FastForwardResult =
  | { outcome: 'applied'; sha: string }
  /** The base is already at the batch head (a re-run after a crash). */
  | { outcome: 'unchanged'; sha: string }
  /** The base is not where the batch was built: nothing was changed. */
  | { outcome: 'base-moved'; actual: string | null }

/**
 * Moves `refs/heads/<base>` from `expected` to `to` with `force: false`, so GitHub refuses
 * anything but a fast-forward even if the base moves between the read and the write. Two
 * requests (read, update); one when the base is already there or elsewhere.
 * Throws when GitHub refuses for another reason (permissions, branch protection).
 */
export async function fastForwardBase(client: GitHubClient, where: RepoRef, options: { base: string; to: string; expected: string }): Promise<FastForwardResult> {
  const ref = `heads/${options.base}`
  let actual: string | null = null
  try {
    actual = (await client.rest.git.getRef({ ...where, ref })).data.object.sha
  } catch (err) {
    if (status(err) !== 404) throw err
  }
  if (actual === options.to) return { outcome: 'unchanged', sha: options.to }
  if (actual !== options.expected) return { outcome: 'base-moved', actual }
  try {
    await client.rest.git.updateRef({ ...where, ref, sha: options.to, force: false })
  } catch (err) {
    // 422 "Update is not a fast forward": someone moved the base after our read.
    if (status(err) !== 422) throw err
    const now = (await client.rest.git.getRef({ ...where, ref })).data.object.sha
    return now === options.to ? { outcome: 'unchanged', sha: now } : { outcome: 'base-moved', actual: now }
  }
  return { outcome: 'applied', sha: options.to }
}

export type MergeMethod = 'merge' | 'squash' | 'rebase'

export type MergePullResult =
  | { outcome: 'applied'; sha: string }
  /** Already merged (a re-run after a crash). */
  | { outcome: 'unchanged'; sha: string | null }
  /** The head is not the SHA that was batched and tested. */
  | { outcome: 'head-moved' }
  | { outcome: 'base-moved'; actual: string | null }
  /** GitHub refused: conflicts, a draft, branch protection; `reason` is its message. */
  | { outcome: 'not-mergeable'; reason: string }

export interface MergePullOptions {
  number: number
  /** The head SHA that was batched: GitHub merges only if the head is still this commit. */
  sha: string
  method: MergeMethod
  /**
   * When given, the base branch must be at this SHA before the merge (one more request). GitHub's
   * merge has no base guard, so a move in between is not caught; the fast-forward path has none of this gap.
   */
  expectedBase?: { base: string; sha: string }
  commitTitle?: string
}

/**
 * Merges one pull request through the API with the head SHA guard. Returns the new base SHA, or
 * why it did not merge. One request, plus one when `expectedBase` is given and one when GitHub
 * refuses (to tell "already merged" from "not mergeable"). Throws on other failures.
 */
export async function mergePullRequest(client: GitHubClient, where: RepoRef, options: MergePullOptions): Promise<MergePullResult> {
  if (options.expectedBase) {
    let actual: string | null = null
    try {
      actual = (await client.rest.git.getRef({ ...where, ref: `heads/${options.expectedBase.base}` })).data.object.sha
    } catch (err) {
      if (status(err) !== 404) throw err
    }
    if (actual !== options.expectedBase.sha) return { outcome: 'base-moved', actual }
  }
  try {
    const { data } = await mergeOnce(client, where, options)
    return { outcome: 'applied', sha: data.sha }
  } catch (err) {
    const code = status(err)
    if (code === 409) return { outcome: 'head-moved' }
    if (code !== 405 && code !== 422) throw err
    const { data: pr } = await client.rest.pulls.get({ ...where, pull_number: options.number })
    if (pr.merged) return pr.head.sha === options.sha ? { outcome: 'unchanged', sha: pr.merge_commit_sha } : { outcome: 'head-moved' }
    return { outcome: 'not-mergeable', reason: (err as Error).message }
  }
}

/**
 * One merge call. The client retries 5xx answers; GitHub's 405 ("not mergeable") is not retried
 * (client.ts). A merge retried after a lost answer is safe: the SHA guard holds, and "already
 * merged" is recognized.
 */
function mergeOnce(client: GitHubClient, where: RepoRef, options: MergePullOptions) {
  return client.rest.pulls.merge({
    ...where,
    pull_number: options.number,
    sha: options.sha,
    merge_method: options.method,
    ...(options.commitTitle ? { commit_title: options.commitTitle } : {})
  })
}
