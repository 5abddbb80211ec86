/**
 * The triage planner: a comment-like event, the issue or pull request as GitHub has it now, and the
 * configuration in; the effects to apply out. Pure.
 */
import { commandLines, type CommandLine } from '../commands/lines.js'
import type { Effect } from '../effects.js'
import type { ShepherdConfig } from '../config/index.js'
import type { TriageEvent } from './event.js'
import { planHold } from './hold.js'

/** What triage needs to know about the issue or pull request the event is on. */
export interface TriageSnapshot {
  number: number
  isPull: boolean
  labels: string[]
  /** Login of the identity Shepherd runs as; its own comments never trigger it. */
  self: string
}

export interface TriagePlan {
  /** The command lines found, whether or not they changed anything. */
  commands: CommandLine[]
  effects: Effect[]
  /** Why nothing ran, when nothing could (for the log and the summary). */
  skipped: string | null
}

/** Returns the commands found in the event and the effects they call for. */
export function planTriage(event: TriageEvent, snapshot: TriageSnapshot, config: ShepherdConfig): TriagePlan {
  if (event.action !== 'created') return { commands: [], effects: [], skipped: `text was ${event.action}; only new text runs commands` }
  if (event.author === snapshot.self) return { commands: [], effects: [], skipped: 'the comment is Shepherd’s own' }
  const commands = commandLines(event.body)
  const enabled = config.triage.commands.enabled
  const disabled = new Set(config.triage.commands.disabled)
  const active = commands.filter((c) => !disabled.has(c.name) && (enabled.includes('*') || enabled.includes(c.name)))
  const effects: Effect[] = [
    ...planHold({ commands: active, isPull: snapshot.isPull, number: snapshot.number, labels: snapshot.labels, holdLabel: config.triage.hold.label })
  ]
  return { commands, effects, skipped: null }
}
