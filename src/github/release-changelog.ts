/**
 * The cut's changelog commit, idempotent: read the file on the branch (contents API), let a pure
 * update decide whether it needs the release's section (`changelogWithRelease` answers undefined
 * once the section's marker is there), and commit only then, guarded by the blob SHA that was read.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'

export interface ChangelogStep {
  branch: string
  /** Path in the repository, e.g. `CHANGELOG/CHANGELOG-1.31.md`. */
  path: string
  /** Commit message for the write. */
  message: string
  /** Given the file's current text (undefined when absent), returns the new text, or undefined when it is already up to date. */
  update: (existing: string | undefined) => string | undefined
  /** Attempts when another writer changes the file between the read and the write (default 3). */
  maxAttempts?: number
}

export interface ChangelogResult {
  outcome: 'committed' | 'unchanged'
  /** The commit written (only when committed). */
  commit?: string
}

const status = (err: unknown): number | undefined => (err as { status?: number }).status

async function readFile(gh: GitHubClient, where: RepoRef, path: string, branch: string): Promise<{ text: string; sha: string } | undefined> {
  try {
    const { data } = await gh.rest.repos.getContent({ ...where, path, ref: `refs/heads/${branch}` })
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) throw new Error(`${path} on ${branch} is not a file`)
    return { text: Buffer.from(data.content, 'base64').toString('utf8'), sha: data.sha }
  } catch (err) {
    if (status(err) === 404) return undefined
    throw err
  }
}

/**
 * Writes the changelog with one commit when `update` returns new text, and returns 'committed'
 * with the commit; returns 'unchanged' when `update` says the file is up to date (so a re-run never
 * commits twice). The write carries the SHA it read, so a concurrent change is re-read and
 * re-decided rather than overwritten. Throws on API failures, and when the branch keeps moving
 * under it for `maxAttempts` attempts.
 */
export async function ensureChangelog(gh: GitHubClient, where: RepoRef, step: ChangelogStep): Promise<ChangelogResult> {
  const attempts = step.maxAttempts ?? 3
  for (let attempt = 1; ; attempt++) {
    const existing = await readFile(gh, where, step.path, step.branch)
    const text = step.update(existing?.text)
    if (text === undefined) return { outcome: 'unchanged' }
    try {
      const { data } = await gh.rest.repos.createOrUpdateFileContents({
        ...where,
        path: step.path,
        branch: step.branch,
        message: step.message,
        content: Buffer.from(text, 'utf8').toString('base64'),
        ...(existing ? { sha: existing.sha } : {})
      })
      return { outcome: 'committed', commit: data.commit.sha }
    } catch (err) {
      // 409: the file changed since the read; 422: it appeared since (no sha sent). Read again.
      if ((status(err) !== 409 && status(err) !== 422) || attempt >= attempts) throw err
    }
  }
}
