import { describe, expect, it } from '@jest/globals'
import type { Effect } from '../../src/core/effects.js'
import type { TriageEvent } from '../../src/core/triage/event.js'
import { needsFreeze, needsPermission } from '../../src/core/triage/needs.js'
import { planTriage } from '../../src/core/triage/plan.js'
import type { SnapshotFreeze } from '../../src/core/triage/snapshot.js'
import { parseCommands } from '../../src/core/commands/parse.js'
import { snapshotOf, type SnapshotOverrides } from '../support/snapshots.js'

// reviewer has write access; contributor read; release-lead is in the release team; maintainer is an admin.
const TEAM_CONFIG = 'merge_queue:\n  maintainers_team: acme/release-team\n'
const USERS: SnapshotOverrides['users'] = { 'release-lead': { permission: 'read', orgMember: true, teams: ['acme/release-team'] } }
const FROZEN: SnapshotFreeze = { base: 'main', by: 'maintainer', at: '2026-11-20T10:00:00Z', reason: 'release `1.0` <b>cut</b> @everyone' }

function run(author: string, body: string, over: SnapshotOverrides & { freeze?: SnapshotFreeze | null } = {}) {
  const event: TriageEvent = { source: 'issue_comment', action: 'created', body, author, authorIsBot: false, number: 7, isPull: over.item?.isPullRequest ?? true, commentId: 99, headSha: null }
  const snapshot = { ...snapshotOf({ ...over, users: { ...USERS, ...over.users } }), freeze: over.freeze ?? null }
  return planTriage({ event }, snapshot).effects
}
const queueEffects = (effects: Effect[]) => effects.filter((e) => e.type === 'queue.freeze' || e.type === 'queue.unfreeze')
const reply = (effects: Effect[]) => (effects.find((e) => e.type === 'comment.create') as { body: string } | undefined)?.body.split('\n\n<details>')[0] ?? ''

describe('/shepherd freeze and unfreeze', () => {
  it('a collaborator freezes the base branch of a pull request, with the reason as typed', () => {
    const effects = run('reviewer', '/shepherd freeze Release 1.0 is being cut', { item: { baseRef: 'release/1.0' } })
    expect(queueEffects(effects)).toEqual([{ type: 'queue.freeze', base: 'release/1.0', by: 'reviewer', reason: 'Release 1.0 is being cut' }])
    expect(reply(effects)).toBe('@reviewer: Merging into `release/1.0` is now frozen: the merge queue keeps testing batches but lands nothing until `/shepherd unfreeze`.')
  })

  it('on an issue it freezes the default branch', () => {
    const effects = run('reviewer', '/shepherd freeze', { item: { isPullRequest: false, baseRef: undefined } })
    expect(queueEffects(effects)).toEqual([{ type: 'queue.freeze', base: 'main', by: 'reviewer', reason: '' }])
  })

  it('a contributor without write access is refused and nothing is written', () => {
    const effects = run('contributor', '/shepherd freeze')
    expect(queueEffects(effects)).toEqual([])
    expect(reply(effects)).toBe('@contributor: You must be a collaborator (write permission or more) to freeze or unfreeze merging.')
  })

  it('with merge_queue.maintainers_team set, a team member may and an admin outside the team may not', () => {
    expect(queueEffects(run('release-lead', '/shepherd freeze', { config: TEAM_CONFIG }))).toEqual([{ type: 'queue.freeze', base: 'main', by: 'release-lead', reason: '' }])
    const refused = run('maintainer', '/shepherd unfreeze', { config: TEAM_CONFIG, freeze: FROZEN })
    expect(queueEffects(refused)).toEqual([])
    expect(reply(refused)).toBe('@maintainer: You must be a member of the [acme/release-team](https://github.com/orgs/acme/teams/release-team/members) GitHub team to freeze or unfreeze merging.')
  })

  it('freezing a frozen branch writes nothing and says who froze it and why, the reason as inert code', () => {
    const effects = run('reviewer', '/shepherd freeze again', { freeze: FROZEN })
    expect(queueEffects(effects)).toEqual([])
    expect(reply(effects)).toBe('@reviewer: Merging into `main` is already frozen by `maintainer` on `2026-11-20T10:00:00Z` (reason: ``release `1.0` <b>cut</b> @everyone``). Nothing changed.')
  })

  it('a freeze of another branch does not count as this base being frozen', () => {
    expect(queueEffects(run('reviewer', '/shepherd freeze', { freeze: { ...FROZEN, base: 'release/1.0' } }))).toHaveLength(1)
  })

  it('unfreeze deletes the freeze and says what it was', () => {
    const effects = run('reviewer', '/shepherd unfreeze', { freeze: { ...FROZEN, reason: '' } })
    expect(queueEffects(effects)).toEqual([{ type: 'queue.unfreeze', base: 'main' }])
    expect(reply(effects)).toBe('@reviewer: Merging into `main` is unfrozen (it was frozen by `maintainer` on `2026-11-20T10:00:00Z`). The merge queue lands tested batches again.')
  })

  it('unfreezing a branch that is not frozen writes nothing, and names a config freeze that still holds', () => {
    const effects = run('reviewer', '/shepherd unfreeze', { config: 'merge_queue:\n  frozen: true\n' })
    expect(queueEffects(effects)).toEqual([])
    expect(reply(effects)).toBe('@reviewer: Merging into `main` is not frozen by `/shepherd freeze`; nothing to unfreeze. `merge_queue.frozen` in the configuration still pauses merging.')
  })

  it('freeze and unfreeze ask for the commenter’s permission and the freeze; help asks for neither', () => {
    const intents = parseCommands('/shepherd freeze x')
    expect([needsPermission(intents), needsFreeze(intents)]).toEqual([true, true])
    expect([needsPermission(parseCommands('/shepherd help')), needsFreeze(parseCommands('/shepherd help'))]).toEqual([false, false])
  })
})
