/**
 * The merge queue's read of GitHub for one base branch: every open pull request into it (labels,
 * draft, mergeability, author, the check and status rollup of its head), the base's head SHA, and
 * the batch branches under `refs/heads/shepherd/queue/<base>/` with their head commits and rollups.
 * One GraphQL request for up to 100 pull requests and 100 batches, one more per further 100.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { batchPrefix, BatchMessageError, parseBatchMessage, type BatchMetadata } from './merge-queue-batch-message.js'
import { freezeBranch, parseFreezeMessage, type QueueFreeze } from './queue-freeze.js'
import { parseQueueVerdict, type QueueVerdict } from '../core/test-report/queue-verdict.js'

/** A check run or commit status on a commit, reduced to what the queue decides on. */
export interface CheckContext {
  /** Check run name or status context. */
  name: string
  kind: 'check' | 'status'
  /** Check runs: pending until completed; success for success, neutral and skipped conclusions. */
  state: 'success' | 'failure' | 'pending' | 'error'
  /** Status description or check run conclusion (lower case), when there is one. */
  description: string | null
  /** When a status was set (null for check runs). */
  createdAt: string | null
  /** On a batch head's check run: test-report's verdict marker in its `output.text`, when it carries one. */
  queueVerdict?: QueueVerdict
}

/** An open pull request into the base branch. */
export interface QueuePull {
  number: number
  title: string
  author: string | null
  headSha: string
  headRef: string
  labels: string[]
  draft: boolean
  mergeable: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN'
  updatedAt: string
  /** The head commit's check runs and statuses (latest per name). */
  checks: CheckContext[]
}

/** A batch branch and what its head commit says. */
export interface QueueBatch {
  /** Branch name without `refs/heads/`. */
  branch: string
  /** The last path segment. */
  id: string
  sha: string
  message: string
  committedDate: string
  /** The trailer block, or null when the message has none (see `problem`). */
  meta: BatchMetadata | null
  problem: string | null
  checks: CheckContext[]
}

export interface QueueState {
  base: string
  /** The base branch's head, or null when the branch does not exist. */
  baseSha: string | null
  /** The base head's commit message (after a fast-forward it carries the landed batch's trailers), or null. */
  baseMessage: string | null
  pulls: QueuePull[]
  batches: QueueBatch[]
  /** The `/shepherd freeze` of this base (the branch `shepherd/freeze/<base>`), or null. */
  freeze?: QueueFreeze | null
}

const rollupQuery = (checkRunFields: string) => `statusCheckRollup { contexts(first: 100) { nodes { __typename
  ... on CheckRun { ${checkRunFields} }
  ... on StatusContext { context state description createdAt } } } }`
const ROLLUP = rollupQuery('name status conclusion')
// Batch heads also bring each check run's output text: test-report's verdict marker is there
// (src/core/test-report/queue-verdict.ts), so a failure on flaky tests can be retried.
const BATCH_ROLLUP = rollupQuery('name status conclusion text')

const PULLS = `pullRequests(states: OPEN, baseRefName: $base, first: 100, after: $pullCursor, orderBy: { field: CREATED_AT, direction: ASC }) {
  pageInfo { hasNextPage endCursor }
  nodes { number title headRefOid headRefName isDraft mergeable updatedAt author { login } labels(first: 100) { nodes { name } }
    commits(last: 1) { nodes { commit { oid ${ROLLUP} } } } } }`

const BATCHES = `refs(refPrefix: $prefix, first: 100, after: $batchCursor) {
  pageInfo { hasNextPage endCursor }
  nodes { name target { ... on Commit { oid message committedDate ${BATCH_ROLLUP} } } } }`

interface RawContext {
  __typename: string
  name?: string
  status?: string
  conclusion?: string | null
  context?: string
  state?: string
  description?: string | null
  createdAt?: string
  text?: string | null
}
type Rollup = { contexts: { nodes: RawContext[] } } | null
interface RawPull {
  number: number
  title: string
  headRefOid: string
  headRefName: string
  isDraft: boolean
  mergeable: QueuePull['mergeable']
  updatedAt: string
  author: { login: string } | null
  labels: { nodes: { name: string }[] }
  commits: { nodes: { commit: { oid: string; statusCheckRollup: Rollup } }[] }
}
interface RawRef {
  name: string
  target: { oid?: string; message?: string; committedDate?: string; statusCheckRollup?: Rollup }
}
interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  nodes: T[]
}

/** Returns the contexts of a rollup in the queue's terms. */
export function rollupContexts(rollup: Rollup | undefined): CheckContext[] {
  return (rollup?.contexts.nodes ?? []).map((c): CheckContext => {
    if (c.__typename === 'CheckRun') {
      const conclusion = c.conclusion?.toLowerCase() ?? null
      const state = c.status !== 'COMPLETED' ? 'pending' : ['success', 'neutral', 'skipped'].includes(conclusion ?? '') ? 'success' : 'failure'
      const verdict = parseQueueVerdict(c.text)
      return { name: c.name ?? '', kind: 'check', state, description: conclusion, createdAt: null, ...(verdict ? { queueVerdict: verdict } : {}) }
    }
    const state = (c.state ?? 'PENDING').toLowerCase()
    return {
      name: c.context ?? '',
      kind: 'status',
      state: state === 'expected' ? 'pending' : (state as CheckContext['state']),
      description: c.description ?? null,
      createdAt: c.createdAt ?? null
    }
  })
}

/**
 * Reads the queue's view of `base`. Returns pull requests oldest first and batches by name.
 * Throws when GitHub refuses the query (the repository does not exist, say).
 */
export async function readQueueState(client: GitHubClient, where: RepoRef, options: { base: string }): Promise<QueueState> {
  const prefix = `refs/heads/${batchPrefix(options.base)}`
  const state: QueueState = { base: options.base, baseSha: null, baseMessage: null, pulls: [], batches: [], freeze: null }
  let pullCursor: string | null = null
  let batchCursor: string | null = null
  let morePulls = true
  let moreBatches = true
  for (let first = true; morePulls || moreBatches; first = false) {
    const fields: string = [first ? `baseRef: ref(qualifiedName: $baseRef) { target { oid ... on Commit { message } } }\nfreezeRef: ref(qualifiedName: $freezeRef) { target { oid ... on Commit { message } } }` : '', morePulls ? PULLS : '', moreBatches ? BATCHES : ''].join('\n')
    const decl: string[] = [
      '$owner: String!',
      '$name: String!',
      ...(first ? ['$baseRef: String!', '$freezeRef: String!'] : []),
      ...(morePulls ? ['$base: String!', '$pullCursor: String'] : []),
      ...(moreBatches ? ['$prefix: String!', '$batchCursor: String'] : [])
    ]
    const query: string = `query MergeQueueState(${decl.join(', ')}) { repository(owner: $owner, name: $name) {\n${fields}\n} }`
    const variables: Record<string, unknown> = { owner: where.owner, name: where.repo }
    if (first) Object.assign(variables, { baseRef: `refs/heads/${options.base}`, freezeRef: `refs/heads/${freezeBranch(options.base)}` })
    if (morePulls) Object.assign(variables, { base: options.base, pullCursor })
    if (moreBatches) Object.assign(variables, { prefix, batchCursor })
    type Target = { target: { oid: string; message?: string } } | null
    type Data = { repository: { baseRef?: Target; freezeRef?: Target; pullRequests?: Page<RawPull>; refs?: Page<RawRef> } }
    const data: Data = await client.graphql<Data>(query, variables)
    const repo: Data['repository'] = data.repository
    if (first) {
      state.baseSha = repo.baseRef?.target.oid ?? null
      state.baseMessage = repo.baseRef?.target.message ?? null
      if (repo.freezeRef) state.freeze = parseFreezeMessage(options.base, repo.freezeRef.target.message ?? '')
    }
    if (repo.pullRequests) {
      for (const p of repo.pullRequests.nodes) state.pulls.push(pullOf(p))
      morePulls = repo.pullRequests.pageInfo.hasNextPage
      pullCursor = repo.pullRequests.pageInfo.endCursor
    }
    if (repo.refs) {
      for (const r of repo.refs.nodes) {
        const batch = batchOf(r, options.base)
        if (batch) state.batches.push(batch)
      }
      moreBatches = repo.refs.pageInfo.hasNextPage
      batchCursor = repo.refs.pageInfo.endCursor
    }
  }
  return state
}

function pullOf(p: RawPull): QueuePull {
  const head = p.commits.nodes[0]?.commit
  return {
    number: p.number,
    title: p.title,
    author: p.author?.login ?? null,
    headSha: p.headRefOid,
    headRef: p.headRefName,
    labels: p.labels.nodes.map((l) => l.name),
    draft: p.isDraft,
    mergeable: p.mergeable,
    updatedAt: p.updatedAt,
    // The rollup belongs to the last commit; should it lag behind the head, the head has no results yet.
    checks: head && head.oid === p.headRefOid ? rollupContexts(head.statusCheckRollup) : []
  }
}

function batchOf(r: RawRef, base: string): QueueBatch | null {
  // A deeper name belongs to a base whose name extends this one (`main/x`), not to this queue.
  if (r.name.includes('/') || !r.target.oid) return null
  let meta: BatchMetadata | null = null
  let problem: string | null = null
  try {
    meta = parseBatchMessage(r.target.message ?? '')
  } catch (err) {
    if (!(err instanceof BatchMessageError)) throw err
    problem = err.message
  }
  if (meta && (meta.id !== r.name || meta.base !== base)) {
    problem = `batch branch ${batchPrefix(base)}${r.name} carries the metadata of batch ${meta.id} into ${meta.base}`
    meta = null
  }
  return {
    branch: `${batchPrefix(base)}${r.name}`,
    id: r.name,
    sha: r.target.oid,
    message: r.target.message ?? '',
    committedDate: r.target.committedDate ?? '',
    meta,
    problem,
    checks: rollupContexts(r.target.statusCheckRollup)
  }
}
