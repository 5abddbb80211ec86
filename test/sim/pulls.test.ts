import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { demoFixture } from '../../src/sim/fixtures/demo.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { GitRepo } from '../../src/sim/git.js'
import type { SimEvent } from '../../src/sim/state.js'
import { webhookProblems } from '../support/webhook-schema.js'
import { type Json, names, useSimulator } from './support.js'

const sim = useSimulator(fixture)
const { api, since } = sim
/** Webhook-schema problems in what this code builds (`repository` comes from the shared repo shape). */
const problems = (e: SimEvent) => webhookProblems(e.name, e.action, e.payload).filter((p) => !/^\/(repository|pull_request\/(base|head)\/repo)\b/.test(p))
const repoGit = () => new GitRepo(sim.state.repos.get('acme/widgets')!.gitDir)
const b64 = (s: string) => Buffer.from(s).toString('base64')

/** Sets a file on a branch through the contents API (a real commit, with a push). */
async function put(branch: string, path: string, content: string): Promise<void> {
  const current = await api(`/contents/${path}?ref=${encodeURIComponent(branch)}`)
  const res = await api(`/contents/${path}`, { method: 'PUT', body: { message: `Set ${path}`, content: b64(content), branch, ...(current.status === 200 ? { sha: current.body.sha } : {}) } })
  expect(res.status).toBeLessThan(300)
}

/** The demo world plus branches for merge tests: `two-commits` (two changes) and `renames` (every kind of file change). */
function fixture(): Fixture {
  const f = demoFixture()
  const repo = f.repos![0]
  repo.files = { ...repo.files, 'docs/old.md': 'old name\n', 'docs/gone.md': 'bye\n' }
  repo.branches = {
    ...repo.branches,
    'two-commits': { files: { 'a.txt': 'a\n' }, message: 'Add a' },
    renames: { files: { 'docs/old.md': null, 'docs/new.md': 'old name\n', 'docs/gone.md': null, 'docs/added.md': 'new\n', 'src/widget.ts': 'export const widget = 7\n' } }
  }
  repo.pulls = [...repo.pulls!, { number: 2, title: 'Renames', user: 'contributor', head: 'renames', reviews: [{ user: 'reviewer', state: 'COMMENTED', body: 'Looking' }] }]
  return f
}

describe('pull requests', () => {
  beforeEach(() => sim.reset(fixture()))

  it('reports mergeable, then unmergeable once a conflicting change lands on main', async () => {
    const clean = await api('/pulls/1')
    expect(clean.body).toMatchObject({ mergeable: true, mergeable_state: 'clean', commits: 1, additions: 1, deletions: 1, changed_files: 1 })
    expect(clean.body.merge_commit_sha).toBe(await repoGit().resolve('refs/pull/1/merge'))
    await put('main', 'src/widget.ts', 'export const widget = 3\n')
    const dirty = await api('/pulls/1')
    expect(dirty.body).toMatchObject({ mergeable: false, mergeable_state: 'dirty', merge_commit_sha: null })
    const merge = await api('/pulls/1/merge', { method: 'PUT', body: {} })
    expect([merge.status, merge.body.message]).toEqual([405, 'Pull Request is not mergeable'])
  })

  it('refuses a merge whose sha is stale with 409', async () => {
    const res = await api('/pulls/1/merge', { method: 'PUT', body: { sha: 'f'.repeat(40) } })
    expect([res.status, res.body.message]).toEqual([409, 'Head branch was modified. Review and try the merge again.'])
  })

  it('squash-merges into one commit whose tree is the merge result', async () => {
    const git = repoGit()
    const base = (await git.resolve('refs/heads/main'))!
    const head = (await git.resolve('refs/heads/feature/faster-widgets'))!
    const expected = await git.mergeTree(base, head)
    const before = sim.state.events.length
    const res = await api('/pulls/1/merge', { method: 'PUT', body: { merge_method: 'squash', sha: head } })
    expect(res.body).toMatchObject({ merged: true, message: 'Pull Request successfully merged' })
    const tip = (await git.readCommit('refs/heads/main'))!
    expect(tip.sha).toBe(res.body.sha)
    expect(tip.parents).toEqual([base])
    expect(tip.tree).toBe(expected.tree)
    expect(tip.message).toMatch(/^Make widgets faster \(#1\)\n\n\* Make widgets faster/)
    const events = since(before)
    expect(names(events)).toEqual(['push', 'pull_request.closed'])
    expect(events[1].payload.pull_request).toMatchObject({ merged: true, merge_commit_sha: tip.sha, state: 'closed' })
    for (const e of events) expect(problems(e)).toEqual([])
    const pull = await api('/pulls/1')
    expect(pull.body).toMatchObject({ merged: true, state: 'closed', commits: 1, changed_files: 1, merged_by: { login: 'maintainer' } })
  })

  it.each([
    ['merge', 2, 1],
    ['squash', 1, 1],
    ['rebase', 1, 2]
  ])('lands a %s merge as real commits on the base branch', async (method, parents, firstParentCommits) => {
    const feature = (await repoGit().resolve('refs/heads/two-commits'))!
    await put('two-commits', 'b.txt', 'b\n')
    const base = (await repoGit().resolve('refs/heads/main'))!
    const created = await api('/pulls', { method: 'POST', token: 'contributor-token', body: { title: 'Two commits', head: 'two-commits', base: 'main' } })
    expect(created.status).toBe(201)
    expect(feature).not.toBe(created.body.head.sha)
    const res = await api(`/pulls/${created.body.number}/merge`, { method: 'PUT', body: { merge_method: method } })
    expect(res.status).toBe(200)
    const git = repoGit()
    const tip = (await git.readCommit('refs/heads/main'))!
    expect(tip.parents).toHaveLength(parents)
    expect(await git.revList([`${base}..${tip.sha}`, '--first-parent'])).toHaveLength(firstParentCommits)
    expect((await git.readFile(tip.sha, 'b.txt'))?.toString()).toBe('b\n')
  })

  it.each([
    ['identical branches', { head: 'main', base: 'main' }, 'No commits between main and main'],
    ['a second open pull request for a head', { head: 'feature/faster-widgets', base: 'main' }, 'A pull request already exists for acme:feature/faster-widgets.']
  ])('refuses to open a pull request for %s', async (_what, refs, message) => {
    const res = await api('/pulls', { method: 'POST', body: { title: 'x', ...refs } })
    expect(res.status).toBe(422)
    expect(res.body.errors[0].message).toBe(message)
  })

  it('refuses a pull request whose head branch does not exist', async () => {
    const res = await api('/pulls', { method: 'POST', body: { title: 'x', head: 'nope', base: 'main' } })
    expect([res.status, res.body.errors[0].field]).toEqual([422, 'head'])
  })

  it('opens a pull request with refs/pull/N/head and an opened event', async () => {
    await put('main', 'x.txt', 'x\n')
    const before = sim.state.events.length
    const res = await api('/pulls', { method: 'POST', token: 'contributor-token', body: { title: 'Behind', head: 'two-commits', base: 'main', body: 'Hi' } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ number: 3, state: 'open', user: { login: 'contributor' }, head: { ref: 'two-commits' } })
    expect(await repoGit().resolve('refs/pull/3/head')).toBe(res.body.head.sha)
    const [opened] = since(before)
    expect(names([opened])).toEqual(['pull_request.opened'])
    expect(problems(opened)).toEqual([])
  })

  it('edits, closes and reopens, emitting edited, closed and reopened', async () => {
    const before = sim.state.events.length
    expect((await api('/pulls/1', { method: 'PATCH', token: 'contributor-token', body: { title: 'Much faster widgets' } })).body.title).toBe('Much faster widgets')
    expect((await api('/pulls/1', { method: 'PATCH', body: { state: 'closed' } })).body.state).toBe('closed')
    expect((await api('/pulls/1', { method: 'PATCH', body: { state: 'open' } })).body.state).toBe('open')
    const events = since(before)
    expect(names(events)).toEqual(['pull_request.edited', 'pull_request.closed', 'pull_request.reopened'])
    expect(events[0].payload.changes).toEqual({ title: { from: 'Make widgets faster' } })
  })

  it('lists pull requests by state, head and base', async () => {
    await api('/pulls/2', { method: 'PATCH', body: { state: 'closed' } })
    const cases: [string, number[]][] = [
      ['', [1]],
      ['?state=all', [2, 1]],
      ['?state=all&sort=created&direction=asc', [1, 2]],
      ['?state=closed', [2]],
      ['?state=all&head=acme:renames', [2]],
      ['?state=all&head=someone-else:renames', []],
      ['?base=nope', []]
    ]
    for (const [query, numbers] of cases) expect([query, (await api(`/pulls${query}`)).body.map((p: Json) => p.number)]).toEqual([query, numbers])
  })

  it('lists files as added, modified, removed and renamed, with pagination', async () => {
    const files = await api('/pulls/2/files')
    const byName = Object.fromEntries(files.body.map((f: Json) => [f.filename, [f.status, f.previous_filename]]))
    expect(byName).toEqual({
      'docs/added.md': ['added', undefined],
      'docs/gone.md': ['removed', undefined],
      'docs/new.md': ['renamed', 'docs/old.md'],
      'src/widget.ts': ['modified', undefined]
    })
    expect(files.body.find((f: Json) => f.filename === 'src/widget.ts').patch).toBe('@@ -1 +1 @@\n-export const widget = 1\n+export const widget = 7')
    const first = await fetch(`${sim.url}/repos/acme/widgets/pulls/2/files?per_page=3`, { headers: { authorization: 'token maintainer-token' } })
    expect(((await first.json()) as unknown[]).length).toBe(3)
    expect(first.headers.get('link')).toContain('rel="next"')
  })
})

describe('reviews', () => {
  beforeAll(() => sim.reset(fixture()))

  it.each([
    ['APPROVE', 'reviewer-token', 'APPROVED'],
    ['REQUEST_CHANGES', 'maintainer-token', 'CHANGES_REQUESTED'],
    ['COMMENT', 'reviewer-token', 'COMMENTED']
  ])('records %s from %s as %s and emits pull_request_review.submitted', async (event, token, state) => {
    const before = sim.state.events.length
    const res = await api('/pulls/1/reviews', { method: 'POST', token, body: { event, body: 'Reviewed' } })
    expect([res.status, res.body.state]).toEqual([200, state])
    const [submitted] = since(before)
    expect(names([submitted])).toEqual(['pull_request_review.submitted'])
    expect(submitted.payload.review).toMatchObject({ state: state.toLowerCase(), commit_id: (await api('/pulls/1')).body.head.sha })
    expect(problems(submitted)).toEqual([])
  })

  it('refuses an approval of one’s own pull request', async () => {
    const res = await api('/pulls/1/reviews', { method: 'POST', token: 'contributor-token', body: { event: 'APPROVE' } })
    expect(res.status).toBe(422)
  })

  it('lists reviews, including those from the fixture', async () => {
    expect((await api('/pulls/1/reviews')).body.map((r: Json) => [r.user.login, r.state])).toEqual([
      ['reviewer', 'APPROVED'],
      ['maintainer', 'CHANGES_REQUESTED'],
      ['reviewer', 'COMMENTED']
    ])
    expect((await api('/pulls/2/reviews')).body.map((r: Json) => [r.user.login, r.state, r.body])).toEqual([['reviewer', 'COMMENTED', 'Looking']])
  })

  it('requests reviewers from collaborators only, emitting review_requested', async () => {
    const before = sim.state.events.length
    const res = await api('/pulls/1/requested_reviewers', { method: 'POST', body: { reviewers: ['reviewer'] } })
    expect(res.status).toBe(201)
    expect(res.body.requested_reviewers.map((u: Json) => u.login)).toEqual(['reviewer'])
    expect(since(before).map((e) => [e.name, e.action, (e.payload.requested_reviewer as Json).login])).toEqual([['pull_request', 'review_requested', 'reviewer']])
    expect((await api('/pulls/1/requested_reviewers', { method: 'POST', body: { reviewers: ['stranger'] } })).status).toBe(422)
    expect((await api('/pulls/1/requested_reviewers', { method: 'POST', body: { reviewers: ['contributor'] } })).status).toBe(422)
  })
})
