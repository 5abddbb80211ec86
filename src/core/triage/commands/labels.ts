/**
 * Label commands (Prow's label, lifecycle and help plugins): `/kind bug`, `/remove-area x`,
 * `/label x`, `/lifecycle frozen`, `/help`, `/good-first-issue` and their removals.
 */
import type { GoodFirstIssueCommand, HelpWantedCommand, LabelCommand, LifecycleCommand } from '../../commands/types.js'
import { isOrgMember } from '../authz.js'
import { isGateLabel, type CommandContext, type Handler } from './context.js'

/** Families whose last label, when removed, brings back `needs-<family>` if the repository has it. */
const REQUIRED_FAMILIES = new Set(['kind', 'priority', 'sig', 'triage'])

const code = (labels: string[]) => labels.map((l) => `\`${l}\``).join(', ')
const repoHas = (ctx: CommandContext, label: string) => ctx.snapshot.repoLabels.some((l) => l.toLowerCase() === label.toLowerCase())

/** Returns why the commenter may not add or remove this label, or null when they may. */
function refusal(ctx: CommandContext, label: string, command: string): string | null {
  if (isGateLabel(ctx, label)) return `The label \`${label}\` is set by Shepherd from reviews and checks, so it cannot be changed with \`${command}\`.`
  if (label.toLowerCase() === 'triage/accepted' && !isOrgMember(ctx.snapshot, ctx.actor)) {
    return 'The label `triage/accepted` cannot be applied. Only GitHub organization members can add the label.'
  }
  return null
}

/** `/<family> v…`, `/remove-<family> v…`, `/label x`, `/remove-label x`. */
export const label: Handler<LabelCommand> = (intent, ctx) => {
  const { work } = ctx
  if (intent.family === null) {
    const allowed = new Set(ctx.snapshot.config.triage.labels.additional.map((l) => l.toLowerCase()))
    for (const l of intent.labels) {
      const refused = refusal(ctx, l, '/label')
      if (refused) work.reply(refused)
      else if (!allowed.has(l.toLowerCase())) work.reply(`The label \`${l}\` cannot be applied with \`/label\`. These labels are supported: ${code(ctx.snapshot.config.triage.labels.additional) || 'none'}. Is it listed under \`triage.labels.additional\` in \`.github/shepherd.yml\`?`)
      else if (intent.action === 'add') {
        if (repoHas(ctx, l)) work.addLabel(l)
        else work.reply(`The label(s) \`${l}\` cannot be applied, because the repository doesn't have them.`)
      } else work.removeLabel(l)
    }
    return
  }
  if (intent.action === 'add') {
    const missing = intent.labels.filter((l) => !repoHas(ctx, l))
    if (missing.length) work.reply(`The label(s) ${code(missing)} cannot be applied, because the repository doesn't have them.`)
    for (const l of intent.labels.filter((x) => repoHas(ctx, x))) {
      const refused = refusal(ctx, l, `/${intent.family}`)
      if (refused) {
        work.reply(refused)
        continue
      }
      work.addLabel(l)
      if (!isGateLabel(ctx, `needs-${intent.family}`)) work.removeLabel(`needs-${intent.family}`)
    }
    return
  }
  const absent = intent.labels.filter((l) => !work.hasLabel(l))
  if (absent.length) work.reply(`Those labels are not set on the issue: ${code(absent)}`)
  let removed = false
  for (const l of intent.labels.filter((x) => work.hasLabel(x))) {
    const refused = refusal(ctx, l, `/remove-${intent.family}`)
    if (refused) work.reply(refused)
    else {
      work.removeLabel(l)
      removed = true
    }
  }
  const family = intent.family
  // Only taking away the last label of a required family brings needs-<family> back.
  if (removed && REQUIRED_FAMILIES.has(family) && !work.currentLabels().some((l) => l.toLowerCase().startsWith(`${family}/`)) && repoHas(ctx, `needs-${family}`)) {
    work.addLabel(`needs-${family}`)
  }
}

/** `/lifecycle x` sets one lifecycle label and clears the others; `/remove-lifecycle x` clears it. */
export const lifecycle: Handler<LifecycleCommand> = (intent, ctx) => {
  const { work, snapshot } = ctx
  if (intent.action === 'remove') return work.removeLabel(intent.label)
  if (intent.state === 'frozen' && snapshot.item.isPullRequest) return work.reply('The `lifecycle/frozen` label cannot be applied to Pull Requests.')
  for (const l of work.currentLabels()) if (l.toLowerCase().startsWith('lifecycle/')) work.removeLabel(l)
  work.addLabel(intent.label)
}

const HELP = 'help wanted'
const GOOD_FIRST = 'good first issue'

/** `/help`, `/remove-help`: open issues only. Removing help also removes good-first-issue. */
export const help: Handler<HelpWantedCommand> = (intent, ctx) => {
  const { item } = ctx.snapshot
  if (item.isPullRequest || item.state !== 'open') return
  if (intent.action === 'add') {
    if (!ctx.work.hasLabel(HELP)) ctx.work.reply('This request has been marked as needing help from a contributor.')
    ctx.work.addLabel(HELP)
  } else {
    ctx.work.removeLabel(HELP)
    ctx.work.removeLabel(GOOD_FIRST)
  }
}

/** `/good-first-issue`, `/remove-good-first-issue`: open issues only; a good first issue also wants help. */
export const goodFirstIssue: Handler<GoodFirstIssueCommand> = (intent, ctx) => {
  const { item } = ctx.snapshot
  if (item.isPullRequest || item.state !== 'open') return
  if (intent.action === 'add') {
    if (!ctx.work.hasLabel(GOOD_FIRST)) ctx.work.reply('This request has been marked as suitable for new contributors.')
    ctx.work.addLabel(HELP)
    ctx.work.addLabel(GOOD_FIRST)
  } else ctx.work.removeLabel(GOOD_FIRST)
}
