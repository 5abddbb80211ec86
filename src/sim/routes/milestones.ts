/** Milestone routes: list, create, read, edit and delete a repository's milestones. */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { milestonePayload } from '../shapes.js'
import type { SimMilestone, SimRepo } from '../state.js'
import { now } from '../state.js'
import { deleteMilestone, emitMilestone, milestoneByTitle, newMilestone } from '../milestones.js'

function milestoneOf(ctx: RouteContext, repo: SimRepo): SimMilestone {
  const m = repo.milestones.get(Number(ctx.params.milestone_number))
  if (!m) throw new HttpError(404, 'Not Found')
  return m
}

function titleTaken(repo: SimRepo, title: string, except?: SimMilestone): void {
  const other = milestoneByTitle(repo, title)
  if (other && other !== except) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Milestone', code: 'already_exists', field: 'title' }] })
}

/** GitHub answers due dates as UTC date-times without fractions. */
const dueOn = (value: unknown): string | null => (typeof value === 'string' ? new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z') : null)

/** Share of a milestone's issues that are closed, for `sort=completeness`. */
function completeness(repo: SimRepo, m: SimMilestone): number {
  const items = [...repo.issues.values()].filter((i) => i.milestone === m.number)
  return items.length ? items.filter((i) => i.state === 'closed').length / items.length : 0
}

export const milestoneRoutes: RouteTable = {
  'issues/list-milestones': (ctx) => {
    const repo = ctx.repo()
    const state = ctx.query.get('state') ?? 'open'
    const sign = ctx.query.get('direction') === 'desc' ? -1 : 1
    // Without a due date a milestone sorts after every dated one.
    const key = (m: SimMilestone): number => (ctx.query.get('sort') === 'completeness' ? completeness(repo, m) : m.dueOn ? Date.parse(m.dueOn) : Number.MAX_SAFE_INTEGER)
    const items = [...repo.milestones.values()].filter((m) => state === 'all' || m.state === state).sort((a, b) => (key(a) - key(b) || a.number - b.number) * sign)
    return ctx.page(items, (m) => milestonePayload(ctx.state, repo, m))
  },

  'issues/create-milestone': (ctx) => {
    const repo = ctx.repo()
    const user = ctx.require(repo, 'write')
    const title = String(ctx.body.title)
    titleTaken(repo, title)
    const m = newMilestone(ctx.state, repo, { title, description: ctx.body.description, state: ctx.body.state, dueOn: dueOn(ctx.body.due_on), creator: user })
    emitMilestone(ctx, repo, m, 'created')
    return { status: 201, body: milestonePayload(ctx.state, repo, m) }
  },

  'issues/get-milestone': (ctx) => {
    const repo = ctx.repo()
    return { status: 200, body: milestonePayload(ctx.state, repo, milestoneOf(ctx, repo)) }
  },

  'issues/update-milestone': (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    const m = milestoneOf(ctx, repo)
    const b = ctx.body ?? {}
    const changes: Record<string, { from: unknown }> = {}
    if (typeof b.title === 'string' && b.title !== m.title) {
      titleTaken(repo, b.title, m)
      changes.title = { from: m.title }
      m.title = b.title
    }
    if (typeof b.description === 'string' && b.description !== m.description) {
      changes.description = { from: m.description }
      m.description = b.description
    }
    if (b.due_on !== undefined && dueOn(b.due_on) !== m.dueOn) {
      changes.due_on = { from: m.dueOn }
      m.dueOn = dueOn(b.due_on)
    }
    const t = now(ctx.state)
    m.updatedAt = t
    if (Object.keys(changes).length) emitMilestone(ctx, repo, m, 'edited', { changes })
    if (b.state && b.state !== m.state) {
      m.state = b.state
      m.closedAt = b.state === 'closed' ? t : null
      emitMilestone(ctx, repo, m, b.state === 'closed' ? 'closed' : 'opened')
    }
    return { status: 200, body: milestonePayload(ctx.state, repo, m) }
  },

  'issues/delete-milestone': (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    deleteMilestone(ctx, repo, milestoneOf(ctx, repo))
    return { status: 204 }
  }
}
