/**
 * `/close [not-planned]`, `/reopen` and `/retitle` (Prow's lifecycle/close, reopen and retitle
 * plugins), and `/milestone`, which Shepherd does not set yet.
 */
import type { CloseCommand, MilestoneClearCommand, MilestoneSetCommand, ReopenCommand, RetitleCommand } from '../../commands/types.js'
import { isCollaborator, isTrusted } from '../authz.js'
import type { CommandContext, Handler } from './context.js'

const noun = (ctx: CommandContext) => (ctx.snapshot.item.isPullRequest ? 'PR' : 'issue')
const isAuthor = (ctx: CommandContext) => ctx.actor.toLowerCase() === ctx.snapshot.item.author.toLowerCase()

/** `/close`: the author or a collaborator; anyone when the item is stale or rotten. */
export const close: Handler<CloseCommand> = (intent, ctx) => {
  const { work } = ctx
  if (work.state === 'closed') return
  // Staleness as GitHub has it: a `/lifecycle stale` earlier in the same comment does not count.
  const stale = ctx.snapshot.item.labels.some((l) => ['lifecycle/stale', 'lifecycle/rotten'].includes(l.toLowerCase()))
  if (!stale && !isAuthor(ctx) && !isCollaborator(ctx.snapshot, ctx.actor)) {
    return work.reply(`You can't close an active ${noun(ctx)} unless you authored it or you are a collaborator.`)
  }
  if (intent.notPlanned && ctx.snapshot.item.isPullRequest) return work.reply('PRs cannot be closed as Not Planned.')
  work.state = 'closed'
  work.stateReason = intent.notPlanned ? 'not_planned' : 'completed'
  work.reply(ctx.snapshot.item.isPullRequest ? 'Closed this PR.' : 'Closing this issue.')
}

/** `/reopen`: the author or a collaborator. A merged pull request cannot be reopened. */
export const reopen: Handler<ReopenCommand> = (_intent, ctx) => {
  const { work } = ctx
  if (work.state === 'open' || ctx.snapshot.item.merged) return
  if (!isAuthor(ctx) && !isCollaborator(ctx.snapshot, ctx.actor)) {
    return work.reply(`You can't reopen an ${noun(ctx)} unless you authored it or you are a collaborator.`)
  }
  work.state = 'open'
  work.stateReason = 'reopened'
  work.reply(ctx.snapshot.item.isPullRequest ? 'Reopened this PR.' : 'Reopened this issue.')
}

// GitHub closes issues named after these words in a PR title or body when it merges.
const CLOSING = /\b(close[sd]?|fix(e[sd])?|resolve[sd]?)\s*:?\s+(?:[\w.-]+\/[\w.-]+)?#\d+/i

/** `/retitle <title>`: trusted users, open items. */
export const retitle: Handler<RetitleCommand> = (intent, ctx) => {
  const { work } = ctx
  if (!isTrusted(ctx.snapshot, ctx.actor)) return work.reply('Re-titling can only be requested by trusted users, like repository collaborators.')
  if (work.state !== 'open') return work.reply(`A closed ${noun(ctx)} cannot be re-titled.`)
  const title = intent.title.trim()
  if (!title) return work.reply('Titles may not be empty.')
  if (CLOSING.test(title)) return work.reply('Titles may not contain [keywords](https://docs.github.com/issues/tracking-your-work-with-issues/linking-a-pull-request-to-an-issue) which can automatically close issues.')
  work.title = title
}

/** `/milestone`: parsed, not acted on yet (it needs a maintainers team and the milestones API). */
export const milestone: Handler<MilestoneSetCommand | MilestoneClearCommand> = (_intent, ctx) => {
  ctx.work.reply('Shepherd does not set milestones yet; set it from the sidebar.')
}
