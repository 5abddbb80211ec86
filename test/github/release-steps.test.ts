import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { Simulator } from '../../src/sim/server.js'
import { GitRepo } from '../../src/sim/git.js'
import type { Fixture } from '../../src/sim/fixture.js'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { RefConflictError, ensureBranch, ensureTag, verifyTags } from '../../src/github/release-refs.js'
import { ensureChangelog } from '../../src/github/release-changelog.js'
import { ensureAssets, ensureDraftRelease, listReleases, publish, sha256Digest, type ReleaseRef } from '../../src/github/release-page.js'
import { changelogMarker, changelogWithRelease } from '../../src/core/release/notes.js'
import { CHECKSUM_FILES, checksumFile, withChecksums } from '../../src/core/release/checksums.js'
import { makeLatest } from '../../src/core/release/latest.js'
import { versionOf } from '../../src/core/release/version.js'

const where = { owner: 'acme', repo: 'widgets' }
const BOT = 'github-actions[bot]'
const VERSION = 'v1.31.0-rc.0'
const ALPHA = 'v1.32.0-alpha.0'
const BRANCH = 'release-1.31'
const CHANGELOG = 'CHANGELOG/CHANGELOG-1.31.md'
const BUILDS = [
  { name: 'widgets-linux-amd64.tar.gz', bytes: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4]) },
  { name: 'widgets-darwin-arm64.tar.gz', bytes: Buffer.from('darwin build\n') }
]
const FILES = withChecksums(BUILDS)

function fixture(): Fixture {
  return {
    tokens: [{ token: 'ghs', login: BOT, kind: 'github-token' }],
    repos: [
      {
        owner: 'acme',
        name: 'widgets',
        files: { 'README.md': '# widgets\n', 'CHANGELOG/CHANGELOG-1.30.md': '# Changelog of v1.30\n' },
        branches: { 'release-1.30': { files: { 'fix.txt': 'fix\n' }, message: 'A fix on 1.30' } }
      }
    ]
  }
}

let sim: Simulator
let gh: GitHubClient
let git: GitRepo
/** The commit the cut is at: main's head. */
let sha: string

beforeAll(async () => {
  sim = await Simulator.start({ fixture: fixture(), checkResponses: true })
  // No retries: an injected 502 fails the step, as an outage longer than the retries would.
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false, retries: 0 })
})
afterAll(async () => sim.stop())

async function resetWorld(): Promise<void> {
  sim.setFaults([])
  await sim.reset(fixture())
  git = new GitRepo(sim.state.repos.get('acme/widgets')!.gitDir)
  sha = (await git.resolve('refs/heads/main'))!
}

/** One step of the cut: its name, the operations it writes with, and what it does (returning its outcome). */
interface Step {
  name: string
  writes: string[]
  run: () => Promise<string>
}

/** The steps of an rc.0 cut in the order the action runs them; `release` is carried from the draft step on. */
function rcCut(): Step[] {
  let release: ReleaseRef | undefined
  const rel = () => {
    if (!release) throw new Error('the draft step did not run')
    return release
  }
  const tags = [
    { tag: VERSION, sha, message: `Kubernetes-style release ${VERSION}` },
    { tag: ALPHA, sha, message: `Start of the v1.32 line (${ALPHA})` }
  ]
  return [
    { name: 'verify tags', writes: [], run: async () => JSON.stringify(await verifyTags(gh, where, tags)) },
    { name: `tag ${VERSION}`, writes: ['git/create-tag', 'git/create-ref'], run: () => ensureTag(gh, where, tags[0]) },
    { name: `tag ${ALPHA}`, writes: ['git/create-tag', 'git/create-ref'], run: () => ensureTag(gh, where, tags[1]) },
    { name: `branch ${BRANCH}`, writes: ['git/create-ref'], run: () => ensureBranch(gh, where, BRANCH, sha) },
    {
      name: 'changelog',
      writes: ['repos/create-or-update-file-contents'],
      run: async () =>
        (
          await ensureChangelog(gh, where, {
            branch: BRANCH,
            path: CHANGELOG,
            message: `CHANGELOG-1.31.md: ${VERSION}`,
            update: (existing) => changelogWithRelease(existing, { tag: VERSION, previous: 'v1.31.0-beta.2', notes: '## Changes by Kind\n\n- Faster widgets\n', date: '2026-01-01', line: 'v1.31' })
          })
        ).outcome
    },
    {
      name: 'draft',
      writes: ['repos/create-release'],
      run: async () => {
        const r = await ensureDraftRelease(gh, where, { tag: VERSION, name: VERSION, body: 'Notes for rc.0', prerelease: true, target: sha })
        release = r.release
        return r.outcome
      }
    },
    ...FILES.map((file) => ({
      name: `asset ${file.name}`,
      writes: ['repos/upload-release-asset'],
      run: async () => (await ensureAssets(gh, where, rel(), [file]))[file.name]
    })),
    {
      name: 'publish',
      writes: ['repos/update-release'],
      run: async () => (await publish(gh, where, rel(), makeLatest(versionOf(VERSION), await listReleases(gh, where)))).outcome
    }
  ]
}

/** Runs the cut's steps in order, up to (not including) `stopAt` (a crash there), and returns each outcome. */
async function runCut(options: { stopAt?: number; fault?: { at: number; op: string } } = {}): Promise<string[]> {
  const outcomes: string[] = []
  const steps = rcCut()
  for (const [i, step] of steps.entries()) {
    if (i === options.stopAt) break
    if (options.fault?.at === i) sim.setFaults([{ match: options.fault.op, kind: 'status', status: 502 }])
    try {
      outcomes.push(await step.run())
    } finally {
      sim.setFaults([])
    }
  }
  return outcomes
}

const writesSince = (n: number) => sim.requests.slice(n).filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => r.route)

/** The cut is complete and nothing is duplicated: the bar's assertions. */
async function expectCompleteCut(): Promise<void> {
  const tags = await git.listRefs('refs/tags/')
  expect([...tags.keys()].sort()).toEqual([`refs/tags/${VERSION}`, `refs/tags/${ALPHA}`].sort())
  for (const tag of [VERSION, ALPHA]) {
    expect(await git.typeOf(tags.get(`refs/tags/${tag}`)!)).toBe('tag')
    expect(await git.resolve(`refs/tags/${tag}`)).toBe(sha)
  }
  const heads = await git.listRefs('refs/heads/')
  expect([...heads.keys()].sort()).toEqual(['refs/heads/main', 'refs/heads/release-1.30', `refs/heads/${BRANCH}`])
  expect(await git.isAncestor(sha, heads.get(`refs/heads/${BRANCH}`)!)).toBe(true)
  const changelogCommits = await git.revList([`${sha}..refs/heads/${BRANCH}`])
  expect(changelogCommits).toHaveLength(1)
  const text = (await git.readFile(`refs/heads/${BRANCH}`, CHANGELOG))!.toString()
  expect(text.split(changelogMarker(VERSION))).toHaveLength(2)
  expect(await git.resolve('refs/heads/main')).toBe(sha)

  const releases = [...sim.state.repos.get('acme/widgets')!.releases!.byId.values()]
  expect(releases.map((r) => ({ tag: r.tagName, draft: r.draft, prerelease: r.prerelease }))).toEqual([{ tag: VERSION, draft: false, prerelease: true }])
  // A pre-release is never latest.
  expect(sim.state.repos.get('acme/widgets')!.releases!.latestId).toBeNull()
  const assets = releases[0].assets
  expect(assets.map((a) => a.name).sort()).toEqual(FILES.map((f) => f.name).sort())
  for (const f of FILES) expect(assets.find((a) => a.name === f.name)!.digest).toBe(sha256Digest(f.bytes))
  expect(assets.find((a) => a.name === CHECKSUM_FILES.sha256)!.bytes.toString()).toBe(checksumFile('sha256', BUILDS))
  expect(sim.state.events.filter((e) => e.name === 'release' && e.action === 'published')).toHaveLength(1)
}

describe('release cut writes on the simulator', () => {
  beforeEach(resetWorld)

  it('an rc.0 cut: two annotated tags, a branch, one changelog commit, a draft, 2 assets and 2 checksum files, published as a pre-release', async () => {
    const outcomes = await runCut()
    expect(outcomes).toEqual([
      JSON.stringify({ [VERSION]: 'missing', [ALPHA]: 'missing' }),
      'created',
      'created',
      'created',
      'committed',
      'created',
      'uploaded',
      'uploaded',
      'uploaded',
      'uploaded',
      'published'
    ])
    await expectCompleteCut()
    // A second run reads and writes nothing.
    const n = sim.requests.length
    expect(await runCut()).toEqual([JSON.stringify({ [VERSION]: 'exists', [ALPHA]: 'exists' }), 'exists', 'exists', 'exists', 'unchanged', 'published', 'exists', 'exists', 'exists', 'exists', 'exists'])
    expect(writesSince(n)).toEqual([])
    await expectCompleteCut()
  })

  it('ensureAssets with all files at once: uploads the missing, keeps equal ones, replaces a draft asset with other bytes', async () => {
    await runCut({ stopAt: 6 })
    const { release } = await ensureDraftRelease(gh, where, { tag: VERSION, name: VERSION, body: 'Notes for rc.0', prerelease: true })
    expect(await ensureAssets(gh, where, release, FILES.slice(0, 1))).toEqual({ [FILES[0].name]: 'uploaded' })
    const stale = { name: FILES[1].name, bytes: Buffer.from('an older build') }
    expect(await ensureAssets(gh, where, release, [stale])).toEqual({ [FILES[1].name]: 'uploaded' })
    expect(await ensureAssets(gh, where, release, FILES)).toEqual({ [FILES[0].name]: 'exists', [FILES[1].name]: 'replaced', SHA256SUMS: 'uploaded', SHA512SUMS: 'uploaded' })
    const published = await publish(gh, where, release, false)
    expect(published.outcome).toBe('published')
    expect(await ensureAssets(gh, where, published.release, FILES)).toEqual(Object.fromEntries(FILES.map((f) => [f.name, 'exists'])))
    await expect(ensureAssets(gh, where, published.release, [stale])).rejects.toThrow(/is published and its asset widgets-darwin-arm64.tar.gz has digest sha256:[0-9a-f]{64}, not sha256:/)
  })

  it('ensureDraftRelease brings a draft’s body up to date and leaves a published release alone', async () => {
    const first = await ensureDraftRelease(gh, where, { tag: VERSION, name: VERSION, body: 'old', prerelease: true })
    expect(first.outcome).toBe('created')
    const updated = await ensureDraftRelease(gh, where, { tag: VERSION, name: VERSION, body: 'new', prerelease: true })
    expect(updated).toMatchObject({ outcome: 'updated', release: { id: first.release.id, body: 'new', draft: true } })
    await publish(gh, where, first.release, false)
    expect((await ensureDraftRelease(gh, where, { tag: VERSION, name: VERSION, body: 'newer', prerelease: true })).outcome).toBe('published')
    expect(sim.state.repos.get('acme/widgets')!.releases!.byId.get(first.release.id)!.body).toBe('new')
  })

  it('a tag that exists at another commit stops the cut before any write, naming both commits', async () => {
    const other = (await git.resolve('refs/heads/release-1.30'))!
    // The second tag conflicts: verifyTags reads both before the first write.
    await git.updateRef(`refs/tags/${ALPHA}`, other)
    const n = sim.requests.length
    const err = await runCut().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RefConflictError)
    expect((err as Error).message).toContain(`tag ${ALPHA} already exists at ${other}, not at ${sha}`)
    expect(writesSince(n)).toEqual([])
    expect((await git.listRefs('refs/tags/')).size).toBe(1)
    await expect(ensureTag(gh, where, { tag: ALPHA, sha, message: 'x' })).rejects.toThrow(new RegExp(`${other}.*${sha}`))
  })

  it('a release branch that exists without the commit is refused, naming both commits', async () => {
    // An unrelated history: a root commit that main's head is not part of.
    const other = await git.commitTree(await git.writeTree(null, { 'x.txt': 'x\n' }), [], 'unrelated')
    await git.updateRef(`refs/heads/${BRANCH}`, other)
    await expect(ensureBranch(gh, where, BRANCH, sha)).rejects.toThrow(`branch ${BRANCH} already exists at ${other}, which does not contain ${sha}`)
  })

  it('a release branch already ahead of the commit is kept (the changelog commit of an earlier run)', async () => {
    const ahead = (await git.resolve('refs/heads/release-1.30'))!
    await git.updateRef(`refs/heads/${BRANCH}`, ahead)
    expect(await git.isAncestor(sha, ahead)).toBe(true)
    expect(await ensureBranch(gh, where, BRANCH, sha)).toBe('exists')
    expect(await git.resolve(`refs/heads/${BRANCH}`)).toBe(ahead)
  })

  it('a lightweight tag at the right commit is kept as it is (a tag is never rewritten)', async () => {
    await git.updateRef(`refs/tags/${VERSION}`, sha)
    expect(await ensureTag(gh, where, { tag: VERSION, sha, message: 'x' })).toBe('exists')
    expect(await git.typeOf((await git.listRefs('refs/tags/')).get(`refs/tags/${VERSION}`)!)).toBe('commit')
  })
})

describe('the bar: a crash and an API fault at each step in turn, then a re-run, end complete and without duplicates', () => {
  beforeEach(resetWorld)
  const steps = rcCut()
  const faults = steps.flatMap((s, at) => s.writes.map((op) => ({ at, op, name: `${s.name} (${op})` })))

  it.each(faults.map((f) => [f.name, f] as const))('a 502 on %s, then a re-run', async (_name, fault) => {
    await expect(runCut({ fault })).rejects.toMatchObject({ status: 502 })
    expect(sim.requests.some((r) => r.fault && r.route === fault.op)).toBe(true)
    await runCut()
    await expectCompleteCut()
  })

  it.each(steps.map((s, i) => [i === steps.length - 1 ? 'after the last step' : `before ${steps[i + 1].name}`, i + 1] as const))('a crash %s, then a re-run', async (_name, stopAt) => {
    expect(await runCut({ stopAt })).toHaveLength(stopAt)
    await runCut()
    await expectCompleteCut()
  })
})
