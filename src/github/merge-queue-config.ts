/** The merge queue's configuration (repo-config.ts: from the default branch, one GraphQL request) and the branches it serves. */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import type { MergeQueueConfig } from '../core/config/index.js'
import { readRepoConfig } from './repo-config.js'

export interface QueueConfig {
  config: MergeQueueConfig
  defaultBranch: string
  /** The base branches the queue serves: `merge_queue.branches`, or the default branch. */
  branches: string[]
}

/**
 * Reads and validates the configuration. A missing file gives the defaults. Throws
 * ConfigInvalidError (every problem with its line) when the file is invalid, and an Error when the
 * repository cannot be read or has no default branch.
 */
export async function readQueueConfig(client: GitHubClient, where: RepoRef, configPath: string): Promise<QueueConfig> {
  const { config: all, defaultBranch } = await readRepoConfig(client, where, configPath, 'the queue has nothing to merge into')
  const config = all.merge_queue
  return { config, defaultBranch, branches: config.branches.length ? config.branches : [defaultBranch] }
}
