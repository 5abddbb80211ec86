/**
 * The item as the commands of one event leave it. Every command changes this working copy in line
 * order, so the last line wins for every command alike; the effects are the difference between
 * the copy and GitHub's state, computed once at the end.
 */
import type { Effect } from '../effects.js'
import type { SnapshotItem, SnapshotMilestone } from './snapshot.js'

const key = (s: string) => s.toLowerCase()

export class WorkingItem {
  private readonly labels = new Map<string, string>()
  private readonly assignees = new Map<string, string>()
  private readonly reviewRequests = new Map<string, string>()
  private readonly reviewRemovals = new Map<string, string>()
  title: string
  state: 'open' | 'closed'
  stateReason: 'completed' | 'not_planned' | 'reopened' | undefined
  private milestoneNow: SnapshotMilestone | null | undefined
  /** Effects that are not a difference of state (dispatches, re-runs, cherry-picks). */
  readonly actions: Effect[] = []
  /** Messages for the reply to the comment, in line order. */
  readonly replies: string[] = []
  /** An authorized `/lgtm` ran in this event (its tree is recorded, even when a re-run finds the label already set). */
  lgtmGiven = false

  constructor(readonly item: SnapshotItem) {
    for (const l of item.labels) this.labels.set(key(l), l)
    for (const a of item.assignees) this.assignees.set(key(a), a)
    this.title = item.title
    this.state = item.state
  }

  hasLabel(label: string): boolean {
    return this.labels.has(key(label))
  }

  /** Returns the labels as they stand now. */
  currentLabels(): string[] {
    return [...this.labels.values()]
  }

  addLabel(label: string): void {
    if (!this.hasLabel(label)) this.labels.set(key(label), label)
  }

  removeLabel(label: string): void {
    this.labels.delete(key(label))
  }

  /** Returns the assignees as they stand now. */
  assigneeList(): string[] {
    return [...this.assignees.values()]
  }

  isAssigned(login: string): boolean {
    return this.assignees.has(key(login))
  }

  assign(login: string): void {
    this.assignees.set(key(login), login)
  }

  unassign(login: string): void {
    this.assignees.delete(key(login))
  }

  requestReview(login: string): void {
    this.reviewRemovals.delete(key(login))
    this.reviewRequests.set(key(login), login)
  }

  removeReviewRequest(login: string): void {
    this.reviewRequests.delete(key(login))
    this.reviewRemovals.set(key(login), login)
  }

  /** Returns the title of the milestone as it stands now; null for none. */
  get milestone(): string | null {
    return this.milestoneNow === undefined ? (this.item.milestone ?? null) : (this.milestoneNow?.title ?? null)
  }

  /** Puts the item in a milestone of the repository; null takes it out of its milestone. */
  setMilestone(milestone: SnapshotMilestone | null): void {
    this.milestoneNow = milestone
  }

  reply(message: string): void {
    this.replies.push(message)
  }

  /** Returns the effects that take GitHub from the snapshot to this state, in a stable order. */
  effects(): Effect[] {
    const n = this.item.number
    const before = new Map(this.item.labels.map((l) => [key(l), l]))
    const out: Effect[] = []
    for (const [k, l] of before) if (!this.labels.has(k)) out.push({ type: 'label.remove', issue: n, label: l })
    for (const [k, l] of this.labels) if (!before.has(k)) out.push({ type: 'label.add', issue: n, label: l })
    const assigned = new Set(this.item.assignees.map(key))
    const adds = [...this.assignees].filter(([k]) => !assigned.has(k)).map(([, l]) => l)
    const removes = this.item.assignees.filter((a) => !this.assignees.has(key(a)))
    if (adds.length) out.push({ type: 'assignees.add', issue: n, logins: adds })
    if (removes.length) out.push({ type: 'assignees.remove', issue: n, logins: removes })
    const requested = new Set((this.item.requestedReviewers ?? []).map(key))
    const asks = [...this.reviewRequests].filter(([k]) => !requested.has(k)).map(([, l]) => l)
    const drops = [...this.reviewRemovals].filter(([k]) => requested.has(k)).map(([, l]) => l)
    if (asks.length) out.push({ type: 'reviewers.request', pull: n, logins: asks, teams: [] })
    if (drops.length) out.push({ type: 'reviewers.remove', pull: n, logins: drops, teams: [] })
    const milestoneChanged = this.milestone !== (this.item.milestone ?? null)
    if (this.title !== this.item.title || this.state !== this.item.state || milestoneChanged) {
      out.push({
        type: 'issue.update',
        issue: n,
        ...(this.title !== this.item.title ? { title: this.title } : {}),
        ...(this.state !== this.item.state ? { state: this.state, ...(this.stateReason ? { stateReason: this.stateReason } : {}) } : {}),
        ...(milestoneChanged ? { milestone: this.milestoneNow ? { number: this.milestoneNow.number, title: this.milestoneNow.title } : null } : {})
      })
    }
    return [...out, ...this.actions]
  }
}
