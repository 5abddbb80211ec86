/** Removing the branches of finished batches (merged, failed, or superseded). */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { batchBranch } from './merge-queue-batch-message.js'

/**
 * Deletes `refs/heads/shepherd/queue/<base>/<id>` for each id: one request each. A branch that is
 * already gone counts as deleted, so a re-run converges. Returns the branches deleted now.
 * Throws on any other refusal.
 */
export async function deleteBatchBranches(client: GitHubClient, where: RepoRef, options: { base: string; ids: string[] }): Promise<string[]> {
  const deleted: string[] = []
  for (const id of options.ids) {
    const branch = batchBranch(options.base, id)
    try {
      await client.rest.git.deleteRef({ ...where, ref: `heads/${branch}` })
      deleted.push(branch)
    } catch (err) {
      // GitHub answers 422 "Reference does not exist" (the simulator 404): already gone.
      const status = (err as { status?: number }).status
      if (status !== 404 && status !== 422) throw err
    }
  }
  return deleted
}
