/**
 * The triage planner: an event, the snapshot of the issue or pull request, and out come the
 * effects. Commands run in line order on one working copy, so the last line wins for every
 * command alike; pull request events (open, push, retitle) run first. Pure.
 */
import { commandLines } from '../commands/lines.js'
import { parseCommands } from '../commands/parse.js'
import type { CommandIntent } from '../commands/types.js'
import type { Effect } from '../effects.js'
import type { TriageEvent } from './event.js'
import type { TriageSnapshot } from './snapshot.js'
import { WorkingItem } from './working.js'
import { applyPullRequestEvent, type PullRequestAction } from './pull-request.js'
import type { CommandContext, Handler } from './commands/context.js'
import { hold, lgtm, resetLgtmOnPush, reviewAsLgtm } from './commands/review.js'
import { applyApproval, applyOwnersLabels, assignReviewers, checkHeadOwners } from './approval.js'
import { needsOwners } from './needs.js'
import { commandEnabled } from './enabled.js'
import { recordLgtmTree } from './commands/review.js'
import { goodFirstIssue, help, label, lifecycle } from './commands/labels.js'
import { assign, cc } from './commands/people.js'
import { close, milestone, reopen, retitle } from './commands/state.js'
import { okToTest } from './commands/trigger.js'
import { CHERRY_PICK_REQUEST, cherryPick, override, retest, test } from './commands/ci.js'
import { renderReply, shepherdHelp } from './reply.js'
import { freezeCommand } from './commands/freeze.js'

export interface TriagePlan {
  /** The commands found, in line order, whether or not they changed anything. */
  intents: CommandIntent[]
  effects: Effect[]
  /** Why no command ran, when none could (for the log and the summary). */
  skipped: string | null
}

/** Commands whose handling lands with later work; they get a clear reply instead of silence. */
const NOT_YET = new Set<string>([])

const HANDLERS: Partial<Record<CommandIntent['command'], Handler<never>>> = {
  // Approval is recomputed from the whole history after the commands (see applyApproval).
  approve: () => undefined,
  'auto-cc': (_i, ctx) => assignReviewers(ctx.snapshot, ctx.work),
  hold,
  lgtm,
  label,
  lifecycle,
  help,
  'good-first-issue': goodFirstIssue,
  assign,
  cc,
  close,
  reopen,
  retitle,
  milestone,
  'ok-to-test': okToTest,
  retest,
  test,
  override,
  'cherry-pick': cherryPick
}

/**
 * On merge: the cherry-picks Shepherd accepted while the PR was open. Its own request records are
 * read back (authorization was checked when they were made); anyone else's text never counts.
 */
function cherryPicksOnMerge(snapshot: TriageSnapshot, work: WorkingItem): void {
  const { item } = snapshot
  if (!item.merged) return
  const prefix = `<!-- shepherd:${CHERRY_PICK_REQUEST}`
  const seen = new Set<string>()
  for (const c of item.comments ?? []) {
    if (c.author.toLowerCase() !== snapshot.bot.toLowerCase() || !c.body.startsWith(prefix)) continue
    const branch = c.body.slice(prefix.length, c.body.indexOf(' -->'))
    const requester = /\n@([\w-]+(?:\[bot\])?):/.exec(c.body)?.[1]
    if (!branch || !requester || seen.has(branch)) continue
    seen.add(branch)
    work.actions.push({ type: 'cherrypick', pull: item.number, branch, requester })
  }
}


/** Returns the intents of a comment that configuration leaves on. */
export function activeIntents(body: string, snapshot: TriageSnapshot): CommandIntent[] {
  const words = new Map(commandLines(body).map((c) => [c.line, c.name]))
  return parseCommands(body, { labelFamilies: snapshot.config.triage.label_families }).filter((i) => commandEnabled(words.get(i.line) ?? '', snapshot.config))
}

/** Runs the intents on the working copy, replying to what cannot be done. */
function runIntents(intents: CommandIntent[], ctx: CommandContext): void {
  for (const intent of intents) {
    if (intent.command === 'invalid') ctx.work.reply(intent.reason)
    else if (intent.command === 'shepherd') {
      if (intent.action === 'help') ctx.work.reply(shepherdHelp(ctx.snapshot))
      else freezeCommand(intent, ctx)
    } else if (NOT_YET.has(intent.command)) ctx.work.reply(`Shepherd reads \`/${intent.command}\` but does not act on it yet.`)
    else (HANDLERS[intent.command] as Handler<CommandIntent>)(intent, ctx)
  }
}

export interface TriageInput {
  /** Text that may carry commands: a comment, a review body, an opened item's body. */
  event?: TriageEvent | null
  /** What happened to the pull request itself, for pull request events. */
  prAction?: PullRequestAction | null
}

/**
 * Returns the plan for an event. Only newly created text runs commands, and Shepherd's own
 * comments never do.
 */
export function planTriage({ event, prAction }: TriageInput, snapshot: TriageSnapshot): TriagePlan {
  const work = new WorkingItem(snapshot.item)
  if (prAction) applyPullRequestEvent(prAction, snapshot, work)
  if (prAction === 'synchronize') resetLgtmOnPush(snapshot, work)
  if (prAction === 'opened' || prAction === 'synchronize') applyOwnersLabels(snapshot, work)
  if (prAction === 'opened' || prAction === 'synchronize' || prAction === 'reopened') checkHeadOwners(snapshot, work)
  if (prAction === 'closed') cherryPicksOnMerge(snapshot, work)
  const skipped = !event ? null : event.action !== 'created' ? `text was ${event.action}; only new text runs commands` : event.author.toLowerCase() === snapshot.bot.toLowerCase() ? 'the comment is Shepherd’s own' : null
  const intents = event && !skipped ? activeIntents(event.body, snapshot) : []
  // Blunderbuss on open, unless the author already asked for reviewers with /cc in the body.
  if (prAction === 'opened' && !intents.some((i) => i.command === 'cc')) assignReviewers(snapshot, work)
  if (event && !skipped && event.source === 'review') reviewAsLgtm(snapshot, event.author, event.reviewState, event.body, work)
  if (event && !skipped) runIntents(intents, { snapshot, actor: event.author, work })
  if (needsOwners(intents, prAction, event?.source, snapshot.config.triage.approve.lgtm_acts_as_approve)) applyApproval(snapshot, event, work)
  recordLgtmTree(snapshot, work)
  const effects = work.effects()
  if (!event || skipped) return { intents, effects, skipped }
  if (work.replies.length) {
    effects.push({
      type: 'comment.create',
      issue: snapshot.item.number,
      body: renderReply(event.author, work.replies, event.body),
      marker: `reply-${event.source}-${event.commentId ?? snapshot.item.number}`
    })
  }
  return { intents, effects, skipped: null }
}
