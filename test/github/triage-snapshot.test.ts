import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { loadSnapshot, ownersCandidates } from '../../src/github/triage-snapshot.js'

// A pull request of 150 files under a few OWNERS directories, with comments and a review.
function fixture(): Fixture {
  const files: Record<string, string> = {}
  for (let i = 0; i < 150; i++) files[`pkg/${['api', 'cli', 'web'][i % 3]}/file${String(i).padStart(3, '0')}.go`] = `package x // ${i}\n`
  return {
    orgs: [{ login: 'acme', members: ['maintainer', 'reviewer'], teams: [{ slug: 'sig-api', members: ['reviewer'], repos: {} }] }],
    tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }, { token: 'rev', login: 'reviewer' }, { token: 'bot', login: 'shepherd-app[bot]', kind: 'app' }],
    repos: [
      {
        owner: 'acme',
        name: 'big',
        collaborators: { reviewer: 'write', contributor: 'read' },
        labels: [{ name: 'lgtm' }, { name: 'kind/bug' }],
        files: {
          OWNERS: 'approvers: [maintainer]\n',
          OWNERS_ALIASES: 'aliases:\n  sig-api: [reviewer]\n',
          'pkg/api/OWNERS': 'approvers: [sig-api]\n',
          'pkg/web/OWNERS': 'reviewers: [reviewer]\n',
          '.github/shepherd.yml': 'triage:\n  hold:\n    label: on-hold\n'
        },
        branches: { big: { files } },
        pulls: [{ number: 1, title: 'Big change', body: 'Many files', user: 'contributor', head: 'big', labels: ['kind/bug'], reviews: [{ user: 'reviewer', state: 'APPROVED', body: 'nice' }] }],
        comments: [
          { issue: 1, user: 'reviewer', body: '/lgtm' },
          { issue: 1, user: 'maintainer', body: '/approve' }
        ]
      }
    ]
  }
}

let sim: Simulator
let gh: GitHubClient
beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false })
})
afterAll(async () => sim.stop())

describe('the triage snapshot loader', () => {
  it('lists the directories whose OWNERS may cover some paths, root first', () => {
    expect(ownersCandidates(['a/b/c.go', 'a/d.go', 'top.md'])).toEqual(['', 'a', 'a/b'])
  })

  it('reads a 150-file pull request, its people, comments, reviews and OWNERS in two GraphQL reads and a permission read per actor', async () => {
    sim.requests.length = 0
    const { snapshot, ids } = await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, { number: 1, configPath: '.github/shepherd.yml', bot: 'github-actions[bot]', actors: ['reviewer', 'contributor'] })
    expect(sim.requests.map((r) => r.route).sort()).toEqual(['graphql', 'graphql', 'repos/get-collaborator-permission-level', 'repos/get-collaborator-permission-level'])
    const item = snapshot.item
    expect(item).toMatchObject({ number: 1, isPullRequest: true, author: 'contributor', state: 'open', title: 'Big change', labels: ['kind/bug'], baseRef: 'main', headRef: 'big' })
    expect(item.changedFiles).toHaveLength(150)
    expect(new Set(item.changedFiles!.map((f) => f.path)).size).toBe(150)
    expect(item.treeSha).toMatch(/^[0-9a-f]{40}$/)
    expect(item.comments!.map((c) => `${c.author}: ${c.body}`)).toEqual(['reviewer: /lgtm', 'maintainer: /approve'])
    expect(item.reviews!.map((r) => `${r.author}:${r.state}`)).toEqual(['reviewer:APPROVED'])
    expect(snapshot.users).toEqual({
      reviewer: { permission: 'write', orgMember: true, teams: ['acme/sig-api'] },
      contributor: { permission: 'read', orgMember: false, teams: [] }
    })
    expect(Object.keys(snapshot.owners).sort()).toEqual(['OWNERS', 'OWNERS_ALIASES', 'pkg/api/OWNERS', 'pkg/web/OWNERS'])
    expect(snapshot.config.triage.hold.label).toBe('on-hold')
    expect(snapshot.repoLabels.sort()).toEqual(['kind/bug', 'lgtm'])
    expect(ids.item).toBeTruthy()
    expect(Object.keys(ids.labels).sort()).toEqual(['kind/bug', 'lgtm'])
  })

  it('reads OWNERS from the base branch, never from the pull request’s head', async () => {
    // The PR head adds itself as an approver; the base branch does not have that change.
    const f = fixture()
    f.repos![0].branches!.sneaky = { files: { 'pkg/cli/OWNERS': 'approvers: [contributor]\n', 'pkg/cli/x.go': 'x\n' } }
    f.repos![0].pulls!.push({ number: 2, title: 'Sneaky', user: 'contributor', head: 'sneaky' })
    await sim.reset(f)
    const { snapshot } = await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, { number: 2, configPath: '.github/shepherd.yml', bot: 'github-actions[bot]', actors: [] })
    expect(Object.keys(snapshot.owners)).not.toContain('pkg/cli/OWNERS')
  })

  it('looks up only the labels it may touch when the repository has more than 100', async () => {
    const f = fixture()
    f.repos![0].labels = [...Array.from({ length: 150 }, (_, i) => ({ name: `area/a${String(i).padStart(3, '0')}` })), { name: 'lgtm' }, { name: 'kind/bug' }]
    await sim.reset(f)
    sim.requests.length = 0
    const { snapshot, ids } = await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, {
      number: 1,
      configPath: '.github/shepherd.yml',
      bot: 'github-actions[bot]',
      actors: [],
      owners: false,
      labelNames: () => ['lgtm', 'approved', 'kind/bug']
    })
    expect(sim.requests.map((r) => r.route)).toEqual(['graphql', 'graphql'])
    expect(snapshot.repoLabels).toEqual(expect.arrayContaining(['lgtm', 'kind/bug']))
    expect(snapshot.repoLabels).not.toContain('approved')
    expect(ids.labels.lgtm).toBeTruthy()
  })

  it('reads the head’s version of the OWNERS files a pull request changes, beside the base’s', async () => {
    const f = fixture()
    f.repos![0].branches!.owners = { files: { 'pkg/api/OWNERS': 'approvers: [sig-api, contributor]\n', 'pkg/api/x.go': 'x\n' } }
    f.repos![0].pulls!.push({ number: 3, title: 'Owners', user: 'contributor', head: 'owners' })
    await sim.reset(f)
    sim.requests.length = 0
    const { snapshot } = await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, { number: 3, configPath: '.github/shepherd.yml', bot: 'x', actors: [], headOwners: true })
    expect(snapshot.item.headOwners).toEqual({ 'pkg/api/OWNERS': 'approvers: [sig-api, contributor]\n' })
    expect(snapshot.owners['pkg/api/OWNERS']).toBe('approvers: [sig-api]\n')
    expect(sim.requests.map((r) => r.route)).toEqual(['graphql', 'graphql'])
  })

  it('asks GitHub whether actors belong to the configured trusted organizations', async () => {
    const f = fixture()
    f.orgs!.push({ login: 'friends', members: ['contributor'] })
    f.repos![0].files!['.github/shepherd.yml'] = 'triage:\n  trusted:\n    orgs: [friends]\n'
    await sim.reset(f)
    const { snapshot } = await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, { number: 1, configPath: '.github/shepherd.yml', bot: 'x', actors: ['contributor', 'reviewer'], owners: false })
    expect(snapshot.users.contributor.orgs).toEqual(['friends'])
    expect(snapshot.users.reviewer.orgs).toBeUndefined()
  })

  it('reads the open milestones in the first read only when asked, and the item’s milestone always', async () => {
    const f = fixture()
    f.repos![0].milestones = [{ title: 'v1.0' }, { title: 'v0.9', state: 'closed' }, { title: 'v1.1', dueOn: '2026-02-01T00:00:00Z' }]
    f.repos![0].pulls![0].milestone = 'v0.9'
    await sim.reset(f)
    sim.requests.length = 0
    const options = { number: 1, configPath: '.github/shepherd.yml', bot: 'x', actors: ['reviewer'], owners: false }
    const { snapshot } = await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, { ...options, milestones: true })
    expect(sim.requests.map((r) => r.route).sort()).toEqual(['graphql', 'repos/get-collaborator-permission-level'])
    // Soonest due first, undated last, as GitHub lists them; closed ones are not offered.
    expect(snapshot.milestones).toEqual([
      { number: 3, title: 'v1.1' },
      { number: 1, title: 'v1.0' }
    ])
    expect(snapshot.item.milestone).toBe('v0.9')
    expect((await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, options)).snapshot.milestones).toBeUndefined()
  })

  it('lists the open milestones through REST when there are more than 100', async () => {
    const f = fixture()
    f.repos![0].milestones = Array.from({ length: 120 }, (_, i) => ({ title: `m${i + 1}` }))
    await sim.reset(f)
    sim.requests.length = 0
    const { snapshot } = await loadSnapshot(gh, { owner: 'acme', repo: 'big' }, { number: 1, configPath: '.github/shepherd.yml', bot: 'x', actors: [], owners: false, milestones: true })
    expect(snapshot.milestones).toHaveLength(120)
    expect(snapshot.milestones![119]).toEqual({ number: 120, title: 'm120' })
    expect(sim.requests.map((r) => r.route)).toEqual(['graphql', 'issues/list-milestones', 'issues/list-milestones'])
  })

  it('fails clearly for an item that does not exist', async () => {
    await expect(loadSnapshot(gh, { owner: 'acme', repo: 'big' }, { number: 99, configPath: '.github/shepherd.yml', bot: 'x', actors: [] })).rejects.toThrow(/acme\/big#99 does not exist|Could not resolve/)
  })
})
