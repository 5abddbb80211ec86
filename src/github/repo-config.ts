/**
 * `.github/shepherd.yml` as the actions that act on a whole repository read it: from the default
 * branch (never from a PR head), with the default branch's name, in one GraphQL request.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { parseConfig, type ShepherdConfig } from '../core/config/index.js'

export interface RepoConfig {
  config: ShepherdConfig
  defaultBranch: string
}

/**
 * Reads and validates the configuration. A missing file gives the defaults. Throws
 * ConfigInvalidError (every problem with its line) when the file is invalid, and an Error naming
 * the repository when it cannot be read or has no default branch (`what` says what needs one).
 */
export async function readRepoConfig(client: GitHubClient, where: RepoRef, configPath: string, what: string): Promise<RepoConfig> {
  const data = await client.graphql<{ repository: { defaultBranchRef: { name: string } | null; config: { text: string | null } | null } | null }>(
    `query ShepherdConfig($owner: String!, $name: String!, $config: String!) { repository(owner: $owner, name: $name) {
      defaultBranchRef { name } config: object(expression: $config) { ... on Blob { text } } } }`,
    { owner: where.owner, name: where.repo, config: `HEAD:${configPath}` }
  )
  const repo = data.repository
  if (!repo) throw new Error(`repository ${where.owner}/${where.repo} cannot be read with this token`)
  if (!repo.defaultBranchRef) throw new Error(`repository ${where.owner}/${where.repo} has no default branch: ${what}`)
  return { config: parseConfig(repo.config?.text ?? null, configPath), defaultBranch: repo.defaultBranchRef.name }
}
