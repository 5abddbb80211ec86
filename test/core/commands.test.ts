import { seededRandom } from '../../src/core/random.js'
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { commandLines } from '../../src/core/commands/lines.js'
import { parseCommands } from '../../src/core/commands/parse.js'
import { COMMAND_SPECS, commandRegistry } from '../../src/core/commands/registry.js'
import { isBranchName, MAX_ARGS, MAX_LABEL_LENGTH, MAX_TITLE_LENGTH, MAX_VALUE_LENGTH, splitQuoted } from '../../src/core/commands/grammar.js'
import { describeIntent } from '../../src/core/commands/describe.js'
import { PROW_LABEL_FAMILIES, type CommandIntent, type CommandName } from '../../src/core/commands/types.js'

// ---------------------------------------------------------------------------------------------
// Prow's own test cases (test/fixtures/prow-commands-corpus.json): parse_check is what Prow's
// regexes make of the body. Each `fn` is mapped from our intents to the same shape.

interface CorpusItem {
  body: string
  author?: string
  source: string
  parse_check: { fn: string; want: unknown; lgtm_acts_as_approve?: boolean }
}

const corpus = JSON.parse(readFileSync(new URL('../fixtures/prow-commands-corpus.json', import.meta.url), 'utf8')) as CorpusItem[]
const caseName = (c: CorpusItem) => c.source.match(/"(.+)"/)?.[1] ?? JSON.stringify(c.body)

function last<C extends CommandName>(intents: CommandIntent[], command: C) {
  return intents.filter((i): i is Extract<CommandIntent, { command: C }> => i.command === command).at(-1)
}

function who(intents: CommandIntent[], command: 'assign' | 'cc', author: string | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  for (const i of intents) {
    if (i.command !== command) continue
    for (const login of i.self ? [author ?? '<commenter>'] : [...i.users, ...i.teams]) out[login] = i.action === 'add'
  }
  return out
}

/** Returns what Shepherd's intents say in the shape of parse_check.want for the item's plugin. */
function shepherdSays(item: CorpusItem): unknown {
  const intents = parseCommands(item.body)
  const { fn } = item.parse_check
  switch (fn) {
    case 'lgtm':
    case 'hold': {
      const i = last(intents, fn)
      return i ? (i.action === 'add' ? 'add' : 'remove') : null
    }
    case 'labels': {
      const labels = intents.filter((i) => i.command === 'label')
      return {
        add: labels.filter((i) => i.action === 'add').flatMap((i) => i.labels),
        remove: labels.filter((i) => i.action === 'remove').flatMap((i) => i.labels)
      }
    }
    case 'assign':
    case 'cc':
      return who(intents, fn, item.author)
    case 'approve': {
      // With lgtm_acts_as_approve, Prow's approve plugin reads /lgtm as /approve; last line wins.
      const votes = intents.filter((i) => i.command === 'approve' || (item.parse_check.lgtm_acts_as_approve && i.command === 'lgtm'))
      const i = votes.at(-1) as Extract<CommandIntent, { command: 'approve' | 'lgtm' }> | undefined
      if (!i) return null
      return i.action === 'cancel' ? 'cancel' : i.noIssue ? 'approve-no-issue' : 'approve'
    }
    case 'trigger':
      return intents.flatMap((i): string[] => {
        if (i.command === 'ok-to-test') return [i.action === 'add' ? 'ok-to-test' : 'ok-to-test-cancel']
        if (i.command === 'retest') return [i.requiredOnly ? 'retest-required' : 'retest']
        if (i.command === 'test') return i.action === 'help' ? ['help:test'] : [...(i.all ? ['test-all'] : []), ...i.names.map((n) => `test:${n}`)]
        if (i.command === 'invalid' && i.name === 'retest') return ['help:retest-with-target']
        return []
      })
    case 'lifecycle':
      return intents.flatMap((i) => (i.command === 'lifecycle' ? [[i.action, i.label]] : []))
    case 'close': {
      const i = last(intents, 'close')
      return i ? (i.notPlanned ? 'not-planned' : 'close') : null
    }
    case 'milestone': {
      const i = last(intents, 'milestone')
      return i ? (i.action === 'set' ? i.title : 'clear') : null
    }
    case 'retitle':
      return last(intents, 'retitle')?.title ?? null
    case 'cherrypick':
      return intents.flatMap((i) => (i.command === 'cherry-pick' ? i.branches : []))
    default:
      return { unsupported: fn, intents }
  }
}

/**
 * Where Shepherd deliberately parses differently from Prow, named, with what Shepherd does instead.
 * Everything else in the corpus must agree.
 */
const EXCEPTIONS: Record<string, { why: string; shepherd: CommandIntent[] }> = {
  'Successfully transfers issue and trims whitespace from destination repo': {
    why: '/transfer-issue is not a Shepherd command (issue #3 does not list it), so its line is ignored like any unknown /word',
    shepherd: []
  },
  'cancel implicit self approve (with lgtm-after-commit message)': {
    why:
      'Prow’s approve plugin reads any line starting /lgtm and finds "cancel" in its text; Shepherd reads /lgtm one way for both ' +
      'plugins, and /lgtm rejects trailing text (prow.md §0.8), so "/lgtm cancel //PR changed…" is an invalid /lgtm, not a cancel',
    shepherd: [{ command: 'invalid', name: 'lgtm', reason: 'Write `/lgtm`, `/lgtm no-issue` or `/lgtm cancel` alone on its line.', line: 1 }]
  }
}

describe('Prow’s command corpus', () => {
  const agreeing = corpus.filter((c) => !(caseName(c) in EXCEPTIONS))

  it('has 59 cases, of which all but the named exceptions agree', () => {
    expect(corpus).toHaveLength(59)
    expect(Object.keys(EXCEPTIONS).every((name) => corpus.some((c) => caseName(c) === name))).toBe(true)
    expect(agreeing).toHaveLength(59 - Object.keys(EXCEPTIONS).length)
  })

  it.each(agreeing.map((c) => [caseName(c), c] as const))('agrees with Prow: %s', (_name, item) => {
    expect(shepherdSays(item)).toEqual(item.parse_check.want)
  })

  it.each(Object.entries(EXCEPTIONS))('differs from Prow on purpose: %s', (name, exception) => {
    const item = corpus.find((c) => caseName(c) === name)!
    expect(parseCommands(item.body)).toEqual(exception.shepherd)
    expect(shepherdSays(item)).not.toEqual(item.parse_check.want)
    expect(exception.why).not.toBe('')
  })
})

// ---------------------------------------------------------------------------------------------
// Sentence-named cases, command by command.

const any = expect.any(String)
const bad = (name: string, line = 1) => ({ command: 'invalid', name, reason: any, line })
const lgtm = (action: 'add' | 'cancel', noIssue = false, line = 1) => ({ command: 'lgtm', action, noIssue, line })
const approve = (action: 'add' | 'cancel', noIssue = false, line = 1) => ({ command: 'approve', action, noIssue, line })
const hold = (action: 'add' | 'cancel', line = 1) => ({ command: 'hold', action, line })
const label = (family: string | null, action: 'add' | 'remove', values: string[], line = 1) => ({
  command: 'label',
  family,
  action,
  values,
  labels: family ? values.map((v) => `${family}/${v}`) : values,
  line
})
const people = (command: 'assign' | 'cc', action: 'add' | 'remove', users: string[], teams: string[] = [], line = 1) => ({
  command,
  action,
  users,
  teams,
  self: users.length + teams.length === 0,
  line
})
const lifecycle = (action: 'add' | 'remove', state: string, line = 1) => ({ command: 'lifecycle', action, state, label: `lifecycle/${state}`, line })
const test = (names: string[], all = false, line = 1) => ({ command: 'test', action: 'run', all, names, line })

type Case = [name: string, body: string, expected: unknown[]]

const CASES: Record<string, Case[]> = {
  lgtm: [
    ['/lgtm adds lgtm', '/lgtm', [lgtm('add')]],
    ['/LGTM is case-insensitive', '/LGTM', [lgtm('add')]],
    ['/lgtm no-issue adds lgtm without an issue', '/lgtm no-issue', [lgtm('add', true)]],
    ['/lgtm   no-issue with extra spaces still counts', '/lgtm   no-issue', [lgtm('add', true)]],
    ['/lgtm cancel cancels', '/lgtm cancel', [lgtm('cancel')]],
    ['/LGTM Cancel is case-insensitive too', '/LGTM Cancel', [lgtm('cancel')]],
    ['/remove-lgtm cancels', '/remove-lgtm', [lgtm('cancel')]],
    ['/lgtm with trailing text is invalid, as Prow ignores it', '/lgtm please', [bad('lgtm')]],
    ['/lgtm cancel with trailing text is invalid', '/lgtm cancel now', [bad('lgtm')]],
    ['/remove-lgtm with trailing text is invalid', '/remove-lgtm now', [bad('remove-lgtm')]],
    ['/lgtmx is not a command', '/lgtmx', []]
  ],
  approve: [
    ['/approve approves', '/approve', [approve('add')]],
    ['/APPROVE is case-insensitive', '/APPROVE', [approve('add')]],
    ['/approve no-issue approves without an issue', '/approve no-issue', [approve('add', true)]],
    ['/approve cancel cancels', '/approve cancel', [approve('cancel')]],
    ['/remove-approve cancels', '/remove-approve', [approve('cancel')]],
    ['/remove-approve takes trailing text', '/remove-approve changed my mind', [approve('cancel')]],
    ['/approve with a comment still approves', '/approve looks good', [approve('add')]],
    ['/approve with "cancel" anywhere in its text cancels, as in Prow', '/approve I would not cancel this', [approve('cancel')]],
    ['/approve no-issue followed by more text is a plain approval', '/approve no-issue thanks', [approve('add')]]
  ],
  hold: [
    ['/hold holds', '/hold', [hold('add')]],
    ['/hold with a reason holds', '/hold for further review', [hold('add')]],
    ['/Hold is case-insensitive', '/Hold', [hold('add')]],
    ['/hold cancel releases', '/hold cancel', [hold('cancel')]],
    ['/hold CANCEL with a reason releases', '/hold   CANCEL  reviewed now', [hold('cancel')]],
    ['/hold cancellation is a hold with a reason', '/hold cancellation of the release', [hold('add')]],
    ['/unhold releases', '/unhold', [hold('cancel')]],
    ['/remove-hold with text releases', '/remove-hold done', [hold('cancel')]]
  ],
  labels: [
    ['/kind BuG lower-cases the value', '/kind BuG', [label('kind', 'add', ['bug'])]],
    ['/area api infra names two labels', '/area api infra', [label('area', 'add', ['api', 'infra'])]],
    ['/area api, infra, accepts commas', '/area api, infra,', [label('area', 'add', ['api', 'infra'])]],
    ['/kind bug bug names the label once', '/kind bug bug', [label('kind', 'add', ['bug'])]],
    ['/remove-sig testing removes a label', '/remove-sig testing', [label('sig', 'remove', ['testing'])]],
    ['/Kind bug is invalid: label commands are case-sensitive, as in Prow', '/Kind bug', [bad('kind')]],
    ['/kind alone is invalid', '/kind', [bad('kind')]],
    ['/kindbug is not a command', '/kindbug', []],
    ['/label keeps the label as written', '/label Orchestrator/Foo', [label(null, 'add', ['Orchestrator/Foo'])]],
    ['/label takes one quoted label with spaces', '/label "needs docs"', [label(null, 'add', ['needs docs'])]],
    ['/remove-label removes a label', '/remove-label needs-rebase', [label(null, 'remove', ['needs-rebase'])]],
    ['/label a b is invalid: one label per line', '/label a b', [bad('label')]],
    ['/label alone is invalid', '/label', [bad('label')]],
    ['/label with an open quote is invalid', '/label "needs docs', [bad('label')]],
    ['/LABEL x is invalid: case-sensitive', '/LABEL x', [bad('label')]]
  ],
  assign: [
    ['/assign alone assigns the commenter', '/assign', [people('assign', 'add', [])]],
    ['/assign @a b assigns both; the @ is optional', '/assign @a b', [people('assign', 'add', ['a', 'b'])]],
    ['/assign @org/team names a team', '/assign @kubernetes/sig-testing', [people('assign', 'add', [], ['kubernetes/sig-testing'])]],
    ['/assign mixes users and teams', '/assign @a @org/t b', [people('assign', 'add', ['a', 'b'], ['org/t'])]],
    ['/unassign @a unassigns', '/unassign @a', [people('assign', 'remove', ['a'])]],
    ['/unassign alone unassigns the commenter', '/unassign', [people('assign', 'remove', [])]],
    ['/ASSIGN is case-insensitive', '/ASSIGN @a', [people('assign', 'add', ['a'])]],
    ['/assign @a @A names a login once', '/assign @a @A', [people('assign', 'add', ['a'])]],
    ['/assign @emu_user accepts an Enterprise Managed User login', '/assign @emu_user', [people('assign', 'add', ['emu_user'])]],
    ['/assign @Invalid$User is invalid', '/assign @Invalid$User', [bad('assign')]],
    ['/assign @a/b/c is invalid', '/assign @a/b/c', [bad('assign')]],
    ['/assign @-dash is invalid', '/assign @-dash', [bad('assign')]],
    ['/cc @a, @b accepts commas', '/cc @a, @b', [people('cc', 'add', ['a', 'b'])]],
    ['/cc alone requests the commenter', '/cc', [people('cc', 'add', [])]],
    ['/uncc @org/team removes a team request', '/uncc @org/team', [people('cc', 'remove', [], ['org/team'])]],
    ['/cc @bot[bot] is invalid', '/cc @bot[bot]', [bad('cc')]]
  ],
  lifecycle: [
    ['/lifecycle frozen adds lifecycle/frozen', '/lifecycle frozen', [lifecycle('add', 'frozen')]],
    ['/remove-lifecycle stale removes lifecycle/stale', '/remove-lifecycle stale', [lifecycle('remove', 'stale')]],
    ['/LIFECYCLE ROTTEN is case-insensitive', '/LIFECYCLE ROTTEN', [lifecycle('add', 'rotten')]],
    ['/lifecycle frozen stale is invalid: one state per line', '/lifecycle frozen stale', [bad('lifecycle')]],
    ['/lifecycle alone is invalid', '/lifecycle', [bad('lifecycle')]],
    ['/lifecycle done is invalid', '/lifecycle done', [bad('lifecycle')]]
  ],
  close: [
    ['/close closes', '/close', [{ command: 'close', notPlanned: false, line: 1 }]],
    ['/close not-planned closes as not planned', '/close not-planned', [{ command: 'close', notPlanned: true, line: 1 }]],
    ['/CLOSE NOT-PLANNED is case-insensitive', '/CLOSE NOT-PLANNED', [{ command: 'close', notPlanned: true, line: 1 }]],
    ['/close please is invalid', '/close please', [bad('close')]],
    ['/reopen reopens', '/reopen', [{ command: 'reopen', line: 1 }]],
    ['/reopen now is invalid', '/reopen now', [bad('reopen')]]
  ],
  'ok-to-test': [
    ['/ok-to-test allows testing', '/ok-to-test', [{ command: 'ok-to-test', action: 'add', line: 1 }]],
    ['/ok-to-test cancel revokes it', '/ok-to-test  cancel', [{ command: 'ok-to-test', action: 'cancel', line: 1 }]],
    ['/ok-to-test please is invalid', '/ok-to-test please', [bad('ok-to-test')]],
    ['/OK-TO-TEST is invalid: trigger commands are case-sensitive', '/OK-TO-TEST', [bad('ok-to-test')]],
    ['/ok-to-test CANCEL is invalid: its keyword is case-sensitive too', '/ok-to-test CANCEL', [bad('ok-to-test')]],
    ['not /ok-to-test mid-sentence never fires', 'not /ok-to-test', []]
  ],
  test: [
    ['/test unit e2e names two tests', '/test unit e2e', [test(['unit', 'e2e'])]],
    ['/test a b, takes a trailing comma, as Prow', '/test a b,', [test(['a', 'b'])]],
    ['/test a,b takes commas between names', '/test a,b', [test(['a', 'b'])]],
    ['/test all runs every default test', '/test all', [test([], true)]],
    ['/test all, takes a trailing comma', '/test all,', [test([], true)]],
    ['/test all then names keeps the names, as Prow’s per-job triggers do', '/test all e2e', [test(['e2e'], true)]],
    ['/test unit all names a test called all', '/test unit all', [test(['unit', 'all'])]],
    ['/test ALL names a test called ALL: test names are case-sensitive', '/test ALL', [test(['ALL'])]],
    ['/test alone asks for help', '/test', [{ command: 'test', action: 'help', asked: false, line: 1 }]],
    ['/test ? asks for help', '/test ?', [{ command: 'test', action: 'help', asked: true, line: 1 }]],
    ['/Test unit is invalid: case-sensitive', '/Test unit', [bad('test')]],
    ['/retest retests', '/retest', [{ command: 'retest', requiredOnly: false, line: 1 }]],
    ['/retest-required retests required checks', '/retest-required', [{ command: 'retest', requiredOnly: true, line: 1 }]],
    ['/retest foo is invalid', '/retest foo', [bad('retest')]],
    ['/retest-required foo is invalid', '/retest-required foo', [bad('retest-required')]],
    ['/RETEST is invalid: case-sensitive', '/RETEST', [bad('retest')]]
  ],
  override: [
    ['/override build overrides one check', '/override build', [{ command: 'override', contexts: ['build'], line: 1 }]],
    [
      '/override takes a quoted check with spaces and commas',
      '/override "ci / build (ubuntu, 20)" lint',
      [{ command: 'override', contexts: ['ci / build (ubuntu, 20)', 'lint'], line: 1 }]
    ],
    ['/Override is case-insensitive', '/Override build', [{ command: 'override', contexts: ['build'], line: 1 }]],
    ['/override alone is invalid', '/override', [bad('override')]],
    ['/override with an open quote is invalid', '/override "build', [bad('override')]],
    ['/override "" names nothing and is invalid', '/override ""', [bad('override')]]
  ],
  milestone: [
    ['/milestone v1.0 sets the milestone', '/milestone v1.0', [{ command: 'milestone', action: 'set', title: 'v1.0', line: 1 }]],
    ['/milestone keeps spaces in the title', '/milestone Release 1.0', [{ command: 'milestone', action: 'set', title: 'Release 1.0', line: 1 }]],
    ['/milestone clear clears it', '/milestone clear', [{ command: 'milestone', action: 'clear', line: 1 }]],
    ['/milestone alone is invalid', '/milestone', [bad('milestone')]],
    ['/Milestone v1.0 is invalid: case-sensitive', '/Milestone v1.0', [bad('milestone')]]
  ],
  retitle: [
    ['/retitle sets the title', '/retitle Fix the flaky test', [{ command: 'retitle', title: 'Fix the flaky test', line: 1 }]],
    ['/RETITLE is case-insensitive', '/RETITLE x', [{ command: 'retitle', title: 'x', line: 1 }]],
    ['/retitle alone is invalid', '/retitle', [bad('retitle')]],
    ['/retitle over 256 characters is invalid', `/retitle ${'x'.repeat(MAX_TITLE_LENGTH + 1)}`, [bad('retitle')]]
  ],
  help: [
    ['/help asks for help', '/help', [{ command: 'help', action: 'add', line: 1 }]],
    ['/remove-help withdraws it', '/remove-help', [{ command: 'help', action: 'remove', line: 1 }]],
    ['/good-first-issue marks a good first issue', '/good-first-issue', [{ command: 'good-first-issue', action: 'add', line: 1 }]],
    ['/remove-good-first-issue unmarks it', '/remove-good-first-issue', [{ command: 'good-first-issue', action: 'remove', line: 1 }]],
    ['/help me is invalid', '/help me', [bad('help')]]
  ],
  'cherry-pick': [
    ['/cherry-pick names a branch', '/cherry-pick release-1.5', [{ command: 'cherry-pick', branches: ['release-1.5'], line: 1 }]],
    ['/cherrypick is an alias and takes several branches', '/cherrypick release-1.5 release-1.6', [{ command: 'cherry-pick', branches: ['release-1.5', 'release-1.6'], line: 1 }]],
    ['/cherry-pick alone is invalid', '/cherry-pick', [bad('cherry-pick')]],
    ['/cherry-pick ../etc is invalid: not a branch name', '/cherry-pick ../etc', [bad('cherry-pick')]],
    ['/Cherry-pick is invalid: case-sensitive', '/Cherry-pick release-1.5', [bad('cherry-pick')]]
  ],
  'auto-cc and shepherd': [
    ['/auto-cc picks reviewers again', '/auto-cc', [{ command: 'auto-cc', line: 1 }]],
    ['/auto-cc now is invalid', '/auto-cc now', [bad('auto-cc')]],
    ['/shepherd help asks for the command list', '/shepherd help', [{ command: 'shepherd', action: 'help', line: 1 }]],
    ['/shepherd freeze freezes the queue', '/shepherd freeze', [{ command: 'shepherd', action: 'freeze', reason: '', line: 1 }]],
    ['/Shepherd UNFREEZE with a reason is case-insensitive and keeps the reason as typed', '/Shepherd UNFREEZE Release is out', [{ command: 'shepherd', action: 'unfreeze', reason: 'Release is out', line: 1 }]],
    ['/shepherd alone is invalid', '/shepherd', [bad('shepherd')]],
    ['/shepherd merge is invalid', '/shepherd merge', [bad('shepherd')]],
    ['/shepherd help me is invalid', '/shepherd help me', [bad('shepherd')]]
  ],
  'where commands are read': [
    ['an unknown /usr/bin path is ignored', 'run /usr/bin/env\n/usr/bin/env node', []],
    ['an unknown /foo is ignored, not invalid', '/foo bar', []],
    ['a command mid-sentence never fires', 'please /hold this', []],
    ['an indented command never fires', '  /area infra', []],
    ['a quoted command never fires', '> /hold', []],
    ['a fenced command never fires', '```\n/hold\n```', []],
    ['a tilde-fenced command never fires', '~~~sh\n/lgtm\n~~~', []],
    ['a command after a closed fence fires', '```\ncode\n```\n/hold', [hold('add', 4)]],
    ['an unclosed fence hides the rest of the comment', '```\n/hold', []],
    ['a command in an HTML comment never fires', '<!--\n/kind bug\n-->\n/area infra', [label('area', 'add', ['infra'], 4)]],
    ['CRLF line endings work', 'LGTM\r\n/hold\r\n', [hold('add', 2)]],
    ['a lone CR ends a line', 'x\r/lgtm', [lgtm('add', false, 2)]],
    ['trailing whitespace and a non-breaking space are ignored', '/lgtm \t\u00a0', [lgtm('add')]],
    ['inline code is mid-line and never fires', 'use `/approve` to approve', []]
  ],
  'several commands': [
    ['every command line gives one intent, in order', 'stuff\n/approve no-issue\nmore\n/kind bug\n/cc @a', [approve('add', true, 2), label('kind', 'add', ['bug'], 4), people('cc', 'add', ['a'], [], 5)]],
    ['conflicts are kept in order for the planner, where the last line wins', '/hold\n/hold cancel', [hold('add', 1), hold('cancel', 2)]],
    ['a label added and removed gives both intents in order', '/remove-area infra\n/area infra', [label('area', 'remove', ['infra'], 1), label('area', 'add', ['infra'], 2)]],
    ['an invalid line does not hide valid ones', '/lgtm please\n/lgtm', [bad('lgtm', 1), lgtm('add', false, 2)]]
  ]
}

describe.each(Object.entries(CASES))('%s', (_group, cases) => {
  it.each(cases)('%s', (_name, body, expected) => {
    expect(parseCommands(body)).toEqual(expected)
  })
})

describe('replies for invalid commands', () => {
  it.each([
    ['/retest with a target gets Prow’s note', '/retest foo', 'The `/retest` command does not accept any targets.'],
    ['/override alone gets Prow’s note', '/override', '/override requires failed status contexts to operate on, but none was given'],
    ['/retitle alone gets Prow’s note', '/retitle', 'Titles may not be empty.'],
    ['/lgtm with text says how to write it', '/lgtm please', 'Write `/lgtm`, `/lgtm no-issue` or `/lgtm cancel` alone on its line.'],
    ['a wrong-case word says to write it in lower case', '/Retest', 'Write `/retest` in lower case; `/Retest` is not a command.'],
    ['an invalid login does not repeat the text', '/assign @<img src=x>', '`/assign` takes GitHub logins (`@user`) and teams (`@org/team`), separated by spaces.']
  ])('%s', (_name, body, reason) => {
    expect(parseCommands(body)).toEqual([{ command: 'invalid', name: expect.any(String), reason, line: 1 }])
  })
})

describe('limits on untrusted text', () => {
  const logins = (n: number) => Array.from({ length: n }, (_, i) => `@u${i}`).join(' ')
  it.each([
    [`/cc with ${MAX_ARGS} names is fine`, `/cc ${logins(MAX_ARGS)}`, 'cc'],
    [`/cc with ${MAX_ARGS + 1} names is invalid`, `/cc ${logins(MAX_ARGS + 1)}`, 'invalid'],
    [`/kind with a ${MAX_LABEL_LENGTH}-character label is fine`, `/kind ${'b'.repeat(MAX_LABEL_LENGTH - 'kind/'.length)}`, 'label'],
    [`/kind with a ${MAX_LABEL_LENGTH + 1}-character label is invalid`, `/kind ${'b'.repeat(MAX_LABEL_LENGTH - 'kind/'.length + 1)}`, 'invalid'],
    [`/label with a ${MAX_LABEL_LENGTH + 1}-character label is invalid`, `/label ${'b'.repeat(MAX_LABEL_LENGTH + 1)}`, 'invalid'],
    [`/test with a ${MAX_VALUE_LENGTH + 1}-character name is invalid`, `/test ${'t'.repeat(MAX_VALUE_LENGTH + 1)}`, 'invalid'],
    [`/override with ${MAX_ARGS + 1} checks is invalid`, `/override ${logins(MAX_ARGS + 1).replaceAll('@', '')}`, 'invalid'],
    ['/label with a control character is invalid', '/label a\u001bb', 'invalid'],
    ['/retitle with an escape character is invalid', '/retitle a\u001b[31mred', 'invalid']
  ])('%s', (_name, body, command) => {
    expect(parseCommands(body).map((i) => i.command)).toEqual([command])
  })

  it('reads a comment only up to GitHub’s 65,536 characters', () => {
    expect(parseCommands(`${'x'.repeat(65536)}\n/hold`)).toEqual([])
    expect(parseCommands(`${'x'.repeat(65000)}\n/hold`)).toEqual([hold('add', 2)])
  })

  it('dedupes repeated /override checks', () => {
    expect(parseCommands('/override a a "a"')).toEqual([{ command: 'override', contexts: ['a'], line: 1 }])
  })
})

describe('label families', () => {
  it.each(PROW_LABEL_FAMILIES.map((f) => [f]))('/%s and /remove-%s are label commands', (family) => {
    expect(parseCommands(`/${family} X\n/remove-${family} y`)).toEqual([label(family, 'add', ['x'], 1), label(family, 'remove', ['y'], 2)])
  })
  it('a configured family becomes a command and the others stop being ones', () => {
    expect(parseCommands('/team Infra\n/kind bug', { labelFamilies: ['team'] })).toEqual([label('team', 'add', ['infra'], 1)])
  })
  it('a family named like a command leaves the command alone', () => {
    expect(parseCommands('/hold', { labelFamilies: ['hold', 'kind'] })).toEqual([hold('add')])
  })
})

describe('the registry', () => {
  const words = COMMAND_SPECS.flatMap((s) => [s.word, ...s.aliases])

  it('has one spec per word', () => {
    expect(new Set(words).size).toBe(words.length)
    expect(commandRegistry().size).toBe(words.length)
  })

  it('is case-sensitive exactly where Prow is (label, trigger, milestone, cherrypick)', () => {
    const sensitive = COMMAND_SPECS.filter((s) => s.caseSensitive).map((s) => s.word)
    const families = PROW_LABEL_FAMILIES.flatMap((f) => [f, `remove-${f}`])
    expect(sensitive.sort()).toEqual(['label', 'remove-label', ...families, 'ok-to-test', 'test', 'retest', 'retest-required', 'milestone', 'cherry-pick'].sort())
  })

  it('covers every command of issue #3', () => {
    const issue3 = [
      'lgtm', 'remove-lgtm', 'approve', 'remove-approve', 'hold', 'unhold', 'remove-hold', 'label', 'remove-label', 'assign', 'unassign', 'cc',
      'uncc', 'lifecycle', 'remove-lifecycle', 'close', 'reopen', 'ok-to-test', 'test', 'retest', 'retest-required', 'override', 'milestone',
      'retitle', 'help', 'remove-help', 'good-first-issue', 'remove-good-first-issue', 'cherry-pick', 'cherrypick', 'auto-cc', 'shepherd',
      ...PROW_LABEL_FAMILIES.flatMap((f) => [f, `remove-${f}`])
    ]
    expect(words.sort()).toEqual(issue3.sort())
  })

  it('is documented: docs/commands.md names every word', () => {
    const docs = readFileSync(new URL('../../docs/commands.md', import.meta.url), 'utf8')
    expect(words.filter((w) => !docs.includes(`/${w}`))).toEqual([])
  })
})

describe('grammar helpers', () => {
  it.each([
    ['a "b c" d', ['a', 'b c', 'd']],
    ['"a"', ['a']],
    ['  a   b ', ['a', 'b']],
    ['"a', null],
    ['', []]
  ])('splitQuoted(%j)', (input, expected) => {
    expect(splitQuoted(input)).toEqual(expected)
  })

  it.each([
    ['release-1.30', true],
    ['feature/x', true],
    ['a..b', false],
    ['-x', false],
    ['x.lock', false],
    ['x/', false],
    ['.hidden', false],
    ['a@{b', false],
    ['a:b', false],
    ['@', false]
  ])('isBranchName(%j) is %s', (name, ok) => {
    expect(isBranchName(name)).toBe(ok)
  })

  it('describes each intent on one line', () => {
    const body = '/lgtm no-issue\n/kind bug\n/assign\n/test all e2e\n/milestone clear\n/retest foo'
    expect(parseCommands(body).map(describeIntent)).toEqual([
      '1: lgtm add no-issue',
      '2: label add "kind/bug"',
      '3: assign add (the commenter)',
      '4: test all "e2e"',
      '5: milestone clear',
      '6: invalid /retest: The `/retest` command does not accept any targets.'
    ])
  })
})

// ---------------------------------------------------------------------------------------------
// Fuzz: random comments that mix command words, whitespace, unicode, fences, quotes and comments.


const FUZZ_BODIES = 12_000
const WORDS = [...COMMAND_SPECS.flatMap((s) => [s.word, ...s.aliases]), 'usr', 'foo', 'transfer-issue', 'lgtmx']
const ARGS = [
  'cancel', 'no-issue', 'not-planned', 'all', '?', 'clear', 'help', 'freeze', 'unfreeze', 'frozen', 'stale', 'rotten', 'active', 'bug', 'BuG',
  '@a', '@org/team', '@a/b/c', '@Invalid$User', 'release-1.5', '../x', '"quoted arg"', '"open', '""', ',', 'a,b', 'please', '@-x', 'x'.repeat(300)
]
const JUNK = ['é', '🐛', '\u2028', '\u00a0', '\u200b', '\u202e', '\u0301', '\ud800', '"', '@', ',', '/', '\t', '\u0000', '\u001b', '<!--', '-->', '`', '>', ' ', '*']
const SEPARATORS = ['\n', '\r\n', '\r']

function randomBody(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
  const caseOf = (w: string) => (rand() < 0.8 ? w : rand() < 0.5 ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1))
  const junk = (n: number) => Array.from({ length: n }, () => pick(JUNK)).join('')
  const lines: string[] = []
  const count = 1 + Math.floor(rand() * 12)
  for (let i = 0; i < count; i++) {
    const r = rand()
    const args = Array.from({ length: Math.floor(rand() * (rand() < 0.05 ? 30 : 4)) }, () => (rand() < 0.85 ? pick(ARGS) : junk(3))).join(pick([' ', '  ', '\t', ', ']))
    const command = `/${caseOf(pick(WORDS))}${args ? pick([' ', '\t', '   ']) + args : ''}${pick(['', ' ', '\t', '\u00a0', junk(1)])}`
    if (r < 0.55) lines.push(command)
    else if (r < 0.62) lines.push(pick(['```', '~~~', '````', '```js', ' ```']))
    else if (r < 0.68) lines.push(pick(['<!--', '-->', `<!-- ${command} -->`]))
    else if (r < 0.74) lines.push(`${pick(['> ', '  ', 'not ', '`'])}${command}`)
    else if (r < 0.8) lines.push('')
    else lines.push(junk(Math.floor(rand() * 20)))
  }
  return lines.map((l, i) => (i ? pick(SEPARATORS) : '') + l).join('')
}

const COMMAND_NAMES: CommandName[] = [
  'lgtm', 'approve', 'hold', 'label', 'assign', 'cc', 'lifecycle', 'close', 'reopen', 'ok-to-test', 'test', 'retest', 'override', 'milestone',
  'retitle', 'help', 'good-first-issue', 'cherry-pick', 'auto-cc', 'shepherd', 'invalid'
]

/** Lists hold at most MAX_ARGS non-empty strings; no string is longer than a title may be. */
function boundsHold(i: CommandIntent): boolean {
  const values = Object.values(i)
  const lists = values.filter(Array.isArray) as string[][]
  const strings = [...lists.flat(), ...values.filter((v): v is string => typeof v === 'string')]
  return lists.every((l) => l.length <= MAX_ARGS && l.every((s) => s.length > 0)) && strings.every((s) => s.length <= MAX_TITLE_LENGTH)
}

describe('fuzz', () => {
  it(`parses ${FUZZ_BODIES} random comments without throwing, inside the body, deterministically`, () => {
    const rand = seededRandom(0x5eed)
    const seen = new Set<string>()
    let intents = 0
    for (let n = 0; n < FUZZ_BODIES; n++) {
      const body = randomBody(rand)
      const lineCount = body.split(/\r\n|\r|\n/).length
      const first = parseCommands(body)
      intents += first.length
      expect(parseCommands(body)).toEqual(first)
      expect(first.length).toBeLessThanOrEqual(commandLines(body).length)
      let previous = 0
      for (const i of first) {
        seen.add(i.command)
        const ok =
          Number.isInteger(i.line) && i.line >= 1 && i.line <= lineCount && i.line > previous && COMMAND_NAMES.includes(i.command) && boundsHold(i)
        if (!ok) throw new Error(`bad intent ${JSON.stringify(i)} for body ${JSON.stringify(body)}`)
        previous = i.line
      }
    }
    expect(intents).toBeGreaterThan(FUZZ_BODIES)
    expect([...seen].sort()).toEqual([...COMMAND_NAMES].sort())
  })
})
