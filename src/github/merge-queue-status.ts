/**
 * What a pull request's author sees of the queue: the `shepherd/merge-queue` commit status on the
 * head (Tide-style: "In batch 12 with #3, #7", "Not mergeable: missing label approved"), and one
 * sticky comment found by its hidden marker. Both are written only when they change.
 */
import type { GitHubClient } from './client.js'
import { applyEffects, type AppliedEffect, type RepoRef } from './apply.js'
import { batchRead, type GraphqlPart } from './graphql.js'
import { QUEUE_CONTEXT } from './merge-queue-ci.js'
import type { CheckContext } from './merge-queue-state.js'

/** The sticky comment's marker (`<!-- shepherd:merge-queue -->`). */
export const QUEUE_COMMENT_MARKER = 'merge-queue'

/** GitHub's limit on a commit status description. */
export const MAX_DESCRIPTION = 140

/** Returns a description cut to GitHub's 140 characters (with an ellipsis when cut). */
export function statusDescription(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > MAX_DESCRIPTION ? `${flat.slice(0, MAX_DESCRIPTION - 1)}…` : flat
}

export interface QueueStatusOptions {
  /** The pull request's head SHA. */
  sha: string
  state: 'pending' | 'success' | 'failure' | 'error'
  description: string
  targetUrl?: string
  /** The head's contexts as readQueueState read them; the write is skipped when ours already says this. */
  current: CheckContext[]
}

/**
 * Sets the queue's status on a head unless it already has this state and description. Returns
 * 'applied' (one request) or 'unchanged' (none). Throws when GitHub refuses.
 */
export async function setQueueStatus(client: GitHubClient, where: RepoRef, options: QueueStatusOptions): Promise<'applied' | 'unchanged'> {
  const description = statusDescription(options.description)
  const ours = options.current.find((c) => c.kind === 'status' && c.name === QUEUE_CONTEXT)
  if (ours && ours.state === options.state && (ours.description ?? '') === description) return 'unchanged'
  await client.rest.repos.createCommitStatus({
    ...where,
    sha: options.sha,
    context: QUEUE_CONTEXT,
    state: options.state,
    description,
    ...(options.targetUrl ? { target_url: options.targetUrl } : {})
  })
  return 'applied'
}

export interface QueueCommentOptions {
  pull: number
  /** Markdown; anything untrusted in it must already be escaped. */
  body: string
  /** Login Shepherd writes as (only its own comment is edited). */
  self: string
  dryRun?: boolean
  /** The pull request's comments as readQueueComments read them (complete); saves the read. */
  known?: KnownComment[]
}

/** A comment as the effect applier matches it. */
export interface KnownComment {
  id: number
  login: string
  body: string
}

/**
 * Creates or edits the queue's sticky comment through the effect applier (`comment.upsert`):
 * one read of the comments, and one write only when the body changed.
 */
export async function upsertQueueComment(client: GitHubClient, where: RepoRef, options: QueueCommentOptions): Promise<AppliedEffect> {
  const [done] = await applyEffects(client, where, [{ type: 'comment.upsert', issue: options.pull, marker: QUEUE_COMMENT_MARKER, body: options.body }], {
    self: options.self,
    dryRun: options.dryRun,
    ...(options.known ? { knownComments: { [options.pull]: options.known } } : {})
  })
  return done
}

/**
 * Reads the comments of many pull requests in one GraphQL request per 25, for upsertQueueComment's
 * `known`. A pull request with more than 100 comments is left out (the applier then lists its
 * comments itself), so what is returned is always complete; so is one GitHub cannot resolve (a
 * NOT_FOUND error for it alone, the others' data still read). Throws on any other GraphQL error.
 */
export async function readQueueComments(client: GitHubClient, where: RepoRef, pulls: number[]): Promise<Record<number, KnownComment[]>> {
  const parts: Record<string, GraphqlPart> = {}
  for (const n of new Set(pulls)) {
    parts[`p${n}`] = {
      field: 'repository(owner: $owner, name: $name)',
      selection: '{ pullRequest(number: $number) { comments(first: 100) { totalCount nodes { databaseId body author { __typename login } } } } }',
      variables: { owner: ['String!', where.owner], name: ['String!', where.repo], number: ['Int!', n] }
    }
  }
  const data = (await batchRead(client, parts).catch(partialIfNotFound)) as Record<string, { pullRequest: { comments: { totalCount: number; nodes: { databaseId: number; body: string; author: { __typename: string; login: string } | null }[] } } | null }>
  const out: Record<number, KnownComment[]> = {}
  for (const n of new Set(pulls)) {
    const comments = data[`p${n}`]?.pullRequest?.comments
    if (!comments || comments.totalCount > comments.nodes.length) continue
    // GraphQL names bots without the `[bot]` suffix REST uses; the applier compares REST logins.
    out[n] = comments.nodes.map((c) => ({ id: c.databaseId, body: c.body, login: restLogin(c.author) }))
  }
  return out
}

/** The data of a GraphQL answer whose every error is NOT_FOUND (the unresolved fields are null); else rethrows. */
function partialIfNotFound(err: unknown): Record<string, unknown> {
  const e = err as { errors?: { type?: string }[]; data?: Record<string, unknown> }
  if (e && Array.isArray(e.errors) && e.errors.length && e.errors.every((x) => x.type === 'NOT_FOUND') && e.data) return e.data
  throw err
}

function restLogin(author: { login: string; __typename: string } | null): string {
  return !author ? 'ghost' : author.__typename === 'Bot' ? `${author.login}[bot]` : author.login
}
