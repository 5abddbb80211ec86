import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { createClient } from '../../src/github/client.js'
import { runAction } from '../../src/runner/run.js'
import { NODE24 } from '../support/node24.js'
import { GitRepo } from '../../src/sim/git.js'

// /cherry-pick with real git: the committed bundle fetches, cherry-picks and pushes over the
// simulator's git smart HTTP, then opens the pull request.
const fixture = (): Fixture => ({
  orgs: [{ login: 'acme', members: ['lead'] }],
  tokens: [
    { token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' },
    { token: 'lead-token', login: 'lead' },
    { token: 'dev-token', login: 'dev' }
  ],
  repos: [
    {
      owner: 'acme',
      name: 'svc',
      collaborators: { lead: 'admin', dev: 'write' },
      labels: [{ name: 'kind/bug' }],
      files: { 'a.txt': 'one\n', 'b.txt': 'base\n' },
      branches: {
        'release-1.0': { files: { 'b.txt': 'release\n' }, message: 'Release branch' },
        fix: { files: { 'a.txt': 'one, fixed\n' }, message: 'Fix a' },
        clash: { files: { 'b.txt': 'main change\n' }, message: 'Change b' }
      },
      pulls: [
        { number: 1, title: 'Fix a', user: 'dev', head: 'fix', labels: ['kind/bug'], body: 'Fixes a.\n\n```release-note\nA is fixed.\n```\n' },
        { number: 2, title: 'Change b', user: 'dev', head: 'clash' }
      ]
    }
  ]
})

let sim: Simulator
const where = { owner: 'acme', repo: 'svc' }
const repo = () => sim.state.repos.get('acme/svc')!
beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
})
afterAll(async () => sim.stop())

const lead = () => createClient({ token: 'lead-token', baseUrl: sim.url, pacing: false })
async function triageOn(name: string, as = name) {
  const event = [...sim.state.events].reverse().find((e) => e.name === name)!
  const result = await runAction({ actionDir: 'actions/triage', event: as, payload: event.payload, apiUrl: sim.url, token: 'ghs', node: NODE24 })
  expect({ exitCode: result.exitCode, annotations: result.annotations }).toEqual({ exitCode: 0, annotations: [] })
  return result
}

describe('/cherry-pick', () => {
  it('on an open PR, promises; when it merges, opens the cherry-pick PR with the release note and kind labels', async () => {
    await lead().rest.issues.createComment({ ...where, issue_number: 1, body: '/cherry-pick release-1.0' })
    await triageOn('issue_comment')
    expect([...repo().comments.values()].some((c) => c.body.includes('once the present PR merges, I will cherry-pick it on top of `release-1.0`'))).toBe(true)
    await lead().rest.pulls.merge({ ...where, pull_number: 1, merge_method: 'merge' })
    await triageOn('pull_request', 'pull_request_target')
    const picked = [...repo().issues.values()].find((i) => i.title === '[release-1.0] Fix a')!
    expect(picked.pull).toMatchObject({ base: { ref: 'release-1.0' }, head: { ref: 'cherry-pick-1-to-release-1.0' } })
    expect(picked.body).toContain('```release-note\nA is fixed.\n```')
    expect(picked.labels).toEqual(['kind/bug'])
    expect(picked.assignees).toEqual(['lead'])
    const git = new GitRepo(repo().gitDir)
    expect((await git.readFile('refs/heads/cherry-pick-1-to-release-1.0', 'a.txt'))!.toString()).toBe('one, fixed\n')
    expect((await git.readFile('refs/heads/cherry-pick-1-to-release-1.0', 'b.txt'))!.toString()).toBe('release\n')
    expect([...repo().comments.values()].some((c) => c.body.includes(`new pull request created: #${picked.number}`))).toBe(true)
  })

  it('asked again on the merged PR, finds the cherry-pick it made instead of opening another', async () => {
    await lead().rest.issues.createComment({ ...where, issue_number: 1, body: '/cherry-pick release-1.0' })
    const result = await triageOn('issue_comment')
    expect(JSON.parse(result.outputs.effects).find((e: { type: string }) => e.type === 'cherrypick').outcome).toBe('unchanged')
    expect([...repo().issues.values()].filter((i) => i.title === '[release-1.0] Fix a')).toHaveLength(1)
  })

  it('reports the conflicting files when the change does not apply', async () => {
    await lead().rest.pulls.merge({ ...where, pull_number: 2, merge_method: 'squash' })
    await lead().rest.issues.createComment({ ...where, issue_number: 2, body: '/cherry-pick release-1.0' })
    await triageOn('issue_comment')
    expect([...repo().comments.values()].some((c) => c.issueNumber === 2 && c.body.includes('failed to apply on top of branch `release-1.0`: conflicts in `b.txt`'))).toBe(true)
  })

  it('is refused to people outside the organization without write access', async () => {
    sim.state.tokens.set('outsider-token', { token: 'outsider-token', login: 'outsider', kind: 'pat' })
    await createClient({ token: 'outsider-token', baseUrl: sim.url, pacing: false }).rest.issues.createComment({ ...where, issue_number: 1, body: '/cherry-pick release-1.0' })
    await triageOn('issue_comment')
    expect([...repo().comments.values()].some((c) => c.body.includes('only organization members and collaborators may request cherry-picks.'))).toBe(true)
  })
})
