/**
 * `/close [not-planned]`, `/reopen`, `/retitle` and `/milestone` (Prow's lifecycle/close, reopen,
 * retitle and milestone plugins).
 */
import type { CloseCommand, MilestoneClearCommand, MilestoneSetCommand, ReopenCommand, RetitleCommand } from '../../commands/types.js'
import { isCollaborator, isTrusted } from '../authz.js'
import { userOf } from '../snapshot.js'
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

/** Most milestones a reply lists; a repository may have hundreds open. */
const MAX_LISTED_MILESTONES = 100

/** Returns Prow's refusal when the commenter may not set milestones, or null when they may. */
function milestoneRefusal(ctx: CommandContext): string | null {
  const team = ctx.snapshot.config.triage.milestone.maintainers_team
  if (!team) return isCollaborator(ctx.snapshot, ctx.actor) ? null : 'You must be a collaborator (write permission or more) to set the milestone.'
  if (userOf(ctx.snapshot, ctx.actor).teams.some((t) => t.toLowerCase() === team.toLowerCase())) return null
  const [org, slug] = team.split('/')
  return (
    `You must be a member of the [${org}/${slug}](https://github.com/orgs/${org}/teams/${slug}/members) GitHub team to set the milestone. ` +
    'If you believe you should be able to issue the /milestone command, please contact your Milestone Maintainers Team and have them propose you as an additional delegate for this responsibility.'
  )
}

/**
 * `/milestone <title>` and `/milestone clear`: members of `triage.milestone.maintainers_team`, or
 * collaborators when no team is set. The title must be one of the repository's open milestones,
 * exactly (as Prow, case-sensitive).
 */
export const milestone: Handler<MilestoneSetCommand | MilestoneClearCommand> = (intent, ctx) => {
  const { work } = ctx
  const refusal = milestoneRefusal(ctx)
  if (refusal) return work.reply(refusal)
  if (intent.action === 'clear') return work.setMilestone(null)
  const open = ctx.snapshot.milestones ?? []
  const wanted = open.find((m) => m.title === intent.title)
  if (wanted) return work.setMilestone(wanted)
  // Sorted by title, as Prow lists them.
  const titles = open.map((m) => m.title).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const listed = titles.slice(0, MAX_LISTED_MILESTONES).map((t) => `\`${t}\``)
  const more = titles.length > listed.length ? ` and ${titles.length - listed.length} more` : ''
  work.reply(`The provided milestone is not valid for this repository. Milestones in this repository: [${listed.join(', ')}${more}]\n\nUse \`/milestone clear\` to clear the milestone.`)
}
