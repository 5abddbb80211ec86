/** Whether `.github/shepherd.yml` leaves a command word on (`triage.commands.enabled`/`disabled`). */
import type { ShepherdConfig } from '../config/index.js'

/** Returns whether a command word is on; `remove-kind`, `unassign`, `uncc`, `unhold` follow their base word. */
export function commandEnabled(word: string, config: ShepherdConfig): boolean {
  const { enabled: on, disabled } = config.triage.commands
  const base = word.toLowerCase().replace(/^remove-/, '').replace(/^un(assign|cc|hold)$/, '$1')
  const listed = (list: string[]) => list.includes(word.toLowerCase()) || list.includes(base)
  return !listed(disabled) && (on.includes('*') || listed(on))
}
