/** One line of plain text per intent, for logs and `shepherd commands parse`. */
import type { CommandIntent } from './types.js'

const q = (s: string) => JSON.stringify(s)

function details(i: CommandIntent): string[] {
  switch (i.command) {
    case 'lgtm':
    case 'approve':
      return [i.action, ...(i.noIssue ? ['no-issue'] : [])]
    case 'hold':
    case 'ok-to-test':
    case 'help':
    case 'good-first-issue':
      return [i.action]
    case 'label':
      return [i.action, ...i.labels.map(q)]
    case 'assign':
    case 'cc':
      return [i.action, ...(i.self ? ['(the commenter)'] : [...i.users, ...i.teams].map((n) => `@${n}`))]
    case 'lifecycle':
      return [i.action, i.label]
    case 'close':
      return i.notPlanned ? ['not-planned'] : []
    case 'test':
      return i.action === 'help' ? ['help'] : [...(i.all ? ['all'] : []), ...i.names.map(q)]
    case 'retest':
      return i.requiredOnly ? ['required-only'] : []
    case 'override':
      return i.contexts.map(q)
    case 'milestone':
      return i.action === 'set' ? ['set', q(i.title)] : ['clear']
    case 'retitle':
      return [q(i.title)]
    case 'cherry-pick':
      return i.branches
    case 'shepherd':
      return [i.action]
    case 'reopen':
    case 'auto-cc':
      return []
    case 'invalid':
      return [`/${i.name}: ${i.reason}`]
  }
}

/** Returns `<line>: <command> <details>`, e.g. `2: label add "kind/bug"`. */
export function describeIntent(intent: CommandIntent): string {
  return [`${intent.line}:`, intent.command, ...details(intent)].join(' ')
}
