import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { DefaultArtifactClient } from '@actions/artifact'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Simulator } from '../../src/sim/server.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { artifactEnv, artifactStore } from '../../src/sim/artifacts/index.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { updateBranch } from '../../src/github/branch-commit.js'
import {
  ArtifactHistoryStore,
  BranchHistoryStore,
  createHistoryStore,
  type ArtifactStoreOptions,
  type BranchStoreOptions,
  type HistoryKey,
  type HistoryStore,
  type LoadOptions,
  type SavedRun,
  type StoredRecord
} from '../../src/github/test-history-store.js'
import { historyDir, parseRecordFileName, recordFileName } from '../../src/github/history-branch.js'
import { recordArtifactName, type ArtifactUploader } from '../../src/github/history-artifacts.js'
import { publishPages } from '../../src/github/pages-publish.js'
import { fetchRefused } from '../../src/github/git-fetch.js'

const TOKEN = 'ghs_history'
const fixture = (): Fixture => ({
  tokens: [
    { token: TOKEN, login: 'github-actions[bot]', kind: 'github-token' },
    { token: 'reader-token', login: 'reader' }
  ],
  repos: [{ owner: 'acme', name: 'widgets', private: true, collaborators: { reader: 'read' }, workflows: ['ci.yml'] }]
})

let sim: Simulator
let gh: GitHubClient
const where = { owner: 'acme', repo: 'widgets' }
const key: HistoryKey = { workflow: 'CI', job: 'unit tests', branch: 'main' }
const quiet = { retries: 3, pacing: false }

beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  gh = createClient({ token: TOKEN, baseUrl: sim.url, ...quiet })
})
afterAll(async () => sim.stop())
beforeEach(async () => {
  await sim.reset(fixture())
  sim.setFaults([])
})

const run = (id: number, minute: number, over: Partial<SavedRun> = {}): SavedRun => ({
  ...key,
  id,
  attempt: 1,
  createdAt: `2026-03-01T10:${String(minute).padStart(2, '0')}:00Z`,
  ...over
})
/** Binary record bytes (as gzip would give): stored base64-encoded on the branch. */
const bytesOf = (label: string) => new Uint8Array(Buffer.concat([Buffer.from(label), Buffer.from([0]), randomBytes(300)]))
/**
 * Loads with `each` and expects it to be handed, in any order, what a plain load returns, with
 * the same skips and no records returned. Returns the plain load.
 */
async function expectEachSame(store: HistoryStore, options: LoadOptions = {}, k = key) {
  const plain = await store.load(k, options)
  const handed: StoredRecord[] = []
  const streamed = await store.load(k, { ...options, each: (r) => handed.push(r) })
  const sorted = (records: StoredRecord[]) => records.map((r) => ({ ...r, bytes: Buffer.from(r.bytes) })).sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0))
  expect(streamed.records).toEqual([])
  expect(sorted(handed)).toEqual(sorted(plain.records))
  expect([...streamed.skipped].sort((a, b) => (a.source < b.source ? -1 : 1))).toEqual([...plain.skipped].sort((a, b) => (a.source < b.source ? -1 : 1)))
  return plain
}
const branchStore = (options: BranchStoreOptions = {}, client = gh) =>
  new BranchHistoryStore(client, where, { git: { token: TOKEN, serverUrl: sim.url }, backoffMs: 5, gitBackoffMs: 5, ...options })
const headOf = async (branch: string) => (await gh.rest.git.getRef({ ...where, ref: `heads/${branch}` })).data.object.sha
const commitCount = async (branch: string) => {
  let n = 0
  for (let sha: string | undefined = await headOf(branch); sha; n++) sha = (await gh.rest.git.getCommit({ ...where, commit_sha: sha })).data.parents[0]?.sha
  return n
}

describe('record names', () => {
  it('sort by time and round-trip the run', () => {
    const name = recordFileName(run(1234, 5, { attempt: 2 }))
    expect(name).toBe('20260301T100500Z-1234-2.b64')
    expect(parseRecordFileName(name)).toEqual({ id: 1234, attempt: 2, createdAt: '2026-03-01T10:05:00Z' })
    expect(recordFileName(run(1234, 5), 'txt')).toBe('20260301T100500Z-1234-1.txt')
    expect(parseRecordFileName('20260301T100500Z-1234-1.txt')).toEqual({ id: 1234, attempt: 1, createdAt: '2026-03-01T10:05:00Z' })
    expect(parseRecordFileName('notes.txt')).toBeNull()
    expect(parseRecordFileName('20261399T999999Z-1-1.b64')).toBeNull()
  })

  it('keep any workflow, job or branch name to one safe path segment', () => {
    expect(historyDir({ workflow: 'CI / nightly', job: '..', branch: 'release/1.2' })).toBe('CI%20%2F%20nightly/%2E./release%2F1.2')
    expect(() => historyDir({ workflow: 'CI', job: '', branch: 'main' })).toThrow('history job must be a non-empty string')
    expect(() => recordFileName(run(1, 1, { createdAt: 'yesterday' }))).toThrow('run createdAt must be an ISO 8601 date, got "yesterday"')
  })

  it('name artifacts per history and attempt within GitHub’s rules', () => {
    expect(recordArtifactName(key)).toMatch(/^shepherd-test-record-unit-tests-[0-9a-f]{12}$/)
    expect(recordArtifactName(key, 2)).toBe(`${recordArtifactName(key)}-attempt-2`)
    expect(recordArtifactName({ ...key, branch: 'dev' })).not.toBe(recordArtifactName(key))
    expect(recordArtifactName({ ...key, job: 'a:b/c"d' })).toMatch(/^shepherd-test-record-a-b-c-d-/)
  })

  it('refuses an unknown history kind, naming the input', () => {
    expect(() => createHistoryStore('s3', gh, where)).toThrow('input history must be one of branch, artifact, got "s3"')
    expect(createHistoryStore('branch', gh, where).kind).toBe('branch')
    expect(createHistoryStore('artifact', gh, where).kind).toBe('artifact')
  })
})

describe('the data branch', () => {
  it('saves one commit per run and loads the newest records, oldest first, with both readers', async () => {
    const store = branchStore()
    const saved = [bytesOf('a'), bytesOf('b'), bytesOf('c')]
    // Saved out of order: loading orders by the run's time, not by when it was saved.
    await store.save(run(102, 2), saved[1])
    await store.save(run(101, 1), saved[0])
    await store.save(run(103, 3), saved[2])
    expect(await commitCount('shepherd/test-history')).toBe(3)
    for (const reader of ['git', 'graphql'] as const) {
      const all = await branchStore({ reader }).load(key)
      expect(all.records.map((r) => r.run)).toEqual([
        { id: 101, attempt: 1, createdAt: '2026-03-01T10:01:00Z' },
        { id: 102, attempt: 1, createdAt: '2026-03-01T10:02:00Z' },
        { id: 103, attempt: 1, createdAt: '2026-03-01T10:03:00Z' }
      ])
      expect(all.records.map((r) => Buffer.from(r.bytes))).toEqual(saved.map((b) => Buffer.from(b)))
      expect(all.records[0].source).toBe('shepherd/test-history:CI/unit%20tests/main/20260301T100100Z-101-1.b64')
      expect(all.skipped).toEqual([])
      const two = await branchStore({ reader }).load(key, { limit: 2 })
      expect(two.records.map((r) => r.run.id)).toEqual([102, 103])
      expect((await expectEachSame(branchStore({ reader }), { limit: 2 })).records).toHaveLength(2)
    }
  })

  it('reads with two git fetches and no API request, or with GraphQL in 1 + ceil(n / 100) requests', async () => {
    const store = branchStore()
    for (let i = 0; i < 5; i++) await store.save(run(200 + i, i), bytesOf(`r${i}`))
    let from = sim.requests.length
    const git = await branchStore({ reader: 'git' }).load(key)
    expect(git).toMatchObject({ requests: 0, gitFetches: 2 })
    expect(new Set(sim.requests.slice(from).map((r) => r.route))).toEqual(new Set(['git']))
    from = sim.requests.length
    const graphql = await branchStore({ reader: 'graphql' }).load(key)
    expect(graphql).toMatchObject({ requests: 2, gitFetches: 0 })
    expect(sim.requests.slice(from).map((r) => r.route)).toEqual(['graphql', 'graphql'])
    expect(graphql.records.map((r) => Buffer.from(r.bytes))).toEqual(git.records.map((r) => Buffer.from(r.bytes)))
  })

  it('keeps histories apart by workflow, job and branch', async () => {
    const store = branchStore()
    await store.save(run(1, 1), bytesOf('main'))
    await store.save(run(2, 2, { branch: 'release/1.2' }), bytesOf('release'))
    await store.save(run(3, 3, { job: 'e2e' }), bytesOf('e2e'))
    expect((await store.load(key)).records.map((r) => r.run.id)).toEqual([1])
    expect((await store.load({ ...key, branch: 'release/1.2' })).records.map((r) => r.run.id)).toEqual([2])
    expect((await store.load({ ...key, job: 'e2e' })).records.map((r) => r.run.id)).toEqual([3])
    expect((await store.load({ ...key, workflow: 'Nightly' })).records).toEqual([])
  })

  it('loads nothing, without error, before the branch exists', async () => {
    for (const reader of ['git', 'graphql'] as const) {
      const empty = await branchStore({ reader }).load(key)
      expect(empty.records).toEqual([])
      expect(empty.skipped).toEqual([])
    }
  })

  it('stores a re-saved attempt once, and a second attempt beside the first', async () => {
    const store = branchStore()
    const bytes = bytesOf('x')
    expect((await store.save(run(7, 1), bytes)).outcome).toBe('saved')
    const head = await headOf('shepherd/test-history')
    expect(await store.save(run(7, 1), bytes)).toMatchObject({ outcome: 'unchanged', requests: 1 })
    expect(await headOf('shepherd/test-history')).toBe(head)
    await store.save(run(7, 1, { attempt: 2 }), bytesOf('y'))
    expect((await store.load(key)).records.map((r) => `${r.run.id}.${r.run.attempt}`)).toEqual(['7.1', '7.2'])
  })

  it('stores text records as they are and binary ones base64-encoded, and reads both back', async () => {
    const store = branchStore()
    const json = new TextEncoder().encode('{"format":"shepherd-test-record","names":["a\u001fé"]}\n')
    const binary = bytesOf('gzip')
    expect((await store.save(run(1, 1), json)).source).toMatch(/-1-1\.txt$/)
    expect((await store.save(run(2, 2), binary)).source).toMatch(/-2-1\.b64$/)
    const path = `${historyDir(key)}/${recordFileName(run(1, 1), 'txt')}`
    const { data } = await gh.rest.repos.getContent({ ...where, path, ref: 'shepherd/test-history' })
    expect(Buffer.from((data as { content: string }).content, 'base64')).toEqual(Buffer.from(json))
    for (const reader of ['git', 'graphql'] as const) {
      const loaded = await expectEachSame(branchStore({ reader }))
      expect(loaded.records.map((r) => Buffer.from(r.bytes))).toEqual([Buffer.from(json), Buffer.from(binary)])
    }
    // The same attempt saved again with bytes of the other kind replaces its file.
    await store.save(run(1, 1), binary)
    const again = await store.load(key)
    expect(again.records.map((r) => r.source.split('/').pop())).toEqual([recordFileName(run(1, 1), 'b64'), recordFileName(run(2, 2), 'b64')])
  })

  it('reads a text record GraphQL cuts short (over 512 KB) through REST', async () => {
    const big = new TextEncoder().encode(`{"names":["${'x'.repeat(600 * 1024)}"]}`)
    await branchStore().save(run(1, 1), big)
    await branchStore().save(run(2, 2), bytesOf('small'))
    const from = sim.requests.length
    const loaded = await branchStore({ reader: 'graphql' }).load(key)
    expect(loaded.records.map((r) => r.bytes.length)).toEqual([big.length, bytesOf('small').length])
    expect(Buffer.from(loaded.records[0].bytes).equals(Buffer.from(big))).toBe(true)
    expect(sim.requests.slice(from).map((r) => r.route)).toEqual(['graphql', 'graphql', 'git/get-blob'])
  })

  it('prunes the oldest records beyond the retention count in the same commit', async () => {
    const store = branchStore({ retain: 3 })
    for (let i = 1; i <= 5; i++) await store.save(run(i, i), bytesOf(`r${i}`))
    expect(await commitCount('shepherd/test-history')).toBe(5)
    const loaded = await store.load(key, { limit: 10 })
    expect(loaded.records.map((r) => r.run.id)).toEqual([3, 4, 5])
  })

  it('loses no update when writers race: the loser rebuilds on the new head', async () => {
    const store = branchStore()
    await store.save(run(1, 1), bytesOf('first'))
    // Another writer commits between this writer's read and its ref update.
    let raced = false
    const result = await updateBranch(gh, where, {
      branch: 'shepherd/test-history',
      message: 'racing writer',
      list: historyDir(key),
      backoffMs: 1,
      build: async (state) => {
        if (!raced) {
          raced = true
          await store.save(run(2, 2), bytesOf('second'))
        }
        return [{ path: `${historyDir(key)}/${recordFileName(run(3, 3))}`, content: Buffer.from('third').toString('base64') }]
      }
    })
    expect(result).toMatchObject({ outcome: 'committed', attempts: 2 })
    expect((await store.load(key)).records.map((r) => r.run.id)).toEqual([1, 2, 3])
    const log = sim.requests.filter((r) => r.route === 'git/update-ref').map((r) => r.status)
    expect(log).toContain(422)
  })

  it('stores every record when many writers save at once', async () => {
    const writers = Array.from({ length: 6 }, (_, i) => branchStore({}, createClient({ token: TOKEN, baseUrl: sim.url, ...quiet })))
    const results = await Promise.all(writers.map((w, i) => w.save(run(300 + i, i), bytesOf(`w${i}`))))
    expect(results.map((r) => r.outcome)).toEqual(Array(6).fill('saved'))
    expect((await branchStore().load(key)).records.map((r) => r.run.id)).toEqual([300, 301, 302, 303, 304, 305])
    expect(await commitCount('shepherd/test-history')).toBe(6)
  })

  it('reports and skips files that are not records, with both readers', async () => {
    const store = branchStore()
    await store.save(run(1, 1), bytesOf('good'))
    const dir = historyDir(key)
    await updateBranch(gh, where, {
      branch: 'shepherd/test-history',
      message: 'stray files',
      build: () => [
        { path: `${dir}/notes.txt`, content: 'hello' },
        { path: `${dir}/20260301T100200Z-2-1.b64`, content: 'this is not base64!' },
        { path: `${dir}/20260301T100300Z-3-1.b64`, content: new Uint8Array([0, 1, 2, 255]) },
        { path: `${dir}/sub/x`, content: 'nested' }
      ]
    })
    for (const reader of ['git', 'graphql'] as const) {
      const loaded = await expectEachSame(branchStore({ reader }))
      expect(loaded.records.map((r) => r.run.id)).toEqual([1])
      expect(loaded.skipped).toEqual(
        expect.arrayContaining([
          { source: `${dir}/notes.txt`, reason: 'not a record file name (<yyyymmddThhmmssZ>-<run id>-<attempt>.txt or .b64)' },
          { source: `${dir}/sub`, reason: 'a tree, not a record file' },
          { source: `shepherd/test-history:${dir}/20260301T100200Z-2-1.b64`, reason: 'not base64 text' },
          { source: `shepherd/test-history:${dir}/20260301T100300Z-3-1.b64`, reason: 'not base64 text' }
        ])
      )
      expect(loaded.skipped).toHaveLength(4)
    }
  })

  it('retries server errors and secondary rate limits while saving and loading', async () => {
    const store = branchStore({ reader: 'graphql' })
    sim.setFaults([
      { match: 'git/create-tree', kind: 'status', status: 502, times: 1 },
      { match: 'git/update-ref', kind: 'status', status: 500, times: 1 },
      { match: 'graphql', kind: 'secondary-rate-limit', retryAfter: 1, times: 1 }
    ])
    await store.save(run(1, 1), bytesOf('a'))
    await store.save(run(2, 2), bytesOf('b'))
    expect((await store.load(key)).records.map((r) => r.run.id)).toEqual([1, 2])
    expect(sim.requests.filter((r) => r.fault).map((r) => `${r.route} ${r.status}`).sort()).toEqual(['git/create-tree 502', 'git/update-ref 500', 'graphql 403'])
  }, 20000)

  it('hands each record over as git reads it, and fails the load with what `each` throws', async () => {
    const store = branchStore()
    const saved = [bytesOf('a'), new TextEncoder().encode('{"same":1}\n'), bytesOf('c')]
    for (let i = 0; i < 3; i++) await store.save(run(300 + i, i), saved[i])
    // Two runs with the same bytes share one blob: each still gets both.
    await store.save(run(303, 3), saved[1])
    const handed = await expectEachSame(branchStore({ reader: 'git' }))
    expect(handed.records.map((r) => r.run.id)).toEqual([300, 301, 302, 303])
    let calls = 0
    const failing = branchStore({ reader: 'git' }).load(key, {
      each: () => {
        if (++calls === 2) throw new Error('record 2 is bad')
      }
    })
    await expect(failing).rejects.toThrow('record 2 is bad')
    expect(calls).toBe(2)
  })

  it('retries a failed git fetch, and fails with what git said when it keeps failing', async () => {
    await branchStore().save(run(1, 1), bytesOf('a'))
    sim.setFaults([{ match: 'git', kind: 'status', status: 502, times: 1 }])
    const once = await branchStore({ reader: 'git' }).load(key)
    expect(once.records.map((r) => r.run.id)).toEqual([1])
    expect(once.gitFetches).toBe(3)
    sim.setFaults([{ match: 'git', kind: 'status', status: 503 }])
    await expect(branchStore({ reader: 'git' }).load(key)).rejects.toThrow(/^git fetch from acme\/widgets failed after 3 attempts: .*503/)
  })

  it('refuses to save with a read-only token, and still loads with it', async () => {
    await branchStore().save(run(1, 1), bytesOf('a'))
    const reader = createClient({ token: 'reader-token', baseUrl: sim.url, ...quiet })
    const readOnly = new BranchHistoryStore(reader, where, { git: { token: 'reader-token', serverUrl: sim.url } })
    await expect(readOnly.save(run(2, 2), bytesOf('b'))).rejects.toThrow(/Resource not accessible by personal access token/)
    expect((await readOnly.load(key)).records.map((r) => r.run.id)).toEqual([1])
  })
})

describe('the data branch, saving with git after a git load', () => {
  const scratch = async () => mkdtemp(join(tmpdir(), 'history-push-'))

  it('commits on the fetched tip and pushes it with git: no API request, the clone removed after', async () => {
    const base = branchStore({ retain: 3 })
    for (let i = 1; i <= 3; i++) await base.save(run(i, i), bytesOf(`r${i}`))
    const tempDir = await scratch()
    const store = branchStore({ retain: 3, tempDir })
    const tip = await headOf('shepherd/test-history')
    expect((await store.load(key)).records.map((r) => r.run.id)).toEqual([1, 2, 3])
    expect(await readdir(tempDir)).toHaveLength(1)
    const from = sim.requests.length
    const text = new TextEncoder().encode('{"a record":"as text"}')
    const saved = await store.save(run(4, 4), text)
    expect(saved).toMatchObject({ outcome: 'saved', requests: 0, pushed: true, source: `shepherd/test-history:${historyDir(key)}/${recordFileName(run(4, 4), 'txt')}` })
    expect(new Set(sim.requests.slice(from).map((r) => r.route))).toEqual(new Set(['git']))
    expect(await readdir(tempDir)).toEqual([])
    // One commit on the tip, by GitHub's bot, that also pruned the oldest record (retain 3).
    const head = (await gh.rest.git.getCommit({ ...where, commit_sha: await headOf('shepherd/test-history') })).data
    expect(head.parents.map((p) => p.sha)).toEqual([tip])
    expect(head.author).toMatchObject({ name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' })
    expect(head.message).toBe('test history: CI / unit tests on main, run 4 attempt 1')
    const loaded = await branchStore().load(key)
    expect(loaded.records.map((r) => r.run.id)).toEqual([2, 3, 4])
    expect(Buffer.from(loaded.records[2].bytes)).toEqual(Buffer.from(text))
    // The same attempt again, after another load: unchanged, nothing pushed.
    await store.load(key)
    expect(await store.save(run(4, 4), text)).toMatchObject({ outcome: 'unchanged', requests: 0 })
    expect(await commitCount('shepherd/test-history')).toBe(4)
  })

  it('saves into another history than the one loaded, beside what is there', async () => {
    await branchStore().save(run(1, 1), bytesOf('main'))
    await branchStore().save(run(2, 2, { branch: 'pull/7' }), bytesOf('pr'))
    const store = branchStore()
    await store.load(key)
    expect(await store.save(run(3, 3, { branch: 'pull/7' }), bytesOf('pr again'))).toMatchObject({ outcome: 'saved', pushed: true })
    expect((await branchStore().load({ ...key, branch: 'pull/7' })).records.map((r) => r.run.id)).toEqual([2, 3])
    expect((await branchStore().load(key)).records.map((r) => r.run.id)).toEqual([1])
  })

  it('falls back to the API when another writer moved the branch after the load, losing nothing', async () => {
    await branchStore().save(run(1, 1), bytesOf('first'))
    const store = branchStore()
    await store.load(key)
    await branchStore().save(run(2, 2), bytesOf('second'))
    const saved = await store.save(run(3, 3), bytesOf('third'))
    expect(saved.outcome).toBe('saved')
    expect(saved.pushed).toBeUndefined()
    expect(saved.requests).toBeGreaterThan(0)
    expect((await branchStore().load(key)).records.map((r) => r.run.id)).toEqual([1, 2, 3])
  })

  it('with a token that may not push, fails as the API fails', async () => {
    await branchStore().save(run(1, 1), bytesOf('a'))
    const reader = createClient({ token: 'reader-token', baseUrl: sim.url, ...quiet })
    const readOnly = new BranchHistoryStore(reader, where, { git: { token: 'reader-token', serverUrl: sim.url } })
    await readOnly.load(key)
    await expect(readOnly.save(run(2, 2), bytesOf('b'))).rejects.toThrow(/Resource not accessible by personal access token/)
    expect((await branchStore().load(key)).records.map((r) => r.run.id)).toEqual([1])
  })

  it('removes a kept clone on close, and keeps none with pushWithGit off', async () => {
    await branchStore().save(run(1, 1), bytesOf('a'))
    const tempDir = await scratch()
    const store = branchStore({ tempDir })
    await store.load(key)
    expect(await readdir(tempDir)).toHaveLength(1)
    await store.close()
    expect(await readdir(tempDir)).toEqual([])
    const off = branchStore({ tempDir, pushWithGit: false })
    await off.load(key)
    expect(await readdir(tempDir)).toEqual([])
    const saved = await off.save(run(2, 2), bytesOf('b'))
    expect(saved.outcome).toBe('saved')
    expect(saved.pushed).toBeUndefined()
  })
})

describe('artifacts', () => {
  // @actions/artifact reads the runner's variables when it is called: each save is one run's job.
  // It also writes its progress to stdout as workflow commands; the runner would hide most of them.
  const uploaderFor = (runId: number): ArtifactUploader => ({
    uploadArtifact: async (...args) => {
      Object.assign(process.env, artifactEnv(sim.url, runId))
      const write = process.stdout.write
      process.stdout.write = () => true
      try {
        return await new DefaultArtifactClient().uploadArtifact(...args)
      } finally {
        process.stdout.write = write
      }
    }
  })
  const dispatch = async (): Promise<number> => {
    const { data } = await gh.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...where, workflow_id: 'ci.yml', ref: 'main', return_run_details: true })
    return (data as unknown as { workflow_run_id: number }).workflow_run_id
  }
  const store = (runId: number, options: ArtifactStoreOptions = {}) => new ArtifactHistoryStore(gh, where, { uploader: uploaderFor(runId), ...options })

  it('uploads one artifact per run attempt and loads the newest, oldest first', async () => {
    const runs = [await dispatch(), await dispatch(), await dispatch()]
    const saved = runs.map((id) => bytesOf(`run ${id}`))
    for (let i = 0; i < 3; i++) expect((await store(runs[i]).save(run(runs[i], i), saved[i])).outcome).toBe('saved')
    const retry = bytesOf('attempt 2')
    await store(runs[1]).save(run(runs[1], 1, { attempt: 2 }), retry)
    const from = sim.requests.length
    const loaded = await store(0).load(key)
    expect(loaded.records.map((r) => `${r.run.id}.${r.run.attempt}`)).toEqual([`${runs[0]}.1`, `${runs[1]}.1`, `${runs[2]}.1`, `${runs[1]}.2`])
    expect(loaded.records.map((r) => Buffer.from(r.bytes))).toEqual([saved[0], saved[1], saved[2], retry].map((b) => Buffer.from(b)))
    expect(loaded.skipped).toEqual([])
    // Three listings (attempts 1 to 3) and one download per record, each a redirect to blob storage.
    expect(loaded.requests).toBe(3 + 4)
    const log = sim.requests.slice(from)
    expect(log.filter((r) => r.path.startsWith('/_blob/'))).toHaveLength(4)
    expect(log).toHaveLength(3 + 4 + 4)
    expect((await store(0).load(key, { limit: 2 })).records.map((r) => `${r.run.id}.${r.run.attempt}`)).toEqual([`${runs[2]}.1`, `${runs[1]}.2`])
    expect((await store(0).load({ ...key, job: 'other' })).records).toEqual([])
  })

  it('reports a second save of the same attempt as unchanged', async () => {
    const id = await dispatch()
    await store(id).save(run(id, 1), bytesOf('a'))
    expect((await store(id).save(run(id, 1), bytesOf('a'))).outcome).toBe('unchanged')
    expect((await store(0).load(key)).records).toHaveLength(1)
  })

  it('skips expired records and corrupt gzip data, and returns other bytes as stored', async () => {
    const a = await dispatch()
    const b = await dispatch()
    const c = await dispatch()
    await store(a).save(run(a, 1), bytesOf('a'))
    const bBytes = bytesOf('b')
    await store(b).save(run(b, 2), bBytes)
    const old = [...artifactStore(sim.state).artifacts.values()].find((x) => x.runId === a)!
    old.expiresAt = '2025-01-01T00:00:00Z'
    // Uploaded under the records' names without the store: a broken gzip stream, and plain bytes.
    const d = await dispatch()
    const dir = await mkdtemp(join(tmpdir(), 'stray-'))
    for (const [id, content, attempt] of [[c, Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]), 1], [d, Buffer.from('plain text'), 1]] as const) {
      const name = recordArtifactName(key, attempt)
      await writeFile(join(dir, name), content)
      await uploaderFor(id).uploadArtifact(name, [join(dir, name)], dir, { skipArchive: true })
    }
    await rm(dir, { recursive: true })
    const loaded = await expectEachSame(store(0))
    expect(loaded.records.map((r) => [r.run.id, Buffer.from(r.bytes)])).toEqual([
      [b, Buffer.from(bBytes)],
      [d, Buffer.from('plain text')]
    ])
    expect(loaded.skipped).toEqual([
      { source: `artifact ${recordArtifactName(key)} (id ${old.id})`, reason: 'expired' },
      { source: `artifact ${recordArtifactName(key)} (run ${c})`, reason: expect.stringMatching(/^corrupt gzip data/) }
    ])
  })

  it('retries failed downloads and fails clearly when the listing keeps failing', async () => {
    const id = await dispatch()
    await store(id).save(run(id, 1), bytesOf('a'))
    sim.setFaults([{ match: '/repos/acme/widgets/actions/artifacts/', kind: 'status', status: 502, times: 1 }])
    expect((await store(0).load(key)).records).toHaveLength(1)
    sim.setFaults([{ match: '/repos/acme/widgets/actions/artifacts', kind: 'status', status: 500 }])
    const impatient = new ArtifactHistoryStore(createClient({ token: TOKEN, baseUrl: sim.url, retries: 1, pacing: false }), where)
    await expect(impatient.load(key)).rejects.toThrow(/Server Error \(injected fault\)/)
    expect(sim.requests.filter((r) => r.fault === 'status' && r.status === 500)).toHaveLength(2)
  }, 20000)
})

describe('publishing to Pages', () => {
  const page = (n: number) => `<!doctype html><title>Tests</title><p>run ${n}</p>\n`
  const fileOn = async (branch: string, path: string) => {
    const { data } = await gh.rest.repos.getContent({ ...where, path, ref: branch })
    return Buffer.from((data as { content: string }).content, 'base64').toString('utf8')
  }

  it('creates the branch as an orphan, then commits only when the content changes', async () => {
    const first = await publishPages(gh, where, { dir: 'test-report/unit/', files: { 'index.html': page(1) } })
    expect(first).toMatchObject({ outcome: 'published', paths: ['test-report/unit/index.html'] })
    expect(await fileOn('gh-pages', 'test-report/unit/index.html')).toBe(page(1))
    expect(await fileOn('gh-pages', '.nojekyll')).toBe('')
    const root = (await gh.rest.git.getCommit({ ...where, commit_sha: first.sha! })).data
    expect(root.parents).toEqual([])

    const from = sim.requests.length
    const again = await publishPages(gh, where, { dir: 'test-report/unit', files: { 'index.html': page(1) } })
    expect(again).toEqual({ outcome: 'unchanged', sha: first.sha, paths: [] })
    expect(sim.requests.slice(from).map((r) => r.route)).toEqual(['graphql'])

    const next = await publishPages(gh, where, { dir: 'test-report/unit', files: { 'index.html': page(2), 'data.bin': new Uint8Array([0, 1, 2]) } })
    expect(next.outcome).toBe('published')
    expect((await gh.rest.git.getCommit({ ...where, commit_sha: next.sha! })).data.parents.map((p) => p.sha)).toEqual([first.sha])
    expect(await fileOn('gh-pages', 'test-report/unit/index.html')).toBe(page(2))
  })

  it('keeps both pages when two jobs publish at once', async () => {
    const [a, b] = await Promise.all([
      publishPages(gh, where, { dir: 'test-report/a', files: { 'index.html': page(1) }, backoffMs: 1 }),
      publishPages(createClient({ token: TOKEN, baseUrl: sim.url, ...quiet }), where, { dir: 'test-report/b', files: { 'index.html': page(2) }, backoffMs: 1 })
    ])
    expect([a.outcome, b.outcome]).toEqual(['published', 'published'])
    expect(await fileOn('gh-pages', 'test-report/a/index.html')).toBe(page(1))
    expect(await fileOn('gh-pages', 'test-report/b/index.html')).toBe(page(2))
  })

  it('refuses a directory or file name that leaves its place', async () => {
    await expect(publishPages(gh, where, { dir: '../site', files: { 'index.html': 'x' } })).rejects.toThrow('pages dir "../site" is not a valid repository path')
    await expect(publishPages(gh, where, { dir: 'site', files: { '.git/config': 'x' } })).rejects.toThrow('pages file "site/.git/config" is not a valid repository path')
    await expect(publishPages(gh, where, { dir: 'site', files: {} })).rejects.toThrow('pages files must name at least one file')
  })
})

describe('fetchRefused', () => {
  it('tells a refusal from a server error, whatever port the URL has', () => {
    expect(fetchRefused("fatal: unable to access 'http://127.0.0.1:34039/acme/widgets.git/': The requested URL returned error: 502")).toBe(false)
    expect(fetchRefused("fatal: unable to access 'http://127.0.0.1:4030/acme/widgets.git/': The requested URL returned error: 503")).toBe(false)
    expect(fetchRefused("fatal: unable to access 'http://127.0.0.1:34039/acme/widgets.git/': The requested URL returned error: 403")).toBe(true)
    expect(fetchRefused("remote: Repository not found.\nfatal: repository 'https://github.com/acme/nope.git/' not found")).toBe(true)
    expect(fetchRefused('fatal: Authentication failed for https://github.com/acme/widgets.git/')).toBe(true)
  })
})
