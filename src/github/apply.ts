/**
 * The effect applier: makes each planned effect true in GitHub, reading first so that a re-run
 * after a crash converges instead of duplicating (labels by set difference, comments found by
 * their hidden marker, refs moved only from the SHA the plan expected).
 */
import type { GitHubClient } from './client.js'
import { MutationBatch, type GraphqlIds } from './mutations.js'
import { cherryPick } from './cherrypick.js'
import { createFreeze, deleteFreeze } from './queue-freeze.js'
import {
  commentMarker,
  describeEffect,
  type AssigneesChange,
  type CommentCreate,
  type CommentUpsert,
  type Effect,
  type IssueUpdate,
  type RefUpdate,
  type ReviewersChange,
  type StatusSet
} from '../core/effects.js'

export interface RepoRef {
  owner: string
  repo: string
}

export type Outcome = 'applied' | 'unchanged' | 'planned'

export interface AppliedEffect {
  effect: Effect
  outcome: Outcome
  description: string
}

export interface ApplyOptions {
  /** Report what would change and change nothing. */
  dryRun?: boolean
  /** Login Shepherd writes as; only its own comments are upserted. */
  self: string
  /** Labels per issue as the snapshot just read them, so the applier need not read them again. */
  knownLabels?: Record<number, string[]>
  /** Assignees per issue as the snapshot just read them. */
  knownAssignees?: Record<number, string[]>
  /** Comments per issue (id, author login, body) as the snapshot just read them, complete. */
  knownComments?: Record<number, { id: number; login: string; body: string }[]>
  /**
   * Node ids of the item, its repository's labels, the actors and the comments: with them, label,
   * assignee and comment changes on that item go out as one GraphQL mutation instead of one REST
   * call each.
   */
  graphql?: GraphqlIds
  /** What git needs for cherry-picks: the token and the server's URL. */
  git?: { token: string; serverUrl: string }
  log?: (message: string) => void
}

export class EffectFailedError extends Error {
  constructor(
    readonly effect: Effect,
    readonly done: AppliedEffect[],
    cause: unknown
  ) {
    super(`could not ${describeEffect(effect)}: ${(cause as Error).message ?? cause}`)
  }
}

/**
 * Applies effects in order and returns what each did. Labels on one issue are read once.
 * Throws EffectFailedError at the first effect GitHub refuses, listing what was done before it.
 */
export async function applyEffects(client: GitHubClient, where: RepoRef, effects: Effect[], options: ApplyOptions): Promise<AppliedEffect[]> {
  const done: AppliedEffect[] = []
  const labels = new Map<number, Set<string>>(
    Object.entries(options.knownLabels ?? {}).map(([n, list]) => [Number(n), new Set(list.map((l) => l.toLowerCase()))])
  )
  const currentLabels = async (issue: number): Promise<Set<string>> => {
    let set = labels.get(issue)
    if (!set) {
      const list = await client.paginate(client.rest.issues.listLabelsOnIssue, { ...where, issue_number: issue, per_page: 100 })
      set = new Set(list.map((l) => l.name.toLowerCase()))
      labels.set(issue, set)
    }
    return set
  }
  const comments = new Map<number, { id: number; body: string; login: string }[]>(
    Object.entries(options.knownComments ?? {}).map(([n, list]) => [Number(n), list.map((c) => ({ ...c }))])
  )
  const assignees = new Map<number, Set<string>>(Object.entries(options.knownAssignees ?? {}).map(([n, list]) => [Number(n), new Set(list.map((a) => a.toLowerCase()))]))
  const batch = new MutationBatch()
  // Effects written through the pending batch: reported once it has gone out.
  let pending: AppliedEffect[] = []
  const flush = async () => {
    if (!batch.size) return
    try {
      await batch.flush(client)
    } catch (err) {
      throw new EffectFailedError(pending[0].effect, done, err)
    }
    for (const p of pending) {
      done.push(p)
      options.log?.(`${p.outcome}: ${p.description}`)
    }
    pending = []
  }
  for (const effect of effects) {
    const record = (outcome: Outcome) => {
      const item = { effect, outcome, description: describeEffect(effect) }
      done.push(item)
      options.log?.(`${outcome}: ${item.description}`)
    }
    if (!options.dryRun && options.graphql && (await batched(effect, options.graphql, batch, { labels: currentLabels, assignees, comments }, options.self))) {
      if (batch.size > pending.length) pending.push({ effect, outcome: 'applied', description: describeEffect(effect) })
      else record('unchanged')
      continue
    }
    // REST effects do not wait for the batch: what the batch holds does not depend on them, and
    // one mutation at the end keeps a command to one write.
    try {
      switch (effect.type) {
        case 'label.add': {
          const set = await currentLabels(effect.issue)
          if (set.has(effect.label.toLowerCase())) record('unchanged')
          else if (options.dryRun) record('planned')
          else {
            await client.rest.issues.addLabels({ ...where, issue_number: effect.issue, labels: [effect.label] })
            set.add(effect.label.toLowerCase())
            record('applied')
          }
          break
        }
        case 'label.remove': {
          const set = await currentLabels(effect.issue)
          if (!set.has(effect.label.toLowerCase())) record('unchanged')
          else if (options.dryRun) record('planned')
          else {
            await removeLabel(client, where, effect.issue, effect.label)
            set.delete(effect.label.toLowerCase())
            record('applied')
          }
          break
        }
        case 'comment.upsert':
          record(await upsertComment(client, where, effect, options, comments))
          break
        case 'status.set':
          record(await setStatus(client, where, effect, options))
          break
        case 'ref.update':
          record(await updateRef(client, where, effect, options))
          break
        case 'workflow.dispatch':
          if (options.dryRun) record('planned')
          else {
            await client.rest.actions.createWorkflowDispatch({ ...where, workflow_id: effect.workflow, ref: effect.ref, inputs: effect.inputs })
            record('applied')
          }
          break
        case 'comment.create':
          record(await createComment(client, where, effect, options, comments))
          break
        case 'issue.update':
          record(await updateIssue(client, where, effect, options))
          break
        case 'assignees.add':
        case 'assignees.remove':
          record(await changeAssignees(client, where, effect, options, assignees))
          break
        case 'reviewers.request':
        case 'reviewers.remove':
          record(await changeReviewers(client, where, effect, options))
          break
        case 'workflow.rerun': {
          // A run already started again is not started a second time by a re-run of Shepherd.
          const { data: run } = await client.rest.actions.getWorkflowRun({ ...where, run_id: effect.runId })
          if (run.status !== 'completed') record('unchanged')
          else if (options.dryRun) record('planned')
          else {
            await client.rest.actions.reRunWorkflowFailedJobs({ ...where, run_id: effect.runId })
            record('applied')
          }
          break
        }
        case 'cherrypick': {
          if (!options.git) throw new Error('cherry-picks need the git settings (token and server URL)')
          const result = await cherryPick(client, where, effect, { ...options.git, dryRun: options.dryRun })
          const say = (body: string) =>
            createComment(client, where, { type: 'comment.create', issue: effect.pull, body, marker: `cherry-pick-${effect.branch}` }, options, comments)
          if (result.outcome === 'conflict') {
            await say(`@${effect.requester}: #${effect.pull} failed to apply on top of branch \`${effect.branch}\`: conflicts in ${result.files.map((f) => `\`${f}\``).join(', ') || 'the change'}. Cherry-pick it by hand.`)
            record('applied')
          } else {
            if (result.outcome === 'applied') await say(`@${effect.requester}: new pull request created: #${result.pull}`)
            record(result.outcome)
          }
          break
        }
        case 'queue.freeze':
          if (options.dryRun) record('planned')
          else record((await createFreeze(client, where, { base: effect.base, by: effect.by, at: new Date().toISOString(), reason: effect.reason })) === 'created' ? 'applied' : 'unchanged')
          break
        case 'queue.unfreeze':
          if (options.dryRun) record('planned')
          else record((await deleteFreeze(client, where, effect.base)) === 'deleted' ? 'applied' : 'unchanged')
          break
        default:
          throw new Error(`the applier does not handle ${(effect as Effect).type} effects yet`)
      }
    } catch (err) {
      throw new EffectFailedError(effect, done, err)
    }
  }
  await flush()
  return done
}

interface KnownState {
  labels: (issue: number) => Promise<Set<string>>
  assignees: Map<number, Set<string>>
  comments: Map<number, { id: number; body: string; login: string }[]>
}

/**
 * Adds the effect to the mutation batch when GraphQL can write it (it is on the snapshot's item
 * and every node id is known) and it changes something. Returns whether the batch took it or it
 * needs no write; false means: apply it through REST.
 */
async function batched(effect: Effect, ids: GraphqlIds, batch: MutationBatch, known: KnownState, self: string): Promise<boolean> {
  const onItem = (n: number) => n === ids.number
  switch (effect.type) {
    case 'label.add':
    case 'label.remove': {
      const id = ids.labels[effect.label.toLowerCase()]
      if (!onItem(effect.issue) || !id) return false
      const set = await known.labels(effect.issue)
      const adding = effect.type === 'label.add'
      if (set.has(effect.label.toLowerCase()) === adding) return true
      batch.add(adding ? 'addLabelsToLabelable' : 'removeLabelsFromLabelable', adding ? 'AddLabelsToLabelableInput' : 'RemoveLabelsFromLabelableInput', { labelableId: ids.item, labelIds: [id] })
      if (adding) set.add(effect.label.toLowerCase())
      else set.delete(effect.label.toLowerCase())
      return true
    }
    case 'assignees.add':
    case 'assignees.remove': {
      const current = known.assignees.get(effect.issue)
      const userIds = effect.logins.map((l) => ids.users[l.toLowerCase()])
      if (!onItem(effect.issue) || !current || userIds.some((u) => !u)) return false
      const adding = effect.type === 'assignees.add'
      const change = effect.logins.filter((l) => current.has(l.toLowerCase()) !== adding)
      if (!change.length) return true
      const input = { assignableId: ids.item, assigneeIds: change.map((l) => ids.users[l.toLowerCase()]) }
      batch.add(adding ? 'addAssigneesToAssignable' : 'removeAssigneesFromAssignable', adding ? 'AddAssigneesToAssignableInput' : 'RemoveAssigneesFromAssignableInput', input)
      for (const l of change) {
        if (adding) current.add(l.toLowerCase())
        else current.delete(l.toLowerCase())
      }
      return true
    }
    case 'comment.create':
    case 'comment.upsert': {
      const comments = known.comments.get(effect.issue)
      if (!onItem(effect.issue) || !comments) return false
      const marker = effect.type === 'comment.upsert' ? commentMarker(effect.marker) : effect.marker ? commentMarker(effect.marker) : null
      const body = marker ? `${marker}\n${effect.body}` : effect.body
      const mine = marker ? comments.find((c) => c.login === self && c.body.startsWith(marker)) : undefined
      if (mine && (effect.type === 'comment.create' || mine.body === body)) return true
      if (mine) {
        const nodeId = ids.comments[mine.id]
        if (!nodeId) return false
        batch.add('updateIssueComment', 'UpdateIssueCommentInput', { id: nodeId, body })
        mine.body = body
      } else {
        batch.add('addComment', 'AddCommentInput', { subjectId: ids.item, body })
        comments.push({ id: -1, body, login: self })
      }
      return true
    }
    default:
      return false
  }
}

async function removeLabel(client: GitHubClient, where: RepoRef, issue: number, label: string): Promise<void> {
  try {
    await client.rest.issues.removeLabel({ ...where, issue_number: issue, name: label })
  } catch (err) {
    // Someone removed it between our read and our write: the result is what we wanted.
    if ((err as { status?: number }).status !== 404) throw err
  }
}

/** Lists an issue's comments once per run (replies and upserts on one issue share the read). */
async function commentsOf(client: GitHubClient, where: RepoRef, issue: number, cache: Map<number, { id: number; body: string; login: string }[]>) {
  let list = cache.get(issue)
  if (!list) {
    const all = await client.paginate(client.rest.issues.listComments, { ...where, issue_number: issue, per_page: 100 })
    list = all.map((c) => ({ id: c.id, body: c.body ?? '', login: c.user?.login ?? '' }))
    cache.set(issue, list)
  }
  return list
}

async function createComment(
  client: GitHubClient,
  where: RepoRef,
  effect: CommentCreate,
  options: ApplyOptions,
  cache: Map<number, { id: number; body: string; login: string }[]>
): Promise<Outcome> {
  const marker = effect.marker ? commentMarker(effect.marker) : null
  if (marker) {
    const existing = await commentsOf(client, where, effect.issue, cache)
    if (existing.some((c) => c.login === options.self && c.body.startsWith(marker))) return 'unchanged'
  }
  if (options.dryRun) return 'planned'
  const body = marker ? `${marker}\n${effect.body}` : effect.body
  const { data } = await client.rest.issues.createComment({ ...where, issue_number: effect.issue, body })
  cache.get(effect.issue)?.push({ id: data.id, body, login: options.self })
  return 'applied'
}

async function updateIssue(client: GitHubClient, where: RepoRef, effect: IssueUpdate, options: ApplyOptions): Promise<Outcome> {
  const { data } = await client.rest.issues.get({ ...where, issue_number: effect.issue })
  const change: { title?: string; state?: 'open' | 'closed'; state_reason?: 'completed' | 'not_planned' | 'reopened'; milestone?: number | null } = {}
  if (effect.title !== undefined && effect.title !== data.title) change.title = effect.title
  if (effect.state !== undefined && effect.state !== data.state) {
    change.state = effect.state
    if (effect.stateReason) change.state_reason = effect.stateReason
  }
  // GitHub takes the milestone by number; null takes the item out of its milestone.
  if (effect.milestone !== undefined && (effect.milestone?.number ?? null) !== (data.milestone?.number ?? null)) change.milestone = effect.milestone?.number ?? null
  if (!Object.keys(change).length) return 'unchanged'
  if (options.dryRun) return 'planned'
  await client.rest.issues.update({ ...where, issue_number: effect.issue, ...change })
  return 'applied'
}

async function changeAssignees(client: GitHubClient, where: RepoRef, effect: AssigneesChange, options: ApplyOptions, cache: Map<number, Set<string>>): Promise<Outcome> {
  let current = cache.get(effect.issue)
  if (!current) {
    const { data } = await client.rest.issues.get({ ...where, issue_number: effect.issue })
    current = new Set((data.assignees ?? []).map((a) => a.login.toLowerCase()))
    cache.set(effect.issue, current)
  }
  const adding = effect.type === 'assignees.add'
  const logins = effect.logins.filter((l) => current.has(l.toLowerCase()) !== adding)
  if (!logins.length) return 'unchanged'
  if (options.dryRun) return 'planned'
  if (adding) await client.rest.issues.addAssignees({ ...where, issue_number: effect.issue, assignees: logins })
  else await client.rest.issues.removeAssignees({ ...where, issue_number: effect.issue, assignees: logins })
  for (const l of logins) {
    if (adding) current.add(l.toLowerCase())
    else current.delete(l.toLowerCase())
  }
  return 'applied'
}

async function changeReviewers(client: GitHubClient, where: RepoRef, effect: ReviewersChange, options: ApplyOptions): Promise<Outcome> {
  if (options.dryRun) return 'planned'
  if (effect.type === 'reviewers.request') {
    await client.rest.pulls.requestReviewers({ ...where, pull_number: effect.pull, reviewers: effect.logins, team_reviewers: effect.teams })
  } else {
    await client.rest.pulls.removeRequestedReviewers({ ...where, pull_number: effect.pull, reviewers: effect.logins, team_reviewers: effect.teams })
  }
  return 'applied'
}

async function upsertComment(
  client: GitHubClient,
  where: RepoRef,
  effect: CommentUpsert,
  options: ApplyOptions,
  cache: Map<number, { id: number; body: string; login: string }[]>
): Promise<Outcome> {
  const marker = commentMarker(effect.marker)
  const body = `${marker}\n${effect.body}`
  const comments = await commentsOf(client, where, effect.issue, cache)
  // Only our own comments count: anyone can paste a marker into theirs.
  const mine = comments.find((c) => c.login === options.self && c.body.startsWith(marker))
  if (mine && mine.body === body) return 'unchanged'
  if (options.dryRun) return 'planned'
  if (mine) {
    await client.rest.issues.updateComment({ ...where, comment_id: mine.id, body })
    mine.body = body
  } else {
    const { data } = await client.rest.issues.createComment({ ...where, issue_number: effect.issue, body })
    comments.push({ id: data.id, body, login: options.self })
  }
  return 'applied'
}

async function setStatus(client: GitHubClient, where: RepoRef, effect: StatusSet, options: ApplyOptions): Promise<Outcome> {
  const { data } = await client.rest.repos.getCombinedStatusForRef({ ...where, ref: effect.sha, per_page: 100 })
  const current = data.statuses.find((s) => s.context === effect.context)
  if (current && current.state === effect.state && (current.description ?? '') === effect.description) return 'unchanged'
  if (options.dryRun) return 'planned'
  await client.rest.repos.createCommitStatus({
    ...where,
    sha: effect.sha,
    context: effect.context,
    state: effect.state,
    description: effect.description.slice(0, 140),
    target_url: effect.targetUrl
  })
  return 'applied'
}

async function updateRef(client: GitHubClient, where: RepoRef, effect: RefUpdate, options: ApplyOptions): Promise<Outcome> {
  const short = effect.ref.replace(/^refs\//, '')
  let current: string | null = null
  try {
    current = (await client.rest.git.getRef({ ...where, ref: short })).data.object.sha
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err
  }
  if (current === effect.sha) return 'unchanged'
  if (current !== effect.expected) {
    throw new Error(`${effect.ref} is at ${current ?? '(missing)'}, not at the expected ${effect.expected ?? '(missing)'}; someone else moved it`)
  }
  if (options.dryRun) return 'planned'
  if (current === null) await client.rest.git.createRef({ ...where, ref: `refs/${short}`, sha: effect.sha })
  // The guard above is the compare in compare-and-swap; force lets a non-fast-forward through.
  else await client.rest.git.updateRef({ ...where, ref: short, sha: effect.sha, force: true })
  return 'applied'
}
