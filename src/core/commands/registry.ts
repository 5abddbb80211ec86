/**
 * Every comment command Shepherd knows, in one table: its word, aliases, whether Prow matches the
 * word case-sensitively, its syntax, and the parser for its arguments. docs/commands.md describes
 * the same table for people; a test checks that it names every word here.
 */
import {
  alone,
  anyText,
  approveArgs,
  cherryPickArgs,
  familyLabels,
  holdArgs,
  keywords,
  lifecycleState,
  milestoneArgs,
  oneLabel,
  overrideArgs,
  people,
  retitleArgs,
  shepherdArgs,
  testArgs,
  type LineParser
} from './grammar.js'
import { PROW_LABEL_FAMILIES } from './types.js'

/** One command word: how it is matched and how its arguments parse. */
export interface CommandSpec {
  /** The command word, lower case, without the slash. */
  word: string
  /** Other words for the same command (`cherrypick` for `cherry-pick`). */
  aliases: readonly string[]
  /**
   * True where Prow's regex has no `(?i)` (label, trigger, milestone, cherrypick): the word must be
   * typed in lower case, and `/Retest` is an `invalid` intent instead of a retest.
   */
  caseSensitive: boolean
  /** How to write it, for help texts. */
  usage: string
  /** Parses one command line that starts with this word. */
  parse: LineParser
}

type Row = [word: string, caseSensitive: boolean, usage: string, parse: LineParser, aliases?: readonly string[]]

const RETEST_TARGETS = 'The `/retest` command does not accept any targets.'

// Case: `true` marks the words Prow matches case-sensitively (prow.md §0.7).
const ROWS: Row[] = [
  [
    'lgtm',
    false,
    '/lgtm [no-issue|cancel]',
    keywords({
      '': { command: 'lgtm', action: 'add', noIssue: false },
      'no-issue': { command: 'lgtm', action: 'add', noIssue: true },
      cancel: { command: 'lgtm', action: 'cancel', noIssue: false }
    })
  ],
  ['remove-lgtm', false, '/remove-lgtm', alone({ command: 'lgtm', action: 'cancel', noIssue: false })],
  ['approve', false, '/approve [no-issue|cancel] [text]', approveArgs()],
  ['remove-approve', false, '/remove-approve [text]', anyText({ command: 'approve', action: 'cancel', noIssue: false })],
  ['hold', false, '/hold [cancel] [reason]', holdArgs()],
  ['unhold', false, '/unhold [reason]', anyText({ command: 'hold', action: 'cancel' })],
  ['remove-hold', false, '/remove-hold [reason]', anyText({ command: 'hold', action: 'cancel' })],
  ['label', true, '/label <label>', oneLabel('add')],
  ['remove-label', true, '/remove-label <label>', oneLabel('remove')],
  ['assign', false, '/assign [@user|@org/team …]', people('assign', 'add')],
  ['unassign', false, '/unassign [@user|@org/team …]', people('assign', 'remove')],
  ['cc', false, '/cc [@user|@org/team …]', people('cc', 'add')],
  ['uncc', false, '/uncc [@user|@org/team …]', people('cc', 'remove')],
  ['lifecycle', false, '/lifecycle active|frozen|stale|rotten', lifecycleState('add')],
  ['remove-lifecycle', false, '/remove-lifecycle active|frozen|stale|rotten', lifecycleState('remove')],
  ['close', false, '/close [not-planned]', keywords({ '': { command: 'close', notPlanned: false }, 'not-planned': { command: 'close', notPlanned: true } })],
  ['reopen', false, '/reopen', alone({ command: 'reopen' })],
  [
    'ok-to-test',
    true,
    '/ok-to-test [cancel]',
    keywords({ '': { command: 'ok-to-test', action: 'add' }, cancel: { command: 'ok-to-test', action: 'cancel' } }, { caseSensitive: true })
  ],
  ['test', true, '/test <name …> | /test all | /test ?', testArgs()],
  ['retest', true, '/retest', alone({ command: 'retest', requiredOnly: false }, RETEST_TARGETS)],
  ['retest-required', true, '/retest-required', alone({ command: 'retest', requiredOnly: true })],
  ['override', false, '/override <check> ["check with spaces" …]', overrideArgs()],
  ['milestone', true, '/milestone <title> | /milestone clear', milestoneArgs()],
  ['retitle', false, '/retitle <title>', retitleArgs()],
  ['help', false, '/help', alone({ command: 'help', action: 'add' })],
  ['remove-help', false, '/remove-help', alone({ command: 'help', action: 'remove' })],
  ['good-first-issue', false, '/good-first-issue', alone({ command: 'good-first-issue', action: 'add' })],
  ['remove-good-first-issue', false, '/remove-good-first-issue', alone({ command: 'good-first-issue', action: 'remove' })],
  ['cherry-pick', true, '/cherry-pick <branch …>', cherryPickArgs(), ['cherrypick']],
  ['auto-cc', false, '/auto-cc', alone({ command: 'auto-cc' })],
  ['shepherd', false, '/shepherd help|freeze|unfreeze', shepherdArgs()]
]

function familyRows(families: readonly string[]): Row[] {
  return families.flatMap((f): Row[] => [
    [f, true, `/${f} <value …>`, familyLabels(f, 'add')],
    [`remove-${f}`, true, `/remove-${f} <value …>`, familyLabels(f, 'remove')]
  ])
}

const FAMILY = /^[a-z0-9][a-z0-9-]*$/

/**
 * Returns the command specs with the given label families (Prow's eight by default). A family
 * whose word another command already has (`label_families: [hold]`) is left out: the command wins.
 */
export function commandSpecs(labelFamilies: readonly string[] = PROW_LABEL_FAMILIES): CommandSpec[] {
  const taken = new Set(ROWS.flatMap(([word, , , , aliases]) => [word, ...(aliases ?? [])]))
  const families = [...new Set(labelFamilies)].filter((f) => FAMILY.test(f) && !taken.has(f) && !taken.has(`remove-${f}`))
  return [...ROWS, ...familyRows(families)].map(([word, caseSensitive, usage, parse, aliases = []]) => ({ word, aliases, caseSensitive, usage, parse }))
}

/** The default specs, Prow's label families included. */
export const COMMAND_SPECS: readonly CommandSpec[] = commandSpecs()

/** Returns a lookup from every command word and alias to its spec. */
export function commandRegistry(specs: readonly CommandSpec[] = COMMAND_SPECS): ReadonlyMap<string, CommandSpec> {
  return new Map(specs.flatMap((s) => [s.word, ...s.aliases].map((w) => [w, s] as const)))
}
