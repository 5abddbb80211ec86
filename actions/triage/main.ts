// Triage: event -> snapshot -> plan -> apply. Wiring only; decisions live in src/core/triage.
import * as core from '@actions/core'
import { actionRuntime, configPathInput, reportEffects } from '../../src/github/action-runtime.js'
import { applyEffects } from '../../src/github/apply.js'
import { loadSnapshot } from '../../src/github/triage-snapshot.js'
import { itemNumber, pullRequestAction, pullRequestAuthor, toTriageEvent } from '../../src/core/triage/event.js'
import { parseCommands } from '../../src/core/commands/parse.js'
import { labelsOfInterest, needsFreeze, needsMilestones, needsOwners, needsPermission } from '../../src/core/triage/needs.js'
import { planTriage } from '../../src/core/triage/plan.js'
import type { ShepherdConfig } from '../../src/core/config/index.js'

async function main(): Promise<void> {
  const rt = actionRuntime()
  const configPath = configPathInput()
  const event = toTriageEvent(rt.eventName, rt.payload)
  const prAction = pullRequestAction(rt.eventName, rt.payload)
  const number = itemNumber(rt.payload)
  if ((!event && !prAction) || number === null) {
    core.info(`Nothing to do for ${rt.eventName}.`)
    return reportEffects('Shepherd triage', [], [`Nothing to do for this ${rt.eventName} event.`])
  }
  // Ask GitHub only about the people this event's decisions depend on.
  const intents = event ? parseCommands(event.body) : []
  const actors = new Set<string>()
  if (event && needsPermission(intents, event.source)) actors.add(event.author)
  if (prAction === 'opened') actors.add(pullRequestAuthor(rt.payload) ?? '')
  // Decided once the configuration is read (lgtm_acts_as_approve makes /lgtm an approval).
  const owners = (config: ShepherdConfig) => needsOwners(intents, prAction, event?.source, config.triage.approve.lgtm_acts_as_approve)
  const { snapshot, ids } = await loadSnapshot(rt.client, rt.where, {
    number,
    configPath,
    bot: rt.self,
    actors: [...actors].filter(Boolean),
    owners,
    labelNames: (config) => labelsOfInterest(intents, config),
    ownersLabels: prAction === 'opened' || prAction === 'synchronize',
    runs: intents.some((i) => i.command === 'retest'),
    milestones: needsMilestones(intents),
    freeze: needsFreeze(intents),
    headOwners: prAction === 'opened' || prAction === 'synchronize' || prAction === 'reopened'
  })
  const plan = planTriage({ event, prAction }, snapshot)
  core.setOutput('commands', JSON.stringify(plan.intents))
  core.info(`Found ${plan.intents.length} command(s) on #${number}; ${plan.effects.length} effect(s) planned.`)
  if (plan.skipped) core.info(`Skipped: ${plan.skipped}`)
  const applied = await applyEffects(rt.client, rt.where, plan.effects, {
    dryRun: rt.dryRun,
    self: rt.self,
    knownLabels: { [number]: snapshot.item.labels },
    knownAssignees: { [number]: snapshot.item.assignees },
    // The snapshot holds every comment (it pages past 100), so upserts need not list them again.
    knownComments: { [number]: (snapshot.item.comments ?? []).map((c) => ({ id: c.id, login: c.author, body: c.body })) },
    // Label, assignee and comment changes on the item go out as one GraphQL mutation.
    graphql: { ...ids, number },
    git: rt.git,
    log: core.info
  })
  await reportEffects(`Shepherd triage on #${number}${rt.dryRun ? ' (dry run)' : ''}`, applied, plan.skipped ? [plan.skipped] : [])
}

main().catch((err: Error) => core.setFailed(err.message))
