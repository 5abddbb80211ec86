import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { NODE24 } from '../support/node24.js'

// The simulator as users start it: `shepherd sim serve`, in its own process.
let child: ChildProcessWithoutNullStreams
let url = ''
let firstLine = ''
const call = async (method: string, path: string, body?: unknown, token = 'maintainer-token') => {
  const res = await fetch(url + path, { method, headers: { authorization: `token ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

beforeAll(async () => {
  child = spawn(NODE24, ['bin/shepherd.js', 'sim', 'serve', '--port', '0', '--fixture', 'demo'], { stdio: ['pipe', 'pipe', 'pipe'] })
  firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`sim serve exited ${code}`)))
  })
  url = firstLine.replace(/^listening /, '')
})
afterAll(() => {
  child.kill('SIGTERM')
})

describe('shepherd sim serve and the /_sim/ admin routes', () => {
  it('prints where it listens as its first line', () => {
    expect(firstLine).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('answers health', async () => {
    expect((await call('GET', '/_sim/health')).body).toMatchObject({ ok: true, url })
  })

  it('answers an unknown route with 404, an invalid body with 422 and an invalid GraphQL field with an error', async () => {
    expect((await call('GET', '/repos/acme/widgets/frobnicate')).status).toBe(404)
    const invalid = await call('POST', '/repos/acme/widgets/issues', { body: 'no title' })
    expect(invalid.status).toBe(422)
    expect(invalid.body.message).toBe('Invalid request.\n\n"title" wasn\'t supplied.')
    const gql = await call('POST', '/graphql', { query: '{ repository(owner: "acme", name: "widgets") { nope } }' })
    expect(gql.status).toBe(200)
    expect(gql.body.errors[0].message).toBe("Field 'nope' doesn't exist on type 'Repository'")
    expect(await call('POST', '/graphql', { query: '{ viewer { login } }' }, 'wrong-token')).toEqual({
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' }
    })
  })

  it('counts requests per route and clears the log', async () => {
    await call('DELETE', '/_sim/requests')
    await call('GET', '/repos/acme/widgets')
    await call('GET', '/repos/acme/widgets')
    await call('GET', '/nope')
    const log = await call('GET', '/_sim/requests')
    expect(log.body.byRoute).toEqual({ 'repos/get': 2, unknown: 1 })
    expect(log.body.entries[2]).toMatchObject({ method: 'GET', path: '/nope', status: 404, actor: 'maintainer' })
  })

  it('lists events after a sequence number', async () => {
    const before = (await call('GET', '/_sim/events')).body.length
    await call('POST', '/repos/acme/widgets/issues/1/comments', { body: '/hold' }, 'reviewer-token')
    const events = (await call('GET', `/_sim/events?since=${before}`)).body
    expect(events.map((e: { name: string; action: string }) => `${e.name}.${e.action}`)).toEqual(['issue_comment.created'])
    expect(events[0].payload.comment.body).toBe('/hold')
  })

  it('injects seeded faults and refuses an unknown kind', async () => {
    expect((await call('PUT', '/_sim/faults', { rules: [{ kind: 'explode' }] })).status).toBe(422)
    await call('PUT', '/_sim/faults', { seed: 7, rules: [{ match: 'repos/get', kind: 'status', status: 503, times: 2 }] })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await call('GET', '/repos/acme/widgets')).status)
    expect(statuses).toEqual([503, 503, 200])
    expect((await call('GET', '/_sim/faults')).body.rules[0].hits).toBe(2)
    expect((await call('DELETE', '/_sim/faults')).status).toBe(204)
  })

  it('adds tokens, resets to a fixture, and refuses a bad fixture with its path', async () => {
    expect((await call('POST', '/_sim/tokens', { token: 'new-token', login: 'newcomer' })).status).toBe(201)
    expect((await call('GET', '/user', undefined, 'new-token')).body.login).toBe('newcomer')
    const bad = await call('POST', '/_sim/reset', { repos: [{ owner: 'acme', name: 'x', pulls: [{ title: 't', user: 'u', head: 'missing' }] }] })
    expect(bad.status).toBe(422)
    expect(bad.body.message).toBe('fixture repos[0].pulls[0].head: unknown branch "missing"')
    expect((await call('POST', '/_sim/reset', { repos: [{ owner: 'solo', name: 'tool' }] })).body).toEqual({ repos: ['solo/tool'] })
    expect((await call('GET', '/_sim/repos/solo/tool')).body.full_name).toBe('solo/tool')
  })

  it('completes a dispatched workflow run', async () => {
    await call('POST', '/_sim/reset', {
      tokens: [{ token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' }],
      repos: [{ owner: 'acme', name: 'ci', workflows: ['ci.yml'] }]
    })
    expect((await call('POST', '/repos/acme/ci/actions/workflows/ci.yml/dispatches', { ref: 'main' }, 'ghs')).status).toBe(204)
    const runs = (await call('GET', '/_sim/repos/acme/ci')).body.workflow_runs
    const done = await call('POST', `/_sim/repos/acme/ci/runs/${runs[0].id}/complete`, { conclusion: 'failure' })
    expect(done.body).toMatchObject({ status: 'completed', conclusion: 'failure' })
    expect((await call('POST', `/_sim/repos/acme/ci/runs/${runs[0].id}/complete`, { conclusion: 'meh' })).status).toBe(422)
  })
})
