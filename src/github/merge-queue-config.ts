/**
 * The merge queue's configuration: `.github/shepherd.yml` read from the default branch (never from
 * a PR head, as triage reads it), with the default branch's name. One GraphQL request.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { parseConfig, type MergeQueueConfig } from '../core/config/index.js'

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
  const data = await client.graphql<{ repository: { defaultBranchRef: { name: string } | null; config: { text: string | null } | null } | null }>(
    `query MergeQueueConfig($owner: String!, $name: String!, $config: String!) { repository(owner: $owner, name: $name) {
      defaultBranchRef { name } config: object(expression: $config) { ... on Blob { text } } } }`,
    { owner: where.owner, name: where.repo, config: `HEAD:${configPath}` }
  )
  const repo = data.repository
  if (!repo) throw new Error(`repository ${where.owner}/${where.repo} cannot be read with this token`)
  if (!repo.defaultBranchRef) throw new Error(`repository ${where.owner}/${where.repo} has no default branch: the queue has nothing to merge into`)
  const config = parseConfig(repo.config?.text ?? null, configPath).merge_queue
  const defaultBranch = repo.defaultBranchRef.name
  return { config, defaultBranch, branches: config.branches.length ? config.branches : [defaultBranch] }
}
