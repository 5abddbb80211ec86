/**
 * Who has approved a pull request, recomputed from its whole comment and review history on every
 * run, as Prow's approve plugin does (`approve.go` addApprovers): items in time order; a review's
 * state first, then each command line of its body, so an explicit command overrides the state;
 * within one body the last command line wins.
 */
import { commandLines } from '../commands/lines.js'
import type { SnapshotItem } from '../triage/snapshot.js'
import { normLogin } from './parse.js'

/** How an approval was given: `/approve`, `/lgtm` (with lgtm_acts_as_approve), an approving review, or the author's implicit self-approval. */
export type ApprovalHow = 'approve' | 'lgtm' | 'review' | 'author'

/** One current approval. */
export interface Approval {
  /** The login as GitHub shows it (the key of the map is its lower-case form). */
  login: string
  how: ApprovalHow
  /** Link to the comment or review, when known. */
  url?: string
  /** `/approve no-issue`: also waives the associated-issue requirement. */
  noIssue: boolean
}

/** A comment or a submitted review, as approval history. */
export interface HistoryItem {
  author: string
  body: string
  /** ISO 8601 time it was created or submitted. */
  at: string
  isBot?: boolean
  /** Set for reviews. */
  review?: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING'
  url?: string
}

/** The approve settings of `.github/shepherd.yml` (`triage.approve`) that history depends on. */
export interface HistoryOptions {
  require_self_approval: boolean
  lgtm_acts_as_approve: boolean
  ignore_review_state: boolean
}

/** Returns the comments and reviews of a snapshot item as history, in time order (comments before reviews at the same instant, as Prow sorts). */
export function historyFromSnapshot(item: Pick<SnapshotItem, 'comments' | 'reviews'>): HistoryItem[] {
  const comments: HistoryItem[] = (item.comments ?? []).map((c) => ({ author: c.author, body: c.body, at: c.createdAt, isBot: c.authorIsBot }))
  const reviews: HistoryItem[] = (item.reviews ?? []).map((r) => ({ author: r.author, body: r.body, at: r.submittedAt, review: r.state }))
  return chronological([...comments, ...reviews])
}

function chronological(items: readonly HistoryItem[]): HistoryItem[] {
  const time = (i: HistoryItem) => {
    const t = Date.parse(i.at)
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t
  }
  return items.map((item, n) => ({ item, n, t: time(item) })).sort((a, b) => a.t - b.t || a.n - b.n).map((x) => x.item)
}

/** Returns whether a login is a bot: flagged as one, Shepherd's own login, or a GitHub App (`name[bot]`). */
export function isBot(login: string, flagged: boolean | undefined, bot: string | undefined): boolean {
  return flagged === true || /\[bot\]$/i.test(login) || (bot !== undefined && normLogin(login) === normLogin(bot))
}

/**
 * Returns the current approvals keyed by lower-case login, from `history` (sorted here by time;
 * ties keep their order). The author approves implicitly first unless `require_self_approval`.
 * Bot comments and pending reviews are ignored. Never throws.
 */
export function approvalsFromHistory(history: readonly HistoryItem[], author: string, options: HistoryOptions, bot?: string): Map<string, Approval> {
  const approvals = new Map<string, Approval>()
  const add = (login: string, how: ApprovalHow, url: string | undefined, noIssue: boolean) => {
    const key = normLogin(login)
    // Prow keeps an earlier no-issue approval over a later plain one (owners.go shouldNotOverrideApproval).
    if (approvals.get(key)?.noIssue && !noIssue) return
    approvals.set(key, { login, how, ...(url ? { url } : {}), noIssue })
  }
  if (!options.require_self_approval && author) add(author, 'author', undefined, false)
  for (const item of chronological(history)) {
    if (!item.author || isBot(item.author, item.isBot, bot) || item.review === 'PENDING') continue
    const key = normLogin(item.author)
    if (!options.ignore_review_state && item.review === 'APPROVED') add(item.author, 'review', item.url, false)
    if (!options.ignore_review_state && item.review === 'CHANGES_REQUESTED') approvals.delete(key)
    for (const line of commandLines(item.body)) {
      const lgtm = options.lgtm_acts_as_approve && (line.name === 'lgtm' || line.name === 'remove-lgtm')
      if (line.name !== 'approve' && line.name !== 'remove-approve' && !lgtm) continue
      const args = line.args.toLowerCase()
      // As in Prow, any argument containing "cancel" cancels: a misread cancel is harmless, a misread approval is not.
      if (line.name.startsWith('remove-') || args.includes('cancel')) approvals.delete(key)
      else add(item.author, line.name === 'lgtm' ? 'lgtm' : 'approve', item.url, args === 'no-issue')
    }
  }
  return approvals
}
