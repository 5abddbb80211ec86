/**
 * `/shepherd freeze`: the freeze of base branch B is the branch `shepherd/freeze/<B>`, pointing at
 * a commit on top of B's head with B's tree (no change) whose message records who froze it, when
 * and why. GitHub is the only store: the ref present means frozen, deleting it unfreezes.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { baseBranchProblem, oneLine } from './merge-queue-batch-message.js'

/** Who froze a branch, when, and why (the reason is untrusted text, one line). */
export interface QueueFreeze {
  base: string
  by: string
  /** ISO time from the freeze commit's message. */
  at: string
  /** Empty when none was given. */
  reason: string
}

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\[bot\])?$/

/** Returns the branch (without `refs/heads/`) that freezes `base`. Throws on a bad base name. */
export function freezeBranch(base: string): string {
  const problem = baseBranchProblem(base)
  if (problem) throw new Error(problem)
  return `shepherd/freeze/${base}`
}

/** Returns the freeze commit's message. Throws on a login GitHub would not issue. */
export function freezeMessage(freeze: QueueFreeze): string {
  if (!LOGIN.test(freeze.by)) throw new Error(`"${freeze.by}" is not a GitHub login`)
  const reason = oneLine(freeze.reason)
  return `shepherd: freeze ${freeze.base}\n\nFrozen-By: ${freeze.by}\nFrozen-At: ${freeze.at}${reason ? `\nReason: ${reason}` : ''}\n`
}

/**
 * Reads a freeze commit's message back. A message that is not one (someone pushed the branch by
 * hand) still freezes: who and when are then unknown, and the reason says so.
 */
export function parseFreezeMessage(base: string, message: string): QueueFreeze {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(message)?.[1]?.trim() ?? ''
  const by = field('Frozen-By')
  if (!LOGIN.test(by)) return { base, by: 'unknown', at: '', reason: `the branch ${freezeBranch(base)} exists but was not written by Shepherd` }
  return { base, by, at: field('Frozen-At'), reason: oneLine(field('Reason')) }
}

/** Returns the current freeze of `base`, or null when it is not frozen. */
export async function readFreeze(client: GitHubClient, where: RepoRef, base: string): Promise<QueueFreeze | null> {
  let sha: string
  try {
    sha = (await client.rest.git.getRef({ ...where, ref: `heads/${freezeBranch(base)}` })).data.object.sha
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null
    throw err
  }
  const { data } = await client.rest.git.getCommit({ ...where, commit_sha: sha })
  return parseFreezeMessage(base, data.message)
}

/**
 * Freezes `freeze.base`: writes the freeze commit and creates the ref. Returns 'created', or
 * 'exists' when the branch was already frozen (a concurrent freeze won; nothing is overwritten).
 * Throws when the base branch does not exist.
 */
export async function createFreeze(client: GitHubClient, where: RepoRef, freeze: QueueFreeze): Promise<'created' | 'exists'> {
  const branch = freezeBranch(freeze.base)
  const message = freezeMessage(freeze)
  let head: string
  try {
    head = (await client.rest.git.getRef({ ...where, ref: `heads/${freeze.base}` })).data.object.sha
  } catch (err) {
    if ((err as { status?: number }).status === 404) throw new Error(`base branch ${freeze.base} does not exist: there is nothing to freeze`)
    throw err
  }
  const { data: parent } = await client.rest.git.getCommit({ ...where, commit_sha: head })
  const { data: commit } = await client.rest.git.createCommit({ ...where, message, tree: parent.tree.sha, parents: [head] })
  try {
    await client.rest.git.createRef({ ...where, ref: `refs/heads/${branch}`, sha: commit.sha })
  } catch (err) {
    // 422 "Reference already exists": frozen meanwhile; the first freeze stands.
    const e = err as { status?: number; message?: string }
    if (e.status === 422 && /already exists/i.test(e.message ?? '')) return 'exists'
    throw err
  }
  return 'created'
}

/** Unfreezes `base` by deleting its freeze branch. Returns 'deleted', or 'absent' when it was not frozen. */
export async function deleteFreeze(client: GitHubClient, where: RepoRef, base: string): Promise<'deleted' | 'absent'> {
  try {
    await client.rest.git.deleteRef({ ...where, ref: `heads/${freezeBranch(base)}` })
  } catch (err) {
    const status = (err as { status?: number }).status
    if (status === 404 || status === 422) return 'absent'
    throw err
  }
  return 'deleted'
}
