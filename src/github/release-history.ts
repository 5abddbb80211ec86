/**
 * The repository's commit graph and tags, as a release cut needs them: which release tags are
 * reachable from the commit, which tags point at it, whether it is on a branch, and the commits
 * of a range. Read with real git over smart HTTP into a scratch repository holding commits only
 * (`--filter=tree:0`: no trees, no blobs), so even a large history is a small fetch and no API
 * request; the token travels as in git-remote.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RepoRef } from './apply.js'
import { fetchRefused, runGit } from './git-fetch.js'
import { isolatedGitEnv, partialCloneRemote } from './git-remote.js'

export interface ReleaseHistory {
  /** The fetched branches that exist, with their head commits. */
  branches: ReadonlyMap<string, string>
  /** Tag names reachable from `sha` (the commit itself included). */
  reachableTags(sha: string): Promise<string[]>
  /** Tag names pointing at `sha` (annotated tags peeled). */
  tagsAt(sha: string): Promise<string[]>
  /** Whether the fetched history has the commit. */
  hasCommit(sha: string): Promise<boolean>
  /** Whether `ancestor` is `descendant` or one of its ancestors. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>
  /** The commit a tag points at (peeled), or undefined when there is no such tag. */
  tagCommit(tag: string): Promise<string | undefined>
  /** The commits reachable from `to` and not from `from` (`git rev-list from..to`). */
  commitsBetween(from: string | undefined, to: string): Promise<Set<string>>
  /** A commit's message (subject and body) and its first parent (undefined for a root commit). */
  commit(sha: string): Promise<{ message: string; parent?: string }>
  /** Removes the scratch repository. */
  dispose(): Promise<void>
}

export interface FetchHistoryOptions {
  token: string
  serverUrl: string
  where: RepoRef
  /** Branches whose history to fetch (the default branch and the release branch); tags are always fetched. */
  branches: string[]
  /** A commit to fetch even when no branch contains it yet (the commit being released). */
  sha?: string
  tempDir?: string
}

const SHA = /^[0-9a-f]{40,64}$/

/** Fetches the history; throws naming the repository and git's message when the fetch fails. */
export async function fetchReleaseHistory(options: FetchHistoryOptions): Promise<ReleaseHistory> {
  const { config } = partialCloneRemote(options.serverUrl, options.where, options.token)
  const env = isolatedGitEnv(config, { GIT_NO_LAZY_FETCH: '1' })
  const dir = await mkdtemp(join(options.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'shepherd-release-'))
  const git = async (args: string[]): Promise<string> => {
    const r = await runGit(dir, args, env)
    if (r.code !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr.trim().split('\n').slice(-2).join(' / ') || `exit ${r.code}`}`)
    return r.stdout.toString('utf8')
  }
  const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean)
  const heads = new Map<string, string>()
  try {
    await git(['init', '--quiet', '--bare', '.'])
    // Which branches exist (the release branch a cut creates does not yet): one request.
    for (const line of lines(await git(['ls-remote', '--heads', 'origin', ...options.branches.map((b) => `refs/heads/${b}`)]))) {
      const [sha, ref] = line.split('\t')
      heads.set(ref.replace(/^refs\/heads\//, ''), sha)
    }
    const refspecs = ['+refs/tags/*:refs/tags/*', ...[...heads.keys()].map((b) => `+refs/heads/${b}:refs/remotes/origin/${b}`)]
    const fetch = (specs: string[]) => runGit(dir, ['fetch', '--quiet', '--filter=tree:0', '--no-write-fetch-head', 'origin', ...specs], env)
    const extra = options.sha && SHA.test(options.sha) && ![...heads.values()].includes(options.sha) ? [options.sha] : []
    let r = await fetch([...refspecs, ...extra])
    // A commit the server does not have: fetched without it (hasCommit then says so).
    if (r.code !== 0 && extra.length > 0 && /not our ref|couldn't find remote ref|no such remote ref/i.test(r.stderr)) r = await fetch(refspecs)
    if (r.code !== 0) throw new Error(`git fetch from ${options.where.owner}/${options.where.repo} failed${fetchRefused(r.stderr) ? ' (refused: check the token)' : ''}: ${r.stderr.trim().split('\n').slice(-2).join(' / ')}`)
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
  const commit = (sha: string) => {
    if (!SHA.test(sha)) throw new Error(`not a commit SHA: ${JSON.stringify(sha)}`)
    return sha
  }
  let disposed = false
  return {
    branches: heads,
    reachableTags: async (sha) => lines(await git(['tag', '--merged', commit(sha)])),
    tagsAt: async (sha) => lines(await git(['tag', '--points-at', commit(sha)])),
    hasCommit: async (sha) => SHA.test(sha) && (await runGit(dir, ['cat-file', '-e', `${sha}^{commit}`], env)).code === 0,
    isAncestor: async (a, d) => (await runGit(dir, ['merge-base', '--is-ancestor', commit(a), commit(d)], env)).code === 0,
    tagCommit: async (tag) => {
      const r = await runGit(dir, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], env)
      return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined
    },
    commitsBetween: async (from, to) => new Set(lines(await git(['rev-list', from ? `${commit(from)}..${commit(to)}` : commit(to)]))),
    commit: async (sha) => {
      // The raw object: `git show` would want the tree, which a tree-less fetch does not have.
      const raw = await git(['cat-file', 'commit', commit(sha)])
      const split = raw.indexOf('\n\n')
      const parent = /^parent ([0-9a-f]+)$/m.exec(raw.slice(0, split))?.[1]
      return { message: raw.slice(split + 2).trim(), ...(parent ? { parent } : {}) }
    },
    dispose: async () => {
      if (disposed) return
      disposed = true
      await rm(dir, { recursive: true, force: true })
    }
  }
}
