/** Snapshot loaders: read what a planner needs from GitHub, in as few requests as possible. */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { CONFIG_FILE, parseConfig, type ShepherdConfig } from '../core/config/index.js'

export interface IssueSnapshot {
  number: number
  isPull: boolean
  state: 'open' | 'closed'
  labels: string[]
  author: string
}

/** Returns the issue or pull request as GitHub has it now. Throws when it does not exist. */
export async function loadIssue(client: GitHubClient, where: RepoRef, number: number): Promise<IssueSnapshot> {
  const { data } = await client.rest.issues.get({ ...where, issue_number: number })
  return {
    number,
    isPull: !!data.pull_request,
    state: data.state === 'closed' ? 'closed' : 'open',
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
    author: data.user?.login ?? ''
  }
}

/**
 * Returns the configuration from the repository's default branch (never a PR head), with
 * defaults for a missing file. Throws ConfigInvalidError when the file is invalid.
 */
export async function loadConfig(client: GitHubClient, where: RepoRef, path = CONFIG_FILE): Promise<ShepherdConfig> {
  const { data: repo } = await client.rest.repos.get({ ...where })
  let text: string | null = null
  try {
    const { data } = await client.rest.repos.getContent({ ...where, path, ref: repo.default_branch })
    if (!Array.isArray(data) && data.type === 'file' && 'content' in data) text = Buffer.from(data.content, 'base64').toString('utf8')
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err
  }
  return parseConfig(text, path)
}
