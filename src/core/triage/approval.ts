/**
 * OWNERS-gated approval, reviewer assignment and OWNERS labels on the working copy: the
 * `approved` label follows the approval state (recomputed from the whole comment and review
 * history every run, as Prow does), and the notifier comment is upserted in place.
 */
import { approvalState } from '../owners/approve.js'
import { historyFromSnapshot, type HistoryItem } from '../owners/history.js'
import { APPROVAL_NOTIFIER_MARKER, renderApprovalNotifier } from '../owners/notifier.js'
import { buildOwnersIndex, ownersForPath, type OwnersIndex } from '../owners/resolve.js'
import { selectReviewers } from '../owners/blunderbuss.js'
import { parseOwnersAliases, parseOwnersFile } from '../owners/parse.js'
import { formatOwnersError } from '../owners/explain.js'
import type { TriageEvent } from './event.js'
import type { TriageSnapshot } from './snapshot.js'
import type { WorkingItem } from './working.js'
import { commandLines } from '../commands/lines.js'
import { commandEnabled } from './enabled.js'

let cached: { owners: Record<string, string>; index: OwnersIndex } | null = null

/** Returns the OWNERS index of a snapshot (built once per snapshot object). */
export function ownersIndexOf(snapshot: TriageSnapshot): OwnersIndex {
  if (cached?.owners !== snapshot.owners) cached = { owners: snapshot.owners, index: buildOwnersIndex(snapshot.owners) }
  return cached.index
}

/** Returns a body with only the command lines configuration leaves on (a disabled /approve never approves). */
function enabledCommandsOnly(body: string, snapshot: TriageSnapshot): string {
  const lines = commandLines(body)
  if (lines.every((c) => commandEnabled(c.name, snapshot.config))) return body
  const all = body.split(/\r\n|\r|\n/)
  const off = new Set(lines.filter((c) => !commandEnabled(c.name, snapshot.config)).map((c) => c.line))
  return all.map((l, i) => (off.has(i + 1) ? '' : l)).join('\n')
}

/** Returns the history with the event's own text in it (a snapshot file may predate the comment). */
function historyWith(snapshot: TriageSnapshot, event: TriageEvent | null | undefined): HistoryItem[] {
  const history = historyFromSnapshot(snapshot.item).map((h) => ({ ...h, body: enabledCommandsOnly(h.body, snapshot) }))
  if (event && event.action === 'created' && event.source === 'issue_comment' && !snapshot.item.comments?.some((c) => c.id === event.commentId)) {
    history.push({ author: event.author, body: enabledCommandsOnly(event.body, snapshot), at: '9999-12-31T23:59:59Z', isBot: event.authorIsBot })
  }
  return history
}

/** Sets `approved` from the OWNERS approval state and upserts the notifier comment. */
export function applyApproval(snapshot: TriageSnapshot, event: TriageEvent | null | undefined, work: WorkingItem): void {
  const { item, config } = snapshot
  if (!item.isPullRequest || item.state !== 'open' || !item.changedFiles) return
  const label = config.triage.labels.approved
  const state = approvalState({
    files: item.changedFiles,
    index: ownersIndexOf(snapshot),
    author: item.author,
    history: historyWith(snapshot, event),
    options: config.triage.approve,
    prNumber: item.number,
    assignees: work.assigneeList(),
    bot: snapshot.bot,
    body: item.body,
    org: snapshot.repo.owner
  })
  if (state.approved) work.addLabel(label)
  else work.removeLabel(label)
  const body = renderApprovalNotifier(state, { owner: snapshot.repo.owner, repo: snapshot.repo.name, branch: item.baseRef ?? snapshot.repo.defaultBranch, prNumber: item.number })
  work.actions.push({ type: 'comment.upsert', issue: item.number, marker: APPROVAL_NOTIFIER_MARKER, body })
}

/** Requests reviewers from the closest OWNERS of the changed files (Prow's blunderbuss). */
export function assignReviewers(snapshot: TriageSnapshot, work: WorkingItem): void {
  const { item, config } = snapshot
  if (!item.isPullRequest || !item.changedFiles) return
  const { reviewers, required } = selectReviewers({
    files: item.changedFiles,
    index: ownersIndexOf(snapshot),
    author: item.author,
    prNumber: item.number,
    count: config.triage.blunderbuss.reviewer_count,
    exclude: [snapshot.bot, ...(item.requestedReviewers ?? [])]
  })
  for (const r of [...required, ...reviewers]) work.requestReview(r)
}

/** Adds the `labels:` of every OWNERS file above each changed file (Prow's owners-label; never removes). */
export function applyOwnersLabels(snapshot: TriageSnapshot, work: WorkingItem): void {
  const index = ownersIndexOf(snapshot)
  for (const f of snapshot.item.changedFiles ?? []) {
    for (const l of ownersForPath(index, f.path).labels) if (snapshot.repoLabels.some((r) => r.toLowerCase() === l.toLowerCase())) work.addLabel(l)
  }
}

export const INVALID_OWNERS_LABEL = 'do-not-merge/invalid-owners-file'

/**
 * Validates the OWNERS files a pull request changes, as its head has them: any problem adds
 * `do-not-merge/invalid-owners-file` and a comment naming each file and line; once they are all
 * valid again, the label goes and the comment says so.
 */
export function checkHeadOwners(snapshot: TriageSnapshot, work: WorkingItem): void {
  const head = snapshot.item.headOwners
  if (!head) return
  const errors = Object.entries(head)
    .filter((e): e is [string, string] => e[1] !== null)
    .flatMap(([path, text]) => (path.split('/').pop() === 'OWNERS_ALIASES' ? parseOwnersAliases(path, text) : parseOwnersFile(path, text)).errors)
  const n = snapshot.item.number
  if (errors.length) {
    work.addLabel(INVALID_OWNERS_LABEL)
    const list = errors.slice(0, 50).map((e) => `- \`${formatOwnersError(e).replace(/`/g, "'")}\``)
    const more = errors.length > 50 ? [`- … and ${errors.length - 50} more`] : []
    work.actions.push({ type: 'comment.upsert', issue: n, marker: 'invalid-owners', body: ['This PR changes OWNERS files that Shepherd cannot read:', '', ...list, ...more, '', 'Fix them and push; the `do-not-merge/invalid-owners-file` label goes away when they are valid.'].join('\n') })
  } else if (work.hasLabel(INVALID_OWNERS_LABEL)) {
    work.removeLabel(INVALID_OWNERS_LABEL)
    work.actions.push({ type: 'comment.upsert', issue: n, marker: 'invalid-owners', body: 'The OWNERS files this PR changes are valid now.' })
  }
}
