/** Issue, label, comment, assignee and reaction routes. */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { commentPayload, issuePayload, labelPayload, userPayload } from '../shapes.js'
import type { SimComment, SimIssue, SimRepo } from '../state.js'
import { ensureUser, nextId, now } from '../state.js'
import { addComment, addLabels, assign, deleteComment, editComment, emitIssue, ensureLabel, newIssue, removeLabel, setLabels, unassign } from '../issues.js'
import { setIssueMilestone } from '../milestones.js'

function issueOf(ctx: RouteContext, repo: SimRepo): SimIssue {
  const issue = repo.issues.get(Number(ctx.params.issue_number))
  if (!issue) throw new HttpError(404, 'Not Found')
  return issue
}

/** The issue the route names, for a change that needs triage access to the repository. */
function triagedIssue(ctx: RouteContext): { repo: SimRepo; issue: SimIssue } {
  const repo = ctx.repo()
  ctx.require(repo, 'triage')
  return { repo, issue: issueOf(ctx, repo) }
}

function commentOf(ctx: RouteContext, repo: SimRepo): SimComment {
  const comment = repo.comments.get(Number(ctx.params.comment_id))
  if (!comment) throw new HttpError(404, 'Not Found')
  return comment
}

function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as { labels?: unknown[] } | undefined)?.labels ?? [])
  return list.map((l) => (typeof l === 'string' ? l : (l as { name: string }).name))
}

/** The milestone a PATCH names: its number (GitHub's schema also allows a string, read here as digits), or null for none. Throws 422 for an unknown one. */
function milestoneNumber(repo: SimRepo, value: unknown): number | null {
  if (value === null) return null
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN
  if (!repo.milestones.has(n)) throw new HttpError(422, 'Validation Failed', { errors: [{ value, resource: 'Issue', field: 'milestone', code: 'invalid' }] })
  return n
}

const issueLabels = (ctx: RouteContext, repo: SimRepo, issue: SimIssue) => issue.labels.map((n) => labelPayload(ctx.state, repo, repo.labels.get(n)!))

export const issueRoutes: RouteTable = {
  'issues/get': (ctx) => {
    const repo = ctx.repo()
    return { status: 200, body: issuePayload(ctx.state, repo, issueOf(ctx, repo)) }
  },

  'issues/list-for-repo': (ctx) => {
    const repo = ctx.repo()
    const state = ctx.query.get('state') ?? 'open'
    const labels = (ctx.query.get('labels') ?? '').split(',').filter(Boolean)
    const items = [...repo.issues.values()]
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l.toLowerCase())))
      .sort((a, b) => b.number - a.number)
    return ctx.page(items, (i) => issuePayload(ctx.state, repo, i))
  },

  'issues/create': (ctx) => {
    const repo = ctx.repo()
    const user = ctx.actor()
    const issue = newIssue(ctx.state, repo, { title: String(ctx.body.title), body: ctx.body.body, user })
    for (const n of labelNames(ctx.body)) issue.labels.push(ensureLabel(ctx.state, repo, n).name)
    emitIssue(ctx, repo, issue, 'opened')
    return { status: 201, body: issuePayload(ctx.state, repo, issue) }
  },

  'issues/update': (ctx) => {
    const repo = ctx.repo()
    const issue = issueOf(ctx, repo)
    const user = ctx.actor()
    if (user !== issue.user) ctx.require(repo, 'triage')
    const b = ctx.body ?? {}
    const changes: Record<string, unknown> = {}
    if (typeof b.title === 'string' && b.title !== issue.title) {
      changes.title = { from: issue.title }
      issue.title = b.title
    }
    if (b.body !== undefined && b.body !== issue.body) {
      changes.body = { from: issue.body }
      issue.body = b.body
    }
    issue.updatedAt = now(ctx.state)
    if (Object.keys(changes).length) emitIssue(ctx, repo, issue, 'edited', { changes })
    if (b.state && b.state !== issue.state) {
      issue.state = b.state
      issue.stateReason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened'
      issue.closedAt = b.state === 'closed' ? issue.updatedAt : null
      emitIssue(ctx, repo, issue, b.state === 'closed' ? 'closed' : 'reopened')
    }
    if (Array.isArray(b.labels)) {
      ctx.require(repo, 'triage')
      setLabels(ctx, repo, issue, labelNames(b.labels))
    }
    if (b.milestone !== undefined) {
      ctx.require(repo, 'triage')
      setIssueMilestone(ctx, repo, issue, milestoneNumber(repo, b.milestone))
    }
    return { status: 200, body: issuePayload(ctx.state, repo, issue) }
  },

  'issues/list-labels-on-issue': (ctx) => {
    const repo = ctx.repo()
    const issue = issueOf(ctx, repo)
    return ctx.page(issue.labels, (n) => labelPayload(ctx.state, repo, repo.labels.get(n)!))
  },

  'issues/add-labels': (ctx) => {
    const { repo, issue } = triagedIssue(ctx)
    addLabels(ctx, repo, issue, labelNames(ctx.body))
    return { status: 200, body: issueLabels(ctx, repo, issue) }
  },

  'issues/set-labels': (ctx) => {
    const { repo, issue } = triagedIssue(ctx)
    setLabels(ctx, repo, issue, labelNames(ctx.body))
    return { status: 200, body: issueLabels(ctx, repo, issue) }
  },

  'issues/remove-label': (ctx) => {
    const { repo, issue } = triagedIssue(ctx)
    if (!removeLabel(ctx, repo, issue, ctx.params.name)) throw new HttpError(404, 'Label does not exist')
    return { status: 200, body: issueLabels(ctx, repo, issue) }
  },

  'issues/remove-all-labels': (ctx) => {
    const { repo, issue } = triagedIssue(ctx)
    for (const l of [...issue.labels]) removeLabel(ctx, repo, issue, l)
    return { status: 204 }
  },

  'issues/list-labels-for-repo': (ctx) => {
    const repo = ctx.repo()
    return ctx.page([...repo.labels.values()], (l) => labelPayload(ctx.state, repo, l))
  },

  'issues/get-label': (ctx) => {
    const repo = ctx.repo()
    const label = [...repo.labels.values()].find((l) => l.name.toLowerCase() === ctx.params.name.toLowerCase())
    if (!label) throw new HttpError(404, 'Not Found')
    return { status: 200, body: labelPayload(ctx.state, repo, label) }
  },

  'issues/create-label': (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    const name = String(ctx.body.name)
    if ([...repo.labels.values()].some((l) => l.name.toLowerCase() === name.toLowerCase())) {
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] })
    }
    const label = ensureLabel(ctx.state, repo, name, ctx.body.color ?? 'ededed', ctx.body.description)
    ctx.emit(repo, 'label', 'created', { label: labelPayload(ctx.state, repo, label) })
    return { status: 201, body: labelPayload(ctx.state, repo, label) }
  },

  'issues/list-comments': (ctx) => {
    const repo = ctx.repo()
    const issue = issueOf(ctx, repo)
    const items = [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).sort((a, b) => a.id - b.id)
    return ctx.page(items, (c) => commentPayload(ctx.state, repo, c))
  },

  'issues/create-comment': (ctx) => {
    const repo = ctx.repo()
    const issue = issueOf(ctx, repo)
    const user = ctx.actor()
    if (issue.locked) ctx.require(repo, 'write')
    const comment = addComment(ctx, repo, issue, user, String(ctx.body.body))
    return { status: 201, body: commentPayload(ctx.state, repo, comment) }
  },

  'issues/get-comment': (ctx) => {
    const repo = ctx.repo()
    const comment = commentOf(ctx, repo)
    return { status: 200, body: commentPayload(ctx.state, repo, comment) }
  },

  'issues/update-comment': (ctx) => {
    const repo = ctx.repo()
    const comment = commentOf(ctx, repo)
    if (ctx.actor() !== comment.user) ctx.require(repo, 'maintain')
    editComment(ctx, repo, comment, String(ctx.body.body))
    return { status: 200, body: commentPayload(ctx.state, repo, comment) }
  },

  'issues/delete-comment': (ctx) => {
    const repo = ctx.repo()
    const comment = commentOf(ctx, repo)
    if (ctx.actor() !== comment.user) ctx.require(repo, 'maintain')
    deleteComment(ctx, repo, comment)
    return { status: 204 }
  },

  'issues/add-assignees': (ctx) => {
    const { repo, issue } = triagedIssue(ctx)
    assign(ctx, repo, issue, (ctx.body?.assignees ?? []) as string[])
    return { status: 201, body: issuePayload(ctx.state, repo, issue) }
  },

  'issues/remove-assignees': (ctx) => {
    const { repo, issue } = triagedIssue(ctx)
    unassign(ctx, repo, issue, (ctx.body?.assignees ?? []) as string[])
    return { status: 200, body: issuePayload(ctx.state, repo, issue) }
  },

  'reactions/create-for-issue-comment': (ctx) => {
    const repo = ctx.repo()
    const comment = commentOf(ctx, repo)
    const user = ctx.actor()
    ensureUser(ctx.state, user)
    return {
      status: 201,
      body: {
        id: nextId(ctx.state),
        node_id: Buffer.from(`0:Reaction${comment.id}`).toString('base64'),
        user: userPayload(ctx.state, user),
        content: ctx.body.content,
        created_at: now(ctx.state)
      }
    }
  }
}
