// Triage: event -> snapshot -> plan -> apply. Wiring only; decisions live in src/core/triage.
import * as core from '@actions/core'
import { actionRuntime, configPathInput, reportEffects } from '../../src/github/action-runtime.js'
import { applyEffects } from '../../src/github/apply.js'
import { loadTriageSnapshot } from '../../src/github/snapshot.js'
import { toTriageEvent } from '../../src/core/triage/event.js'
import { planTriage } from '../../src/core/triage/plan.js'

async function main(): Promise<void> {
  const rt = actionRuntime()
  const configPath = configPathInput()
  const event = toTriageEvent(rt.eventName, rt.payload)
  if (!event) {
    core.info(`Nothing to do for ${rt.eventName}.`)
    return reportEffects('Shepherd triage', [], [`Nothing to do for this ${rt.eventName} event.`])
  }
  const { issue, config } = await loadTriageSnapshot(rt.client, rt.where, event.number, configPath)
  const plan = planTriage(event, { ...issue, self: rt.self }, config)
  core.setOutput('commands', JSON.stringify(plan.commands.map(({ name, args, line }) => ({ name, args, line }))))
  core.info(`Found ${plan.commands.length} command line(s) on #${event.number}; ${plan.effects.length} effect(s) planned.`)
  if (plan.skipped) core.info(`Skipped: ${plan.skipped}`)
  const applied = await applyEffects(rt.client, rt.where, plan.effects, { dryRun: rt.dryRun, self: rt.self, knownLabels: { [issue.number]: issue.labels }, log: core.info })
  await reportEffects(`Shepherd triage on #${event.number}${rt.dryRun ? ' (dry run)' : ''}`, applied, plan.skipped ? [plan.skipped] : [])
}

main().catch((err: Error) => core.setFailed(err.message))
