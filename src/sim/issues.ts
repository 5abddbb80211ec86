/**
 * Changes to issues, pull requests, their labels and comments, shared by fixture loading, the REST
 * routes and the GraphQL mutations so that each change (and the webhook event it sends) is made
 * one way. Permission checks stay with the caller: REST and GraphQL report them differently.
 */
import type { Simulator } from './server.js'
import { commentPayload, issuePayload, labelPayload, userPayload } from './shapes.js'
import type { SimComment, SimEvent, SimIssue, SimLabel, SimPull, SimRepo, SimState } from './state.js'
import { nextId, now } from './state.js'

/** The request making a change: the world, and emitting webhook events as its caller (a REST or GraphQL context). */
export interface Changer {
  readonly sim: Simulator
  readonly state: SimState
  emit(repo: SimRepo, name: string, action: string | null, body: Record<string, unknown>): SimEvent
}

export interface IssueInit {
  /** The number; the repository's next one by default. */
  number?: number
  title: string
  body?: string | null
  user: string
  /** Names of labels the repository already has. */
  labels?: string[]
  pull?: SimPull | null
}

/** Adds an open issue (a pull request with `pull`) to the repository and returns it. */
export function newIssue(state: SimState, repo: SimRepo, init: IssueInit): SimIssue {
  const number = init.number ?? repo.nextNumber
  repo.nextNumber = Math.max(repo.nextNumber, number + 1)
  const t = now(state)
  const issue: SimIssue = {
    id: nextId(state),
    number,
    title: init.title,
    body: init.body ?? null,
    state: 'open',
    stateReason: null,
    user: init.user,
    labels: [...(init.labels ?? [])],
    assignees: [],
    milestone: null,
    locked: false,
    createdAt: t,
    updatedAt: t,
    closedAt: null,
    pull: init.pull ?? null
  }
  repo.issues.set(number, issue)
  return issue
}

/** Returns the repository label with this name (case-insensitive), creating it as GitHub does on first use. */
export function ensureLabel(state: SimState, repo: SimRepo, name: string, color = 'ededed', description?: string): SimLabel {
  for (const l of repo.labels.values()) if (l.name.toLowerCase() === name.toLowerCase()) return l
  const label = { id: nextId(state), name, color, description: description ?? null, default: false }
  repo.labels.set(name, label)
  return label
}

/** Emits the event GitHub sends for a change to an issue (`issues`) or a pull request (`pull_request`). */
export function emitIssue(ctx: Changer, repo: SimRepo, issue: SimIssue, action: string, extra: Record<string, unknown> = {}): void {
  if (issue.pull) {
    ctx.emit(repo, 'pull_request', action, { number: issue.number, pull_request: ctx.sim.pullPayload(repo, issue), ...extra })
  } else {
    ctx.emit(repo, 'issues', action, { issue: issuePayload(ctx.state, repo, issue), ...extra })
  }
}

/** Adds the labels the issue does not have yet (creating unknown ones), emitting `labeled` for each. */
export function addLabels(ctx: Changer, repo: SimRepo, issue: SimIssue, names: string[]): void {
  for (const n of names) {
    const label = ensureLabel(ctx.state, repo, n)
    if (issue.labels.some((l) => l.toLowerCase() === label.name.toLowerCase())) continue
    issue.labels.push(label.name)
    issue.updatedAt = now(ctx.state)
    emitIssue(ctx, repo, issue, 'labeled', { label: labelPayload(ctx.state, repo, label) })
  }
}

/** Removes a label (case-insensitive) from the issue, emitting `unlabeled`. Returns false when the issue does not have it. */
export function removeLabel(ctx: Changer, repo: SimRepo, issue: SimIssue, name: string): boolean {
  const idx = issue.labels.findIndex((l) => l.toLowerCase() === name.toLowerCase())
  if (idx < 0) return false
  const [removed] = issue.labels.splice(idx, 1)
  issue.updatedAt = now(ctx.state)
  emitIssue(ctx, repo, issue, 'unlabeled', { label: labelPayload(ctx.state, repo, repo.labels.get(removed)!) })
  return true
}

/** Makes the issue's labels exactly `names`: removes the others, then adds the missing ones, emitting an event for each. */
export function setLabels(ctx: Changer, repo: SimRepo, issue: SimIssue, names: string[]): void {
  for (const l of [...issue.labels]) if (!names.some((n) => n.toLowerCase() === l.toLowerCase())) removeLabel(ctx, repo, issue, l)
  addLabels(ctx, repo, issue, names)
}

/** Adds a comment to an issue or pull request and returns it (no event: fixtures use this directly). */
export function newComment(state: SimState, repo: SimRepo, issueNumber: number, user: string, body: string): SimComment {
  const t = now(state)
  const comment: SimComment = { id: nextId(state), issueNumber, user, body, createdAt: t, updatedAt: t }
  repo.comments.set(comment.id, comment)
  return comment
}

function emitComment(ctx: Changer, repo: SimRepo, comment: SimComment, action: string, extra: Record<string, unknown> = {}): void {
  const issue = repo.issues.get(comment.issueNumber)!
  ctx.emit(repo, 'issue_comment', action, { ...extra, issue: issuePayload(ctx.state, repo, issue), comment: commentPayload(ctx.state, repo, comment) })
}

/** Comments on an issue or pull request as `user`, emitting `issue_comment.created`. */
export function addComment(ctx: Changer, repo: SimRepo, issue: SimIssue, user: string, body: string): SimComment {
  const comment = newComment(ctx.state, repo, issue.number, user, body)
  emitComment(ctx, repo, comment, 'created')
  return comment
}

/** Replaces a comment's body, emitting `issue_comment.edited`. */
export function editComment(ctx: Changer, repo: SimRepo, comment: SimComment, body: string): void {
  const from = comment.body
  comment.body = body
  comment.updatedAt = now(ctx.state)
  emitComment(ctx, repo, comment, 'edited', { changes: { body: { from } } })
}

/** Deletes a comment, emitting `issue_comment.deleted`. */
export function deleteComment(ctx: Changer, repo: SimRepo, comment: SimComment): void {
  repo.comments.delete(comment.id)
  emitComment(ctx, repo, comment, 'deleted')
}

/** Assigns known users (GitHub silently drops those it cannot assign), emitting `assigned` per user. */
export function assign(ctx: Changer, repo: SimRepo, issue: SimIssue, logins: string[]): void {
  for (const a of logins) {
    if (issue.assignees.includes(a) || !ctx.state.users.has(a)) continue
    issue.assignees.push(a)
    emitIssue(ctx, repo, issue, 'assigned', { assignee: userPayload(ctx.state, a) })
  }
}

/** Unassigns users, emitting `unassigned` per user that was assigned. */
export function unassign(ctx: Changer, repo: SimRepo, issue: SimIssue, logins: string[]): void {
  for (const a of logins) {
    const idx = issue.assignees.indexOf(a)
    if (idx < 0) continue
    issue.assignees.splice(idx, 1)
    emitIssue(ctx, repo, issue, 'unassigned', { assignee: userPayload(ctx.state, a) })
  }
}
