/**
 * `/assign`, `/unassign`, `/cc`, `/uncc` (Prow's assign plugin). Anyone may; no names means the
 * commenter. Shepherd also takes `@org/team`: review requests go to the team; a team cannot be an
 * assignee on GitHub, so `/assign @org/team` says so.
 */
import type { AssignCommand, CcCommand } from '../../commands/types.js'
import type { Handler } from './context.js'

/** `/assign [@user…]` and `/unassign [@user…]`. */
export const assign: Handler<AssignCommand> = (intent, ctx) => {
  const users = intent.self || (!intent.users.length && !intent.teams.length) ? [ctx.actor] : intent.users
  if (intent.teams.length) ctx.work.reply(`GitHub cannot assign a team (${intent.teams.map((t) => `@${t}`).join(', ')}); use \`/cc @org/team\` to request its review.`)
  for (const u of users) {
    if (intent.action === 'add') ctx.work.assign(u)
    else ctx.work.unassign(u)
  }
}

/** `/cc [@user|@org/team…]` and `/uncc …`: review requests, pull requests only. */
export const cc: Handler<CcCommand> = (intent, ctx) => {
  const { item } = ctx.snapshot
  if (!item.isPullRequest) return
  const users = intent.self || (!intent.users.length && !intent.teams.length) ? [ctx.actor] : intent.users
  const author = users.filter((u) => u.toLowerCase() === item.author.toLowerCase())
  if (intent.action === 'add' && author.length) ctx.work.reply('GitHub didn\'t allow me to request PR reviews from the following users: ' + author.join(', ') + '.\n\nNote that only collaborators can review, and authors cannot review their own PRs.')
  for (const u of users) {
    if (author.includes(u) && intent.action === 'add') continue
    if (intent.action === 'add') ctx.work.requestReview(u)
    else ctx.work.removeReviewRequest(u)
  }
  if (intent.teams.length) {
    // Team slugs without the org: GitHub's review request API takes them that way.
    const teams = intent.teams.map((t) => t.split('/').pop()!)
    ctx.work.actions.push({ type: intent.action === 'add' ? 'reviewers.request' : 'reviewers.remove', pull: item.number, logins: [], teams })
  }
}
