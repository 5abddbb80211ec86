import { beforeEach, describe, expect, it } from '@jest/globals'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import type { Fixture } from '../../src/sim/fixture.js'
import type { SimEvent } from '../../src/sim/state.js'
import { webhookProblems } from '../support/webhook-schema.js'
import { names, useSimulator } from './support.js'

/** The demo world with two open milestones (one with a due date), a closed one, and issue #2 in v1.0. */
function fixture(): Fixture {
  const f = demoFixture()
  const repo = f.repos![0]
  repo.milestones = [{ title: 'v1.0', description: 'First release' }, { title: 'v0.9', state: 'closed' }, { title: 'v1.1', dueOn: '2026-03-01T00:00:00Z' }]
  repo.issues = [{ number: 2, title: 'Widgets break', user: 'contributor', milestone: 'v1.0' }]
  return f
}

const sim = useSimulator(fixture)
const { api, since } = sim
/** Webhook-schema problems in what this code builds (`repository` comes from the shared repo shape). */
const problems = (e: SimEvent) => webhookProblems(e.name, e.action, e.payload).filter((p) => !/^\/(repository|pull_request\/(base|head)\/repo)\b/.test(p))
const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`${sim.url}/graphql`, { method: 'POST', headers: { authorization: 'bearer maintainer-token' }, body: JSON.stringify({ query, variables }) })
  return (await res.json()) as { data?: any; errors?: unknown[] } // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('milestones over REST', () => {
  beforeEach(() => sim.reset(fixture()))

  it('numbers fixture milestones from 1 and shows an issue’s milestone with its counts', async () => {
    const { status, body } = await api('/issues/2')
    expect(status).toBe(200)
    expect(body.milestone).toMatchObject({ number: 1, title: 'v1.0', state: 'open', description: 'First release', open_issues: 1, closed_issues: 0, creator: { login: 'acme' } })
    expect((await api('/issues/1')).body.milestone).toBeNull()
  })

  it('lists open milestones by due date, undated last; state=all adds the closed ones', async () => {
    expect((await api('/milestones')).body.map((m: { title: string }) => m.title)).toEqual(['v1.1', 'v1.0'])
    expect((await api('/milestones?state=all&direction=desc')).body.map((m: { title: string }) => m.title)).toEqual(['v0.9', 'v1.0', 'v1.1'])
    const page = await fetch(`${sim.url}/repos/acme/widgets/milestones?state=all&per_page=1`, { headers: { authorization: 'token maintainer-token' } })
    expect(page.headers.get('link')).toMatch(/rel="next"/)
  })

  it('creates a milestone with the next number and a milestone.created event; a title in use is 422', async () => {
    const n = sim.state.events.length
    const created = await api('/milestones', { method: 'POST', body: { title: 'v2.0', description: 'Next', due_on: '2026-06-30T12:00:00.000Z' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ number: 4, title: 'v2.0', state: 'open', due_on: '2026-06-30T12:00:00Z', open_issues: 0, creator: { login: 'maintainer' } })
    expect(names(since(n))).toEqual(['milestone.created'])
    expect(problems(since(n)[0])).toEqual([])
    const again = await api('/milestones', { method: 'POST', body: { title: 'v2.0' } })
    expect(again.status).toBe(422)
    expect(again.body.errors).toEqual([{ resource: 'Milestone', code: 'already_exists', field: 'title' }])
  })

  it('needs write access to create, edit or delete a milestone', async () => {
    expect((await api('/milestones', { method: 'POST', token: 'member-token', body: { title: 'x' } })).status).toBe(403)
    expect((await api('/milestones/1', { method: 'PATCH', token: 'member-token', body: { title: 'x' } })).status).toBe(403)
    expect((await api('/milestones/1', { method: 'DELETE', token: 'member-token' })).status).toBe(403)
    expect((await api('/milestones/1', { token: 'member-token' })).status).toBe(200)
  })

  it('reads one milestone by number; an unknown number is 404', async () => {
    expect((await api('/milestones/3')).body).toMatchObject({ title: 'v1.1', due_on: '2026-03-01T00:00:00Z' })
    expect((await api('/milestones/99')).status).toBe(404)
  })

  it('edits a milestone (edited with changes, then closed) and counts closed issues', async () => {
    await api('/issues/2', { method: 'PATCH', body: { state: 'closed' } })
    const n = sim.state.events.length
    const res = await api('/milestones/1', { method: 'PATCH', body: { title: 'v1.0.0', state: 'closed' } })
    expect(res.body).toMatchObject({ title: 'v1.0.0', state: 'closed', open_issues: 0, closed_issues: 1 })
    expect(res.body.closed_at).toEqual(expect.any(String))
    expect(names(since(n))).toEqual(['milestone.edited', 'milestone.closed'])
    expect(since(n)[0].payload.changes).toEqual({ title: { from: 'v1.0' } })
    for (const e of since(n)) expect(problems(e)).toEqual([])
    expect((await api('/milestones/1', { method: 'PATCH', body: { title: 'v1.1' } })).status).toBe(422)
  })

  it('deletes a milestone and leaves its issues without one', async () => {
    const n = sim.state.events.length
    expect((await api('/milestones/1', { method: 'DELETE' })).status).toBe(204)
    expect((await api('/milestones/1')).status).toBe(404)
    expect((await api('/issues/2')).body.milestone).toBeNull()
    expect(names(since(n))).toEqual(['milestone.deleted'])
    expect(problems(since(n)[0])).toEqual([])
    // A deleted milestone's number is not given out again.
    expect((await api('/milestones', { method: 'POST', body: { title: 'v3' } })).body.number).toBe(4)
  })
})

describe('the milestone of an issue or pull request', () => {
  beforeEach(() => sim.reset(fixture()))

  it('sets a pull request’s milestone by number (pull_request.milestoned), shown by pulls/get too', async () => {
    const n = sim.state.events.length
    const res = await api('/issues/1', { method: 'PATCH', token: 'ghs_actions', body: { milestone: 3 } })
    expect(res.status).toBe(200)
    expect(res.body.milestone).toMatchObject({ number: 3, title: 'v1.1' })
    expect((await api('/pulls/1')).body.milestone).toMatchObject({ number: 3 })
    expect(names(since(n))).toEqual(['pull_request.milestoned'])
    expect(since(n)[0].payload.milestone).toMatchObject({ number: 3 })
    expect(problems(since(n)[0])).toEqual([])
  })

  it('moves an issue to another milestone (demilestoned, then milestoned) and clears it with null', async () => {
    let n = sim.state.events.length
    await api('/issues/2', { method: 'PATCH', body: { milestone: 3 } })
    expect(names(since(n))).toEqual(['issues.demilestoned', 'issues.milestoned'])
    expect(since(n).map((e) => (e.payload.milestone as { title: string }).title)).toEqual(['v1.0', 'v1.1'])
    for (const e of since(n)) expect(problems(e)).toEqual([])
    n = sim.state.events.length
    const cleared = await api('/issues/2', { method: 'PATCH', body: { milestone: null } })
    expect(cleared.body.milestone).toBeNull()
    expect(names(since(n))).toEqual(['issues.demilestoned'])
  })

  it('sends nothing when the milestone does not change', async () => {
    const n = sim.state.events.length
    await api('/issues/2', { method: 'PATCH', body: { milestone: 1 } })
    await api('/issues/1', { method: 'PATCH', body: { milestone: null } })
    expect(since(n)).toEqual([])
  })

  it('refuses an unknown milestone (422) and a caller without triage access (403)', async () => {
    const bad = await api('/issues/2', { method: 'PATCH', body: { milestone: 42 } })
    expect(bad.status).toBe(422)
    expect(bad.body.errors).toEqual([{ value: 42, resource: 'Issue', field: 'milestone', code: 'invalid' }])
    expect((await api('/issues/2', { method: 'PATCH', token: 'contributor-token', body: { milestone: 3 } })).status).toBe(403)
    expect(sim.state.repos.get('acme/widgets')!.issues.get(2)!.milestone).toBe(1)
  })
})

describe('milestones over GraphQL', () => {
  beforeEach(() => sim.reset(fixture()))

  it('serves Repository.milestones (states, query, order) and an item’s milestone', async () => {
    const { data, errors } = await graphql(`query {
      repository(owner: "acme", name: "widgets") {
        open: milestones(first: 10, states: [OPEN]) { totalCount nodes { number title state closed dueOn } }
        named: milestones(first: 10, query: "v1.") { nodes { title } }
        byDue: milestones(first: 10, states: [OPEN], orderBy: {field: DUE_DATE, direction: ASC}) { nodes { title } }
        one: milestone(number: 1) { title progressPercentage issues(first: 5) { nodes { number } } }
        item: issueOrPullRequest(number: 2) { ... on Issue { milestone { number title url } } }
        pull: pullRequest(number: 1) { milestone { title } }
      }
    }`)
    expect(errors).toBeUndefined()
    const r = data.repository
    expect(r.open).toEqual({
      totalCount: 2,
      nodes: [
        { number: 1, title: 'v1.0', state: 'OPEN', closed: false, dueOn: null },
        { number: 3, title: 'v1.1', state: 'OPEN', closed: false, dueOn: '2026-03-01T00:00:00Z' }
      ]
    })
    expect(r.named.nodes.map((m: { title: string }) => m.title)).toEqual(['v1.0', 'v1.1'])
    expect(r.byDue.nodes.map((m: { title: string }) => m.title)).toEqual(['v1.1', 'v1.0'])
    expect(r.one).toEqual({ title: 'v1.0', progressPercentage: 0, issues: { nodes: [{ number: 2 }] } })
    expect(r.item.milestone).toMatchObject({ number: 1, title: 'v1.0', url: expect.stringMatching(/\/acme\/widgets\/milestone\/1$/) })
    expect(r.pull.milestone).toBeNull()
  })

  it('searches issues by milestone and by no:milestone', async () => {
    const { data } = await graphql(`query {
      m: search(type: ISSUE, first: 10, query: "repo:acme/widgets milestone:\\"v1.0\\"") { nodes { ... on Issue { number } ... on PullRequest { number } } }
      none: search(type: ISSUE, first: 10, query: "repo:acme/widgets no:milestone") { nodes { ... on Issue { number } ... on PullRequest { number } } }
    }`)
    expect(data.m.nodes).toEqual([{ number: 2 }])
    expect(data.none.nodes).toEqual([{ number: 1 }])
  })
})

describe('milestones in fixtures', () => {
  it('rejects an item in a milestone the repository lacks, and a title given twice', async () => {
    const f = fixture()
    f.repos![0].issues![0].milestone = 'v9'
    await expect(sim.reset(f)).rejects.toThrow('fixture repos[0].issues[0].milestone: no milestone "v9" in acme/widgets.milestones')
    const g = fixture()
    g.repos![0].milestones!.push({ title: 'v1.0' })
    await expect(sim.reset(g)).rejects.toThrow('fixture repos[0].milestones[3].title: milestone "v1.0" is defined twice')
  })
})
