/** What the snapshot must hold for a set of commands, so that the action reads no more than that. */
import type { CommandIntent } from '../commands/types.js'

/** Commands that ask GitHub for the commenter's repository permission. */
const NEED_PERMISSION = new Set<CommandIntent['command']>(['lgtm', 'close', 'reopen', 'retitle', 'ok-to-test', 'test', 'retest', 'override'])

/** Returns whether triage must read OWNERS for this event: approval, reviewer assignment, OWNERS labels. */
export function needsOwners(intents: CommandIntent[], prAction: string | null | undefined, source: string | null | undefined, lgtmActsAsApprove: boolean): boolean {
  if (prAction === 'opened' || prAction === 'reopened' || prAction === 'synchronize') return true
  if (source === 'review') return true
  return intents.some((i) => i.command === 'approve' || i.command === 'auto-cc' || (lgtmActsAsApprove && i.command === 'lgtm'))
}

/** Returns whether any intent needs the commenter's permission. */
export function needsPermission(intents: CommandIntent[]): boolean {
  return intents.some((i) => NEED_PERMISSION.has(i.command))
}
