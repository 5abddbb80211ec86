/** What the snapshot must hold for a set of commands, so that the action reads no more than that. */
import type { CommandIntent } from '../commands/types.js'
import type { ShepherdConfig } from '../config/index.js'
import { SIZES, NEEDS_OK_TO_TEST, NEEDS_REBASE, OK_TO_TEST, WIP_LABEL } from './pull-request.js'

/** Commands that ask GitHub for the commenter's repository permission (and team memberships). */
const NEED_PERMISSION = new Set<CommandIntent['command']>(['lgtm', 'close', 'reopen', 'retitle', 'ok-to-test', 'test', 'retest', 'override', 'cherry-pick', 'milestone'])

/** Returns whether triage must read OWNERS for this event: approval, reviewer assignment, OWNERS labels. */
export function needsOwners(intents: CommandIntent[], prAction: string | null | undefined, source: string | null | undefined, lgtmActsAsApprove: boolean): boolean {
  if (prAction === 'opened' || prAction === 'reopened' || prAction === 'synchronize') return true
  if (source === 'review') return true
  return intents.some((i) => i.command === 'approve' || i.command === 'auto-cc' || (lgtmActsAsApprove && i.command === 'lgtm'))
}

/** Returns whether any intent (or a review, which may count as lgtm) needs the commenter's permission. */
export function needsPermission(intents: CommandIntent[], source?: string | null): boolean {
  return source === 'review' || intents.some((i) => NEED_PERMISSION.has(i.command)) || needsFreeze(intents)
}

/** Returns whether triage must read the base branch's `/shepherd freeze` (freeze and unfreeze). */
export function needsFreeze(intents: CommandIntent[]): boolean {
  return intents.some((i) => i.command === 'shepherd' && i.action !== 'help')
}

/** Returns whether triage must read the repository's open milestones: only for `/milestone <title>`. */
export function needsMilestones(intents: CommandIntent[]): boolean {
  return intents.some((i) => i.command === 'milestone' && i.action === 'set')
}

/**
 * Returns every label a plan for these intents may add or remove: the gate and status labels,
 * sizes, lifecycle and help labels, needs-<family>, and the labels the commands name. The action
 * looks these up by name when a repository has too many labels to list in one read.
 */
export function labelsOfInterest(intents: CommandIntent[], config: ShepherdConfig): string[] {
  const t = config.triage
  const names = [
    t.labels.lgtm,
    t.labels.approved,
    t.hold.label,
    OK_TO_TEST,
    NEEDS_OK_TO_TEST,
    WIP_LABEL,
    NEEDS_REBASE,
    ...SIZES.map(([s]) => `size/${s}`),
    ...['active', 'frozen', 'stale', 'rotten'].map((s) => `lifecycle/${s}`),
    'help wanted',
    'good first issue',
    'triage/accepted',
    'do-not-merge/invalid-owners-file',
    ...['kind', 'priority', 'sig', 'triage', ...t.needs_labels].map((f) => `needs-${f}`)
  ]
  for (const i of intents) if (i.command === 'label') names.push(...i.labels)
  return [...new Set(names)]
}
