/**
 * Cherry-picks a merged pull request onto a branch with real git, in a scratch directory: fetch
 * the target branch and the merged base, `git cherry-pick -x` the merge, push a new branch, open a
 * pull request carrying the release note and `kind/*` labels, assigned to whoever asked. Runs
 * again converge: an existing cherry-pick pull request is found, not opened twice. The token goes
 * to git in an http.extraHeader, never in a URL or an argument that logs show.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GitHubClient } from './client.js'
import { isolatedGitEnv } from './git-remote.js'
import type { RepoRef } from './apply.js'
import type { CherryPick } from '../core/effects.js'

export interface CherryPickOptions {
  token: string
  /** The server's web URL (GITHUB_SERVER_URL); the repository is `<server>/<owner>/<repo>.git`. */
  serverUrl: string
  dryRun?: boolean
}

export type CherryPickResult = { outcome: 'applied' | 'unchanged' | 'planned'; pull?: number } | { outcome: 'conflict'; files: string[] }

const IDENTITY = { GIT_AUTHOR_NAME: 'Shepherd', GIT_AUTHOR_EMAIL: 'shepherd@users.noreply.github.com', GIT_COMMITTER_NAME: 'Shepherd', GIT_COMMITTER_EMAIL: 'shepherd@users.noreply.github.com' }

function git(cwd: string, args: string[], token: string): Promise<string> {
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
  // The token goes in through the environment (git-remote.ts), never as an argument `ps` shows.
  return new Promise((resolve, reject) =>
    execFile(
      'git',
      args,
      { cwd, env: isolatedGitEnv([['http.extraHeader', header]], IDENTITY), maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => (err ? reject(new Error(`git ${args[0]} failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`)) : resolve(stdout))
    )
  )
}

/** Returns the fenced release-note block of a pull request body, or null. */
export function releaseNoteBlock(body: string | null | undefined): string | null {
  const m = /```release-note\r?\n([\s\S]*?)\r?\n```/.exec(body ?? '')
  return m ? m[0] : null
}

/**
 * Cherry-picks `effect.pull` onto `effect.branch`. Returns the new pull request, or the files in
 * conflict. Throws on anything else git or GitHub refuses (the branch does not exist, say).
 */
export async function cherryPick(client: GitHubClient, where: RepoRef, effect: CherryPick, options: CherryPickOptions): Promise<CherryPickResult> {
  const { data: pr } = await client.rest.pulls.get({ ...where, pull_number: effect.pull })
  if (!pr.merged || !pr.merge_commit_sha) throw new Error(`#${effect.pull} is not merged`)
  const branch = `cherry-pick-${effect.pull}-to-${effect.branch}`
  const existing = await client.rest.pulls.list({ ...where, state: 'all', head: `${where.owner}:${branch}`, base: effect.branch })
  if (existing.data.length) return { outcome: 'unchanged', pull: existing.data[0].number }
  if (options.dryRun) return { outcome: 'planned' }
  const url = `${options.serverUrl.replace(/\/+$/, '')}/${where.owner}/${where.repo}.git`
  const dir = await mkdtemp(join(process.env.RUNNER_TEMP ?? tmpdir(), 'shepherd-cherry-pick-'))
  try {
    await git(dir, ['init', '--quiet'], options.token)
    await git(dir, ['fetch', '--quiet', '--no-tags', url, `+refs/heads/${effect.branch}:refs/remotes/origin/target`, `+refs/heads/${pr.base.ref}:refs/remotes/origin/base`], options.token)
    await git(dir, ['checkout', '--quiet', '-B', branch, 'refs/remotes/origin/target'], options.token)
    const parents = (await git(dir, ['rev-list', '--parents', '-n', '1', pr.merge_commit_sha], options.token)).trim().split(' ').length - 1
    try {
      await git(dir, ['cherry-pick', '-x', ...(parents > 1 ? ['-m', '1'] : []), pr.merge_commit_sha], options.token)
    } catch {
      const files = (await git(dir, ['diff', '--name-only', '--diff-filter=U'], options.token)).trim().split('\n').filter(Boolean)
      return { outcome: 'conflict', files }
    }
    await git(dir, ['push', '--quiet', url, `HEAD:refs/heads/${branch}`], options.token)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  const note = releaseNoteBlock(pr.body)
  const body = [`This is an automated cherry-pick of #${effect.pull}`, ...(note ? ['', note] : [])].join('\n')
  const { data: created } = await client.rest.pulls.create({ ...where, title: `[${effect.branch}] ${pr.title}`, head: branch, base: effect.branch, body })
  const kinds = pr.labels.map((l) => l.name).filter((l) => l.startsWith('kind/'))
  if (kinds.length) await client.rest.issues.addLabels({ ...where, issue_number: created.number, labels: kinds })
  await client.rest.issues.addAssignees({ ...where, issue_number: created.number, assignees: [effect.requester] })
  return { outcome: 'applied', pull: created.number }
}
