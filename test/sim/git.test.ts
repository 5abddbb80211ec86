import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import { GitRepo } from '../../src/sim/git.js'
import type { SimEvent } from '../../src/sim/state.js'
import { webhookProblems } from '../support/webhook-schema.js'
import { type Json, names, useSimulator } from './support.js'

const sim = useSimulator(demoFixture)
const { api, since } = sim
let work: string

/** Runs the git CLI the way a user would, outside any config of the machine. */
const git = (cwd: string, args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(
      'git',
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: cwd,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 'Contributor',
          GIT_AUTHOR_EMAIL: 'contributor@example.com',
          GIT_COMMITTER_NAME: 'Contributor',
          GIT_COMMITTER_EMAIL: 'contributor@example.com'
        }
      },
      (err, stdout, stderr) => (err ? reject(new Error(`git ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim()))
    )
  )

const remote = (token?: string) => (token ? sim.url.replace('http://', `http://x-access-token:${token}@`) : sim.url) + '/acme/widgets.git'
/** Webhook-schema problems in what this code builds (`repository` comes from the shared repo shape). */
const problems = (e: SimEvent) => webhookProblems(e.name, e.action, e.payload).filter((p) => !/^\/(repository|pull_request\/(base|head)\/repo)\b/.test(p))

/** Makes a commit on top of `parent` that sets one file, through the git data API. */
async function commitOnto(parent: string, path: string, content: string, message = `Set ${path}`): Promise<string> {
  const base = await api(`/git/commits/${parent}`)
  const tree = await api('/git/trees', { method: 'POST', body: { base_tree: base.body.tree.sha, tree: [{ path, mode: '100644', type: 'blob', content }] } })
  const commit = await api('/git/commits', { method: 'POST', body: { message, tree: tree.body.sha, parents: [parent] } })
  expect(commit.status).toBe(201)
  return commit.body.sha
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'shepherd-git-test-'))
})
afterAll(async () => rm(work, { recursive: true, force: true }))

describe('git data API', () => {
  beforeEach(() => sim.reset(demoFixture()))

  it('creates a commit and fast-forwards a branch, emitting a push', async () => {
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const blob = await api('/git/blobs', { method: 'POST', body: { content: 'hello\n' } })
    expect(blob.status).toBe(201)
    const head = await api(`/git/commits/${main}`)
    const tree = await api('/git/trees', { method: 'POST', body: { base_tree: head.body.tree.sha, tree: [{ path: 'docs/hello.txt', mode: '100644', type: 'blob', sha: blob.body.sha }] } })
    expect(tree.status).toBe(201)
    const commit = await api('/git/commits', { method: 'POST', body: { message: 'Add hello', tree: tree.body.sha, parents: [main] } })
    expect(commit.body.parents.map((p: Json) => p.sha)).toEqual([main])

    const before = sim.state.events.length
    const moved = await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: commit.body.sha } })
    expect(moved.status).toBe(200)
    expect(moved.body.object.sha).toBe(commit.body.sha)
    const [push] = since(before)
    expect(names(since(before))).toEqual(['push'])
    expect(push.payload).toMatchObject({ ref: 'refs/heads/main', before: main, after: commit.body.sha, created: false, deleted: false, forced: false })
    expect((push.payload.commits as Json[]).map((c) => [c.message, c.added])).toEqual([['Add hello', ['docs/hello.txt']]])
    expect(push.startsWorkflows).toBe(true)
    expect(problems(push)).toEqual([])
    const file = await api('/contents/docs/hello.txt')
    expect(Buffer.from(file.body.content, 'base64').toString()).toBe('hello\n')
  })

  it('rejects a non-fast-forward update unless forced', async () => {
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const root = (await api(`/git/commits/${main}`)).body.parents[0]?.sha ?? main
    const sideways = await commitOnto(root, 'other.txt', 'x\n')
    await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: await commitOnto(main, 'ahead.txt', 'a\n') } })

    const refused = await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: sideways } })
    expect(refused.status).toBe(422)
    expect(refused.body.message).toBe('Update is not a fast forward')

    const before = sim.state.events.length
    const forced = await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: sideways, force: true } })
    expect(forced.status).toBe(200)
    expect(since(before)[0].payload).toMatchObject({ forced: true, after: sideways })
  })

  it.each([
    ['creating a ref that exists', 'POST', '/git/refs', { ref: 'refs/heads/main', sha: 'MAIN' }, 422, 'Reference already exists'],
    ['updating a ref that does not exist', 'PATCH', '/git/refs/heads/nope', { sha: 'MAIN' }, 422, 'Reference does not exist'],
    ['deleting a ref that does not exist', 'DELETE', '/git/refs/heads/nope', undefined, 422, 'Reference does not exist'],
    ['pointing a ref at a missing object', 'POST', '/git/refs', { ref: 'refs/heads/x', sha: 'f'.repeat(40) }, 422, 'Object does not exist'],
    ['reading a ref that does not exist', 'GET', '/git/ref/heads/nope', undefined, 404, 'Not Found']
  ])('answers %s with GitHub’s error', async (_what, method, path, body, status, message) => {
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const res = await api(path, { method, body: body && JSON.parse(JSON.stringify(body).replace('MAIN', main)) })
    expect([res.status, res.body.message]).toEqual([status, message])
  })

  it('emits create and delete events for a new and a removed branch', async () => {
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const before = sim.state.events.length
    expect((await api('/git/refs', { method: 'POST', body: { ref: 'refs/heads/topic', sha: main } })).status).toBe(201)
    expect((await api('/git/refs/heads/topic', { method: 'DELETE' })).status).toBe(204)
    const events = since(before)
    expect(names(events)).toEqual(['push', 'create', 'push', 'delete'])
    expect(events[1].payload).toMatchObject({ ref: 'topic', ref_type: 'branch', master_branch: 'main' })
    expect(events[2].payload).toMatchObject({ deleted: true, after: '0'.repeat(40), head_commit: null })
    for (const e of events) expect(problems(e)).toEqual([])
  })

  it('lists matching refs, reads trees recursively and deletes paths with sha: null', async () => {
    const refs = await api('/git/matching-refs/heads/feature')
    expect(refs.body.map((r: Json) => r.ref)).toEqual(['refs/heads/feature/faster-widgets'])
    const flat = await api('/git/trees/main')
    expect(flat.body.tree.map((e: Json) => e.path)).toEqual(['.github', 'OWNERS', 'README.md', 'api', 'src', 'web'])
    const deep = await api('/git/trees/main?recursive=1')
    expect(deep.body.tree.map((e: Json) => e.path)).toContain('src/widget.ts')
    const pruned = await api('/git/trees', { method: 'POST', body: { base_tree: flat.body.sha, tree: [{ path: 'src', mode: '040000', type: 'tree', sha: null }] } })
    expect(pruned.body.tree.map((e: Json) => e.path)).toEqual(['.github', 'OWNERS', 'README.md', 'api', 'web'])
  })

  it.each([
    ['utf-8', 'héllo\n', 'héllo\n'],
    ['base64', Buffer.from([0, 1, 2, 255]).toString('base64'), Buffer.from([0, 1, 2, 255]).toString('latin1')]
  ])('stores a %s blob and reads it back as base64', async (encoding, content, expected) => {
    const made = await api('/git/blobs', { method: 'POST', body: { content, encoding } })
    const blob = await api(`/git/blobs/${made.body.sha}`)
    expect(blob.body.encoding).toBe('base64')
    const bytes = Buffer.from(blob.body.content, 'base64')
    expect(encoding === 'utf-8' ? bytes.toString('utf8') : bytes.toString('latin1')).toBe(expected)
  })

  it('creates an annotated tag and a tag ref, emitting create for the tag', async () => {
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const tag = await api('/git/tags', { method: 'POST', body: { tag: 'v1.0.0', message: 'First release', object: main, type: 'commit' } })
    expect(tag.status).toBe(201)
    expect(tag.body).toMatchObject({ tag: 'v1.0.0', message: 'First release\n', object: { sha: main, type: 'commit' } })
    const before = sim.state.events.length
    const ref = await api('/git/refs', { method: 'POST', body: { ref: 'refs/tags/v1.0.0', sha: tag.body.sha } })
    expect(ref.body.object.type).toBe('tag')
    expect(since(before).map((e) => [e.name, e.payload.ref])).toEqual([
      ['push', 'refs/tags/v1.0.0'],
      ['create', 'v1.0.0']
    ])
  })
})

describe('branches, commits, comparisons and merges', () => {
  beforeAll(() => sim.reset(demoFixture()))

  it('reads a branch, lists branches and reads a commit with its files', async () => {
    const branch = await api('/branches/feature/faster-widgets')
    expect(branch.body).toMatchObject({ name: 'feature/faster-widgets', protected: false, commit: { commit: { message: 'Make widgets faster' } } })
    expect((await api('/branches')).body.map((b: Json) => b.name)).toEqual(['contributor/cart-totals', 'feature/faster-widgets', 'main'])
    const commit = await api(`/commits/${branch.body.commit.sha}`)
    expect(commit.body.files.map((f: Json) => [f.filename, f.status, f.additions, f.deletions])).toEqual([['src/widget.ts', 'modified', 1, 1]])
    expect(commit.body.stats).toEqual({ additions: 1, deletions: 1, total: 2 })
    expect((await api('/branches/nope')).status).toBe(404)
  })

  it('compares: identical, ahead, behind and diverged', async () => {
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const feature = (await api('/git/ref/heads/feature/faster-widgets')).body.object.sha
    const cases: [string, string, string, number, number][] = [
      ['main', 'main', 'identical', 0, 0],
      ['main', 'feature/faster-widgets', 'ahead', 1, 0],
      ['feature/faster-widgets', 'main', 'behind', 0, 1]
    ]
    for (const [base, head, status, ahead, behind] of cases) {
      const cmp = await api(`/compare/${encodeURIComponent(base)}...${encodeURIComponent(head)}`)
      expect([base, head, cmp.body.status, cmp.body.ahead_by, cmp.body.behind_by]).toEqual([base, head, status, ahead, behind])
    }
    await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: await commitOnto(main, 'NEWS.md', 'news\n') } })
    const diverged = await api('/compare/main...feature/faster-widgets')
    expect(diverged.body).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1, total_commits: 1, merge_base_commit: { sha: main } })
    expect(diverged.body.commits.map((c: Json) => c.sha)).toEqual([feature])
    expect(diverged.body.files.map((f: Json) => f.filename)).toEqual(['src/widget.ts'])
  })

  it('merges a branch server-side: 201 with the merge commit, 204 when already merged, 409 on conflict', async () => {
    const created = await api('/merges', { method: 'POST', body: { base: 'main', head: 'feature/faster-widgets' } })
    expect(created.status).toBe(201)
    expect(created.body.parents).toHaveLength(2)
    expect((await api('/merges', { method: 'POST', body: { base: 'main', head: 'feature/faster-widgets' } })).status).toBe(204)
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const feature = (await api('/git/ref/heads/feature/faster-widgets')).body.object.sha
    await api('/git/refs/heads/main', { method: 'PATCH', body: { sha: await commitOnto(main, 'src/widget.ts', 'export const widget = 3\n') } })
    await api('/git/refs/heads/feature/faster-widgets', { method: 'PATCH', body: { sha: await commitOnto(feature, 'src/widget.ts', 'export const widget = 4\n') } })
    const conflict = await api('/merges', { method: 'POST', body: { base: 'main', head: 'feature/faster-widgets' } })
    expect([conflict.status, conflict.body.message]).toEqual([409, 'Merge conflict'])
  })

  it('commits a file through the contents API, guarding updates with the blob sha', async () => {
    const content = (s: string) => Buffer.from(s).toString('base64')
    const created = await api('/contents/notes/a.md', { method: 'PUT', body: { message: 'Add notes', content: content('one\n') } })
    expect(created.status).toBe(201)
    const stale = await api('/contents/notes/a.md', { method: 'PUT', body: { message: 'Edit', content: content('two\n'), sha: 'f'.repeat(40) } })
    expect(stale.status).toBe(409)
    const updated = await api('/contents/notes/a.md', { method: 'PUT', body: { message: 'Edit', content: content('two\n'), sha: created.body.content.sha } })
    expect(updated.status).toBe(200)
    expect(updated.body.commit.parents[0].sha).toBe(created.body.commit.sha)
  })
})

describe('git over smart HTTP', () => {
  beforeAll(() => sim.reset(demoFixture()))

  it('clones anonymously, pushes a new branch with a token and emits push and create', async () => {
    const dir = join(work, 'clone')
    await git(work, ['clone', '--quiet', remote(), dir])
    expect(await git(dir, ['log', '--format=%s', '-1'])).toBe('Initial commit')
    await writeFile(join(dir, 'CHANGELOG.md'), '# Changes\n')
    await git(dir, ['add', 'CHANGELOG.md'])
    await git(dir, ['commit', '--quiet', '-m', 'Add a changelog'])
    const sha = await git(dir, ['rev-parse', 'HEAD'])

    const before = sim.state.events.length
    await git(dir, ['push', '--quiet', remote('maintainer-token'), 'HEAD:refs/heads/changelog'])
    const events = since(before)
    expect(names(events)).toEqual(['push', 'create'])
    expect(events[0].payload).toMatchObject({ ref: 'refs/heads/changelog', after: sha, created: true, pusher: { name: 'maintainer' } })
    expect((events[0].payload.commits as Json[]).map((c) => c.message)).toEqual(['Add a changelog'])
    expect(events[0].actor).toBe('maintainer')
    expect((await api('/branches/changelog')).body.commit.sha).toBe(sha)
  })

  it('moves the pull request when its head branch is pushed: synchronize, new head sha, refs/pull/N/head', async () => {
    const dir = join(work, 'pr')
    await git(work, ['clone', '--quiet', '--branch', 'feature/faster-widgets', remote(), dir])
    const old = await git(dir, ['rev-parse', 'HEAD'])
    await writeFile(join(dir, 'src/widget.ts'), 'export const widget = 5\n')
    await git(dir, ['commit', '--quiet', '-am', 'Even faster'])
    const sha = await git(dir, ['rev-parse', 'HEAD'])

    const before = sim.state.events.length
    await git(dir, ['push', '--quiet', remote('reviewer-token'), 'HEAD:feature/faster-widgets'])
    const sync = since(before).find((e) => e.name === 'pull_request')!
    expect(sync.action).toBe('synchronize')
    expect(sync.payload).toMatchObject({ number: 1, before: old, after: sha })
    expect(problems(sync)).toEqual([])
    expect((await api('/pulls/1')).body.head.sha).toBe(sha)
    await git(dir, ['fetch', '--quiet', remote(), 'refs/pull/1/head'])
    expect(await git(dir, ['rev-parse', 'FETCH_HEAD'])).toBe(sha)
  })

  it.each([
    ['anonymously', undefined, /Authentication failed|could not read Username|terminal prompts disabled|401/],
    ['with a read-only token', 'contributor-token', /denied to contributor|403/]
  ])('refuses a push %s', async (_how, token, error) => {
    const dir = join(work, `refused-${token ?? 'anon'}`)
    await git(work, ['clone', '--quiet', remote(), dir])
    await git(dir, ['commit', '--quiet', '--allow-empty', '-m', 'Nope'])
    await expect(git(dir, ['push', '--quiet', remote(token), 'HEAD:refs/heads/nope'])).rejects.toThrow(error)
  })

  it('refuses pushes to refs/pull/*', async () => {
    const dir = join(work, 'hidden')
    await git(work, ['clone', '--quiet', remote(), dir])
    await git(dir, ['commit', '--quiet', '--allow-empty', '-m', 'Sneaky'])
    await expect(git(dir, ['push', '--quiet', remote('maintainer-token'), 'HEAD:refs/pull/1/head'])).rejects.toThrow(/hidden ref|rejected/)
  })

  it('answers a gzip-encoded upload-pack request', async () => {
    const main = (await api('/git/ref/heads/main')).body.object.sha
    const pkt = (s: string) => (s.length + 4).toString(16).padStart(4, '0') + s
    const request = `${pkt(`want ${main}\n`)}0000${pkt('done\n')}`
    const res = await fetch(`${sim.url}/acme/widgets.git/git-upload-pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip' },
      body: gzipSync(request)
    })
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).includes('PACK')).toBe(true)
  })
})

describe('GitRepo.resolveFirst', () => {
  it('resolves a branch before a tag before a revision, in one process, as resolve one by one does', async () => {
    const repo = await GitRepo.init(join(work, 'resolve-first.git'), 'main')
    const who = { name: 'T', email: 't@example.com', date: 1_700_000_000 }
    const tree = await repo.writeTree(null, { 'a.txt': 'a' })
    const first = await repo.commitTree(tree, [], 'first', who, who)
    const second = await repo.commitTree(tree, [first], 'second', who, who)
    await repo.updateRef('refs/heads/main', first)
    // A branch and an annotated tag with the same name, on different commits; a tag alone.
    await repo.updateRef('refs/heads/both', first)
    await repo.updateRef('refs/tags/both', await repo.writeTag(second, 'commit', 'both', 'tagged', who))
    await repo.updateRef('refs/tags/v1', await repo.writeTag(second, 'commit', 'v1', 'tagged', who))
    const candidates = (ref: string) => [`refs/heads/${ref}`, `refs/tags/${ref}`, ref]
    const oneByOne = async (ref: string) => {
      for (const rev of candidates(ref)) {
        const sha = await repo.resolve(rev)
        if (sha) return sha
      }
      return null
    }
    const refs = ['both', 'v1', 'main', first, second, second.slice(0, 12), tree, 'missing', '-v', 'main\nv1', '', `${first}~1`, `${second}~1`]
    for (const ref of refs) expect({ ref, sha: await repo.resolveFirst(candidates(ref)) }).toEqual({ ref, sha: await oneByOne(ref) })
    expect(await repo.resolveFirst(candidates('both'))).toBe(first)
    expect(await repo.resolveFirst(candidates('v1'))).toBe(second)
    expect(await repo.resolveFirst(candidates(tree))).toBeNull()
  })
})
