/**
 * Gathering the merged PRs of a release range from the simulator: exactly the PRs of the range
 * (by date window, and by ancestry in a checkout), cherry-picks credited to the origin's author,
 * and the bar: 2,000 PRs in at most 30 requests, also with more than 1,000 merged in one day.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { ancestryFilter } from '../../src/github/release-range.js'
import { gatherReleasePulls, ReleaseRangeError } from '../../src/github/release-notes-fetch.js'
import { releaseNotes } from '../../src/core/release/notes.js'
import { Simulator } from '../../src/sim/server.js'
import { main } from '../../src/cli/main.js'
import { GitRepo } from '../../src/sim/git.js'
import { addMergedPull, at, commitAt, fakeSha, noteBody, releaseFixture, seedReleaseHistory, simRepo, tag } from '../support/release-history.js'

const where = { owner: 'acme', repo: 'widgets' }

describe('gatherReleasePulls on a small history', () => {
  let sim: Simulator
  let client: GitHubClient
  let gitDir: string
  beforeAll(async () => {
    sim = await Simulator.start({ fixture: releaseFixture })
    await seedReleaseHistory(sim)
    client = createClient({ token: 'reader-token', baseUrl: sim.url, pacing: false })
    gitDir = simRepo(sim, 'acme/widgets').gitDir
  })
  afterAll(() => sim.stop())

  it('finds exactly the PRs merged into main after v1.0.0 up to v1.1.0, in two requests', async () => {
    sim.requests.length = 0
    const r = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.1.0' })
    // #1 merged before the tag, #2 is the tagged commit, #9 came after; #10 and #11 went to release branches.
    expect(r.pulls.map((p) => p.number)).toEqual([3, 4, 5, 6, 7, 8])
    expect(r).toMatchObject({ base: 'main', filter: 'date-window', requests: 2, outOfRange: [] })
    expect(sim.requests.map((q) => q.route)).toEqual(['graphql', 'graphql'])
    expect(r.pulls.find((p) => p.number === 5)).toMatchObject({ author: 'carol', labels: ['kind/api-change', 'release-note-action-required'], baseRefName: 'main', url: expect.stringMatching(/\/acme\/widgets\/pull\/5$/) })
  })

  it('feeds releaseNotes: NONE and no block left out, the action-required note first', async () => {
    const r = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.1.0' })
    const notes = releaseNotes(r.pulls)
    expect(notes.notes.map((n) => n.pr.number).sort()).toEqual([3, 5, 6, 8])
    expect(notes.skipped).toEqual([
      { number: 4, reason: 'release note NONE' },
      { number: 7, reason: 'no release-note block' }
    ])
    expect(notes.markdown.indexOf('The v1 API is removed')).toBeLessThan(notes.markdown.indexOf('## Changes by Kind'))
    expect(notes.markdown).toMatch(/^- Widgets can spin \(`--spin`\)\. \(\[#3\]\(.*\/pull\/3\), \[@alice\]\(https:\/\/github.com\/alice\)\) \[SIG Node\]$/m)
  })

  it('the same range filtered by ancestry in the repository keeps the same PRs', async () => {
    const r = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.1.0', inRange: await ancestryFilter(gitDir, 'v1.0.0', 'v1.1.0') })
    expect(r.pulls.map((p) => p.number)).toEqual([3, 4, 5, 6, 7, 8])
    expect(r.filter).toBe('ancestry')
  })

  it('an rc tagged on release-1.1 after main moved on: the date window takes main PRs merged after the fork, ancestry leaves them out', async () => {
    const byDate = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.1.0-rc.1', base: 'main' })
    expect(byDate.pulls.map((p) => p.number)).toEqual([3, 4, 5, 6, 7])
    const exact = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.1.0-rc.1', base: 'main', inRange: await ancestryFilter(gitDir, 'v1.0.0', 'v1.1.0-rc.1') })
    expect(exact.pulls.map((p) => p.number)).toEqual([3, 4, 5])
    expect(exact.outOfRange).toEqual([6, 7])
  })

  it('a patch release on release-1.0 lists the cherry-pick, credited to the author of the PR it picks, in one more request', async () => {
    sim.requests.length = 0
    const r = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.0.1', base: 'release-1.0' })
    expect(r.pulls).toHaveLength(1)
    expect(r.pulls[0]).toMatchObject({ number: 10, author: 'shepherd-bot', origin: 3, originAuthor: 'alice' })
    expect(r.requests).toBe(3)
    expect(sim.requests).toHaveLength(3)
    expect(releaseNotes(r.pulls).markdown).toContain('([#10](')
    expect(releaseNotes(r.pulls).markdown).toContain('[@alice](https://github.com/alice))')
  })

  it('a cherry-pick whose origin PR does not exist keeps its own author', async () => {
    const repo = simRepo(sim, 'acme/widgets')
    const git = new GitRepo(repo.gitDir)
    const tip = await commitAt(git, (await git.resolve('refs/heads/release-1.0'))!, at('2026-03-05T00:00:00Z'), 'Pick of a missing PR')
    await git.updateRef('refs/heads/release-1.0', tip)
    await tag(git, 'v1.0.2', tip)
    addMergedPull(sim, repo, { number: 12, title: 'Pick', body: noteBody('Picked.'), user: 'picker', head: 'cherry-pick-9999-to-release-1.0', base: 'release-1.0', mergedAt: at('2026-03-05T00:00:00Z'), mergeCommit: tip })
    const r = await gatherReleasePulls(client, where, { from: 'v1.0.1', to: 'v1.0.2', base: 'release-1.0' })
    expect(r.pulls).toHaveLength(1)
    expect(r.pulls[0]).toMatchObject({ number: 12, author: 'picker', origin: 9999 })
    expect(r.pulls[0].originAuthor).toBeUndefined()
  })

  it('accepts a commit SHA as the target, and a target equal to the tag gives nothing', async () => {
    const shas = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'main' })
    expect(shas.pulls.map((p) => p.number)).toEqual([3, 4, 5, 6, 7, 8, 9])
    const bySha = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: shas.to.oid })
    expect(bySha.pulls).toHaveLength(7)
    expect((await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.0.0' })).pulls).toEqual([])
  })

  it('names an unknown tag, an unknown target, and a target older than the tag', async () => {
    await expect(gatherReleasePulls(client, where, { from: 'v0.9.0', to: 'v1.1.0' })).rejects.toThrow(new ReleaseRangeError('tag "v0.9.0" not found in acme/widgets (or it does not point at a commit)'))
    await expect(gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v9' })).rejects.toThrow(/target "v9" not found in acme\/widgets/)
    await expect(gatherReleasePulls(client, where, { from: 'v1.1.0', to: 'v1.0.0' })).rejects.toThrow(/v1.1.0..v1.0.0: the target commit \(2026-03-02T00:00:00Z\) is older than the previous tag's commit \(2026-03-08T00:00:00Z\)/)
    await expect(ancestryFilter(gitDir, 'v0.9.0', 'main')).rejects.toThrow(/tag "v0.9.0" is not in the checkout/)
  })
})

/**
 * 2,000 PRs merged between two tags (150 of them cherry-picks of older PRs), one before and one
 * after; `mergedAt(i)` places the i-th in-range PR in time.
 */
async function seedMany(sim: Simulator, mergedAt: (i: number) => number): Promise<{ inRange: number[]; origins: Map<number, string> }> {
  const repo = simRepo(sim, 'acme/widgets')
  const git = new GitRepo(repo.gitDir)
  const root = (await git.resolve('refs/heads/main'))!
  const tagged = await commitAt(git, root, at('2026-03-01T00:00:00Z'), 'v1.0.0')
  const target = await commitAt(git, tagged, at('2026-03-31T00:00:00Z'), 'v1.1.0')
  await git.updateRef('refs/heads/main', target)
  await tag(git, 'v1.0.0', tagged, true)
  await tag(git, 'v1.1.0', target)
  const origins = new Map<number, string>()
  for (let k = 0; k < 150; k++) {
    const old = addMergedPull(sim, repo, { title: `Old ${k}`, body: noteBody(`Old ${k}.`), user: `origin-${k}`, base: 'main', mergedAt: at('2026-02-01T00:00:00Z') + k, mergeCommit: fakeSha(100_000 + k) })
    origins.set(old.number, old.user)
  }
  const originNumbers = [...origins.keys()]
  addMergedPull(sim, repo, { title: 'At the tag', user: 'x', base: 'main', mergedAt: at('2026-03-01T00:00:00Z'), mergeCommit: tagged })
  const inRange: number[] = []
  for (let i = 0; i < 2000; i++) {
    const pick = i % 13 === 0 ? originNumbers.shift() : undefined
    const pr = addMergedPull(sim, repo, {
      title: `Change ${i}`,
      body: noteBody(`Change ${i}.`),
      user: pick ? 'shepherd-bot' : `dev-${i % 37}`,
      labels: ['kind/feature'],
      head: pick ? `cherry-pick-${pick}-to-main` : undefined,
      base: 'main',
      mergedAt: mergedAt(i),
      mergeCommit: fakeSha(i + 1)
    })
    inRange.push(pr.number)
  }
  addMergedPull(sim, repo, { title: 'After the target', user: 'x', base: 'main', mergedAt: at('2026-03-31T00:00:01Z'), mergeCommit: fakeSha(999_999) })
  return { inRange, origins }
}

describe('the bar: release notes for 2,000 merged PRs in at most 30 requests', () => {
  const cases: [string, (i: number) => number][] = [
    ['spread over the month', (i) => at('2026-03-01T00:00:01Z') + Math.floor((i * 29 * 86_400) / 2000)],
    // 1,500 within three hours of one day: halving days is not enough, the windows go down to minutes.
    ['1,500 of them merged within three hours of one day', (i) => (i < 1500 ? at('2026-03-15T09:00:00Z') + Math.floor((i * 3 * 3600) / 1500) : at('2026-03-02T00:00:00Z') + (i - 1500) * 3000)]
  ]
  it.each(cases)('finds all 2,000 (%s), each cherry-pick credited to its origin', async (_name, mergedAt) => {
    const sim = await Simulator.start({ fixture: releaseFixture })
    try {
      const { inRange, origins } = await seedMany(sim, mergedAt)
      const client = createClient({ token: 'reader-token', baseUrl: sim.url, pacing: false })
      sim.requests.length = 0
      const r = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: 'v1.1.0' })
      expect(r.pulls.map((p) => p.number)).toEqual(inRange)
      expect(sim.requests.length).toBeLessThanOrEqual(30)
      expect(sim.requests.length).toBe(r.requests)
      expect(new Set(sim.requests.map((q) => `${q.route} ${q.status}`))).toEqual(new Set(['graphql 200']))
      // More than one search window was needed, none over GitHub's cap, and together they hold every PR.
      expect(r.windows.length).toBeGreaterThan(1)
      for (const w of r.windows) expect(w.count).toBeLessThanOrEqual(1000)
      expect(r.windows.reduce((n, w) => n + w.count, 0)).toBe(2000)
      const picks = r.pulls.filter((p) => p.origin !== undefined)
      expect(picks).toHaveLength(150)
      for (const p of picks) expect(p.originAuthor).toBe(origins.get(p.origin!))
      expect(releaseNotes(r.pulls).notes).toHaveLength(2000)
    } finally {
      await sim.stop()
    }
  }, 120_000)
})

describe('shepherd release notes against a running simulator', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await Simulator.start({ fixture: releaseFixture })
    await seedReleaseHistory(sim)
  })
  afterAll(() => sim.stop())
  const cli = async (...argv: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  const range = (...more: string[]) => ['release', 'notes', '--api', sim.url, '--token', 'reader-token', '--repo', 'acme/widgets', ...more]

  it('--json: the PRs of the range, the notes, what was left out and why, and the requests', async () => {
    const r = await cli(...range('--from', 'v1.0.0', '--to', 'v1.1.0', '--json'))
    expect(r.code).toBe(0)
    const json = JSON.parse(r.out)
    expect(json).toMatchObject({ repo: 'acme/widgets', base: 'main', filter: 'date-window', requests: 2, from: { tag: 'v1.0.0', date: '2026-03-02T00:00:00Z' }, to: { ref: 'v1.1.0', date: '2026-03-08T00:00:00Z' } })
    expect(json.pulls.map((p: { number: number }) => p.number)).toEqual([3, 4, 5, 6, 7, 8])
    expect(json.notes.map((n: { number: number }) => n.number)).toEqual([3, 5, 6, 8])
    expect(json.notes.find((n: { number: number }) => n.number === 5)).toMatchObject({ actionRequired: true, kind: 'api-change', text: 'The v1 API is removed; use v2.' })
    expect(json.skipped).toEqual([
      { number: 4, reason: 'release note NONE' },
      { number: 7, reason: 'no release-note block' }
    ])
    expect(json.markdown).toMatch(/^## Urgent Upgrade Notes/)
  })

  it('--markdown: the notes on stdout, the range and the request count on stderr', async () => {
    const r = await cli(...range('--from', 'v1.0.0', '--to', 'v1.1.0', '--markdown'))
    expect(r.code).toBe(0)
    expect(r.out.split('\n').filter((l) => l.startsWith('#'))).toEqual(['## Urgent Upgrade Notes', '### (No, really, you MUST read this before you upgrade)', '## Changes by Kind', '### Feature', '### Bug or Regression'])
    expect(r.out).not.toMatch(/Merged before|Merged after|Is the v1.0.0 commit/)
    expect(r.err).toBe('6 PRs merged into main after v1.0.0 (2026-03-02T00:00:00Z) up to v1.1.0 (2026-03-08T00:00:00Z), by date (no checkout): 4 notes, 2 without; 2 API requests')
  })

  it('--git-dir: in a clone, ancestry makes the range exact (main PRs merged after release-1.1 forked are left out)', async () => {
    const gitDir = simRepo(sim, 'acme/widgets').gitDir
    const byDate = JSON.parse((await cli(...range('--from', 'v1.0.0', '--to', 'v1.1.0-rc.1', '--json'))).out)
    const exact = await cli(...range('--from', 'v1.0.0', '--to', 'v1.1.0-rc.1', '--git-dir', gitDir, '--json'))
    expect(exact.code).toBe(0)
    const json = JSON.parse(exact.out)
    expect(json.filter).toBe('ancestry')
    expect(json.pulls.map((p: { number: number }) => p.number)).toEqual(byDate.pulls.map((p: { number: number }) => p.number).filter((n: number) => n <= 5))
    expect((await cli(...range('--from', 'v1.0.0', '--to', 'v1.1.0', '--git-dir', '/nonexistent'))).err).toMatch(/^shepherd release: --git-dir: /)
  })

  it('--base release-1.0: the patch release credits the cherry-picked change to its author', async () => {
    const r = await cli(...range('--from', 'v1.0.0', '--to', 'v1.0.1', '--base', 'release-1.0'))
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^- Widgets can spin \(`--spin`\)\. \(\[#10\]\(.*\), \[@alice\]\(https:\/\/github.com\/alice\)\)$/m)
  })

  it.each([
    [['--from', 'v9.9.9', '--to', 'v1.1.0'], 'shepherd release: tag "v9.9.9" not found in acme/widgets (or it does not point at a commit)'],
    [['--from', 'v1.0.0', '--to', 'nope'], 'shepherd release: target "nope" not found in acme/widgets: name a tag, branch or commit'],
    [['--to', 'v1.1.0'], "shepherd release: --from is required: the previous release's tag"],
    [['--from', 'v1.0.0', '--to', 'v1.1.0', '--json', '--markdown'], 'shepherd release: --markdown and --json: choose one'],
    [['--from', 'v1.0.0', '--to', 'v1.1.0', '--base', 'main is:open'], 'shepherd release: --base must be a branch name, got "main is:open"']
  ])('exits 2 naming the bad input: %j', async (argv, message) => {
    const r = await cli(...range(...(argv as string[])))
    expect(r).toMatchObject({ code: 2, err: message, out: '' })
  })

  it('exits 2 for a bad --repo, and names both subcommands when given another', async () => {
    expect(await cli('release', 'notes', '--api', sim.url, '--token', 't', '--repo', 'widgets', '--from', 'a', '--to', 'b')).toMatchObject({ code: 2, err: 'shepherd release: --repo must be OWNER/NAME, got "widgets"' })
    expect(await cli('release', 'publish')).toMatchObject({ code: 2, err: 'shepherd release: unknown subcommand "publish"; the ones there are: next, notes' })
  })
})

describe('a fast-forward merge: the PR lands after its commit is dated', () => {
  it('is found when the window runs to the run\'s time and ancestry keeps the range exact', async () => {
    const sim = await Simulator.start({ fixture: releaseFixture })
    try {
      const repo = simRepo(sim, 'acme/widgets')
      const git = new GitRepo(repo.gitDir)
      const tagged = await commitAt(git, (await git.resolve('refs/heads/main'))!, at('2026-03-01T00:00:00Z'), 'v1.0.0')
      await tag(git, 'v1.0.0', tagged, true)
      // The batch commit is dated when the queue built it; main moves to it (and the PR is merged) an hour later.
      const batch = await commitAt(git, tagged, at('2026-03-02T00:00:00Z'), 'batch')
      await git.updateRef('refs/heads/main', batch)
      addMergedPull(sim, repo, { number: 5, title: 'Queued', body: noteBody('Queued change.'), user: 'alice', base: 'main', mergedAt: at('2026-03-02T01:00:00Z'), mergeCommit: batch })
      const client = createClient({ token: 'reader-token', baseUrl: sim.url, pacing: false })
      const byCommitDate = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: batch })
      expect(byCommitDate.pulls).toEqual([])
      const untilNow = await gatherReleasePulls(client, where, { from: 'v1.0.0', to: batch, until: '2026-03-05T00:00:00Z', inRange: await ancestryFilter(repo.gitDir, 'v1.0.0', batch) })
      expect(untilNow.pulls.map((p) => p.number)).toEqual([5])
    } finally {
      await sim.stop()
    }
  })
})
