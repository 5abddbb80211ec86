import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { applyEffects, EffectFailedError } from '../../src/github/apply.js'
import { batchRead, buildBatchQuery, type GraphqlPart } from '../../src/github/graphql.js'
import { commentMarker, type Effect } from '../../src/core/effects.js'

let sim: Simulator
let gh: GitHubClient
const where = { owner: 'acme', repo: 'widgets' }
const self = 'github-actions[bot]'
const repo = () => sim.state.repos.get('acme/widgets')!

beforeAll(async () => {
  sim = await Simulator.start({ fixture: demoFixture(), checkResponses: true })
  gh = createClient({ token: 'ghs_actions', baseUrl: sim.url, pacing: false })
})
afterAll(async () => sim.stop())
beforeEach(async () => {
  await sim.reset(demoFixture())
  sim.setFaults([])
})

describe('batched GraphQL reads', () => {
  it('prefixes each part’s variables with its alias', () => {
    const { query, variables } = buildBatchQuery({
      a: { field: 'repository(owner: $o, name: $n)', selection: '{ id }', variables: { o: ['String!', 'acme'], n: ['String!', 'widgets'] } }
    })
    expect(query).toBe('query Batch($a_o: String!, $a_n: String!) {\n  a: repository(owner: $a_o, name: $a_n) { id }\n}')
    expect(variables).toEqual({ a_o: 'acme', a_n: 'widgets' })
  })

  it('refuses an undeclared variable and an alias that is not a name', () => {
    expect(() => buildBatchQuery({ a: { field: 'repository(owner: $o, name: "x")', selection: '{ id }' } })).toThrow('part "a" uses $o without declaring it')
    expect(() => buildBatchQuery({ 'a-b': { field: 'viewer', selection: '{ login }' } })).toThrow('GraphQL alias "a-b" is not a name')
  })

  it('reads 60 issues in 3 requests of 25', async () => {
    for (let i = 0; i < 59; i++) await gh.rest.issues.create({ ...where, title: `issue ${i}` })
    const numbers = [...repo().issues.keys()]
    expect(numbers).toHaveLength(60)
    sim.requests.length = 0
    const parts: Record<string, GraphqlPart> = Object.fromEntries(
      numbers.map((n): [string, GraphqlPart] => [`i${n}`, { field: 'repository(owner: $o, name: $r)', selection: '{ issueOrPullRequest(number: $n) { ... on Issue { title } ... on PullRequest { title } } }', variables: { o: ['String!', 'acme'], r: ['String!', 'widgets'], n: ['Int!', n] } }])
    )
    const data = await batchRead(gh, parts)
    expect(sim.requests.map((r) => r.route)).toEqual(['graphql', 'graphql', 'graphql'])
    expect(Object.keys(data)).toHaveLength(60)
    expect((data.i2 as { issueOrPullRequest: { title: string } }).issueOrPullRequest.title).toBe('issue 0')
  })
})

describe('the effect applier', () => {
  const hold: Effect = { type: 'label.add', issue: 1, label: 'do-not-merge/hold' }

  it('adds a label once and reports unchanged the second time', async () => {
    expect((await applyEffects(gh, where, [hold], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [hold], { self }))[0].outcome).toBe('unchanged')
    expect(repo().issues.get(1)!.labels).toEqual(['do-not-merge/hold'])
  })

  it('treats a label someone removed meanwhile as removed', async () => {
    await applyEffects(gh, where, [hold], { self })
    // The applier believes the label is there, but it is gone by the time it writes.
    repo().issues.get(1)!.labels = []
    const done = await applyEffects(gh, where, [{ type: 'label.remove', issue: 1, label: 'do-not-merge/hold' }], { self, knownLabels: { 1: ['do-not-merge/hold'] } })
    expect(done[0].outcome).toBe('applied')
  })

  it('upserts a comment by its marker, in place, and never edits someone else’s comment carrying the marker', async () => {
    const marker = commentMarker('notifier')
    const reviewer = createClient({ token: 'reviewer-token', baseUrl: sim.url, pacing: false })
    await reviewer.rest.issues.createComment({ ...where, issue_number: 1, body: `${marker}\nspoofed` })
    const upsert = (body: string): Effect => ({ type: 'comment.upsert', issue: 1, marker: 'notifier', body })
    expect((await applyEffects(gh, where, [upsert('first')], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [upsert('second')], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [upsert('second')], { self }))[0].outcome).toBe('unchanged')
    const bodies = [...repo().comments.values()].filter((c) => c.issueNumber === 1).map((c) => `${c.user}: ${c.body}`)
    expect(bodies).toEqual([`reviewer: ${marker}\nspoofed`, `github-actions[bot]: ${marker}\nsecond`])
  })

  it('sets a commit status once', async () => {
    const sha = repo().issues.get(1)!.pull!.head.sha
    const status: Effect = { type: 'status.set', sha, context: 'shepherd/merge-queue', state: 'pending', description: 'In the pool' }
    expect((await applyEffects(gh, where, [status], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [status], { self }))[0].outcome).toBe('unchanged')
    expect(repo().statuses.filter((s) => s.context === 'shepherd/merge-queue')).toHaveLength(1)
  })

  it('moves a ref only from the SHA it expects, and creates one that must not exist', async () => {
    const main = repo().issues.get(1)!.pull!.base.sha
    const head = repo().issues.get(1)!.pull!.head.sha
    const create: Effect = { type: 'ref.update', ref: 'refs/heads/shepherd/queue/main/1', sha: main, expected: null }
    expect((await applyEffects(gh, where, [create], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [create], { self }))[0].outcome).toBe('unchanged')
    const move: Effect = { type: 'ref.update', ref: 'refs/heads/shepherd/queue/main/1', sha: head, expected: main }
    expect((await applyEffects(gh, where, [move], { self }))[0].outcome).toBe('applied')
    const stale: Effect = { type: 'ref.update', ref: 'refs/heads/shepherd/queue/main/1', sha: main, expected: '0'.repeat(40) }
    await expect(applyEffects(gh, where, [stale], { self })).rejects.toThrow(/is at [0-9a-f]{40}, not at the expected 0{40}; someone else moved it/)
  })

  it('replies once per marker, so a re-run does not repeat a reply', async () => {
    const reply: Effect = { type: 'comment.create', issue: 1, body: '@reviewer: you cannot LGTM your own PR.', marker: 'reply-77-1' }
    expect((await applyEffects(gh, where, [reply], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [reply], { self }))[0].outcome).toBe('unchanged')
    expect([...repo().comments.values()].filter((c) => c.body.includes('LGTM your own'))).toHaveLength(1)
  })

  it('retitles, closes and reopens only when that changes something', async () => {
    const retitle: Effect = { type: 'issue.update', issue: 1, title: 'Faster widgets' }
    expect((await applyEffects(gh, where, [retitle], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [retitle], { self }))[0].outcome).toBe('unchanged')
    await applyEffects(gh, where, [{ type: 'issue.update', issue: 1, state: 'closed', stateReason: 'not_planned' }], { self })
    expect(repo().issues.get(1)).toMatchObject({ title: 'Faster widgets', state: 'closed', stateReason: 'not_planned' })
    await applyEffects(gh, where, [{ type: 'issue.update', issue: 1, state: 'open' }], { self })
    expect(repo().issues.get(1)!.state).toBe('open')
  })

  it('sets and clears a milestone by number only when that changes something', async () => {
    await gh.rest.issues.createMilestone({ ...where, title: 'v1.0' })
    const set: Effect = { type: 'issue.update', issue: 1, milestone: { number: 1, title: 'v1.0' } }
    expect((await applyEffects(gh, where, [set], { self }))[0]).toMatchObject({ outcome: 'applied', description: 'update #1: milestone="v1.0"' })
    expect(repo().issues.get(1)!.milestone).toBe(1)
    expect((await applyEffects(gh, where, [set], { self }))[0].outcome).toBe('unchanged')
    const clear: Effect = { type: 'issue.update', issue: 1, milestone: null }
    expect((await applyEffects(gh, where, [clear], { self }))[0].outcome).toBe('applied')
    expect(repo().issues.get(1)!.milestone).toBeNull()
    expect((await applyEffects(gh, where, [clear], { self }))[0].outcome).toBe('unchanged')
  })

  it('assigns and unassigns by difference, and requests and removes reviews', async () => {
    const assign: Effect = { type: 'assignees.add', issue: 1, logins: ['reviewer'] }
    expect((await applyEffects(gh, where, [assign], { self }))[0].outcome).toBe('applied')
    expect((await applyEffects(gh, where, [assign], { self }))[0].outcome).toBe('unchanged')
    await applyEffects(gh, where, [{ type: 'assignees.remove', issue: 1, logins: ['reviewer', 'nobody'] }], { self })
    expect(repo().issues.get(1)!.assignees).toEqual([])
    await applyEffects(gh, where, [{ type: 'reviewers.request', pull: 1, logins: ['reviewer'], teams: [] }], { self })
    expect(repo().issues.get(1)!.pull!.requestedReviewers).toEqual(['reviewer'])
    await applyEffects(gh, where, [{ type: 'reviewers.remove', pull: 1, logins: ['reviewer'], teams: [] }], { self })
    expect(repo().issues.get(1)!.pull!.requestedReviewers).toEqual([])
  })

  it('reads an issue’s comments once for several replies and an upsert', async () => {
    sim.requests.length = 0
    await applyEffects(
      gh,
      where,
      [
        { type: 'comment.create', issue: 1, body: 'a', marker: 'r1' },
        { type: 'comment.create', issue: 1, body: 'b', marker: 'r2' },
        { type: 'comment.upsert', issue: 1, marker: 'notifier', body: 'n' }
      ],
      { self }
    )
    expect(sim.requests.map((r) => r.route)).toEqual(['issues/list-comments', 'issues/create-comment', 'issues/create-comment', 'issues/create-comment'])
  })

  it('changes nothing in a dry run', async () => {
    const done = await applyEffects(gh, where, [hold, { type: 'comment.upsert', issue: 1, marker: 'x', body: 'y' }], { self, dryRun: true })
    expect(done.map((d) => d.outcome)).toEqual(['planned', 'planned'])
    expect(repo().issues.get(1)!.labels).toEqual([])
    expect(sim.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })

  it('stops at the first refused effect and says what was done before it', async () => {
    const err = await applyEffects(gh, where, [hold, { type: 'label.add', issue: 999, label: 'x' }, hold], { self }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EffectFailedError)
    expect((err as EffectFailedError).message).toMatch(/^could not add label "x" to #999: Not Found/)
    expect((err as EffectFailedError).done.map((d) => d.outcome)).toEqual(['applied'])
  })
})

describe('the client', () => {
  it('waits out a rate limit for retry-after and a dropped connection, then succeeds', async () => {
    sim.setFaults([
      { match: 'repos/get', kind: 'rate-limit', retryAfter: 1, times: 1 },
      { match: 'repos/get', kind: 'drop', times: 1 }
    ])
    const log: string[] = []
    const client = createClient({ token: 'ghs_actions', baseUrl: sim.url, pacing: false, log: (m) => log.push(m) })
    const started = Date.now()
    const { data } = await client.rest.repos.get({ ...where })
    expect(data.full_name).toBe('acme/widgets')
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(sim.requests.map((r) => `${r.route}:${r.fault ?? 'ok'}`)).toEqual(['repos/get:rate-limit', 'repos/get:drop', 'repos/get:ok'])
    // The primary limit waits until x-ratelimit-reset plus a second, as GitHub advises.
    expect(log[0]).toMatch(/^rate limit on GET \/repos\/{owner}\/{repo}; waiting [12]s \(retry 1 of 3\)$/)
  })

  it('gives up after its retries on a persistent server error', async () => {
    sim.setFaults([{ match: 'repos/get', kind: 'status', status: 503 }])
    const client = createClient({ token: 'ghs_actions', baseUrl: sim.url, pacing: false, retries: 1 })
    await expect(client.rest.repos.get({ ...where })).rejects.toMatchObject({ status: 503 })
    expect(sim.requests.filter((r) => r.route === 'repos/get')).toHaveLength(2)
  })
})
