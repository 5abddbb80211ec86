import { beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { GitRepo } from '../../src/sim/git.js'
import type { SimEvent } from '../../src/sim/state.js'
import { webhookProblems } from '../support/webhook-schema.js'
import { names, useSimulator, type Json } from './support.js'

const sim = useSimulator(demoFixture)
const { api, since } = sim
/** Webhook-schema problems in what this code builds (`repository` comes from the shared repo shape). */
const problems = (e: SimEvent) => webhookProblems(e.name, e.action, e.payload).filter((p) => !/^\/repository\b/.test(p))
const git = () => new GitRepo(sim.state.repos.get('acme/widgets')!.gitDir)
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Uploads bytes to a release's upload_url the way clients do (the URI template's {?name,label} filled in). */
async function upload(release: Json, name: string | null, bytes: Buffer, token = 'maintainer-token', contentType: string | null = 'application/octet-stream') {
  const url = new URL(String(release.upload_url).replace(/\{\?name,label\}$/, ''))
  if (name !== null) url.searchParams.set('name', name)
  const headers: Record<string, string> = { authorization: `token ${token}` }
  if (contentType) headers['content-type'] = contentType
  const res = await fetch(url, { method: 'POST', headers, body: bytes })
  return { status: res.status, body: (await res.json()) as Json }
}

describe('releases over REST', () => {
  beforeEach(() => sim.reset(demoFixture()))

  it('creates a published release: the missing tag is created at the target, with created, published and released events', async () => {
    const main = await git().resolve('refs/heads/main')
    const n = sim.state.events.length
    const res = await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0', name: 'v1.0.0', body: 'Notes' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ tag_name: 'v1.0.0', target_commitish: 'main', draft: false, prerelease: false, name: 'v1.0.0', body: 'Notes', author: { login: 'maintainer' }, assets: [] })
    expect(res.body.published_at).toEqual(expect.any(String))
    expect(res.body.upload_url).toBe(`${sim.url}/repos/acme/widgets/releases/${res.body.id}/assets{?name,label}`)
    expect(await git().resolve('refs/tags/v1.0.0')).toBe(main)
    const events = since(n).filter((e) => e.name === 'release')
    expect(names(events)).toEqual(['release.created', 'release.published', 'release.released'])
    for (const e of events) expect(problems(e)).toEqual([])
    expect((await api('/releases/latest')).body.id).toBe(res.body.id)
  })

  it('creates a draft without its tag; only callers with push access see it; publishing creates the tag', async () => {
    const n = sim.state.events.length
    const draft = await api('/releases', { method: 'POST', body: { tag_name: 'v2.0.0-rc.0', draft: true, prerelease: true } })
    expect(draft.status).toBe(201)
    expect(draft.body).toMatchObject({ draft: true, published_at: null, tarball_url: null })
    expect(await git().resolve('refs/tags/v2.0.0-rc.0')).toBeNull()
    expect(names(since(n))).toEqual(['release.created'])
    expect((await api('/releases', { token: 'contributor-token' })).body).toEqual([])
    expect((await api(`/releases/${draft.body.id}`, { token: 'contributor-token' })).status).toBe(404)
    expect((await api('/releases')).body.map((r: Json) => r.id)).toEqual([draft.body.id])
    // GitHub finds only published releases by tag.
    expect((await api('/releases/tags/v2.0.0-rc.0')).status).toBe(404)
    const m = sim.state.events.length
    const published = await api(`/releases/${draft.body.id}`, { method: 'PATCH', body: { draft: false } })
    expect(published.status).toBe(200)
    expect(published.body).toMatchObject({ draft: false, prerelease: true, tag_name: 'v2.0.0-rc.0' })
    expect(published.body.published_at).toEqual(expect.any(String))
    expect(await git().resolve('refs/tags/v2.0.0-rc.0')).toBe(await git().resolve('refs/heads/main'))
    const events = since(m).filter((e) => e.name === 'release')
    expect(names(events)).toEqual(['release.published', 'release.prereleased'])
    for (const e of events) expect(problems(e)).toEqual([])
    expect((await api('/releases/tags/v2.0.0-rc.0', { token: 'contributor-token' })).body.id).toBe(draft.body.id)
    // A pre-release is never latest.
    expect((await api('/releases/latest')).status).toBe(404)
  })

  it('keeps an existing tag where it is when the release is published', async () => {
    const g = git()
    const first = (await g.revList(['--reverse', 'refs/heads/main']))[0]
    await g.updateRef('refs/tags/v0.1.0', first)
    await api('/releases', { method: 'POST', body: { tag_name: 'v0.1.0', target_commitish: 'main' } })
    expect(await g.resolve('refs/tags/v0.1.0')).toBe(first)
  })

  it('refuses a second published release for a tag, a body over 125,000 characters, and a target that names nothing', async () => {
    await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0' } })
    const again = await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0' } })
    expect(again.status).toBe(422)
    expect(again.body.errors).toEqual([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }])
    // A draft for the tag is allowed (GitHub allows several), but it cannot be published.
    const draft = await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0', draft: true } })
    expect(draft.status).toBe(201)
    expect((await api(`/releases/${draft.body.id}`, { method: 'PATCH', body: { draft: false } })).status).toBe(422)
    const long = await api('/releases', { method: 'POST', body: { tag_name: 'v1.1.0', body: 'x'.repeat(125_001) } })
    expect(long.status).toBe(422)
    expect(long.body.errors[0]).toMatchObject({ field: 'body', code: 'custom' })
    expect((await api('/releases', { method: 'POST', body: { tag_name: 'v1.1.0', body: 'x'.repeat(125_000) } })).status).toBe(201)
    expect((await api('/releases', { method: 'POST', body: { tag_name: 'v1.2.0', target_commitish: 'no-such-branch' } })).body.errors[0]).toMatchObject({ field: 'target_commitish' })
    expect((await api('/releases', { method: 'POST', body: { name: 'no tag' } })).status).toBe(422)
    expect((await api(`/releases/${draft.body.id}`, { method: 'PATCH', body: { body: 'y'.repeat(125_001) } })).status).toBe(422)
  })

  it('needs write access to create, edit or delete; unknown ids are 404', async () => {
    expect((await api('/releases', { method: 'POST', token: 'contributor-token', body: { tag_name: 'v1.0.0' } })).status).toBe(403)
    const r = await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0' } })
    expect((await api(`/releases/${r.body.id}`, { method: 'PATCH', token: 'contributor-token', body: { body: 'x' } })).status).toBe(403)
    expect((await api(`/releases/${r.body.id}`, { method: 'DELETE', token: 'contributor-token' })).status).toBe(403)
    expect((await api(`/releases/${r.body.id}`, { token: 'contributor-token' })).status).toBe(200)
    expect((await api('/releases/999999')).status).toBe(404)
    expect((await api('/releases/assets/999999')).status).toBe(404)
  })

  it('lists releases newest first, paginated', async () => {
    for (const tag of ['v1.0.0', 'v1.1.0', 'v1.2.0']) await api('/releases', { method: 'POST', body: { tag_name: tag } })
    const page = await fetch(`${sim.url}/repos/acme/widgets/releases?per_page=2`, { headers: { authorization: 'token maintainer-token' } })
    expect(((await page.json()) as Json[]).map((r) => r.tag_name)).toEqual(['v1.2.0', 'v1.1.0'])
    expect(page.headers.get('link')).toMatch(/page=2.*rel="next"/)
    expect((await api('/releases?per_page=2&page=2')).body.map((r: Json) => r.tag_name)).toEqual(['v1.0.0'])
  })

  it('latest: the release last marked latest, make_latest false leaves it, legacy falls back to the newest final', async () => {
    const a = await api('/releases', { method: 'POST', body: { tag_name: 'v1.1.0' } })
    const b = await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.1', make_latest: 'false' } })
    expect((await api('/releases/latest')).body.id).toBe(a.body.id)
    await api(`/releases/${b.body.id}`, { method: 'PATCH', body: { make_latest: 'true' } })
    expect((await api('/releases/latest')).body.id).toBe(b.body.id)
    // Editing without make_latest leaves the latest alone.
    await api(`/releases/${a.body.id}`, { method: 'PATCH', body: { body: 'edited' } })
    expect((await api('/releases/latest')).body.id).toBe(b.body.id)
    // Publishing a draft marks it latest unless told otherwise.
    const c = await api('/releases', { method: 'POST', body: { tag_name: 'v1.2.0', draft: true } })
    await api(`/releases/${c.body.id}`, { method: 'PATCH', body: { draft: false, make_latest: 'false' } })
    expect((await api('/releases/latest')).body.id).toBe(b.body.id)
    // legacy: no release is marked; the newest final release is latest.
    await api(`/releases/${a.body.id}`, { method: 'PATCH', body: { make_latest: 'legacy' } })
    expect((await api('/releases/latest')).body.id).toBe(c.body.id)
    await api(`/releases/${c.body.id}`, { method: 'DELETE' })
    expect((await api('/releases/latest')).body.id).toBe(b.body.id)
  })

  it('edits a release with an edited event naming what changed; deleting emits deleted and keeps the tag', async () => {
    const r = await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0', body: 'old' } })
    const n = sim.state.events.length
    const edited = await api(`/releases/${r.body.id}`, { method: 'PATCH', body: { body: 'new', name: 'One' } })
    expect(edited.body).toMatchObject({ body: 'new', name: 'One' })
    expect(names(since(n))).toEqual(['release.edited'])
    expect(since(n)[0].payload.changes).toEqual({ body: { from: 'old' }, name: { from: '' } })
    expect(problems(since(n)[0])).toEqual([])
    const m = sim.state.events.length
    expect((await api(`/releases/${r.body.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(names(since(m))).toEqual(['release.deleted'])
    expect(problems(since(m)[0])).toEqual([])
    expect((await api(`/releases/${r.body.id}`)).status).toBe(404)
    expect(await git().resolve('refs/tags/v1.0.0')).not.toBeNull()
  })
})

describe('release assets', () => {
  beforeEach(() => sim.reset(demoFixture()))

  it('uploads bytes to upload_url with a sha256 digest, lists, reads, downloads and deletes them', async () => {
    const r = (await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0', draft: true } })).body
    const bytes = Buffer.from([0, 1, 2, 255, 10, 13])
    const up = await upload(r, 'widget.tar.gz', bytes)
    expect(up.status).toBe(201)
    expect(up.body).toMatchObject({ name: 'widget.tar.gz', size: 6, state: 'uploaded', content_type: 'application/octet-stream', digest: `sha256:${sha256(bytes)}`, uploader: { login: 'maintainer' } })
    expect(sim.simulator.spec.validateResponse('repos/upload-release-asset', 201, up.body)).toEqual([])
    expect((await api(`/releases/${r.id}/assets`)).body.map((a: Json) => a.name)).toEqual(['widget.tar.gz'])
    expect((await api(`/releases/assets/${up.body.id}`)).body.digest).toBe(`sha256:${sha256(bytes)}`)
    expect((await api(`/releases/${r.id}`)).body.assets.map((a: Json) => a.id)).toEqual([up.body.id])
    // A draft's asset downloads only for callers who see drafts.
    const download = (token: string) => fetch(up.body.browser_download_url, { headers: { authorization: `token ${token}` } })
    const got = await download('maintainer-token')
    expect(got.status).toBe(200)
    expect(Buffer.from(await got.arrayBuffer())).toEqual(bytes)
    expect((await download('contributor-token')).status).toBe(404)
    expect((await api(`/releases/assets/${up.body.id}`, { method: 'DELETE', token: 'contributor-token' })).status).toBe(403)
    expect((await api(`/releases/assets/${up.body.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await api(`/releases/${r.id}/assets`)).body).toEqual([])
  })

  it('downloads a published release’s asset by tag and counts the download', async () => {
    const r = (await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0' } })).body
    const up = await upload(r, 'SHA256SUMS', Buffer.from('abc  x\n'))
    expect(up.body.browser_download_url).toBe(`${sim.url}/acme/widgets/releases/download/v1.0.0/SHA256SUMS`)
    const got = await fetch(up.body.browser_download_url)
    expect(await got.text()).toBe('abc  x\n')
    expect((await api(`/releases/assets/${up.body.id}`)).body.download_count).toBe(1)
  })

  it('refuses a duplicate name, a missing name or content type, a reader, and an unknown release', async () => {
    const r = (await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0', draft: true } })).body
    expect((await upload(r, 'a.txt', Buffer.from('a'))).status).toBe(201)
    const dup = await upload(r, 'a.txt', Buffer.from('b'))
    expect(dup.status).toBe(422)
    expect(dup.body.errors).toEqual([{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }])
    expect((await upload(r, null, Buffer.from('b'))).status).toBe(422)
    expect((await upload(r, 'b.txt', Buffer.from('b'), 'maintainer-token', null)).status).toBe(422)
    expect((await upload(r, 'b.txt', Buffer.from('b'), 'contributor-token')).status).toBe(403)
    expect((await upload({ upload_url: `${sim.url}/repos/acme/widgets/releases/424242/assets{?name,label}` }, 'b.txt', Buffer.from('b'))).status).toBe(404)
    expect((await api(`/releases/${r.id}/assets`)).body.map((a: Json) => a.name)).toEqual(['a.txt'])
  })

  it('answers uploads with injected faults by operationId, and logs them under it', async () => {
    const r = (await api('/releases', { method: 'POST', body: { tag_name: 'v1.0.0', draft: true } })).body
    sim.simulator.setFaults([{ match: 'repos/upload-release-asset', kind: 'status', status: 502, times: 1 }])
    expect((await upload(r, 'a.txt', Buffer.from('a'))).status).toBe(502)
    expect((await upload(r, 'a.txt', Buffer.from('a'))).status).toBe(201)
    sim.simulator.setFaults([])
    expect(sim.simulator.requests.filter((q) => q.route === 'repos/upload-release-asset').map((q) => q.status)).toEqual([502, 201])
  })
})
