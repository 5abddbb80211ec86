/**
 * Publishes files (the test dashboard) to a GitHub Pages branch: one SHA-guarded commit through
 * the Git Data API, the branch created as an orphan (with `.nojekyll`, so Pages serves the files
 * as they are) when it does not exist, and no commit at all when every file already has the same
 * content.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { checkTreePath, gitBlobSha, updateBranch, type TreeChange } from './branch-commit.js'

export interface PagesTarget {
  /** The Pages branch (default `gh-pages`). */
  branch?: string
  /** Directory on the branch, e.g. `test-report/unit/` ('' or '/' for the root). */
  dir: string
  /** File name (may contain `/`) → content; strings are written as UTF-8. */
  files: Record<string, string | Uint8Array>
  /** Commit message (default: `Publish <dir>`). */
  message?: string
  /** Attempts when other writers race (default 6). */
  maxAttempts?: number
  backoffMs?: number
}

export interface PagesResult {
  outcome: 'published' | 'unchanged'
  /** The branch's head after publishing. */
  sha: string | null
  /** Paths written (empty when unchanged). */
  paths: string[]
}

/** Returns the repository paths of a target's files, checked. Throws naming a bad directory or file name. */
export function pagesPaths(target: Pick<PagesTarget, 'dir' | 'files'>): Record<string, string> {
  const dir = target.dir.replace(/^\/+|\/+$/g, '')
  if (dir) checkTreePath(dir, 'pages dir')
  const names = Object.keys(target.files)
  if (!names.length) throw new Error('pages files must name at least one file')
  return Object.fromEntries(names.map((name) => [name, checkTreePath(dir ? `${dir}/${name}` : name, 'pages file')]))
}

/**
 * Commits `files` under `dir` on the Pages branch. Returns `unchanged` (no commit) when they are
 * already there with the same content. Throws when GitHub refuses the write (a read-only token,
 * say) or other writers keep racing it.
 */
export async function publishPages(client: GitHubClient, where: RepoRef, target: PagesTarget): Promise<PagesResult> {
  const paths = pagesPaths(target)
  const branch = target.branch ?? 'gh-pages'
  let written: string[] = []
  const result = await updateBranch(client, where, {
    branch,
    message: target.message ?? `Publish ${target.dir.replace(/^\/+|\/+$/g, '') || 'the site'}`,
    stat: Object.values(paths),
    maxAttempts: target.maxAttempts,
    backoffMs: target.backoffMs,
    build: (state) => {
      const changes: TreeChange[] = []
      for (const [name, path] of Object.entries(paths)) {
        const content = target.files[name]
        if (state?.files[path] !== gitBlobSha(content)) changes.push({ path, content })
      }
      written = changes.map((c) => c.path)
      if (!changes.length) return null
      if (!state) changes.push({ path: '.nojekyll', content: '' })
      return changes
    }
  })
  return { outcome: result.outcome === 'committed' ? 'published' : 'unchanged', sha: result.sha, paths: result.outcome === 'committed' ? written : [] }
}
