/**
 * What a comment asks for: one typed intent per command line. Intents say what was written, not
 * whether it is allowed or what it changes; the triage planner decides that from GitHub's state.
 */

/** The label families of Prow's label plugin (`/kind bug` -> `kind/bug`); `triage.label_families` may change them. */
export const PROW_LABEL_FAMILIES = ['area', 'committee', 'kind', 'language', 'priority', 'sig', 'triage', 'wg'] as const

/** The states `/lifecycle` accepts; their labels (`lifecycle/frozen`, …) exclude each other. */
export const LIFECYCLE_STATES = ['active', 'frozen', 'stale', 'rotten'] as const
export type LifecycleState = (typeof LIFECYCLE_STATES)[number]

/** `/lgtm`, `/lgtm no-issue`, `/lgtm cancel`, `/remove-lgtm`. */
export interface LgtmCommand {
  command: 'lgtm'
  action: 'add' | 'cancel'
  noIssue: boolean
  line: number
}

/** `/approve`, `/approve no-issue`, `/approve cancel`, `/remove-approve`. */
export interface ApproveCommand {
  command: 'approve'
  action: 'add' | 'cancel'
  noIssue: boolean
  line: number
}

/** `/hold [reason]`, `/hold cancel`, `/unhold`, `/remove-hold`. */
export interface HoldCommand {
  command: 'hold'
  action: 'add' | 'cancel'
  line: number
}

/**
 * `/kind bug`, `/remove-area api` (family `kind`, `area`) and `/label x`, `/remove-label x` (family
 * null). `values` are as the command takes them (family values lower-cased); `labels` are the label
 * names to set or clear (`kind/bug`).
 */
export interface LabelCommand {
  command: 'label'
  family: string | null
  action: 'add' | 'remove'
  values: string[]
  labels: string[]
  line: number
}

/** `/assign [@user|@org/team …]` and `/unassign`; no one named means the commenter (`self`). */
export interface AssignCommand {
  command: 'assign'
  action: 'add' | 'remove'
  users: string[]
  teams: string[]
  self: boolean
  line: number
}

/** `/cc [@user|@org/team …]` and `/uncc`: review requests; no one named means the commenter. */
export interface CcCommand {
  command: 'cc'
  action: 'add' | 'remove'
  users: string[]
  teams: string[]
  self: boolean
  line: number
}

/** `/lifecycle frozen`, `/remove-lifecycle stale`. */
export interface LifecycleCommand {
  command: 'lifecycle'
  action: 'add' | 'remove'
  state: LifecycleState
  label: string
  line: number
}

/** `/close`, `/close not-planned`. */
export interface CloseCommand {
  command: 'close'
  notPlanned: boolean
  line: number
}

/** `/reopen`. */
export interface ReopenCommand {
  command: 'reopen'
  line: number
}

/** `/ok-to-test`, `/ok-to-test cancel`. */
export interface OkToTestCommand {
  command: 'ok-to-test'
  action: 'add' | 'cancel'
  line: number
}

/** `/test <name …>` and `/test all` (`all`: every test that runs by default). */
export interface TestRunCommand {
  command: 'test'
  action: 'run'
  all: boolean
  names: string[]
  line: number
}

/** `/test ?` (asked) and a bare `/test`: answer with the list of tests. */
export interface TestHelpCommand {
  command: 'test'
  action: 'help'
  asked: boolean
  line: number
}

/** `/retest` and `/retest-required` (required checks only). */
export interface RetestCommand {
  command: 'retest'
  requiredOnly: boolean
  line: number
}

/** `/override ctx "ctx with spaces"`. */
export interface OverrideCommand {
  command: 'override'
  contexts: string[]
  line: number
}

/** `/milestone <title>`. */
export interface MilestoneSetCommand {
  command: 'milestone'
  action: 'set'
  title: string
  line: number
}

/** `/milestone clear`. */
export interface MilestoneClearCommand {
  command: 'milestone'
  action: 'clear'
  line: number
}

/** `/retitle <title>`. */
export interface RetitleCommand {
  command: 'retitle'
  title: string
  line: number
}

/** `/help` and `/remove-help`: the `help wanted` label. */
export interface HelpWantedCommand {
  command: 'help'
  action: 'add' | 'remove'
  line: number
}

/** `/good-first-issue` and `/remove-good-first-issue`. */
export interface GoodFirstIssueCommand {
  command: 'good-first-issue'
  action: 'add' | 'remove'
  line: number
}

/** `/cherry-pick <branch …>` (also `/cherrypick`). */
export interface CherryPickCommand {
  command: 'cherry-pick'
  branches: string[]
  line: number
}

/** `/auto-cc`: pick reviewers again. */
export interface AutoCcCommand {
  command: 'auto-cc'
  line: number
}

/** `/shepherd help`, `/shepherd freeze`, `/shepherd unfreeze`. */
export interface ShepherdCommand {
  command: 'shepherd'
  action: 'help' | 'freeze' | 'unfreeze'
  /** For freeze and unfreeze: the rest of the line (untrusted text), empty when none. */
  reason?: string
  line: number
}

/**
 * A known command written wrongly (`/lgtm please`, `/retest foo`, `/Kind bug`): nothing to do, but
 * worth an answer. `name` is the command word in lower case; `reason` a sentence that says how to
 * write it. Reasons never repeat the comment's text beyond the command word.
 */
export interface InvalidCommand {
  command: 'invalid'
  name: string
  reason: string
  line: number
}

/** One command of a comment, typed. Unknown `/words` (paths like `/usr/bin`) give no intent. */
export type CommandIntent =
  | LgtmCommand
  | ApproveCommand
  | HoldCommand
  | LabelCommand
  | AssignCommand
  | CcCommand
  | LifecycleCommand
  | CloseCommand
  | ReopenCommand
  | OkToTestCommand
  | TestRunCommand
  | TestHelpCommand
  | RetestCommand
  | OverrideCommand
  | MilestoneSetCommand
  | MilestoneClearCommand
  | RetitleCommand
  | HelpWantedCommand
  | GoodFirstIssueCommand
  | CherryPickCommand
  | AutoCcCommand
  | ShepherdCommand
  | InvalidCommand

/** The `command` values an intent can have. */
export type CommandName = CommandIntent['command']

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** An intent before its line number is attached. */
export type IntentBody = DistributiveOmit<CommandIntent, 'line'>
