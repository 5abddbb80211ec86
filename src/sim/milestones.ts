/**
 * Repository milestones and the milestone of an issue or pull request, shared by fixture loading and
 * the REST routes so that each change (and the webhook event it sends) is made one way. Permission
 * checks stay with the caller.
 */
import type { Changer } from './issues.js'
import { emitIssue } from './issues.js'
import { milestonePayload } from './shapes.js'
import type { SimIssue, SimMilestone, SimRepo, SimState } from './state.js'
import { nextId, now } from './state.js'

export interface MilestoneInit {
  title: string
  description?: string | null
  state?: 'open' | 'closed'
  /** ISO date-time, or null for no due date. */
  dueOn?: string | null
  creator: string
}

/** Returns the repository's milestone with exactly this title. */
export function milestoneByTitle(repo: SimRepo, title: string): SimMilestone | undefined {
  return [...repo.milestones.values()].find((m) => m.title === title)
}

/** Adds a milestone with the repository's next milestone number and returns it (no event: fixtures use this directly). */
export function newMilestone(state: SimState, repo: SimRepo, init: MilestoneInit): SimMilestone {
  const t = now(state)
  const closed = init.state === 'closed'
  const m: SimMilestone = {
    id: nextId(state),
    number: repo.nextMilestone++,
    title: init.title,
    description: init.description ?? null,
    state: closed ? 'closed' : 'open',
    dueOn: init.dueOn ?? null,
    creator: init.creator,
    createdAt: t,
    updatedAt: t,
    closedAt: closed ? t : null
  }
  repo.milestones.set(m.number, m)
  return m
}

/** Emits a `milestone` event for the milestone as it stands. */
export function emitMilestone(ctx: Changer, repo: SimRepo, m: SimMilestone, action: string, extra: Record<string, unknown> = {}): void {
  ctx.emit(repo, 'milestone', action, { milestone: milestonePayload(ctx.state, repo, m), ...extra })
}

/**
 * Puts the issue in milestone `number` (null: in none), emitting `demilestoned` for the milestone
 * it leaves and `milestoned` for the one it joins, as GitHub's timeline records both. No change, no event.
 */
export function setIssueMilestone(ctx: Changer, repo: SimRepo, issue: SimIssue, number: number | null): void {
  if (issue.milestone === number) return
  const before = issue.milestone === null ? undefined : repo.milestones.get(issue.milestone)
  issue.milestone = number
  issue.updatedAt = now(ctx.state)
  if (before) emitIssue(ctx, repo, issue, 'demilestoned', { milestone: milestonePayload(ctx.state, repo, before) })
  const after = number === null ? undefined : repo.milestones.get(number)
  if (after) emitIssue(ctx, repo, issue, 'milestoned', { milestone: milestonePayload(ctx.state, repo, after) })
}

/** Deletes a milestone: its issues and pull requests are left in none (without an event each), and `milestone.deleted` is emitted. */
export function deleteMilestone(ctx: Changer, repo: SimRepo, m: SimMilestone): void {
  const payload = milestonePayload(ctx.state, repo, m)
  for (const issue of repo.issues.values()) if (issue.milestone === m.number) issue.milestone = null
  repo.milestones.delete(m.number)
  ctx.emit(repo, 'milestone', 'deleted', { milestone: payload })
}
