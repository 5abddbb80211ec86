/**
 * The committed bundle of actions/release-cut, run by the harness on the simulator: a dispatch in
 * mock mode (the default), the same dispatch with nomock, a tag pushed by hand (with the push
 * event the simulator recorded), and requests refused before any write.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { createClient } from '../../src/github/client.js'
import { runAction, type RunResult } from '../../src/runner/run.js'
import { Simulator } from '../../src/sim/server.js'
import { GitRepo } from '../../src/sim/git.js'
import { repoPayload, userPayload } from '../../src/sim/shapes.js'
import { addMergedPull, at, commitAt, noteBody, simRepo, tag } from '../support/release-history.js'
import { NODE24 } from '../support/node24.js'

jest.setTimeout(240_000)

const where = { owner: 'acme', repo: 'widgets' }
let sim: Simulator
let git: GitRepo
let head: string

beforeAll(async () => {
  sim = await Simulator.start({
    fixture: {
      tokens: [
        { token: 'ghs', login: 'github-actions[bot]', kind: 'github-token' },
        { token: 'ci-token', login: 'ci[bot]', kind: 'app' },
        { token: 'lead-token', login: 'lead' }
      ],
      repos: [{ owner: 'acme', name: 'widgets', collaborators: { lead: 'admin' }, files: { 'README.md': '# widgets\n', '.github/shepherd.yml': 'release:\n  changelog_dir: docs/changes\n' } }]
    }
  })
  const repo = simRepo(sim, 'acme/widgets')
  git = new GitRepo(repo.gitDir)
  const beta = await commitAt(git, (await git.resolve('refs/heads/main'))!, at('2026-03-01T00:00:00Z'), 'beta')
  await tag(git, 'v2.4.0-beta.1', beta, true)
  head = await commitAt(git, beta, at('2026-03-02T00:00:00Z'), 'feature')
  addMergedPull(sim, repo, { number: 7, title: 'Feature', body: noteBody('Widgets <b>fold</b>.'), user: 'alice', labels: ['kind/feature'], base: 'main', mergedAt: at('2026-03-02T00:00:00Z'), mergeCommit: head })
  await git.updateRef('refs/heads/main', head)
  sim.state.clock = Date.parse('2026-03-05T00:00:00Z')
  await green(head)
})
afterAll(async () => sim?.stop())

async function green(sha: string): Promise<void> {
  const ci = createClient({ token: 'ci-token', baseUrl: sim.url, pacing: false })
  const { data } = await ci.rest.checks.create({ ...where, name: 'build', head_sha: sha, status: 'in_progress' })
  await ci.rest.checks.update({ ...where, check_run_id: data.id, status: 'completed', conclusion: 'success' })
}

const writes = () => sim.requests.filter((r) => r.route !== 'graphql' && r.route !== 'git' && r.method !== 'GET').map((r) => `${r.method} ${r.route}`)

function dispatch(inputs: Record<string, string>): Promise<RunResult> {
  const repo = simRepo(sim, 'acme/widgets')
  const payload = { inputs, ref: 'refs/heads/main', repository: repoPayload(sim.state, repo), sender: userPayload(sim.state, 'lead'), workflow: '.github/workflows/release.yml' }
  return runAction({ actionDir: 'actions/release-cut', event: 'workflow_dispatch', payload, apiUrl: sim.url, token: 'ghs', node: NODE24, inputs, env: { SHEPHERD_NOW: '2026-03-05T00:00:00Z' } })
}

describe('actions/release-cut (bundle)', () => {
  it('prints the plan in mock mode by default and writes nothing', async () => {
    sim.requests.length = 0
    const r = await dispatch({ type: 'rc', branch: 'release-2.4' })
    expect({ exitCode: r.exitCode, stderr: r.stderr, annotations: r.annotations }).toEqual({ exitCode: 0, stderr: '', annotations: [] })
    expect(r.outputs).toMatchObject({ version: 'v2.4.0-rc.0', 'previous-version': 'v2.4.0-beta.1', branch: 'release-2.4', 'created-branch': 'release-2.4', sha: head, prerelease: 'true', 'make-latest': 'false', mock: 'true', 'release-url': '' })
    expect(JSON.parse(r.outputs.tags)).toEqual([
      { tag: 'v2.4.0-rc.0', branch: 'release-2.4' },
      { tag: 'v2.5.0-alpha.0', branch: 'main' }
    ])
    expect(r.summary).toContain('Release plan (mock: nothing was written): v2.4.0-rc.0')
    expect(r.summary).toContain('| Changelog | `docs/changes/CHANGELOG-2.4.md` |')
    expect(r.summary).toContain('Widgets <b>fold</b>.')
    expect(writes()).toEqual([])
  })

  it('cuts it with nomock: tags, branch, changelog and a published pre-release', async () => {
    const r = await dispatch({ type: 'rc', branch: 'release-2.4', nomock: 'true' })
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(r.outputs).toMatchObject({ version: 'v2.4.0-rc.0', mock: 'false', 'release-url': expect.stringMatching(/\/releases\/tag\/v2\.4\.0-rc\.0$/), checksums: '[]' })
    expect(await git.resolve('refs/tags/v2.5.0-alpha.0^{commit}')).toBe(head)
    expect(String(await git.readFile('refs/heads/release-2.4', 'docs/changes/CHANGELOG-2.4.md'))).toContain('# v2.4.0-rc.0')
    expect(r.summary).toContain('| publish v2.4.0\\-rc.0 | published |')
  })

  it('releases a tag pushed by hand on the release branch, from the push event', async () => {
    const branchHead = (await git.resolve('refs/heads/release-2.4'))!
    const fix = await commitAt(git, branchHead, at('2026-03-06T00:00:00Z'), 'fix')
    await git.updateRef('refs/heads/release-2.4', fix)
    await green(fix)
    const lead = createClient({ token: 'lead-token', baseUrl: sim.url, pacing: false })
    const { data: object } = await lead.rest.git.createTag({ ...where, tag: 'v2.4.0-rc.1', message: 'rc.1', object: fix, type: 'commit' })
    await lead.rest.git.createRef({ ...where, ref: 'refs/tags/v2.4.0-rc.1', sha: object.sha })
    const push = [...sim.state.events].reverse().find((e) => e.name === 'push' && e.payload.ref === 'refs/tags/v2.4.0-rc.1')
    expect(push).toBeDefined()
    const r = await runAction({ actionDir: 'actions/release-cut', event: 'push', payload: push!.payload, apiUrl: sim.url, token: 'ghs', node: NODE24, inputs: { nomock: 'true' }, env: { SHEPHERD_NOW: '2026-03-06T00:00:00Z' } })
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(r.outputs).toMatchObject({ version: 'v2.4.0-rc.1', 'previous-version': 'v2.4.0-rc.0', sha: fix, 'created-branch': '' })
  })

  it('refuses a tag that skips a version before any write, naming the legal ones', async () => {
    const lead = createClient({ token: 'lead-token', baseUrl: sim.url, pacing: false })
    const tip = (await git.resolve('refs/heads/release-2.4'))!
    await lead.rest.git.createRef({ ...where, ref: 'refs/tags/v2.4.0-rc.5', sha: tip })
    const push = [...sim.state.events].reverse().find((e) => e.name === 'push' && e.payload.ref === 'refs/tags/v2.4.0-rc.5')!
    sim.requests.length = 0
    const r = await runAction({ actionDir: 'actions/release-cut', event: 'push', payload: push.payload, apiUrl: sim.url, token: 'ghs', node: NODE24, inputs: { nomock: 'true' } })
    expect(r.exitCode).toBe(1)
    expect(r.annotations.map((a) => a.message)).toEqual(['v2.4.0-rc.5 is not a legal successor of v2.4.0-rc.1: the legal ones are v2.4.0-rc.2 (rc on release-2.4), v2.4.0 (official on release-2.4)'])
    expect(r.summary).toContain('## Release cut refused\n\nNothing was written.')
    expect(writes()).toEqual([])
  })

  it('names a bad input', async () => {
    const r = await dispatch({ type: 'gamma' })
    expect(r.exitCode).toBe(1)
    expect(r.annotations.map((a) => a.message)).toEqual(['input type must be one of alpha, beta, rc, official, got "gamma"'])
    const missing = await dispatch({ type: 'alpha', assets: 'dist/widgets.tar.gz' })
    expect(missing.annotations.map((a) => a.message)).toEqual(['input assets: dist/widgets.tar.gz does not exist in the workspace'])
  })
})
