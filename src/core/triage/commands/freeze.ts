/**
 * `/shepherd freeze [reason]` and `/shepherd unfreeze`: pause and resume merging into a branch
 * (a pull request's base; on an issue, the default branch). The freeze lives on GitHub as the
 * branch `shepherd/freeze/<base>` (src/github/queue-freeze.ts); the queue reads it on every run.
 */
import type { ShepherdCommand } from '../../commands/types.js'
import { code } from '../../merge-queue/view-markdown.js'
import { isCollaborator } from '../authz.js'
import { userOf, type SnapshotFreeze } from '../snapshot.js'
import type { CommandContext } from './context.js'

/** Returns the refusal when the commenter may not freeze or unfreeze, or null when they may. */
export function freezeRefusal(ctx: CommandContext): string | null {
  const team = ctx.snapshot.config.merge_queue.maintainers_team
  if (!team) return isCollaborator(ctx.snapshot, ctx.actor) ? null : 'You must be a collaborator (write permission or more) to freeze or unfreeze merging.'
  if (userOf(ctx.snapshot, ctx.actor).teams.some((t) => t.toLowerCase() === team.toLowerCase())) return null
  const [org, slug] = team.split('/')
  return `You must be a member of the [${org}/${slug}](https://github.com/orgs/${org}/teams/${slug}/members) GitHub team to freeze or unfreeze merging.`
}

/** "by alice on 2026-11-22T07:00:00Z: release cut" in a reply; the reason as a code span (it is untrusted). */
export function describeFreeze(freeze: SnapshotFreeze): string {
  const when = freeze.at ? ` on ${code(freeze.at, 40)}` : ''
  return `by ${code(freeze.by, 60)}${when}${freeze.reason ? ` (reason: ${code(freeze.reason, 200)})` : ''}`
}

/** Runs `/shepherd freeze` or `/shepherd unfreeze` (not `help`) on the working copy. */
export function freezeCommand(intent: ShepherdCommand, ctx: CommandContext): void {
  const { snapshot, work } = ctx
  const refusal = freezeRefusal(ctx)
  if (refusal) return work.reply(refusal)
  const base = snapshot.item.isPullRequest ? snapshot.item.baseRef : snapshot.repo.defaultBranch
  if (!base) return work.reply('This pull request has no base branch to freeze.')
  const current = snapshot.freeze && snapshot.freeze.base === base ? snapshot.freeze : null
  const configFrozen = snapshot.config.merge_queue.frozen
  if (intent.action === 'freeze') {
    if (current) return work.reply(`Merging into ${code(base)} is already frozen ${describeFreeze(current)}. Nothing changed.`)
    work.actions.push({ type: 'queue.freeze', base, by: ctx.actor, reason: intent.reason ?? '' })
    return work.reply(`Merging into ${code(base)} is now frozen: the merge queue keeps testing batches but lands nothing until \`/shepherd unfreeze\`.`)
  }
  const also = configFrozen ? ' `merge_queue.frozen` in the configuration still pauses merging.' : ''
  if (!current) return work.reply(`Merging into ${code(base)} is not frozen by \`/shepherd freeze\`; nothing to unfreeze.${also}`)
  work.actions.push({ type: 'queue.unfreeze', base })
  work.reply(`Merging into ${code(base)} is unfrozen (it was frozen ${describeFreeze(current)}).${also || ' The merge queue lands tested batches again.'}`)
}
