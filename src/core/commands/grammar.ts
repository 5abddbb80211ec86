/**
 * The argument grammar the command registry is written in: small parsers for "nothing after the
 * command", "one of these keywords", "a list of logins", … Each returns a parser from one command
 * line to one intent, and never throws: a bad argument gives an `invalid` intent with a sentence.
 * Comment text is untrusted, so every list and value is bounded.
 */
import type { CommandLine } from './lines.js'
import { LIFECYCLE_STATES, type CommandIntent, type IntentBody, type LifecycleState } from './types.js'

/** Most values one command line may name (logins, labels, tests, branches, contexts). */
export const MAX_ARGS = 20
/** Longest single value (a test name, branch, status context, milestone title). */
export const MAX_VALUE_LENGTH = 255
/** Longest label name; GitHub refuses longer ones. */
export const MAX_LABEL_LENGTH = 50
/** Longest issue or pull request title; GitHub refuses longer ones. */
export const MAX_TITLE_LENGTH = 256

/** Turns one command line into one intent. Never throws. */
export type LineParser = (cmd: CommandLine) => CommandIntent

/** Returns the `invalid` intent for a command line. */
export function invalid(cmd: CommandLine, reason: string): CommandIntent {
  return { command: 'invalid', name: cmd.name, reason, line: cmd.line }
}

function at(body: IntentBody, cmd: CommandLine): CommandIntent {
  return { ...body, line: cmd.line } as CommandIntent
}

// C0 and C1 control characters other than tab (a title may hold one; lists are split on it anyway).
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/
// GitHub logins: letters, digits, hyphens; `_` for Enterprise Managed Users (`name_shortcode`).
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/
// The same shape as `triage.trusted.teams` in the configuration schema.
const TEAM = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9_.-]+$/

/** Splits a list written with spaces or commas (`a b`, `a, b`, `a,b,`). */
export function splitList(args: string): string[] {
  return args.split(/[\s,]+/).filter(Boolean)
}

/**
 * Splits on whitespace outside double quotes, dropping the quotes (`a "b c"` -> `a`, `b c`), as
 * Prow's `/override` does. Returns null when a quote is left open.
 */
export function splitQuoted(args: string): string[] | null {
  const out: string[] = []
  let current = ''
  let quoted = false
  let any = false
  for (const ch of args) {
    if (ch === '"') {
      quoted = !quoted
      any = true
    } else if (!quoted && /\s/.test(ch)) {
      if (any) out.push(current)
      current = ''
      any = false
    } else {
      current += ch
      any = true
    }
  }
  if (quoted) return null
  if (any) out.push(current)
  return out.map((s) => s.trim()).filter(Boolean)
}

function unique(values: string[], fold = (v: string) => v): string[] {
  const seen = new Set<string>()
  return values.filter((v) => !seen.has(fold(v)) && seen.add(fold(v)))
}

/** The first problem with a list of values, or null: count, length and control characters. */
function listProblem(cmd: CommandLine, values: string[], noun: string, maxLength = MAX_VALUE_LENGTH): string | null {
  if (values.length > MAX_ARGS) return `\`/${cmd.name}\` takes at most ${MAX_ARGS} ${noun} on one line.`
  if (values.some((v) => v.length > maxLength)) return `\`/${cmd.name}\` takes ${noun} of at most ${maxLength} characters.`
  if (values.some((v) => CONTROL.test(v))) return `\`/${cmd.name}\` cannot take control characters.`
  return null
}

/** Joins `a`, `b` and `c` as "`a`, `b` or `c`". */
function orList(items: string[]): string {
  const quoted = items.map((i) => `\`${i}\``)
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
}

/** Nothing may follow the command word (Prow's `\s*$`). */
export function alone(body: IntentBody, reason?: string): LineParser {
  return (cmd) => (cmd.args ? invalid(cmd, reason ?? `Write \`/${cmd.name}\` alone on its line.`) : at(body, cmd))
}

/** Any text may follow the command word, and is ignored (a reason, as in `/hold until Friday`). */
export function anyText(body: IntentBody): LineParser {
  return (cmd) => at(body, cmd)
}

/**
 * Exactly one of `table`'s keywords may follow the command word (`''` for none). Keywords compare
 * in lower case unless the command is case-sensitive; spacing between words does not matter.
 */
export function keywords(table: Record<string, IntentBody>, options: { caseSensitive?: boolean } = {}): LineParser {
  return (cmd) => {
    const words = cmd.args.split(/\s+/).filter(Boolean).join(' ')
    const key = options.caseSensitive ? words : words.toLowerCase()
    if (Object.hasOwn(table, key)) return at(table[key], cmd)
    const forms = Object.keys(table).map((k) => (k ? `/${cmd.name} ${k}` : `/${cmd.name}`))
    return invalid(cmd, `Write ${orList(forms)} alone on its line.`)
  }
}

/** `/approve [no-issue|cancel] [text]`: as Prow, any `cancel` in the text cancels. */
export function approveArgs(): LineParser {
  return (cmd) => {
    const args = cmd.args.toLowerCase()
    if (args.includes('cancel')) return at({ command: 'approve', action: 'cancel', noIssue: false }, cmd)
    return at({ command: 'approve', action: 'add', noIssue: args === 'no-issue' }, cmd)
  }
}

/** `/hold [cancel] [reason]`: a first word `cancel` releases the hold; other text is a reason. */
export function holdArgs(): LineParser {
  return (cmd) => at({ command: 'hold', action: cmd.args.split(/\s+/)[0].toLowerCase() === 'cancel' ? 'cancel' : 'add' }, cmd)
}

/** `/kind bug feature`: values of a label family, lower-cased, each a label `<family>/<value>`. */
export function familyLabels(family: string, action: 'add' | 'remove'): LineParser {
  return (cmd) => {
    const values = unique(splitList(cmd.args).map((v) => v.toLowerCase()))
    if (values.length === 0) return invalid(cmd, `Name at least one value: \`/${cmd.name} <value>\`.`)
    const labels = values.map((v) => `${family}/${v}`)
    const problem = listProblem(cmd, labels, 'labels', MAX_LABEL_LENGTH)
    return problem ? invalid(cmd, problem) : at({ command: 'label', family, action, values, labels }, cmd)
  }
}

/** `/label x` or `/label "needs docs"`: exactly one label, kept as written. */
export function oneLabel(action: 'add' | 'remove'): LineParser {
  return (cmd) => {
    const values = splitQuoted(cmd.args)
    if (!values || values.length !== 1) {
      return invalid(cmd, `Name exactly one label: \`/${cmd.name} <label>\`; quote a label with spaces: \`/${cmd.name} "good first issue"\`.`)
    }
    const problem = listProblem(cmd, values, 'labels', MAX_LABEL_LENGTH)
    return problem ? invalid(cmd, problem) : at({ command: 'label', family: null, action, values, labels: values }, cmd)
  }
}

/** `/assign @a b @org/team`: logins and teams, an `@` optional; none means the commenter. */
export function people(command: 'assign' | 'cc', action: 'add' | 'remove'): LineParser {
  return (cmd) => {
    const names = splitList(cmd.args).map((n) => (n.startsWith('@') ? n.slice(1) : n))
    const problem = listProblem(cmd, names, 'names')
    if (problem) return invalid(cmd, problem)
    if (names.some((n) => (n.includes('/') ? !TEAM.test(n) : !LOGIN.test(n)))) {
      return invalid(cmd, `\`/${cmd.name}\` takes GitHub logins (\`@user\`) and teams (\`@org/team\`), separated by spaces.`)
    }
    const fold = (n: string) => n.toLowerCase()
    const users = unique(names.filter((n) => !n.includes('/')), fold)
    const teams = unique(names.filter((n) => n.includes('/')), fold)
    return at({ command, action, users, teams, self: names.length === 0 }, cmd)
  }
}

/** `/lifecycle frozen`: exactly one state. */
export function lifecycleState(action: 'add' | 'remove'): LineParser {
  return (cmd) => {
    const state = cmd.args.toLowerCase()
    if (!(LIFECYCLE_STATES as readonly string[]).includes(state)) {
      return invalid(cmd, `Write \`/${cmd.name}\` and one state: ${orList([...LIFECYCLE_STATES])}.`)
    }
    return at({ command: 'lifecycle', action, state: state as LifecycleState, label: `lifecycle/${state}` }, cmd)
  }
}

/** `/test a b,`, `/test all`, `/test ?` and a bare `/test` (help). */
export function testArgs(): LineParser {
  return (cmd) => {
    if (cmd.args === '' || cmd.args === '?') return at({ command: 'test', action: 'help', asked: cmd.args === '?' }, cmd)
    const words = splitList(cmd.args)
    // As Prow's `/test all …`: only a first `all` means every test; later words still name tests.
    const all = words[0] === 'all'
    const names = unique(all ? words.slice(1) : words)
    const problem = listProblem(cmd, names, 'test names')
    return problem ? invalid(cmd, problem) : at({ command: 'test', action: 'run', all, names }, cmd)
  }
}

/** `/override ctx "ctx with spaces"`: status contexts or check names, quoted when they have spaces. */
export function overrideArgs(): LineParser {
  return (cmd) => {
    const contexts = splitQuoted(cmd.args)
    if (!contexts) return invalid(cmd, `A quote is left open; write \`/${cmd.name} "check with spaces"\`.`)
    if (contexts.length === 0) return invalid(cmd, '/override requires failed status contexts to operate on, but none was given')
    const problem = listProblem(cmd, contexts, 'contexts')
    return problem ? invalid(cmd, problem) : at({ command: 'override', contexts: unique(contexts) }, cmd)
  }
}

/** `/milestone <title>` or `/milestone clear`. */
export function milestoneArgs(): LineParser {
  return (cmd) => {
    if (!cmd.args) return invalid(cmd, `Name a milestone: \`/${cmd.name} <title>\`, or \`/${cmd.name} clear\` to clear it.`)
    if (cmd.args === 'clear') return at({ command: 'milestone', action: 'clear' }, cmd)
    const problem = listProblem(cmd, [cmd.args], 'titles')
    return problem ? invalid(cmd, problem) : at({ command: 'milestone', action: 'set', title: cmd.args }, cmd)
  }
}

/** `/retitle <title>`: the rest of the line. */
export function retitleArgs(): LineParser {
  return (cmd) => {
    if (!cmd.args) return invalid(cmd, 'Titles may not be empty.')
    const problem = listProblem(cmd, [cmd.args], 'titles', MAX_TITLE_LENGTH)
    return problem ? invalid(cmd, problem) : at({ command: 'retitle', title: cmd.args }, cmd)
  }
}

/** Returns whether `name` is a branch name git would accept (`git check-ref-format --branch`). */
export function isBranchName(name: string): boolean {
  if (!name || name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) return false
  if (/[\u0000-\u0020\u007f~^:?*[\\]|\.\.|@\{|\/\//.test(name)) return false
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'))
}

/** `/cherry-pick release-1.30 release-1.29`: one or more branches. */
export function cherryPickArgs(): LineParser {
  return (cmd) => {
    const branches = unique(splitList(cmd.args))
    if (branches.length === 0) return invalid(cmd, `Name a branch: \`/${cmd.name} <branch>\`.`)
    const problem = listProblem(cmd, branches, 'branches')
    if (problem) return invalid(cmd, problem)
    if (!branches.every(isBranchName)) return invalid(cmd, `\`/${cmd.name}\` takes branch names, separated by spaces.`)
    return at({ command: 'cherry-pick', branches }, cmd)
  }
}

/** `/shepherd help`, `/shepherd freeze [reason]`, `/shepherd unfreeze [reason]`. */
export function shepherdArgs(): LineParser {
  return (cmd) => {
    const [sub = '', ...rest] = cmd.args.toLowerCase().split(/\s+/)
    if (sub === 'help' && rest.length === 0) return at({ command: 'shepherd', action: 'help' }, cmd)
    // The reason keeps its case; it is untrusted text the queue shows as data.
    if (sub === 'freeze' || sub === 'unfreeze') return at({ command: 'shepherd', action: sub, reason: cmd.args.trim().slice(sub.length).trim() }, cmd)
    return invalid(cmd, 'Write `/shepherd help`, `/shepherd freeze` or `/shepherd unfreeze`.')
  }
}
