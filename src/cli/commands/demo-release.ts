/**
 * The demo's release chapter (issue 6): on the repository the merge-queue chapter left (main holds
 * the PRs the queue merged, after the beta the maintainer tagged before it), the release manager
 * dispatches an rc on `release-1.0`: first in mock mode (the plan, nothing written), then for
 * real, which cuts the branch at `v1.0.0-rc.0`, tags `v1.1.0-alpha.0` on main, commits the
 * changelog and publishes the pre-release with the build's files and their checksums. A bug fix
 * then lands on main and `/cherry-pick release-1.0` (triage) opens its pick onto the branch, which
 * merges; `v1.0.0-rc.1` carries it, credited to the fix's author, and the final `v1.0.0` becomes the
 * latest release. Every cut runs the committed actions/release-cut bundle through the harness.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Simulator } from '../../sim/server.js'
import { GitRepo } from '../../sim/git.js'
import { createClient, type GitHubClient } from '../../github/client.js'
import { updateBranch } from '../../github/branch-commit.js'
import { runAction, type RunResult } from '../../runner/run.js'
import { repoPayload, userPayload } from '../../sim/shapes.js'
import { REPO_ROOT } from '../args.js'
import { node24 } from './demo-test-report.js'

const REPO = { owner: 'acme', repo: 'widgets' }

/** The tag the maintainer pushes by hand before the merge queue runs: the release line's start. */
export const DEMO_BETA = 'v1.0.0-beta.0'

export interface ReleaseChapter {
  cuts: { name: string; result: RunResult }[]
  /** The cherry-pick PR triage opened onto release-1.0. */
  pick: number | null
  releases: { tag: string; prerelease: boolean; draft: boolean; assets: string[] }[]
  latest: string | null
  files: Record<string, string>
  ok: boolean
}

/** Tags the beta on main's head as a maintainer would (`git tag -a` and push), before the queue merges anything. */
export async function tagDemoBeta(sim: Simulator): Promise<string> {
  const as = createClient({ token: 'maintainer-token', baseUrl: sim.url, pacing: false })
  const sha = (await as.rest.git.getRef({ ...REPO, ref: 'heads/main' })).data.object.sha
  const { data: tag } = await as.rest.git.createTag({ ...REPO, tag: DEMO_BETA, message: `widgets ${DEMO_BETA}`, object: sha, type: 'commit' })
  await as.rest.git.createRef({ ...REPO, ref: `refs/tags/${DEMO_BETA}`, sha: tag.sha })
  return sha
}

/** Plays the chapter; writes under `outDir/release/`. Throws when the simulator refuses a setup step. */
export async function playReleaseChapter(sim: Simulator, outDir: string, step: (title: string, detail: string) => void): Promise<ReleaseChapter> {
  const dir = join(outDir, 'release')
  const workspace = join(dir, 'workspace')
  mkdirSync(join(workspace, 'dist'), { recursive: true })
  const as = (login: string): GitHubClient => createClient({ token: `${login}-token`, baseUrl: sim.url, pacing: false })
  const repo = () => sim.state.repos.get('acme/widgets')!
  const git = new GitRepo(repo().gitDir)
  const node = node24()
  const cuts: { name: string; result: RunResult }[] = []
  const files: Record<string, string> = {}

  // The build job's outputs, as the release workflow's build job would leave them.
  writeFileSync(join(workspace, 'dist', 'widgets-linux-amd64.tar.gz'), 'widgets for linux/amd64\n')
  writeFileSync(join(workspace, 'dist', 'widgets-darwin-arm64.tar.gz'), 'widgets for darwin/arm64\n')

  const cut = async (name: string, inputs: Record<string, string>): Promise<RunResult> => {
    const payload = { inputs, ref: 'refs/heads/main', repository: repoPayload(sim.state, repo()), sender: userPayload(sim.state, 'maintainer'), workflow: '.github/workflows/release.yml' }
    const before = sim.requests.length
    const result = await runAction({
      actionDir: join(REPO_ROOT, 'actions/release-cut'),
      event: 'workflow_dispatch',
      payload,
      apiUrl: sim.url,
      token: 'ghs_actions',
      node,
      inputs: { ...inputs, assets: 'dist', 'notes-file': `${name}.notes.md` },
      env: { GITHUB_WORKSPACE: workspace, SHEPHERD_NOW: new Date(sim.state.clock).toISOString() }
    })
    cuts.push({ name, result })
    files[name] = join(dir, `${name}.summary.md`)
    writeFileSync(files[name], result.summary)
    const o = result.outputs
    step(
      `actions/release-cut (${inputs.type} on ${inputs.branch}${inputs.nomock === 'true' ? '' : ', mock'}) exited ${result.exitCode} (${sim.requests.length - before} API requests, ${result.durationMs} ms)`,
      result.exitCode === 0
        ? [`${o.version} after ${o['previous-version']}${o['created-branch'] ? `, creating ${o['created-branch']}` : ''}`, `tags: ${(JSON.parse(o.tags ?? '[]') as { tag: string; branch: string }[]).map((t) => `${t.tag} on ${t.branch}`).join(', ')}`, o.mock === 'true' ? 'mock: nothing written' : `published ${o['release-url']}${o['make-latest'] === 'true' ? ' (latest)' : ''}`].join('\n')
        : result.annotations.map((a) => a.message).join('\n')
    )
    return result
  }
  /** CI on a commit, as the repository's ci.yml would report it. */
  const green = async (sha: string) => {
    const { data } = await as('ci').rest.checks.create({ ...REPO, name: 'build', head_sha: sha, status: 'in_progress' })
    await as('ci').rest.checks.update({ ...REPO, check_run_id: data.id, status: 'completed', conclusion: 'success' })
  }

  await cut('rc.0-plan', { type: 'rc', branch: 'release-1.0' })
  await cut('rc.0', { type: 'rc', branch: 'release-1.0', nomock: 'true' })

  // A bug fix lands on main, then is cherry-picked onto the release branch by triage.
  const from = (await as('dev').rest.git.getRef({ ...REPO, ref: 'heads/main' })).data.object.sha
  await as('dev').rest.git.createRef({ ...REPO, ref: 'refs/heads/dev/round-totals', sha: from })
  const fix = await updateBranch(as('dev'), REPO, { branch: 'dev/round-totals', message: 'Cart: round totals to the cent', build: () => [{ path: 'web/round.ts', content: 'export const round = (x: number) => Math.round(x * 100) / 100\n' }] })
  const { data: pr } = await as('dev').rest.pulls.create({ ...REPO, title: 'Cart: round totals to the cent', head: 'dev/round-totals', base: 'main', body: 'Totals drifted by a cent.\n\n```release-note\nCart totals are rounded to the cent.\n```\n' })
  await as('maintainer').rest.issues.addLabels({ ...REPO, issue_number: pr.number, labels: ['kind/bug'] })
  await green(fix.sha!)
  await as('maintainer').rest.pulls.merge({ ...REPO, pull_number: pr.number, merge_method: 'merge' })
  step(`dev's fix #${pr.number} merged into main`, `${pr.title} (kind/bug, release note "Cart totals are rounded to the cent.")`)
  await as('maintainer').rest.issues.createComment({ ...REPO, issue_number: pr.number, body: '/cherry-pick release-1.0' })
  const comment = [...sim.state.events].reverse().find((e) => e.name === 'issue_comment')!
  const triage = await runAction({ actionDir: join(REPO_ROOT, 'actions/triage'), event: 'issue_comment', payload: comment.payload, apiUrl: sim.url, token: 'ghs_actions', node })
  const picked = [...repo().issues.values()].find((i) => i.pull?.head.ref === `cherry-pick-${pr.number}-to-release-1.0`)
  step(`maintainer commented "/cherry-pick release-1.0" on #${pr.number}; actions/triage exited ${triage.exitCode}`, picked ? `opened #${picked.number} "${picked.title}" onto release-1.0 with the release note and kind/bug` : 'no cherry-pick PR was opened')
  if (picked) {
    await green(picked.pull!.head.sha)
    await as('maintainer').rest.pulls.merge({ ...REPO, pull_number: picked.number, merge_method: 'merge' })
    const branchHead = (await git.resolve('refs/heads/release-1.0'))!
    await green(branchHead)
    step(`#${picked.number} merged into release-1.0`, `release-1.0 is at ${branchHead.slice(0, 7)}, build ✓`)
  }

  await cut('rc.1', { type: 'rc', branch: 'release-1.0', nomock: 'true' })
  await cut('v1.0.0', { type: 'official', branch: 'release-1.0', nomock: 'true' })

  const changelog = (await git.readFile('refs/heads/release-1.0', 'CHANGELOG/CHANGELOG-1.0.md'))?.toString() ?? ''
  files.changelog = join(dir, 'CHANGELOG-1.0.md')
  writeFileSync(files.changelog, changelog)
  const releases = [...(repo().releases?.byId.values() ?? [])].map((r) => ({ tag: r.tagName, prerelease: r.prerelease, draft: r.draft, assets: r.assets.map((a) => a.name).sort() }))
  const latest = cuts.find((c) => c.name === 'v1.0.0')?.result.outputs['make-latest'] === 'true' ? 'v1.0.0' : null
  step('Releases at the end', releases.map((r) => `${r.tag}${r.prerelease ? ' (pre-release)' : ''}${r.tag === latest ? ' (latest)' : ''}: ${r.assets.join(', ')}`).join('\n'))
  const rc1Notes = cuts.find((c) => c.name === 'rc.1')?.result.summary ?? ''
  const ok =
    cuts.every((c) => c.result.exitCode === 0) &&
    cuts[0].result.outputs.mock === 'true' &&
    releases.map((r) => r.tag).join() === 'v1.0.0-rc.0,v1.0.0-rc.1,v1.0.0' &&
    releases.every((r) => !r.draft && r.assets.includes('SHA256SUMS')) &&
    picked !== undefined &&
    rc1Notes.includes('Cart totals are rounded to the cent.') &&
    latest === 'v1.0.0'
  return { cuts, pick: picked?.number ?? null, releases, latest, files, ok }
}
