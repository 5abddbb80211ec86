/** Snapshot loaders: read what a planner needs from GitHub, in as few requests as possible. */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { batchRead } from './graphql.js'
import { CONFIG_FILE, parseConfig, type ShepherdConfig } from '../core/config/index.js'

export interface IssueSnapshot {
  number: number
  isPull: boolean
  state: 'open' | 'closed'
  labels: string[]
  author: string
}

export interface TriageSnapshotData {
  issue: IssueSnapshot
  config: ShepherdConfig
  defaultBranch: string
}

interface RepositoryData {
  defaultBranchRef: { name: string } | null
  config: { text: string | null } | null
  item: {
    __typename: 'Issue' | 'PullRequest'
    number: number
    issueState?: string
    pullState?: string
    author: { login: string } | null
    labels: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean } }
  } | null
}

/**
 * Returns the issue or pull request, the configuration from the default branch (never a PR head;
 * defaults when the file is missing) and the default branch's name, in one GraphQL request
 * (plus label pages past the first 100). Throws when the issue does not exist, and
 * ConfigInvalidError when the configuration is invalid.
 */
export async function loadTriageSnapshot(client: GitHubClient, where: RepoRef, number: number, configPath = CONFIG_FILE): Promise<TriageSnapshotData> {
  // Issue.state and PullRequest.state have different enum types, so GraphQL needs them aliased apart.
  const item = (state: string) => `{ number ${state}: state author { login } labels(first: 100) { nodes { name } pageInfo { hasNextPage } } }`
  const data = await batchRead(client, {
    repo: {
      field: 'repository(owner: $owner, name: $name)',
      // HEAD is the default branch: configuration never comes from a pull request's head.
      selection: `{ defaultBranchRef { name } config: object(expression: $config) { ... on Blob { text } } item: issueOrPullRequest(number: $number) { __typename ... on Issue ${item('issueState')} ... on PullRequest ${item('pullState')} } }`,
      variables: { owner: ['String!', where.owner], name: ['String!', where.repo], config: ['String!', `HEAD:${configPath}`], number: ['Int!', number] }
    }
  })
  const repo = data.repo as RepositoryData | null
  if (!repo?.item) throw new Error(`${where.owner}/${where.repo}#${number} does not exist or is not visible to this token`)
  let labels = repo.item.labels.nodes.map((l) => l.name)
  if (repo.item.labels.pageInfo.hasNextPage) {
    const all = await client.paginate(client.rest.issues.listLabelsOnIssue, { ...where, issue_number: number, per_page: 100 })
    labels = all.map((l) => l.name)
  }
  return {
    issue: {
      number,
      isPull: repo.item.__typename === 'PullRequest',
      state: (repo.item.issueState ?? repo.item.pullState) === 'OPEN' ? 'open' : 'closed',
      labels,
      author: repo.item.author?.login ?? ''
    },
    config: parseConfig(repo.config?.text ?? null, configPath),
    defaultBranch: repo.defaultBranchRef?.name ?? 'main'
  }
}
