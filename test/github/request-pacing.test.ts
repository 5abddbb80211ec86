// The client's own pacing and retries (src/github/request-pacing.ts) against what it replaces,
// @octokit/plugin-retry with @octokit/plugin-throttling configured as the client had them: the
// same faults from the simulator must give the same requests, the same limit-handler calls and
// the same result. Waits are shrunk (1 ms per second) in both.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'
import fc from 'fast-check'
import { Simulator } from '../../src/sim/server.js'
import type { FaultRule } from '../../src/sim/faults.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { Lane, requestPacing } from '../../src/github/request-pacing.js'

let sim: Simulator
const where = { owner: 'acme', repo: 'widgets' }
const DO_NOT_RETRY = [400, 401, 403, 404, 405, 409, 410, 422, 429, 451]
const BASE = 1

beforeAll(async () => {
  sim = await Simulator.start({ fixture: demoFixture() })
})
afterAll(async () => sim.stop())
beforeEach(() => sim.setFaults([]))

type Calls = string[]
type Client = ReturnType<typeof getOctokit>

/** Records a handler call; a primary limit's wait depends on the clock, so only its range is kept. */
const handler = (kind: string, calls: Calls, retries: number) => (after: number, req: { method: string; url: string }, _o: unknown, retryCount: number) => {
  const wait = kind === 'rate limit' ? (after >= 1 && after <= 3 ? '1..3' : String(after)) : String(after)
  calls.push(`${kind} ${req.method} ${req.url} ${wait}s #${retryCount}`)
  return retryCount < retries
}

function library(retries: number, calls: Calls): Client {
  return getOctokit(
    'ghs_actions',
    {
      baseUrl: sim.url,
      retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: BASE },
      throttle: {
        onRateLimit: handler('rate limit', calls, retries),
        onSecondaryRateLimit: handler('secondary rate limit', calls, retries),
        retryAfterBaseValue: BASE,
        write: new Bottleneck.Group({ maxConcurrent: 1 }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1 }),
        search: new Bottleneck.Group({ maxConcurrent: 1 })
      }
    },
    retry,
    throttling
  )
}

function ours(retries: number, calls: Calls, pacing = false, base = BASE): Client {
  return getOctokit(
    'ghs_actions',
    { baseUrl: sim.url },
    requestPacing({
      pacing,
      retries,
      doNotRetry: DO_NOT_RETRY,
      onRateLimit: handler('rate limit', calls, retries),
      onSecondaryRateLimit: handler('secondary rate limit', calls, retries),
      retryAfterBaseValue: base
    })
  )
}

type Operation = 'read' | 'write' | 'graphql'
const operations: Record<Operation, (c: Client) => Promise<unknown>> = {
  read: (c) => c.rest.repos.get(where).then((r) => r.data.full_name),
  write: (c) => c.rest.issues.update({ ...where, issue_number: 1, title: 'Retitled' }).then((r) => r.data.title),
  graphql: (c) => c.graphql<{ repository: { name: string } }>('query { repository(owner: "acme", name: "widgets") { name } }').then((r) => r.repository.name)
}

/** What one client did on the faults: its result, the requests the simulator saw, the handler calls. */
async function observe(make: (retries: number, calls: Calls) => Client, rules: FaultRule[], op: Operation, retries: number) {
  sim.setFaults(rules, 7)
  const before = sim.requests.length
  const calls: Calls = []
  const result = await operations[op](make(retries, calls)).then(
    (value) => `ok ${String(value)}`,
    (err: { status?: number; message?: string }) => `error ${err.status ?? ''} ${err.message?.split('\n')[0] ?? ''}`
  )
  return { result, requests: sim.requests.slice(before).map((r) => `${r.method} ${r.route} ${r.fault ?? r.status}`), calls }
}

const same = async (rules: FaultRule[], op: Operation, retries = 3) => {
  const expected = await observe(library, rules, op, retries)
  const actual = await observe((r, c) => ours(r, c), rules, op, retries)
  expect(actual).toEqual(expected)
  return actual
}

describe('request pacing and retries, beside plugin-retry with plugin-throttling', () => {
  it('waits out two secondary rate limits, then reads', async () => {
    const r = await same([{ match: 'repos/get', kind: 'secondary-rate-limit', retryAfter: 2, times: 2 }], 'read')
    expect(r.calls).toEqual(['secondary rate limit GET /repos/{owner}/{repo} 2s #0', 'secondary rate limit GET /repos/{owner}/{repo} 2s #1'])
    expect(r.result).toBe('ok acme/widgets')
  })

  it('waits out a primary rate limit and a dropped connection', async () => {
    const r = await same(
      [
        { match: 'repos/get', kind: 'rate-limit', times: 1 },
        { match: 'repos/get', kind: 'drop', times: 1 }
      ],
      'read'
    )
    expect(r.requests).toHaveLength(3)
  })

  it('retries server errors on a write, then writes', async () => {
    const r = await same([{ match: 'issues/update', kind: 'status', status: 502, times: 2 }], 'write')
    expect(r.result).toBe('ok Retitled')
  })

  it('gives up on a persistent server error after its retries', async () => {
    const r = await same([{ match: 'repos/get', kind: 'status', status: 503 }], 'read', 1)
    expect(r.requests).toHaveLength(2)
    expect(r.result).toMatch(/^error 503/)
  })

  it('gives up on a persistent secondary rate limit when the handler says so', async () => {
    const r = await same([{ match: 'graphql', kind: 'secondary-rate-limit' }], 'graphql', 2)
    expect(r.calls).toHaveLength(3)
    expect(r.result).toMatch(/^error 403/)
  })

  it('does not retry a refusal', async () => {
    const r = await same([{ match: 'issues/update', kind: 'status', status: 403 }], 'write')
    expect(r.requests).toHaveLength(1)
  })

  it('behaves the same on seeded random faults', async () => {
    const rule = fc.record({
      match: fc.constantFrom('repos/get', 'issues/update', 'graphql', ''),
      kind: fc.constantFrom<FaultRule['kind']>('status', 'secondary-rate-limit', 'rate-limit', 'drop'),
      status: fc.constantFrom(500, 502, 503, 403, 404, 422, 429),
      retryAfter: fc.integer({ min: 1, max: 3 }),
      probability: fc.constantFrom(0.5, 1),
      times: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined })
    })
    await fc.assert(
      fc.asyncProperty(fc.array(rule, { minLength: 1, maxLength: 3 }), fc.constantFrom<Operation>('read', 'write', 'graphql'), fc.integer({ min: 0, max: 3 }), async (rules, op, retries) => {
        const expected = await observe(library, rules, op, retries)
        const actual = await observe((r, c) => ours(r, c), rules, op, retries)
        expect(actual).toEqual(expected)
      }),
      { seed: 20261122, numRuns: 30 }
    )
  })
})

describe('pacing on', () => {
  it('starts writes a second apart and notifying writes three seconds apart, and reads without waiting for them', async () => {
    const sent: { what: string; at: number }[] = []
    // Registered before the pacing plugin, so it wraps the request as it leaves.
    const probe = (octokit: { hook: unknown }) => {
      const hook = octokit.hook as { wrap: (n: 'request', f: (req: (o: unknown) => Promise<unknown>, o: { method: string; url: string }) => Promise<unknown>) => void }
      hook.wrap('request', (req, o) => {
        sent.push({ what: `${o.method} ${o.url}`, at: Date.now() })
        return req(o)
      })
      return {}
    }
    const calls: Calls = []
    const paced = getOctokit(
      'ghs_actions',
      { baseUrl: sim.url },
      probe,
      requestPacing({ pacing: true, retries: 0, doNotRetry: DO_NOT_RETRY, onRateLimit: handler('rate limit', calls, 0), onSecondaryRateLimit: handler('secondary rate limit', calls, 0) })
    )
    await Promise.all([
      paced.rest.issues.update({ ...where, issue_number: 1, title: 'One' }),
      paced.rest.issues.update({ ...where, issue_number: 1, title: 'Two' }),
      paced.rest.issues.createComment({ ...where, issue_number: 1, body: 'first' }),
      paced.rest.issues.createComment({ ...where, issue_number: 1, body: 'second' }),
      paced.rest.repos.get(where)
    ])
    const at = (what: string, n = 0) => sent.filter((s) => s.what === what)[n]!.at
    const update = 'PATCH /repos/{owner}/{repo}/issues/{issue_number}'
    const comment = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'
    // The spacing is measured where a request is let go, the probe a moment later: a millisecond's slack.
    expect(at(update, 1) - at(update, 0)).toBeGreaterThanOrEqual(990)
    expect(at(comment, 0) - at(update, 1)).toBeGreaterThanOrEqual(990)
    expect(at(comment, 1) - at(comment, 0)).toBeGreaterThanOrEqual(2990)
    // The read went out before the second write was allowed to.
    expect(at('GET /repos/{owner}/{repo}')).toBeLessThan(at(update, 1))
    expect(calls).toEqual([])
  })
})

describe('a lane', () => {
  it('counts the gap from when the request before was actually let go, so a late timer does not squeeze the next gap', async () => {
    // A clock the test moves, and timers the test fires: as late as a busy runner fires them.
    let clock = 0
    const timers: { due: number; fire: () => void }[] = []
    const lane = new Lane(1000, () => clock, (ms) => new Promise<void>((fire) => timers.push({ due: clock + ms, fire })))
    const letGo: number[] = []
    const entries = [0, 1, 2].map(() => lane.enter().then(() => letGo.push(clock)))
    const settle = () => new Promise((ok) => setImmediate(ok))
    await settle()
    expect(letGo).toEqual([0])
    expect(timers.map((t) => t.due)).toEqual([1000])
    // The second request's timer was due at 1,000; the runner fires it at 1,300.
    clock = 1300
    timers.shift()!.fire()
    await settle()
    expect(letGo).toEqual([0, 1300])
    // The third is due a full second after 1,300, not after the 1,000 the second was due at.
    expect(timers.map((t) => t.due)).toEqual([2300])
    clock = 2300
    timers.shift()!.fire()
    await Promise.all(entries)
    expect(letGo).toEqual([0, 1300, 2300])
  })
})
