/**
 * CI commands on GitHub Actions: `/retest` re-runs the failed jobs of the head's workflow runs,
 * `/test <name…>` dispatches the workflows `triage.test_workflows` names, and `/override <context>`
 * marks a failing commit status as passed. Testing needs a trusted commenter or a trusted PR
 * (trusted author, or `ok-to-test`); overriding needs an admin.
 */
import type { CherryPickCommand, OverrideCommand, RetestCommand, TestHelpCommand, TestRunCommand } from '../../commands/types.js'
import { isCollaborator, isOrgMember } from '../authz.js'
import { isAdmin, isTrusted } from '../authz.js'
import { OK_TO_TEST } from '../pull-request.js'
import type { CommandContext, Handler } from './context.js'

const FAILED = new Set(['failure', 'timed_out', 'cancelled', 'startup_failure'])
const UNTRUSTED = 'Cannot trigger testing until a trusted user reviews the PR and leaves an `/ok-to-test` message.'

/** Returns whether CI may run for this commenter on this PR (Prow's trigger rules). */
function mayTest(ctx: CommandContext): boolean {
  const { snapshot, actor } = ctx
  return isTrusted(snapshot, actor) || isTrusted(snapshot, snapshot.item.author) || snapshot.item.labels.some((l) => l.toLowerCase() === OK_TO_TEST)
}

const openPull = (ctx: CommandContext) => ctx.snapshot.item.isPullRequest && ctx.snapshot.item.state === 'open'

/** `/retest`, `/retest-required`: the latest run of each workflow on the head, if it failed. */
export const retest: Handler<RetestCommand> = (_intent, ctx) => {
  if (!openPull(ctx)) return
  if (!mayTest(ctx)) return ctx.work.reply(UNTRUSTED)
  const { item, runs = [] } = ctx.snapshot
  const latest = new Map<string, (typeof runs)[number]>()
  for (const r of runs.filter((r) => r.headSha === item.headSha)) if (!latest.has(r.workflow) || latest.get(r.workflow)!.id < r.id) latest.set(r.workflow, r)
  const failed = [...latest.values()].filter((r) => r.status === 'completed' && FAILED.has(r.conclusion ?? ''))
  if (!failed.length) return ctx.work.reply(`There are no failed GitHub Actions runs on ${item.headSha?.slice(0, 7) ?? 'the head'} to re-run.`)
  for (const r of failed) ctx.work.actions.push({ type: 'workflow.rerun', runId: r.id })
}

const testList = (ctx: CommandContext) =>
  Object.keys(ctx.snapshot.config.triage.test_workflows)
    .map((t) => `\`/test ${t}\``)
    .join(', ') || 'none (configure `triage.test_workflows`)'

/** `/test <name…>`, `/test all`: dispatches the configured workflows for the PR head. */
export const test: Handler<TestRunCommand | TestHelpCommand> = (intent, ctx) => {
  if (!openPull(ctx)) return
  if (intent.action === 'help') return ctx.work.reply(`The following commands are available to trigger jobs: ${testList(ctx)}.`)
  if (!mayTest(ctx)) return ctx.work.reply(UNTRUSTED)
  const workflows = ctx.snapshot.config.triage.test_workflows
  const names = intent.all ? [...new Set([...Object.keys(workflows), ...intent.names])] : intent.names
  const unknown = names.filter((n) => !(n in workflows))
  if (unknown.length) ctx.work.reply(`The specified target(s) for \`/test\` were not found: ${unknown.map((n) => `\`${n}\``).join(', ')}. The following commands are available to trigger jobs: ${testList(ctx)}.`)
  const { item, repo } = ctx.snapshot
  for (const n of names.filter((x) => x in workflows)) {
    // workflow_dispatch needs a branch of this repository; the workflow checks out the PR head itself.
    ctx.work.actions.push({ type: 'workflow.dispatch', workflow: workflows[n], ref: repo.defaultBranch, inputs: { 'pr-number': String(item.number), 'head-sha': item.headSha ?? '' } })
  }
}

/** `/override <context…>`: admins mark failing or pending commit statuses on the head as passed. */
export const override: Handler<OverrideCommand> = (intent, ctx) => {
  if (!openPull(ctx)) return
  if (!isAdmin(ctx.snapshot, ctx.actor)) return ctx.work.reply('You are not authorized to override contexts: only repository admins may.')
  const { item, checks = [] } = ctx.snapshot
  const done: string[] = []
  for (const name of intent.contexts) {
    const check = checks.find((c) => c.name === name)
    if (!check || ['success', 'neutral', 'skipped'].includes(check.state)) {
      const failing = checks.filter((c) => !['success', 'neutral', 'skipped'].includes(c.state)).map((c) => `\`${c.name}\``)
      ctx.work.reply(`\`${name}\` is not a failed or pending context on ${item.headSha?.slice(0, 7)}. Failed or pending: ${failing.join(', ') || 'none'}.`)
    } else if (check.kind === 'check') {
      ctx.work.reply(`\`${name}\` is a check run; GitHub lets only the app that created a check run change it, so it cannot be overridden.`)
    } else {
      ctx.work.actions.push({ type: 'status.set', sha: item.headSha!, context: name, state: 'success', description: `Overridden by @${ctx.actor}` })
      done.push(name)
    }
  }
  if (done.length) ctx.work.reply(`Overrode contexts on behalf of ${ctx.actor}: ${done.join(', ')}`)
}

/** Marker prefix of Shepherd's record of an accepted cherry-pick request (followed by the branch). */
export const CHERRY_PICK_REQUEST = 'cherry-pick-request-'

/** Returns whether the commenter may ask for cherry-picks: org members (as Prow) and collaborators. */
export function mayCherryPick(ctx: Pick<CommandContext, 'snapshot' | 'actor'>): boolean {
  return isOrgMember(ctx.snapshot, ctx.actor) || isCollaborator(ctx.snapshot, ctx.actor)
}

/**
 * `/cherry-pick <branch…>`: on a merged pull request, cherry-picks now; on an open one, promises
 * to when it merges (the merge event reads the request back from the comments).
 */
export const cherryPick: Handler<CherryPickCommand> = (intent, ctx) => {
  const { item } = ctx.snapshot
  if (!item.isPullRequest) return
  if (!mayCherryPick(ctx)) return ctx.work.reply('only organization members and collaborators may request cherry-picks.')
  for (const branch of intent.branches) {
    if (branch === item.baseRef) ctx.work.reply(`I cannot cherry-pick the present PR on top of its base branch \`${branch}\`.`)
    else if (item.merged) ctx.work.actions.push({ type: 'cherrypick', pull: item.number, branch, requester: ctx.actor })
    else if (item.state === 'open') {
      // Shepherd's own comment is the record the merge event reads back: only requests it accepted count.
      ctx.work.actions.push({
        type: 'comment.create',
        issue: item.number,
        marker: `${CHERRY_PICK_REQUEST}${branch}`,
        body: `@${ctx.actor}: once the present PR merges, I will cherry-pick it on top of \`${branch}\` in a new PR and assign it to you.`
      })
    }
    else ctx.work.reply(`#${item.number} was closed without merging; there is nothing to cherry-pick.`)
  }
}
