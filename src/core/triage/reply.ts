/** Shepherd's replies to commands: who they answer, what happened, and the comment they answer. */
import { COMMAND_SPECS } from '../commands/registry.js'
import type { TriageSnapshot } from './snapshot.js'

const MAX_QUOTE = 2000

/**
 * Returns a reply to `author` with one paragraph per message and, folded, the comment it answers
 * quoted line by line (so that quoted commands never run again).
 */
export function renderReply(author: string, messages: string[], comment: string): string {
  let text = comment
  if (text.length > MAX_QUOTE) {
    // Cut on a code point boundary: half an emoji is not text GitHub accepts.
    const end = /[\uD800-\uDBFF]/.test(text[MAX_QUOTE - 1]) ? MAX_QUOTE - 1 : MAX_QUOTE
    text = `${text.slice(0, end)}…`
  }
  // Every line break the command parser knows (CRLF, LF, a lone CR) starts a quoted line.
  const quoted = text.split(/\r\n|\r|\n/).map((l) => `> ${l}`).join('\n')
  // No line of the reply may start with "/": a reply must never read as a command.
  const said = messages.join('\n\n').split('\n').map((l) => (l.startsWith('/') ? `\\${l}` : l)).join('\n')
  return [`@${author}: ${said}`, '', '<details>', '', 'In response to [this](#):', '', quoted, '', '</details>'].join('\n')
}

/** Returns the `/shepherd help` reply: every command this repository has turned on. */
export function shepherdHelp(snapshot: TriageSnapshot): string {
  const { enabled, disabled } = snapshot.config.triage.commands
  const on = COMMAND_SPECS.filter((s) => !disabled.includes(s.word) && (enabled.includes('*') || enabled.includes(s.word)))
  return ['These commands are enabled here:', '', ...on.map((s) => `- \`${s.usage}\``), '', 'See docs/commands.md in Shepherd for who may use each.'].join('\n')
}
