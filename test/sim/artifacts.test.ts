import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Simulator } from '../../src/sim/server.js'
import { artifactEnv } from '../../src/sim/artifacts/index.js'
import { artifactLibrary } from '../support/artifact-library.js'

let sim: Simulator
let tmp: string
let src: string
const RUN_A = 101
const RUN_B = 202

const client = (runId: number, op: string, ...args: unknown[]) => artifactLibrary(sim.url, tmp, runId, op, ...args)

const twirp = (runId: number, method: string, body: unknown) =>
  fetch(`${sim.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${artifactEnv(sim.url, runId).ACTIONS_RUNTIME_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })

const ids = (runId: number) => ({
  workflow_run_backend_id: `00000000-0000-4000-8000-${String(runId).padStart(12, '0')}`,
  workflow_job_run_backend_id: '00000000-0000-4000-9000-000000000001'
})

beforeAll(async () => {
  sim = await Simulator.start({
    fixture: {
      tokens: [
        { token: 'reader-token', login: 'reader' },
        { token: 'outsider-token', login: 'outsider' }
      ],
      repos: [
        { owner: 'acme', name: 'widgets', private: true, collaborators: { reader: 'read' } },
        { owner: 'acme', name: 'gadgets', private: false }
      ]
    }
  })
  sim.state.repos.get('acme/widgets')!.workflowRuns.set(RUN_A, {
    id: RUN_A, workflowId: 'ci.yml', name: 'CI', event: 'push', headBranch: 'main', headSha: 'a'.repeat(40),
    status: 'in_progress', conclusion: null, actor: 'reader', inputs: {}, runAttempt: 1, createdAt: '2026-01-01T00:00:00Z'
  })
  tmp = await mkdtemp(join(tmpdir(), 'sim-artifacts-'))
  src = join(tmp, 'src')
  await mkdir(join(src, 'nested'), { recursive: true })
  await writeFile(join(src, 'report.txt'), 'all green\n')
  // Incompressible and above the client's 8 MiB chunk size, so the upload stages two blocks.
  await writeFile(join(src, 'nested', 'big.bin'), randomBytes(9 * 1024 * 1024))
}, 60000)

afterAll(async () => {
  await sim.stop()
  await rm(tmp, { recursive: true, force: true })
})

const files = () => [join(src, 'report.txt'), join(src, 'nested', 'big.bin')]

async function expectSameFiles(dir: string): Promise<void> {
  expect(await readFile(join(dir, 'report.txt'))).toEqual(await readFile(join(src, 'report.txt')))
  expect((await readFile(join(dir, 'nested', 'big.bin'))).equals(await readFile(join(src, 'nested', 'big.bin')))).toBe(true)
}

describe('the artifact service answers @actions/artifact', () => {
  let bundle: { id: number; size: number; digest: string }

  it('uploads a multi-block zip and finalizes it', async () => {
    const from = sim.requests.length
    const up = await client(RUN_A, 'uploadArtifact', 'bundle', files(), src)
    expect(up.error).toBeUndefined()
    bundle = up.value
    expect(bundle.id).toBeGreaterThan(0)
    expect(bundle.size).toBeGreaterThan(8 * 1024 * 1024)
    const log = sim.requests.slice(from)
    expect(log.filter((r) => r.method === 'PUT' && r.path.startsWith('/_blob/') && r.status === 201).length).toBeGreaterThanOrEqual(3)
    expect(log.filter((r) => r.path.includes('/twirp/')).map((r) => `${r.path.split('/').pop()} ${r.status}`)).toEqual([
      'CreateArtifact 200',
      'FinalizeArtifact 200'
    ])
    expect(log.every((r) => r.route === 'artifact')).toBe(true)
  })

  it('lists and gets it by name within the run', async () => {
    const list = await client(RUN_A, 'listArtifacts')
    expect(list.value.artifacts).toEqual([expect.objectContaining({ name: 'bundle', id: bundle.id, size: bundle.size, digest: `sha256:${bundle.digest}` })])
    const got = await client(RUN_A, 'getArtifact', 'bundle')
    expect(got.value.artifact).toEqual(expect.objectContaining({ id: bundle.id, name: 'bundle' }))
  })

  it('downloads and extracts the same bytes, with a matching digest', async () => {
    const dir = join(tmp, 'down-a')
    const res = await client(RUN_A, 'downloadArtifact', bundle.id, { path: dir, expectedHash: `sha256:${bundle.digest}` })
    expect(res.value).toEqual({ downloadPath: dir, digestMismatch: false })
    await expectSameFiles(dir)
  })

  it('keeps artifacts to their run', async () => {
    const up = await client(RUN_B, 'uploadArtifact', 'other', [join(src, 'report.txt')], src)
    expect(up.ok).toBe(true)
    expect((await client(RUN_B, 'listArtifacts')).value.artifacts.map((a: { name: string }) => a.name)).toEqual(['other'])
    expect((await client(RUN_A, 'listArtifacts')).value.artifacts.map((a: { name: string }) => a.name)).toEqual(['bundle'])
    const miss = await client(RUN_B, 'getArtifact', 'bundle')
    expect(miss.error).toMatch(/Artifact not found for name: bundle/)
    const twice = await client(RUN_B, 'uploadArtifact', 'other', [join(src, 'report.txt')], src)
    expect(twice.error).toMatch(/409.*already exists/)
  })

  it('downloads another run’s artifact through findBy and the REST API', async () => {
    const findBy = { token: 'reader-token', repositoryOwner: 'acme', repositoryName: 'widgets', workflowRunId: RUN_A }
    const listed = await client(RUN_B, 'listArtifacts', { findBy })
    expect(listed.value.artifacts).toEqual([expect.objectContaining({ id: bundle.id, name: 'bundle', digest: `sha256:${bundle.digest}` })])
    const got = await client(RUN_B, 'getArtifact', 'bundle', { findBy })
    expect(got.value.artifact).toEqual(expect.objectContaining({ id: bundle.id, size: bundle.size }))
    const dir = join(tmp, 'down-b')
    const res = await client(RUN_B, 'downloadArtifact', bundle.id, { path: dir, findBy })
    expect(res.value).toEqual({ downloadPath: dir, digestMismatch: false })
    await expectSameFiles(dir)
  })

  it('answers the REST routes in GitHub’s shape and with its access rules', async () => {
    const get = (path: string, token?: string) =>
      fetch(`${sim.url}${path}`, { redirect: 'manual', headers: token ? { authorization: `token ${token}` } : {} })
    const res = await get(`/repos/acme/widgets/actions/runs/${RUN_A}/artifacts?name=bundle`, 'reader-token')
    const body = (await res.json()) as { total_count: number; artifacts: Record<string, unknown>[] }
    expect(body.total_count).toBe(1)
    expect(body.artifacts[0]).toEqual({
      id: bundle.id, node_id: expect.any(String), name: 'bundle', size_in_bytes: bundle.size,
      url: `${sim.url}/repos/acme/widgets/actions/artifacts/${bundle.id}`,
      archive_download_url: `${sim.url}/repos/acme/widgets/actions/artifacts/${bundle.id}/zip`,
      expired: false, created_at: expect.any(String), expires_at: expect.any(String), updated_at: expect.any(String),
      digest: `sha256:${bundle.digest}`,
      workflow_run: { id: RUN_A, repository_id: expect.any(Number), head_repository_id: expect.any(Number), head_branch: 'main', head_sha: 'a'.repeat(40) }
    })
    const zip = await get(`/repos/acme/widgets/actions/artifacts/${bundle.id}/zip`, 'reader-token')
    expect(zip.status).toBe(302)
    const blob = await fetch(zip.headers.get('location')!)
    expect(blob.headers.get('content-type')).toBe('application/zip')
    expect(Number(blob.headers.get('content-length'))).toBe(bundle.size)
    expect(blob.headers.get('x-ms-blob-type')).toBe('BlockBlob')
    expect((await get(`/repos/acme/widgets/actions/artifacts/${bundle.id}/zip`)).status).toBe(404) // private repo, anonymous
    expect((await get(`/repos/acme/widgets/actions/artifacts/${bundle.id}/zip`, 'outsider-token')).status).toBe(404)
    expect((await get(`/repos/acme/gadgets/actions/artifacts/${bundle.id}/zip`, 'reader-token')).status).toBe(404)
    expect((await get(`/repos/acme/gadgets/actions/artifacts/${bundle.id}/zip`)).status).toBe(401)
  })

  it('deletes it', async () => {
    const del = await client(RUN_A, 'deleteArtifact', 'bundle')
    expect(del.value).toEqual({ id: bundle.id })
    expect((await client(RUN_A, 'listArtifacts')).value.artifacts).toEqual([])
    const res = await fetch(`${sim.url}/repos/acme/widgets/actions/runs/${RUN_A}/artifacts`, { headers: { authorization: 'token reader-token' } })
    expect(await res.json()).toEqual({ total_count: 0, artifacts: [] })
  })

  it('stores a raw file with skipArchive and downloads it under its name', async () => {
    const up = await client(RUN_B, 'uploadArtifact', 'report.txt', [join(src, 'report.txt')], src, { skipArchive: true })
    expect(up.ok).toBe(true)
    const dir = join(tmp, 'down-raw')
    const res = await client(RUN_B, 'downloadArtifact', up.value.id, { path: dir })
    expect(res.ok).toBe(true)
    expect(await readFile(join(dir, 'report.txt'), 'utf8')).toBe('all green\n')
  })
})

describe('the artifact service checks what it is given', () => {
  it('rejects a finalize whose hash or size does not match the blob', async () => {
    const created = await twirp(RUN_A, 'CreateArtifact', { ...ids(RUN_A), name: 'corrupt', version: 7 })
    const { signed_upload_url: url } = (await created.json()) as { signed_upload_url: string }
    const data = Buffer.from('zip bytes')
    const put = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: data })
    expect(put.status).toBe(201)
    expect(put.headers.get('etag')).toBeTruthy()
    const badHash = await twirp(RUN_A, 'FinalizeArtifact', { ...ids(RUN_A), name: 'corrupt', size: String(data.length), hash: `sha256:${'0'.repeat(64)}` })
    expect(badHash.status).toBe(400)
    expect(await badHash.json()).toEqual({ code: 'invalid_argument', msg: expect.stringMatching(/hash/) })
    const badSize = await twirp(RUN_A, 'FinalizeArtifact', { ...ids(RUN_A), name: 'corrupt', size: '3' })
    expect(badSize.status).toBe(400)
    const list = await twirp(RUN_A, 'ListArtifacts', { ...ids(RUN_A), name_filter: 'corrupt' })
    expect(await list.json()).toEqual({ artifacts: [] })
    const good = await twirp(RUN_A, 'FinalizeArtifact', { ...ids(RUN_A), name: 'corrupt', size: String(data.length) })
    expect(((await good.json()) as { ok: boolean }).ok).toBe(true)
  })

  it('refuses a forged blob signature and another run’s backend id', async () => {
    const created = await twirp(RUN_A, 'CreateArtifact', { ...ids(RUN_A), name: 'forged', version: 7 })
    const url = new URL(((await created.json()) as { signed_upload_url: string }).signed_upload_url)
    url.searchParams.set('sig', 'forged')
    const put = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' })
    expect(put.status).toBe(403)
    expect(put.headers.get('x-ms-error-code')).toBe('AuthenticationFailed')
    const cross = await twirp(RUN_A, 'ListArtifacts', ids(RUN_B))
    expect(cross.status).toBe(403)
    expect(((await cross.json()) as { code: string }).code).toBe('permission_denied')
    const unknown = await twirp(RUN_A, 'MigrateArtifact', ids(RUN_A))
    expect(((await unknown.json()) as { code: string }).code).toBe('bad_route')
  })
})
