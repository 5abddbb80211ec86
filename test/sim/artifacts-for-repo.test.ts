import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Simulator } from '../../src/sim/server.js'
import { artifactEnv } from '../../src/sim/artifacts/index.js'

let sim: Simulator

beforeAll(async () => {
  sim = await Simulator.start({
    fixture: {
      tokens: [{ token: 'reader-token', login: 'reader' }],
      repos: [
        { owner: 'acme', name: 'widgets', private: true, collaborators: { reader: 'read' } },
        { owner: 'acme', name: 'gadgets', private: true }
      ]
    },
    checkResponses: true
  })
  for (const [i, id] of [11, 12, 13].entries()) {
    sim.state.repos.get('acme/widgets')!.workflowRuns.set(id, {
      id, workflowId: 'ci.yml', name: 'CI', event: 'push', headBranch: 'main', headSha: 'a'.repeat(40),
      status: 'completed', conclusion: 'success', actor: 'reader', inputs: {}, runAttempt: 1, createdAt: `2026-01-01T00:0${i}:00Z`
    })
  }
})
afterAll(async () => sim.stop())

/** Uploads a one-blob artifact the way @actions/artifact does: create, put the blob, finalize. */
async function upload(runId: number, name: string): Promise<void> {
  const ids = { workflow_run_backend_id: `00000000-0000-4000-8000-${String(runId).padStart(12, '0')}`, workflow_job_run_backend_id: '00000000-0000-4000-9000-000000000001' }
  const twirp = (method: string, body: unknown) =>
    fetch(`${sim.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${artifactEnv(sim.url, runId).ACTIONS_RUNTIME_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
  const created = (await (await twirp('CreateArtifact', { ...ids, name, version: 7 })).json()) as { signed_upload_url: string }
  await fetch(created.signed_upload_url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: name })
  expect((await twirp('FinalizeArtifact', { ...ids, name, size: String(name.length) })).status).toBe(200)
}

const list = async (query: string, token = 'reader-token', repo = 'widgets') => {
  const res = await fetch(`${sim.url}/repos/acme/${repo}/actions/artifacts${query}`, { headers: { authorization: `token ${token}` } })
  return { status: res.status, link: res.headers.get('link'), body: (await res.json()) as { total_count: number; artifacts: Array<{ name: string; workflow_run: { id: number } }> } }
}

describe('actions/list-artifacts-for-repo', () => {
  it('lists every run’s artifacts newest first, filtered by exact name and paginated', async () => {
    await upload(11, 'record')
    await upload(12, 'record')
    await upload(12, 'record-attempt-2')
    await upload(13, 'logs')
    await upload(13, 'record')
    const all = await list('')
    expect(all.body.total_count).toBe(5)
    expect(all.body.artifacts.map((a) => `${a.name}@${a.workflow_run.id}`)).toEqual(['record@13', 'logs@13', 'record-attempt-2@12', 'record@12', 'record@11'])
    const named = await list('?name=record&per_page=2')
    expect(named.body.total_count).toBe(3)
    expect(named.body.artifacts.map((a) => a.workflow_run.id)).toEqual([13, 12])
    expect(named.link).toContain('rel="next"')
    expect((await list('?name=record&per_page=2&page=2')).body.artifacts.map((a) => a.workflow_run.id)).toEqual([11])
    expect((await list('?name=rec')).body.total_count).toBe(0)
  })

  it('answers 404 for a private repository the token cannot see, and lists nothing of another repository', async () => {
    expect((await list('', 'nobody-token')).status).toBe(401)
    expect((await list('', 'reader-token', 'gadgets')).status).toBe(404)
  })
})

describe('partial clones', () => {
  it('fetch trees without blobs, then exactly the blobs asked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-partial-'))
    const git = (args: string[], input?: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('git', args, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } }, (err, stdout, stderr) =>
          err ? reject(new Error(stderr)) : resolve(stdout)
        )
        // git may exit before reading stdin when it needs none: ignore EPIPE on it.
        child.stdin?.on('error', () => undefined)
        child.stdin?.end(input ?? '')
      })
    try {
      const url = `http://x-access-token:reader-token@${sim.url.replace(/^http:\/\//, '')}/acme/widgets.git`
      await git(['init', '-q', '--bare', '.'])
      for (const [k, v] of [['core.repositoryformatversion', '1'], ['extensions.partialClone', 'origin'], ['remote.origin.url', url], ['remote.origin.promisor', 'true']]) await git(['config', k, v])
      await git(['fetch', '-q', '--depth=1', '--filter=blob:none', 'origin', '+refs/heads/main:refs/heads/main'])
      const missing = (await git(['rev-list', '--objects', '--missing=print', 'main'])).split('\n').filter((l) => l.startsWith('?'))
      expect(missing).toHaveLength(1) // README.md, the one blob
      await git(['-c', 'fetch.negotiationAlgorithm=noop', 'fetch', '-q', '--no-write-fetch-head', '--filter=blob:none', '--stdin', 'origin'], `${missing[0].slice(1)}\n`)
      expect(await git(['cat-file', '-p', missing[0].slice(1)])).toBe('# widgets\n')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
