import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseCommands } from '../../src/core/commands/parse.js'
import { describeEffect, type Effect } from '../../src/core/effects.js'
import type { TriageEvent } from '../../src/core/triage/event.js'
import { needsMilestones, needsPermission } from '../../src/core/triage/needs.js'
import { planTriage } from '../../src/core/triage/plan.js'
import { snapshotOf, type SnapshotOverrides } from '../support/snapshots.js'

// Roles: sig-lead is in the milestone maintainers team; sig-follow is an org member outside it;
// reviewer has write access; contributor (the author) has read access.
const TEAM_CONFIG = 'triage:\n  milestone:\n    maintainers_team: acme/milestone-maintainers\n'
const MILESTONES = [
  { number: 3, title: 'v1.1' },
  { number: 1, title: 'v1.0' }
]
const USERS: SnapshotOverrides['users'] = {
  'sig-lead': { permission: 'read', orgMember: true, teams: ['acme/milestone-maintainers'] },
  'sig-follow': { permission: 'read', orgMember: true, teams: ['acme/sig-node'] }
}

function run(author: string, body: string, over: SnapshotOverrides = {}) {
  const event: TriageEvent = { source: 'issue_comment', action: 'created', body, author, authorIsBot: false, number: 7, isPull: over.item?.isPullRequest ?? true, commentId: 99, headSha: null }
  return planTriage({ event }, snapshotOf({ config: TEAM_CONFIG, milestones: MILESTONES, ...over, users: { ...USERS, ...over.users } })).effects
}
const updates = (effects: Effect[]) => effects.filter((e) => e.type === 'issue.update')
const reply = (effects: Effect[]) => (effects.find((e) => e.type === 'comment.create') as { body: string } | undefined)?.body ?? ''
const TEAM_REPLY =
  'You must be a member of the [acme/milestone-maintainers](https://github.com/orgs/acme/teams/milestone-maintainers/members) GitHub team to set the milestone. ' +
  'If you believe you should be able to issue the /milestone command, please contact your Milestone Maintainers Team and have them propose you as an additional delegate for this responsibility.'

interface CorpusCase {
  body: string
  author: string
  author_role: string
  source: string
  expected: { labels_add: string[]; actions: string[]; reply: string | null }
}
const corpus = (JSON.parse(readFileSync(new URL('../fixtures/prow-commands-corpus.json', import.meta.url), 'utf8')) as (CorpusCase & { parse_check: { fn: string } })[]).filter(
  (c) => c.parse_check.fn === 'milestone'
)

describe('Prow’s own milestone test cases, acted on', () => {
  it('covers the corpus', () => expect(corpus.length).toBeGreaterThanOrEqual(2))
  it.each(corpus.map((c) => [c.source.split('"')[1], c] as const))('%s', (_name, c) => {
    // The repository has priority/critical-urgent, so the label plugin's half of "Multiline comment" acts too.
    const effects = run(c.author, c.body, { repoLabels: ['priority/critical-urgent'] })
    const set = c.expected.actions.map((a) => /^set milestone (.+)$/.exec(a)?.[1])
    expect(updates(effects)).toEqual(set.map((title) => ({ type: 'issue.update', issue: 7, milestone: MILESTONES.find((m) => m.title === title) })))
    expect(effects.filter((e) => e.type === 'label.add').map((e) => (e as { label: string }).label)).toEqual(c.expected.labels_add.map((l) => l.split(' ')[0]))
    // The corpus abbreviates Prow's reply ("[org/team](...) … to set the milestone. ..."): compare up to the link.
    if (c.expected.reply) expect(reply(effects)).toContain(c.expected.reply.split('](')[0].replace('[org/team', '[acme/milestone-maintainers'))
    else expect(reply(effects)).toBe('')
  })
})

describe('/milestone', () => {
  it('a member of the maintainers team sets the milestone, by its number', () => {
    const effects = run('sig-lead', '/milestone v1.0')
    expect(effects).toEqual([{ type: 'issue.update', issue: 7, milestone: { number: 1, title: 'v1.0' } }])
    expect(describeEffect(effects[0])).toBe('update #7: milestone="v1.0"')
  })

  it('anyone outside the team gets Prow’s team reply, repository admins too, and nothing changes', () => {
    for (const who of ['sig-follow', 'maintainer', 'contributor']) {
      const effects = run(who, '/milestone v1.0')
      expect(updates(effects)).toEqual([])
      expect(reply(effects)).toContain(`@${who}: ${TEAM_REPLY}`)
    }
  })

  it('team names match case-insensitively, as GitHub’s slugs do', () => {
    const effects = run('sig-lead', '/milestone v1.0', { config: 'triage:\n  milestone:\n    maintainers_team: ACME/Milestone-Maintainers\n' })
    expect(updates(effects)).toHaveLength(1)
  })

  it('without a maintainers team, collaborators may set it and everyone else is told who may', () => {
    expect(updates(run('reviewer', '/milestone v1.1', { config: '' }))).toEqual([{ type: 'issue.update', issue: 7, milestone: { number: 3, title: 'v1.1' } }])
    const refused = run('sig-lead', '/milestone v1.1', { config: '' })
    expect(updates(refused)).toEqual([])
    expect(reply(refused)).toContain('You must be a collaborator (write permission or more) to set the milestone.')
  })

  it('an unknown title gets the list of the repository’s open milestones, sorted by title, and how to clear', () => {
    const effects = run('sig-lead', '/milestone v2.0')
    expect(updates(effects)).toEqual([])
    expect(reply(effects)).toContain(
      '@sig-lead: The provided milestone is not valid for this repository. Milestones in this repository: [`v1.0`, `v1.1`]\n\nUse `/milestone clear` to clear the milestone.'
    )
  })

  it('titles match exactly: /milestone V1.0 is not v1.0', () => {
    expect(reply(run('sig-lead', '/milestone V1.0'))).toContain('The provided milestone is not valid for this repository.')
  })

  it('a repository without open milestones lists none', () => {
    expect(reply(run('sig-lead', '/milestone v1.0', { milestones: [] }))).toContain('Milestones in this repository: []')
  })

  it('lists at most 100 milestones in the reply', () => {
    const milestones = Array.from({ length: 130 }, (_, i) => ({ number: i + 1, title: `m${String(130 - i).padStart(3, '0')}` }))
    const body = reply(run('sig-lead', '/milestone nope', { milestones }))
    expect(body).toContain('[`m001`, `m002`, ')
    expect(body).toContain('`m100` and 30 more]')
    expect(body).not.toContain('`m101`')
  })

  it('/milestone clear takes the item out of its milestone', () => {
    expect(run('sig-lead', '/milestone clear', { item: { milestone: 'v1.0' } })).toEqual([{ type: 'issue.update', issue: 7, milestone: null }])
  })

  it('/milestone clear on an item in no milestone changes nothing and says nothing', () => {
    expect(run('sig-lead', '/milestone clear', { item: { milestone: null } })).toEqual([])
  })

  it('setting the milestone the item already has changes nothing', () => {
    expect(run('sig-lead', '/milestone v1.0', { item: { milestone: 'v1.0' } })).toEqual([])
  })

  it('moves the item from one milestone to another', () => {
    expect(updates(run('sig-lead', '/milestone v1.1', { item: { milestone: 'v1.0' } }))).toEqual([{ type: 'issue.update', issue: 7, milestone: { number: 3, title: 'v1.1' } }])
  })

  it('the last line wins: set then clear leaves the milestone as it was', () => {
    expect(run('sig-lead', '/milestone v1.1\n/milestone clear')).toEqual([])
    expect(updates(run('sig-lead', '/milestone clear\n/milestone v1.1', { item: { milestone: 'v1.0' } }))).toEqual([
      { type: 'issue.update', issue: 7, milestone: { number: 3, title: 'v1.1' } }
    ])
  })

  it('a retitle and a milestone in one comment make one update', () => {
    const users = { 'sig-lead': { ...USERS!['sig-lead'], permission: 'write' as const } }
    expect(updates(run('sig-lead', '/retitle Faster widgets\n/milestone v1.0', { users }))).toEqual([
      { type: 'issue.update', issue: 7, title: 'Faster widgets', milestone: { number: 1, title: 'v1.0' } }
    ])
  })

  it('works on issues and on closed items, as in Prow', () => {
    expect(updates(run('sig-lead', '/milestone v1.0', { item: { isPullRequest: false } }))).toHaveLength(1)
    expect(updates(run('sig-lead', '/milestone v1.0', { item: { state: 'closed' } }))).toHaveLength(1)
  })

  it('is ignored when configuration turns it off', () => {
    expect(run('sig-lead', '/milestone v1.0', { config: TEAM_CONFIG + '  commands:\n    disabled: [milestone]\n' })).toEqual([])
  })

  it('is case-sensitive: /Milestone v1.0 is answered as invalid and changes nothing', () => {
    expect(updates(run('sig-lead', '/Milestone v1.0'))).toEqual([])
  })
})

describe('what /milestone makes the action read', () => {
  it('the commenter’s permission and teams for any /milestone; the open milestones only to set one', () => {
    expect(needsPermission(parseCommands('/milestone clear'))).toBe(true)
    expect(needsMilestones(parseCommands('/milestone v1.0'))).toBe(true)
    expect(needsMilestones(parseCommands('/milestone clear'))).toBe(false)
    expect(needsMilestones(parseCommands('/hold'))).toBe(false)
  })
})
