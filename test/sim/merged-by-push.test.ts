import { beforeEach, describe, expect, it } from '@jest/globals'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { GitRepo } from '../../src/sim/git.js'
import { webhookProblems } from '../support/webhook-schema.js'
import { useSimulator } from './support.js'

/** The demo world plus #2 on `other`, which changes another file. */
function fixture(): Fixture {
  const f = demoFixture()
  const repo = f.repos![0]
  repo.branches = { ...repo.branches, other: { files: { 'other.txt': 'x\n' } } }
  repo.pulls = [...repo.pulls!, { number: 2, title: 'Other', user: 'contributor', head: 'other' }]
  return f
}

const sim = useSimulator(fixture)
const { api, since } = sim
const git = () => new GitRepo(sim.state.repos.get('acme/widgets')!.gitDir)

describe('pull requests merged by a push to their base', () => {
  beforeEach(() => sim.reset(fixture()))

  it('closes a pull request as merged when its base is fast-forwarded to its head', async () => {
    const head = (await git().resolve('refs/heads/feature/faster-widgets'))!
    const n = sim.state.events.length
    const res = await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: head, force: false }, token: 'maintainer-token' })
    expect(res.status).toBe(200)
    const pr = await api('/pulls/1')
    expect(pr.body).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: head, merged_by: { login: 'maintainer' } })
    expect((await api('/pulls/2')).body).toMatchObject({ state: 'open', merged: false })
    const events = since(n)
    expect(events.map((e) => `${e.name}${e.action ? `.${e.action}` : ''}`)).toEqual(['push', 'pull_request.closed'])
    expect(events[1].payload.pull_request).toMatchObject({ merged: true, number: 1 })
    expect(webhookProblems('pull_request', 'closed', events[1].payload).filter((p) => !/^\/(repository|pull_request\/(base|head)\/repo)\b/.test(p))).toEqual([])
  })

  it('names the merge commit on the base’s first-parent line that brought each head in', async () => {
    const g = git()
    const main = (await g.resolve('refs/heads/main'))!
    const h1 = (await g.resolve('refs/pull/1/head'))!
    const h2 = (await g.resolve('refs/pull/2/head'))!
    const id = { name: 'q', email: 'q@x', date: 1767225600 }
    const m1 = await g.commitTree((await g.mergeTree(main, h1)).tree, [main, h1], 'Merge #1\n', id, id)
    const m2 = await g.commitTree((await g.mergeTree(m1, h2)).tree, [m1, h2], 'Merge #2\n', id, id)
    expect((await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: m2 }, token: 'maintainer-token' })).status).toBe(200)
    expect((await api('/pulls/1')).body).toMatchObject({ merged: true, merge_commit_sha: m1 })
    expect((await api('/pulls/2')).body).toMatchObject({ merged: true, merge_commit_sha: m2 })
  })

  it('still sends one closed event for a merge through the API', async () => {
    const n = sim.state.events.length
    expect((await api('/pulls/1/merge', { method: 'PUT', body: {}, token: 'maintainer-token' })).status).toBe(200)
    expect(since(n).map((e) => `${e.name}${e.action ? `.${e.action}` : ''}`)).toEqual(['push', 'pull_request.closed'])
    expect((await api('/pulls/1')).body).toMatchObject({ merged: true, merged_by: { login: 'maintainer' } })
  })
})
