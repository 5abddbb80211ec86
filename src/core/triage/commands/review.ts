/**
 * `/hold` and `/lgtm` (Prow's hold and lgtm plugins). Anyone may hold a pull request; `/lgtm`
 * needs write access and never comes from the author; `/lgtm cancel` may also come from the author.
 */
import type { HoldCommand, LgtmCommand } from '../../commands/types.js'
import { isCollaborator } from '../authz.js'
import type { Handler } from './context.js'
import { commentMarker } from '../../effects.js'
import type { TriageSnapshot } from '../snapshot.js'
import type { WorkingItem } from '../working.js'

/** `/hold`, `/hold cancel`, `/unhold`, `/remove-hold`: pull requests only (an issue cannot merge). */
export const hold: Handler<HoldCommand> = (intent, ctx) => {
  if (!ctx.snapshot.item.isPullRequest) return
  const label = ctx.snapshot.config.triage.hold.label
  if (intent.action === 'add') ctx.work.addLabel(label)
  else ctx.work.removeLabel(label)
}

/** Marker of the comment that records the git tree an `lgtm` was given on. */
export const LGTM_TREE_MARKER = 'lgtm-tree'

/** `/lgtm`, `/lgtm cancel`, `/remove-lgtm`: open pull requests only. */
export const lgtm: Handler<LgtmCommand> = (intent, ctx) => {
  const { item, config } = ctx.snapshot
  if (!item.isPullRequest || item.state !== 'open') return
  const label = config.triage.labels.lgtm
  const isAuthor = ctx.actor.toLowerCase() === item.author.toLowerCase()
  if (intent.action === 'add') {
    if (isAuthor) return ctx.work.reply('you cannot LGTM your own PR.')
    if (!isCollaborator(ctx.snapshot, ctx.actor)) return ctx.work.reply('changing LGTM is restricted to collaborators')
    ctx.work.addLabel(label)
    ctx.work.lgtmGiven = true
    // Prow assigns a reviewer who LGTMs without being assigned, so the PR shows who reviewed it.
    if (!ctx.work.isAssigned(ctx.actor)) ctx.work.assign(ctx.actor)
    return
  }
  if (!isAuthor && !isCollaborator(ctx.snapshot, ctx.actor)) return ctx.work.reply('changing LGTM is restricted to collaborators')
  ctx.work.removeLabel(label)
  ctx.work.lgtmGiven = false
}

/**
 * On a push: keeps `lgtm` when the new head has the git tree the lgtm was given on (Prow's
 * store_tree_hash: a reworded or squashed commit), and otherwise removes it and says why.
 */
export function resetLgtmOnPush(snapshot: TriageSnapshot, work: WorkingItem): void {
  const { item, config, bot } = snapshot
  const label = config.triage.labels.lgtm
  if (!work.hasLabel(label)) return
  if (config.triage.lgtm.store_tree_hash && item.treeSha) {
    const marker = commentMarker(LGTM_TREE_MARKER)
    const record = [...(item.comments ?? [])].reverse().find((c) => c.author.toLowerCase() === bot.toLowerCase() && c.body.startsWith(marker))
    const tree = /Git tree hash: ([0-9a-f]{40})/.exec(record?.body ?? '')?.[1]
    if (tree === item.treeSha) return
  }
  work.removeLabel(label)
  work.actions.push({ type: 'comment.create', issue: item.number, body: 'New changes are detected. LGTM label has been removed.', marker: `lgtm-removed-${item.headSha ?? 'head'}` })
}

/**
 * Records the head's git tree when an `/lgtm` in this event leaves `lgtm` set, so a later push can
 * keep it (store_tree_hash). Keyed by a marker, so a re-run after a partial failure writes it once.
 */
export function recordLgtmTree(snapshot: TriageSnapshot, work: WorkingItem): void {
  const { item, config } = snapshot
  if (!work.lgtmGiven || !work.hasLabel(config.triage.labels.lgtm) || !item.treeSha || !config.triage.lgtm.store_tree_hash) return
  work.actions.push({ type: 'comment.upsert', issue: item.number, marker: LGTM_TREE_MARKER, body: `LGTM label has been added.\n\n<details>\n\nGit tree hash: ${item.treeSha}\n\n</details>` })
}

/**
 * `triage.lgtm.review_acts_as_lgtm`: a collaborator's GitHub review Approve adds `lgtm` (never the
 * author's), Request changes removes it. A review body with `/lgtm` goes the comment way instead.
 */
export function reviewAsLgtm(snapshot: TriageSnapshot, reviewer: string, state: string | undefined, body: string, work: WorkingItem): void {
  const { item, config } = snapshot
  if (!config.triage.lgtm.review_acts_as_lgtm || !item.isPullRequest || item.state !== 'open') return
  if (/^\/(lgtm|remove-lgtm)\b/im.test(body)) return
  if (reviewer.toLowerCase() === item.author.toLowerCase() || !isCollaborator(snapshot, reviewer)) return
  if (state === 'approved') {
    work.addLabel(config.triage.labels.lgtm)
    work.lgtmGiven = true
  } else if (state === 'changes_requested') {
    work.removeLabel(config.triage.labels.lgtm)
    work.lgtmGiven = false
  }
}
