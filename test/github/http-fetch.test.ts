// The client's fetch over node:http (src/github/http-fetch.ts) beside Node's own fetch, which is
// the oracle: Octokit on either against the simulator must give the same statuses, headers, data
// and errors, for reads, pages, writes, GraphQL, refusals, a redirect and a dropped connection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getOctokit } from '@actions/github'
import { Simulator } from '../../src/sim/server.js'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { httpFetch } from '../../src/github/http-fetch.js'

let sim: Simulator
let redirector: Server
let redirectUrl: string
const where = { owner: 'acme', repo: 'widgets' }
type Client = ReturnType<typeof getOctokit>

beforeAll(async () => {
  sim = await Simulator.start({ fixture: demoFixture() })
  // Answers every request with a redirect to the same path on the simulator.
  redirector = createServer((req, res) => res.writeHead(302, { location: `${sim.url}${req.url ?? '/'}` }).end())
  await new Promise<void>((ok) => redirector.listen(0, '127.0.0.1', ok))
  redirectUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`
})
afterAll(async () => {
  redirector.close()
  await sim.stop()
})
beforeEach(async () => {
  await sim.reset(demoFixture())
  sim.setFaults([])
})

const client = (fetch: typeof httpFetch | typeof globalThis.fetch, baseUrl = sim.url): Client => getOctokit('ghs_actions', { baseUrl, request: { fetch } })
const VARYING = new Set(['date', 'x-github-request-id'])

/** What a call gives: the response without headers that differ per request, or the error. */
async function outcome(call: (c: Client) => Promise<unknown>, fetch: typeof httpFetch | typeof globalThis.fetch, baseUrl?: string) {
  await sim.reset(demoFixture())
  sim.setFaults(faults, 3)
  try {
    const r = (await call(client(fetch, baseUrl))) as { status?: number; headers?: Record<string, string>; data?: unknown } | unknown[]
    if (Array.isArray(r) || !r || typeof r !== 'object' || !('status' in r)) return { value: r }
    return { status: r.status, data: r.data, headers: Object.fromEntries(Object.entries(r.headers ?? {}).filter(([k]) => !VARYING.has(k))) }
  } catch (err) {
    const e = err as { status?: number; name?: string; response?: { data?: unknown } }
    return { error: e.status, name: e.name, data: e.response?.data }
  }
}

let faults: Parameters<Simulator['setFaults']>[0] = []
const same = async (call: (c: Client) => Promise<unknown>, baseUrl?: string) => {
  const expected = await outcome(call, globalThis.fetch, baseUrl)
  const actual = await outcome(call, httpFetch, baseUrl)
  expect(actual).toEqual(expected)
  return actual
}

describe('fetch over node:http, beside Node’s fetch', () => {
  beforeEach(() => {
    faults = []
  })

  it('reads a repository with the same status, headers and data', async () => {
    const r = await same((c) => c.rest.repos.get(where))
    expect(r).toMatchObject({ status: 200, data: { full_name: 'acme/widgets' } })
  })

  it('pages through a list by its link headers', async () => {
    const r = await same((c) => c.paginate(c.rest.issues.listLabelsForRepo, { ...where, per_page: 1 }))
    expect((r as { value: unknown[] }).value.length).toBeGreaterThan(1)
  })

  it('writes a comment, and deletes it with a 204', async () => {
    await same(async (c) => {
      const { data } = await c.rest.issues.createComment({ ...where, issue_number: 1, body: 'é and 😀' })
      return c.rest.issues.deleteComment({ ...where, comment_id: data.id })
    })
  })

  it('gives the same refusals: 404 and a 422 for a body the schema refuses', async () => {
    expect(await same((c) => c.rest.repos.get({ owner: 'acme', repo: 'nothing-here' }))).toMatchObject({ error: 404 })
    expect(await same((c) => c.request('POST /repos/{owner}/{repo}/issues', { ...where, body: 'an issue without a title' } as unknown as { owner: string; repo: string; title: string }))).toMatchObject({ error: 422 })
  })

  it('answers GraphQL', async () => {
    await same((c) => c.graphql('query { repository(owner: "acme", name: "widgets") { name issues(first: 3) { totalCount } } }'))
  })

  it('follows a redirect', async () => {
    expect(await same((c) => c.rest.repos.get(where), redirectUrl)).toMatchObject({ status: 200, data: { full_name: 'acme/widgets' } })
  })

  it('fails a dropped connection as a 500, as Octokit does for fetch', async () => {
    faults = [{ match: 'repos/get', kind: 'drop' }]
    expect(await same((c) => c.rest.repos.get(where))).toMatchObject({ error: 500 })
  })

  it('aborts on its signal', async () => {
    await same((c) => c.rest.repos.get({ ...where, request: { signal: AbortSignal.abort() } }))
  })
})

describe('responses Octokit never reads', () => {
  it('give their socket back to the agent at once (204, 304, HEAD), so nothing holds the process open', async () => {
    const { globalAgent } = await import('node:http')
    const server = createServer((req, res) => {
      if (req.url === '/no-content') res.writeHead(204).end()
      else if (req.url === '/not-modified') res.writeHead(304, { etag: '"x"' }).end()
      else res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' }).end('{}')
    })
    server.keepAliveTimeout = 60_000
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const name = `127.0.0.1:${(server.address() as AddressInfo).port}:`
    try {
      const busy = () => (globalAgent.sockets[name] ?? []).length
      for (const [path, method, status] of [['/no-content', 'DELETE', 204], ['/not-modified', 'GET', 304], ['/data', 'HEAD', 200]] as const) {
        const r = await httpFetch(`${base}${path}`, { method })
        expect(r.status).toBe(status)
        expect(r.body).toBeNull()
        expect(await r.text()).toBe('')
        await new Promise((ok) => setImmediate(ok))
        expect(busy()).toBe(0)
      }
      // A body that is read frees its socket too, and one left unread holds it: what the fix is about.
      const read = await httpFetch(`${base}/data`)
      expect(await read.json()).toEqual({})
      await new Promise((ok) => setImmediate(ok))
      expect(busy()).toBe(0)
      await httpFetch(`${base}/data`)
      await new Promise((ok) => setImmediate(ok))
      expect(busy()).toBe(1)
    } finally {
      globalAgent.destroy()
      server.close()
    }
  })
})
