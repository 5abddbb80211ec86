/**
 * A whole release cut on the simulator, in process (the action's bundle is run in
 * test/actions/release-cut.test.ts): mock first, then the branch cut at rc.0, an official release,
 * a tag push, a re-run after a fault at each step, and every invalid request refused before any
 * write.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createClient, type GitHubClient } from '../../src/github/client.js'
import { CutRefusedError, cutRelease, type CutRequest } from '../../src/github/release-cut.js'
import { DEFAULT_RELEASE_RULES } from '../../src/core/release/next.js'
import { formatQueueVerdict } from '../../src/core/test-report/queue-verdict.js'
import type { ReleaseConfig } from '../../src/core/config/schema.js'
import { Simulator } from '../../src/sim/server.js'
import { GitRepo } from '../../src/sim/git.js'
import { addMergedPull, at, commitAt, noteBody, simRepo, tag } from '../support/release-history.js'

jest.setTimeout(120_000)

const where = { owner: 'acme', repo: 'widgets' }
const BOT = 'github-actions[bot]'
const config: ReleaseConfig = { branch_cut_at: 'rc.0', release_branch_prefix: 'release-', first_rc_after_final: 0, changelog_dir: 'CHANGELOG', require_green: true }

let sim: Simulator
let gh: GitHubClient
let git: GitRepo
let head: string
let beta: string

beforeEach(async () => {
  sim = await Simulator.start({
    fixture: {
      tokens: [
        { token: 'ghs', login: BOT, kind: 'github-token' },
        { token: 'ci-token', login: 'ci[bot]', kind: 'app' }
      ],
      repos: [{ owner: 'acme', name: 'widgets', files: { 'README.md': '# widgets\n' } }]
    }
  })
  gh = createClient({ token: 'ghs', baseUrl: sim.url, pacing: false, retries: 0 })
  const repo = simRepo(sim, 'acme/widgets')
  git = new GitRepo(repo.gitDir)
  const root = (await git.resolve('refs/heads/main'))!
  beta = await commitAt(git, root, at('2026-03-01T00:00:00Z'), 'beta')
  await tag(git, 'v1.30.0-beta.0', beta, true)
  let tip = beta
  const notes: [string, string[]][] = [
    ['Widgets spin faster.', ['kind/feature']],
    ['NONE', ['kind/cleanup']],
    ['ACTION REQUIRED: The --legacy flag is gone.', ['kind/api-change']]
  ]
  for (const [i, [note, labels]] of notes.entries()) {
    tip = await commitAt(git, tip, at(`2026-03-0${i + 2}T00:00:00Z`), `change ${i + 1}`)
    addMergedPull(sim, repo, { number: 10 + i, title: `Change ${i + 1}`, body: noteBody(note), user: 'alice', labels, base: 'main', mergedAt: at(`2026-03-0${i + 2}T00:00:00Z`), mergeCommit: tip })
  }
  await git.updateRef('refs/heads/main', tip)
  head = tip
  // The simulator's clock moves on from after the history above (the changelog commits are dated by it).
  sim.state.clock = Date.parse('2026-03-10T00:00:00Z')
  await green(head)
})
afterEach(async () => sim?.stop())

async function green(sha: string, conclusion = 'success'): Promise<void> {
  const ci = createClient({ token: 'ci-token', baseUrl: sim.url, pacing: false })
  const { data } = await ci.rest.checks.create({ ...where, name: 'build', head_sha: sha, status: 'in_progress' })
  await ci.rest.checks.update({ ...where, check_run_id: data.id, status: 'completed', conclusion: conclusion as 'success' })
}

function request(extra: Partial<CutRequest>): CutRequest {
  return {
    mode: 'dispatch',
    type: 'rc',
    branch: 'release-1.30',
    nomock: true,
    config,
    defaultBranch: DEFAULT_RELEASE_RULES.defaultBranch,
    assets: [
      { name: 'widgets-linux-amd64.tar.gz', bytes: Buffer.from('linux build') },
      { name: 'widgets-darwin-arm64.tar.gz', bytes: Buffer.from('mac build') }
    ],
    git: { token: 'ghs', serverUrl: sim.url },
    now: new Date('2026-03-10T00:00:00Z'),
    log: () => undefined,
    ...extra
  }
}

/** Requests that change something: REST writes (GraphQL and git are only read by a cut). */
const writes = () => sim.requests.filter((r) => r.route !== 'graphql' && r.route !== 'git' && r.method !== 'GET').map((r) => `${r.method} ${r.route}`)
const releases = () => [...(simRepo(sim, 'acme/widgets').releases?.byId.values() ?? [])]

describe('a release cut on the simulator', () => {
  it('in mock mode plans the branch cut with its notes and writes nothing', async () => {
    sim.requests.length = 0
    const r = await cutRelease(gh, where, request({ nomock: false }))
    expect(r.mock).toBe(true)
    expect(r.plan.tags.map((t) => `${t.tag}@${t.branch}`)).toEqual(['v1.30.0-rc.0@release-1.30', 'v1.31.0-alpha.0@main'])
    expect(r.plan.createBranch).toBe('release-1.30')
    expect(r.sha).toBe(head)
    expect(r.notes.notes.map((n) => n.pr.number)).toEqual([10, 12])
    expect(r.markdown).toContain('## Release plan (mock: nothing was written): v1.30.0-rc.0')
    expect(r.markdown).toContain('The --legacy flag is gone.')
    expect(writes()).toEqual([])
    expect(await git.resolve('refs/tags/v1.30.0-rc.0')).toBeNull()
  })

  it('cuts rc.0: two annotated tags, the branch, one changelog commit, a published pre-release with assets and checksums', async () => {
    const r = await cutRelease(gh, where, request({}))
    expect(r.mock).toBe(false)
    for (const t of ['v1.30.0-rc.0', 'v1.31.0-alpha.0']) expect(await git.resolve(`refs/tags/${t}^{commit}`)).toBe(head)
    expect(await git.resolve('refs/heads/release-1.30')).not.toBeNull()
    const changelog = String(await git.readFile((await git.resolve('refs/heads/release-1.30'))!, 'CHANGELOG/CHANGELOG-1.30.md'))
    expect(changelog).toContain('# v1.30.0-rc.0')
    expect(changelog).toContain('The --legacy flag is gone.')
    const [release] = releases()
    expect(release).toMatchObject({ tagName: 'v1.30.0-rc.0', draft: false, prerelease: true })
    expect(release.assets.map((a: { name: string }) => a.name).sort()).toEqual(['SHA256SUMS', 'SHA512SUMS', 'widgets-darwin-arm64.tar.gz', 'widgets-linux-amd64.tar.gz'])
    expect(r.view.steps?.map((s) => s.outcome)).toEqual(['created', 'created', 'created', 'committed', 'created', 'uploaded', 'uploaded', 'uploaded', 'uploaded', 'published'])
    expect(r.releaseUrl).toMatch(/\/acme\/widgets\/releases\/tag\/v1\.30\.0-rc\.0$/)
  })

  it('then cuts the official release on the branch, which becomes the latest', async () => {
    await cutRelease(gh, where, request({}))
    const branchHead = (await git.resolve('refs/heads/release-1.30'))!
    await green(branchHead)
    const r = await cutRelease(gh, where, request({ type: 'official', assets: [] }))
    expect(r.plan.tags.map((t) => t.tag)).toEqual(['v1.30.0'])
    expect(r.view.release.makeLatest).toBe(true)
    expect(releases().find((x) => x.tagName === 'v1.30.0')).toMatchObject({ draft: false, prerelease: false })
    // Again: already released, refused before any write.
    sim.requests.length = 0
    await expect(cutRelease(gh, where, request({ type: 'official', assets: [] }))).rejects.toThrow(`v1.30.0 already released commit ${head}: a new official release needs new commits`)
    expect(writes()).toEqual([])
  })

  /** The final state of the rc.0 cut: exactly one of everything, where it belongs. */
  async function expectComplete(): Promise<void> {
    const tags = [...(await git.listRefs('refs/tags/')).keys()].sort()
    expect(tags).toEqual(['refs/tags/v1.30.0-beta.0', 'refs/tags/v1.30.0-rc.0', 'refs/tags/v1.31.0-alpha.0'])
    for (const t of ['v1.30.0-rc.0', 'v1.31.0-alpha.0']) {
      expect(await git.resolve(`refs/tags/${t}^{commit}`)).toBe(head)
      expect(await git.resolveTo(`refs/tags/${t}`, 'tag')).not.toBeNull() // annotated: a tag object
    }
    const branch = (await git.resolve('refs/heads/release-1.30'))!
    const subjects = (await git.git(['log', '--format=%s', branch])).split('\n')
    expect(subjects.filter((line) => line === 'CHANGELOG: v1.30.0-rc.0')).toHaveLength(1)
    expect(String((await git.readFile(branch, 'CHANGELOG/CHANGELOG-1.30.md')) ?? '').split('# v1.30.0-rc.0')).toHaveLength(2)
    expect(releases().map((x) => [x.tagName, x.draft, x.prerelease])).toEqual([['v1.30.0-rc.0', false, true]])
    expect(releases()[0].assets.map((a: { name: string }) => a.name).sort()).toEqual(['SHA256SUMS', 'SHA512SUMS', 'widgets-darwin-arm64.tar.gz', 'widgets-linux-amd64.tar.gz'])
  }

  const STEP = /^(tag|branch|changelog|release|asset|publish) /
  const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'].map((method) => ({ method, kind: 'status' as const, status: 502 }))
  const points = Array.from({ length: 10 }, (_, k) => k)
  it.each(points)('resumes after an API fault on the write after step %i, then a clean re-run', async (k) => {
    let done = 0
    if (k === 0) sim.setFaults(WRITES)
    const log = (line: string) => {
      if (STEP.test(line) && ++done === k) sim.setFaults(WRITES)
    }
    await expect(cutRelease(gh, where, request({ log }))).rejects.toThrow()
    sim.setFaults([])
    const r = await cutRelease(gh, where, request({}))
    expect(r.mock).toBe(false)
    await expectComplete()
  })

  it.each(points.slice(1))('resumes after a crash after step %i', async (k) => {
    let done = 0
    const log = (line: string) => {
      if (STEP.test(line) && ++done === k) throw new Error('crash')
    }
    await expect(cutRelease(gh, where, request({ log }))).rejects.toThrow('crash')
    await cutRelease(gh, where, request({}))
    await expectComplete()
  })

  const refusals: [string, Partial<CutRequest>, RegExp][] = [
    ['an alpha on a release branch', { type: 'alpha' }, /alpha releases are cut on the default branch \(main\), not on release-1\.30/],
    ['an official release that would create the branch', { type: 'official' }, /comes after its release candidates/],
    ['a commit that does not exist', { sha: 'f'.repeat(40) }, /commit f{40} is not in acme\/widgets/],
    ['a SHA that is not one', { sha: 'main' }, /sha "main" is not a full commit SHA/],
    ['a non-semver tag', { mode: 'tag', tag: 'release-candidate-1' }, /"release-candidate-1" is not a release version/],
    ['a tag that does not exist', { mode: 'tag', tag: 'v1.30.0-rc.0' }, /tag v1\.30\.0-rc\.0 does not exist/]
  ]
  it.each(refusals)('refuses %s before any write', async (_name, extra, reason) => {
    sim.requests.length = 0
    await expect(cutRelease(gh, where, request(extra))).rejects.toThrow(reason)
    expect(writes()).toEqual([])
  })

  it('refuses a tag pushed on a commit that is not on its release branch', async () => {
    await cutRelease(gh, where, request({}))
    // main moves on; v1.30.0-rc.1 is tagged there instead of on release-1.30.
    const onMain = await commitAt(git, head, at('2026-03-08T00:00:00Z'), 'main only')
    await git.updateRef('refs/heads/main', onMain)
    await green(onMain)
    await tag(git, 'v1.30.0-rc.1', onMain, true)
    sim.requests.length = 0
    const err = (await cutRelease(gh, where, request({ mode: 'tag', tag: 'v1.30.0-rc.1' })).catch((e) => e)) as CutRefusedError
    expect(err.reasons).toEqual(['the commit is not on release-1.30'])
    expect(writes()).toEqual([])
  })

  it("refuses a commit on which test-report's verdict names a failing test that is not flaky, and passes one whose only failure is flaky", async () => {
    const ci = createClient({ token: 'ci-token', baseUrl: sim.url, pacing: false })
    const report = async (failing: string[], flaky: string[]) => {
      const text = formatQueueVerdict({ failing, flaky, failingTotal: failing.length, inputProblems: 0 })
      await ci.rest.checks.create({ ...where, name: 'unit', head_sha: head, status: 'completed', conclusion: 'success', output: { title: 'tests', summary: 'tests', text } })
    }
    await report(['api.Cart\u001ftotals', 'api.Cart\u001fround'], ['api.Cart\u001fround'])
    const err = (await cutRelease(gh, where, request({ nomock: false })).catch((e) => e)) as CutRefusedError
    expect(err.reasons).toEqual(['test-report found 2 failing tests on the commit (1 of them flaky)'])
    await report(['api.Cart\u001fround'], ['api.Cart\u001fround'])
    expect((await cutRelease(gh, where, request({ nomock: false }))).mock).toBe(true)
    // A second report name with a real failure refuses, whatever the other says.
    const text = formatQueueVerdict({ failing: ['web.Page\u001fload'], flaky: [], failingTotal: 1, inputProblems: 0 })
    await ci.rest.checks.create({ ...where, name: 'e2e', head_sha: head, status: 'completed', conclusion: 'success', output: { title: 'tests', summary: 'tests', text } })
    const again = (await cutRelease(gh, where, request({ nomock: false })).catch((e) => e)) as CutRefusedError
    expect(again.reasons).toEqual(['test-report found 1 failing test on the commit'])
  })

  it('refuses red CI and a commit nothing tested, naming each check', async () => {
    await green(head, 'failure')
    sim.requests.length = 0
    const err = (await cutRelease(gh, where, request({})).catch((e) => e)) as CutRefusedError
    expect(err).toBeInstanceOf(CutRefusedError)
    expect(err.reasons).toEqual(['checks not green: build (failure)'])
    expect(writes()).toEqual([])
  })
})
