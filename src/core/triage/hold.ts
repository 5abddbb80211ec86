/**
 * `/hold` and its cancellations (Prow's hold plugin): anyone may hold or release a pull request,
 * which adds or removes `do-not-merge/hold`. Trailing text (a reason) is allowed.
 * Prow lets `/hold cancel` win over `/hold` in one comment; Shepherd applies one rule to every
 * command instead: the last command line wins.
 */
import type { CommandLine } from '../commands/lines.js'
import type { Effect } from '../effects.js'

export type HoldIntent = 'hold' | 'unhold'

/** Returns what one command line asks of the hold label, or null when it is not a hold command. */
export function holdIntent(cmd: CommandLine): HoldIntent | null {
  if (cmd.name === 'unhold' || cmd.name === 'remove-hold') return 'unhold'
  if (cmd.name !== 'hold') return null
  return cmd.args.split(/\s+/)[0].toLowerCase() === 'cancel' ? 'unhold' : 'hold'
}

export interface HoldInput {
  commands: CommandLine[]
  isPull: boolean
  number: number
  labels: string[]
  holdLabel: string
}

/** Returns the label change the comment's last hold command asks for, if it changes anything. */
export function planHold(input: HoldInput): Effect[] {
  // Prow's hold acts on pull requests only: an issue cannot merge, so there is nothing to hold.
  if (!input.isPull) return []
  const intents = input.commands.map(holdIntent).filter((i): i is HoldIntent => i !== null)
  const last = intents.at(-1)
  if (!last) return []
  const has = input.labels.some((l) => l.toLowerCase() === input.holdLabel.toLowerCase())
  if (last === 'hold' && !has) return [{ type: 'label.add', issue: input.number, label: input.holdLabel }]
  if (last === 'unhold' && has) return [{ type: 'label.remove', issue: input.number, label: input.holdLabel }]
  return []
}
