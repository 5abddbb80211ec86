/** What every command handler gets: the snapshot, who commented, and the working copy to change. */
import type { CommandIntent } from '../../commands/types.js'
import type { TriageSnapshot } from '../snapshot.js'
import type { WorkingItem } from '../working.js'

export interface CommandContext {
  snapshot: TriageSnapshot
  /** Who wrote the command. */
  actor: string
  work: WorkingItem
}

/** A handler for one command word's intents; it changes `ctx.work` and may reply. */
export type Handler<I extends CommandIntent = CommandIntent> = (intent: I, ctx: CommandContext) => void

/** Labels only Shepherd decides (issue #3's gate labels): `/label` can neither add nor remove them. */
export function isGateLabel(ctx: CommandContext, label: string): boolean {
  const l = label.toLowerCase()
  const { labels, hold } = ctx.snapshot.config.triage
  return [labels.lgtm, labels.approved, hold.label, 'needs-ok-to-test', 'ok-to-test'].some((g) => g.toLowerCase() === l) || l.startsWith('do-not-merge/')
}
