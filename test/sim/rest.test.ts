import { describe, expect, it } from '@jest/globals'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { useSimulator } from './support.js'

const sim = useSimulator(demoFixture)
const api = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${sim.url}${path}`, {
    ...init,
    headers: { authorization: `token ${init.token ?? 'maintainer-token'}`, 'content-type': 'application/json', ...(init.headers ?? {}) }
  })

describe('the simulator answers REST like GitHub', () => {
  it('answers a route GitHub does not have with 404', async () => {
    const res = await api('/repos/acme/widgets/no-such-thing')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { message: string }).message).toBe('Not Found')
  })

  it('answers a body that violates GitHub’s schema with 422', async () => {
    const res = await api('/repos/acme/widgets/issues/1/comments', { method: 'POST', body: JSON.stringify({ text: 'no body key' }) })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { message: string }).message).toMatch(/"body" wasn't supplied/)
  })

  it('answers an unknown token with 401', async () => {
    const res = await api('/repos/acme/widgets', { token: 'nope' })
    expect(res.status).toBe(401)
  })

  it('serves the repository in GitHub’s response shape', async () => {
    const res = await api('/repos/acme/widgets')
    expect(res.status).toBe(200)
    expect(((await res.json()) as { full_name: string }).full_name).toBe('acme/widgets')
  })

  it('adds a label, emits a labeled event, and marks GITHUB_TOKEN events as starting no workflow', async () => {
    const before = sim.state.events.length
    const res = await api('/repos/acme/widgets/issues/1/labels', { method: 'POST', token: 'ghs_actions', body: JSON.stringify({ labels: ['do-not-merge/hold'] }) })
    expect(res.status).toBe(200)
    const names = ((await res.json()) as { name: string }[]).map((l) => l.name)
    expect(names).toContain('do-not-merge/hold')
    const ev = sim.state.events.slice(before)
    expect(ev.map((e) => `${e.name}.${e.action}`)).toEqual(['pull_request.labeled'])
    expect(ev[0].startsWorkflows).toBe(false)
  })

  it('removes a label whose name has a slash', async () => {
    const res = await api(`/repos/acme/widgets/issues/1/labels/${encodeURIComponent('do-not-merge/hold')}`, { method: 'DELETE', token: 'ghs_actions' })
    expect(res.status).toBe(200)
  })

  it('reads a file from the default branch through the contents API', async () => {
    const res = await api('/repos/acme/widgets/contents/.github/shepherd.yml')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { content: string }
    expect(Buffer.from(body.content, 'base64').toString()).toContain('triage')
  })

  it('reports collaborator permission levels', async () => {
    const res = await api('/repos/acme/widgets/collaborators/contributor/permission')
    expect(((await res.json()) as { permission: string }).permission).toBe('read')
  })
})

describe('the simulator’s worlds and tokens', () => {
  it('refuses the runner’s runtime token on the REST API', async () => {
    const { artifactEnv } = await import('../../src/sim/artifacts/runtime.js')
    const res = await fetch(`${sim.url}/repos/acme/widgets/issues/1/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${artifactEnv(sim.url, 5).ACTIONS_RUNTIME_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: 'hi' })
    })
    expect(res.status).toBe(401)
  })

  it('starts every reset from fresh git data, and keeps the world when a reset fails', async () => {
    await api('/repos/acme/widgets/git/refs', { method: 'POST', body: JSON.stringify({ ref: 'refs/heads/leftover', sha: sim.state.repos.get('acme/widgets')!.issues.get(1)!.pull!.head.sha }) })
    expect((await api('/repos/acme/widgets/branches/leftover')).status).toBe(200)
    await expect(sim.reset({ repos: [{ owner: 'acme', name: 'widgets', pulls: [{ title: 't', user: 'u', head: 'nope' }] }] })).rejects.toThrow(
      'fixture repos[0].pulls[0].head: unknown branch "nope"'
    )
    expect((await api('/repos/acme/widgets/branches/leftover')).status).toBe(200)
    await sim.reset(demoFixture())
    expect((await api('/repos/acme/widgets/branches/leftover')).status).toBe(404)
  })
})
