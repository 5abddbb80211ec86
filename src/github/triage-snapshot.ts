/**
 * Loads the triage snapshot (src/core/triage/snapshot.ts) from GitHub: one GraphQL read for the
 * item, its files, comments, reviews, labels, the configuration and who the actors are; one REST
 * read per actor for their repository permission; one GraphQL read for the OWNERS files that
 * cover the changed files, from the base branch at its current SHA. Untrusted strings (paths,
 * logins) travel as GraphQL variables, never inside the query text.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { readFreeze } from './queue-freeze.js'
import { baseBranchProblem } from './merge-queue-batch-message.js'
import { parseConfig, type ShepherdConfig } from '../core/config/index.js'
import { buildOwnersIndex, ownersForPath } from '../core/owners/resolve.js'
import type { ChangedFile, Permission, SnapshotCheck, SnapshotComment, SnapshotMilestone, SnapshotReview, SnapshotRun, SnapshotUser, TriageSnapshot } from '../core/triage/snapshot.js'

export interface LoadSnapshotOptions {
  number: number
  configPath: string
  /** Login Shepherd acts as. */
  bot: string
  /** Users whose rights matter for this event (the commenter, the author). */
  actors: string[]
  /**
   * Read the OWNERS files covering the changed files (approval, reviewer assignment): a boolean,
   * or a decision on the configuration just read. Default true.
   */
  owners?: boolean | ((config: ShepherdConfig) => boolean)
  /**
   * Labels the plan may touch, when the repository has more than the first read's 100: they are
   * looked up by name in the second read instead of listing every label. Default: list them all.
   */
  labelNames?: (config: ShepherdConfig) => string[]
  /** Also look up the labels the OWNERS files name (pull request open and push: owners-label). */
  ownersLabels?: boolean
  /** Read the workflow runs on the head (for /retest). */
  runs?: boolean
  /** Read the repository's open milestones (for /milestone), in the first read. */
  milestones?: boolean
  /** Read the head's version of the OWNERS files the pull request changes (open and push). */
  headOwners?: boolean
  /** Read the `/shepherd freeze` of the base branch (a PR's base, an issue's default branch). */
  freeze?: boolean
}

/** GraphQL node ids the applier needs to batch its writes into one mutation. */
export interface SnapshotIds {
  item: string
  /** Repository label name (lower-cased) → node id. */
  labels: Record<string, string>
  /** Actor login (lower-cased) → User node id. */
  users: Record<string, string>
  /** Comment database id → node id. */
  comments: Record<number, string>
}

export interface LoadedSnapshot {
  snapshot: TriageSnapshot
  ids: SnapshotIds
}

type Author = { login: string; __typename: string } | null
interface Conn<T> {
  nodes: T[]
  totalCount?: number
  pageInfo?: { hasNextPage: boolean }
}
interface ItemData {
  __typename: 'Issue' | 'PullRequest'
  id: string
  number: number
  title: string
  body: string
  issueState?: string
  pullState?: string
  merged?: boolean
  isDraft?: boolean
  author: Author
  labels: Conn<{ name: string }>
  assignees: Conn<{ login: string }>
  milestone: { title: string } | null
  comments: Conn<{ id: string; databaseId: number; body: string; createdAt: string; author: Author }>
  headRefOid?: string
  headRefName?: string
  baseRefName?: string
  baseRef?: { target: { oid: string } } | null
  headCommit?: Conn<{
    commit: {
      tree: { oid: string }
      statusCheckRollup: { contexts: Conn<{ __typename: string; context?: string; state?: string; name?: string; status?: string; conclusion?: string | null }> } | null
    }
  }>
  mergeable?: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN'
  reviewRequests?: Conn<{ requestedReviewer: { login?: string } | null }>
  reviews?: Conn<{ author: Author; state: SnapshotReview['state']; body: string; submittedAt: string; commit: { oid: string } | null }>
  firstFiles?: Conn<{ path: string; additions: number; deletions: number }>
  lastFiles?: Conn<{ path: string; additions: number; deletions: number }>
}

/** GitHub's GraphQL drops the `[bot]` suffix of app logins; REST and webhooks keep it. */
const loginOf = (a: Author): string => (!a ? 'ghost' : a.__typename === 'Bot' ? `${a.login}[bot]` : a.login)

const COMMON = `id number title body author { login __typename } labels(first: 100) { nodes { name } pageInfo { hasNextPage } }
  assignees(first: 100) { nodes { login } } milestone { title }
  comments(last: 100) { totalCount nodes { id databaseId body createdAt author { login __typename } } }`
const PULL = `headRefOid headRefName baseRefName baseRef { target { oid } } merged isDraft mergeable
  headCommit: commits(last: 1) { nodes { commit { tree { oid } statusCheckRollup { contexts(first: 100) { nodes {
    __typename ... on StatusContext { context state } ... on CheckRun { name status conclusion } } } } } } }
  reviewRequests(first: 100) { nodes { requestedReviewer { ... on User { login } } } }
  reviews(last: 100) { nodes { author { login __typename } state body submittedAt commit { oid } } }
  firstFiles: files(first: 100) { totalCount nodes { path additions deletions } }
  lastFiles: files(last: 100) { nodes { path additions deletions } }`

/** Returns the directories whose OWNERS files may cover these paths, root first. */
export function ownersCandidates(paths: string[]): string[] {
  const dirs = new Set<string>([''])
  for (const p of paths) {
    const parts = p.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
}

/**
 * Returns the snapshot for issue or pull request `number`. Throws when it does not exist, and
 * ConfigInvalidError when the configuration on the default branch is invalid.
 */
export async function loadSnapshot(client: GitHubClient, where: RepoRef, options: LoadSnapshotOptions): Promise<LoadedSnapshot> {
  const actors = [...new Set(options.actors.filter((a) => a && !a.endsWith('[bot]')))]
  const userFields = actors.map((_, i) => `u${i}: user(login: $u${i}) { id login organization(login: $owner) { login } }`).join('\n')
  const query = `query Snapshot($owner: String!, $name: String!, $number: Int!, $config: String!, $logins: [String!]!${actors.map((_, i) => `, $u${i}: String!`).join('')}) {
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef { name }
    config: object(expression: $config) { ... on Blob { text } }
    labels(first: 100) { nodes { id name } pageInfo { hasNextPage } }
    ${options.milestones ? 'milestones(first: 100, states: [OPEN], orderBy: {field: DUE_DATE, direction: ASC}) { nodes { number title } pageInfo { hasNextPage } }' : ''}
    owner { __typename ... on Organization { teams(first: 100, userLogins: $logins) { nodes { slug members(first: 100) { nodes { login } } } } } }
    item: issueOrPullRequest(number: $number) {
      __typename
      ... on Issue { issueState: state ${COMMON} }
      ... on PullRequest { pullState: state ${COMMON} ${PULL} }
    }
  }
  ${userFields}
}`
  const variables: Record<string, unknown> = { owner: where.owner, name: where.repo, number: options.number, config: `HEAD:${options.configPath}`, logins: actors }
  actors.forEach((a, i) => (variables[`u${i}`] = a))

  // The permission reads go out beside the GraphQL read; GraphQL's collaborator list needs push access.
  const [data, permissions] = await Promise.all([
    client.graphql<Record<string, unknown>>(query, variables),
    Promise.all(actors.map((login) => permissionOf(client, where, login)))
  ])
  const repo = data.repository as {
    id: string
    defaultBranchRef: { name: string } | null
    config: { text: string | null } | null
    labels: Conn<{ id: string; name: string }>
    milestones?: Conn<SnapshotMilestone>
    owner: { __typename: string; teams?: Conn<{ slug: string; members: Conn<{ login: string }> }> }
    item: ItemData | null
  }
  const item = repo.item
  if (!item) throw new Error(`${where.owner}/${where.repo}#${options.number} does not exist or is not visible to this token`)
  const config = parseConfig(repo.config?.text ?? null, options.configPath)

  const users: Record<string, SnapshotUser> = {}
  actors.forEach((login, i) => {
    const u = data[`u${i}`] as { organization: { login: string } | null } | null
    const teams = (repo.owner.teams?.nodes ?? []).filter((t) => t.members.nodes.some((m) => m.login.toLowerCase() === login.toLowerCase())).map((t) => `${where.owner}/${t.slug}`)
    users[login] = { permission: permissions[i], orgMember: !!u?.organization, teams }
  })

  const isPull = item.__typename === 'PullRequest'
  const changedFiles = isPull ? await changedFilesOf(client, where, item) : undefined
  const comments = await commentsOf(client, where, item)
  const wantOwners = typeof options.owners === 'function' ? options.owners(config) : options.owners !== false
  const moreLabels = !!repo.labels.pageInfo?.hasNextPage
  const wantedLabels = moreLabels && options.labelNames ? options.labelNames(config) : []
  const changedOwners = options.headOwners && isPull && changedFiles && item.headRefOid ? changedFiles.filter((f) => /(^|\/)(OWNERS|OWNERS_ALIASES)$/.test(f.path)).map((f) => f.path) : []
  const trustedOrgs = config.triage.trusted.orgs.filter((o) => o.toLowerCase() !== where.owner.toLowerCase())
  const orgCheck = trustedOrgs.length && actors.length ? { logins: actors, orgs: trustedOrgs } : null
  const second =
    (isPull && changedFiles && wantOwners) || wantedLabels.length || changedOwners.length || orgCheck
      ? await secondRead(client, where, {
          rev: item.baseRef?.target.oid ?? item.baseRefName ?? 'HEAD',
          files: isPull && changedFiles && wantOwners ? changedFiles : null,
          labels: wantedLabels,
          head: changedOwners.length ? { rev: item.headRefOid!, paths: changedOwners } : null,
          orgs: orgCheck
        })
      : { owners: {}, labels: [], head: {}, orgs: {} as Record<string, string[]> }
  for (const [login, orgs] of Object.entries(second.orgs)) if (users[login]) users[login].orgs = orgs
  const owners = second.owners
  if (moreLabels && options.labelNames && options.ownersLabels && changedFiles && Object.keys(owners).length) {
    const index = buildOwnersIndex(owners)
    const named = [...new Set(changedFiles.flatMap((f) => ownersForPath(index, f.path).labels))]
    const known = new Set([...repo.labels.nodes, ...second.labels].map((l) => l.name.toLowerCase()))
    const missing = named.filter((l) => !known.has(l.toLowerCase()))
    if (missing.length) second.labels.push(...(await secondRead(client, where, { rev: 'HEAD', files: null, labels: missing })).labels)
  }
  let labels = item.labels.nodes.map((l) => l.name)
  if (item.labels.pageInfo?.hasNextPage) {
    labels = (await client.paginate(client.rest.issues.listLabelsOnIssue, { ...where, issue_number: options.number, per_page: 100 })).map((l) => l.name)
  }
  // With more than 100 labels: the first page plus the ones this event may touch, by name; or all of
  // them when the caller cannot say which.
  const repoLabels: { id: string | number; name: string; node_id?: string }[] = !moreLabels
    ? repo.labels.nodes
    : options.labelNames
      ? [...repo.labels.nodes, ...second.labels]
      : await client.paginate(client.rest.issues.listLabelsForRepo, { ...where, per_page: 100 })
  const snapshot: TriageSnapshot = {
    repo: { owner: where.owner, name: where.repo, defaultBranch: repo.defaultBranchRef?.name ?? 'main' },
    bot: options.bot,
    item: {
      number: item.number,
      isPullRequest: isPull,
      author: loginOf(item.author),
      authorIsBot: item.author?.__typename === 'Bot',
      state: (item.issueState ?? item.pullState) === 'OPEN' ? 'open' : 'closed',
      merged: item.merged,
      draft: item.isDraft,
      title: item.title,
      body: item.body,
      labels,
      assignees: item.assignees.nodes.map((a) => a.login),
      requestedReviewers: item.reviewRequests?.nodes.map((r) => r.requestedReviewer?.login).filter((l): l is string => !!l),
      milestone: item.milestone?.title ?? null,
      headSha: item.headRefOid,
      headRef: item.headRefName,
      baseRef: item.baseRefName,
      baseSha: item.baseRef?.target.oid,
      treeSha: item.headCommit?.nodes[0]?.commit.tree.oid,
      changedFiles,
      ...(changedOwners.length ? { headOwners: second.head } : {}),
      mergeable: item.mergeable,
      comments,
      reviews: item.reviews?.nodes.map((r) => ({ author: loginOf(r.author), state: r.state, body: r.body, submittedAt: r.submittedAt, commit: r.commit?.oid }))
    },
    users,
    owners,
    checks: checksOf(item),
    runs: isPull && options.runs && item.headRefOid ? await runsOf(client, where, item.headRefOid) : undefined,
    ...(options.freeze ? { freeze: await freezeOf(client, where, isPull ? item.baseRefName : repo.defaultBranchRef?.name) } : {}),
    ...(repo.milestones ? { milestones: await milestonesOf(client, where, repo.milestones) } : {}),
    repoLabels: repoLabels.map((l) => l.name),
    config
  }
  const userIds: Record<string, string> = {}
  actors.forEach((login, i) => {
    const u = data[`u${i}`] as { id?: string } | null
    if (u?.id) userIds[login.toLowerCase()] = u.id
  })
  return {
    snapshot,
    ids: {
      item: item.id,
      labels: Object.fromEntries(repoLabels.map((l) => [l.name.toLowerCase(), (l as { node_id?: string; id: string | number }).node_id ?? String(l.id)])),
      users: userIds,
      comments: Object.fromEntries(item.comments.nodes.map((c) => [c.databaseId, c.id]))
    }
  }
}

/** Returns the head's commit statuses and check runs, with GitHub's states lower-cased. */
function checksOf(item: ItemData): SnapshotCheck[] | undefined {
  const contexts = item.headCommit?.nodes[0]?.commit.statusCheckRollup?.contexts.nodes
  if (!contexts) return item.__typename === 'PullRequest' ? [] : undefined
  return contexts.map((c) =>
    c.__typename === 'StatusContext'
      ? { name: c.context ?? '', kind: 'status' as const, state: (c.state ?? 'pending').toLowerCase() as SnapshotCheck['state'] }
      : { name: c.name ?? '', kind: 'check' as const, state: (c.status === 'COMPLETED' ? (c.conclusion ?? 'neutral') : 'pending').toLowerCase() as SnapshotCheck['state'] }
  )
}

/** Returns the workflow runs on a head SHA (one REST read). */
async function runsOf(client: GitHubClient, where: RepoRef, sha: string): Promise<SnapshotRun[]> {
  const { data } = await client.rest.actions.listWorkflowRunsForRepo({ ...where, head_sha: sha, per_page: 100 })
  return data.workflow_runs.map((r) => ({
    id: r.id,
    workflow: r.path?.split('/').pop() ?? r.name ?? String(r.workflow_id),
    headSha: r.head_sha,
    status: (r.status ?? 'completed') as SnapshotRun['status'],
    conclusion: r.conclusion ?? null
  }))
}

/** Returns the open milestones, soonest due first (as GitHub lists them): the first read's, or all of them past 100. */
async function milestonesOf(client: GitHubClient, where: RepoRef, first: Conn<SnapshotMilestone>): Promise<SnapshotMilestone[]> {
  if (!first.pageInfo?.hasNextPage) return first.nodes.map((m) => ({ number: m.number, title: m.title }))
  const all = await client.paginate(client.rest.issues.listMilestones, { ...where, state: 'open', per_page: 100 })
  return all.map((m) => ({ number: m.number, title: m.title }))
}

async function permissionOf(client: GitHubClient, where: RepoRef, login: string): Promise<Permission> {
  try {
    const { data } = await client.rest.repos.getCollaboratorPermissionLevel({ ...where, username: login })
    // role_name carries the five roles; `permission` folds triage and maintain into read and write.
    const role = (data.role_name ?? data.permission) as string
    return (['read', 'triage', 'write', 'maintain', 'admin'].includes(role) ? role : 'none') as Permission
  } catch (err) {
    if ((err as { status?: number }).status === 404) return 'none'
    throw err
  }
}

async function changedFilesOf(client: GitHubClient, where: RepoRef, item: ItemData): Promise<ChangedFile[]> {
  const total = item.firstFiles?.totalCount ?? 0
  const toFile = (f: { path: string; additions: number; deletions: number }): ChangedFile => ({ path: f.path, additions: f.additions, deletions: f.deletions })
  // first:100 and last:100 together cover any pull request of up to 200 files in the one read.
  if (total <= 200) {
    const first = item.firstFiles?.nodes ?? []
    const last = (item.lastFiles?.nodes ?? []).slice(Math.max(0, first.length + (item.lastFiles?.nodes.length ?? 0) - total))
    return [...first, ...last].map(toFile)
  }
  const files = await client.paginate(client.rest.pulls.listFiles, { ...where, pull_number: item.number, per_page: 100 })
  return files.map((f) => ({ path: f.filename, previousPath: f.previous_filename, additions: f.additions, deletions: f.deletions }))
}

async function commentsOf(client: GitHubClient, where: RepoRef, item: ItemData): Promise<SnapshotComment[]> {
  if ((item.comments.totalCount ?? 0) <= item.comments.nodes.length) {
    return item.comments.nodes.map((c) => ({ id: c.databaseId, author: loginOf(c.author), body: c.body, createdAt: c.createdAt, authorIsBot: c.author?.__typename === 'Bot' }))
  }
  const all = await client.paginate(client.rest.issues.listComments, { ...where, issue_number: item.number, per_page: 100 })
  return all.map((c) => ({ id: c.id, author: c.user?.login ?? 'ghost', body: c.body ?? '', createdAt: c.created_at, authorIsBot: c.user?.type === 'Bot' }))
}

/**
 * The second read, in one request: every OWNERS file that may cover the files, and OWNERS_ALIASES,
 * at `rev`; and labels looked up by name.
 */
async function secondRead(
  client: GitHubClient,
  where: RepoRef,
  want: { rev: string; files: ChangedFile[] | null; labels: string[]; head?: { rev: string; paths: string[] } | null; orgs?: { logins: string[]; orgs: string[] } | null }
): Promise<{ owners: Record<string, string>; labels: { id: string; name: string }[]; head: Record<string, string | null>; orgs: Record<string, string[]> }> {
  const headPaths = want.head?.paths ?? []
  // Membership of the configured trusted organizations, per user (root fields beside the repository).
  const pairs = (want.orgs?.logins ?? []).flatMap((login) => (want.orgs?.orgs ?? []).map((org) => ({ login, org })))
  const paths = want.files
    ? [...ownersCandidates(want.files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path]))).map((d) => (d ? `${d}/OWNERS` : 'OWNERS')), 'OWNERS_ALIASES']
    : []
  const labels = [...new Set(want.labels.map((l) => l.toLowerCase()))]
  const fields = [
    ...paths.map((_, i) => `f${i}: object(expression: $f${i}) { ... on Blob { text } }`),
    ...labels.map((_, i) => `l${i}: label(name: $l${i}) { id name }`),
    ...headPaths.map((_, i) => `h${i}: object(expression: $h${i}) { ... on Blob { text } }`)
  ].join('\n    ')
  const vars = [
    ...paths.map((_, i) => `, $f${i}: String!`),
    ...labels.map((_, i) => `, $l${i}: String!`),
    ...headPaths.map((_, i) => `, $h${i}: String!`),
    ...pairs.flatMap((_, i) => [`, $tu${i}: String!`, `, $to${i}: String!`])
  ].join('')
  const memberships = pairs.map((_, i) => `t${i}: user(login: $tu${i}) { organization(login: $to${i}) { login } }`).join('\n  ')
  const query = `query Second($owner: String!, $name: String!${vars}) {
  repository(owner: $owner, name: $name) {
    ${fields || '__typename'}
  }
  ${memberships}
}`
  const variables: Record<string, unknown> = { owner: where.owner, name: where.repo }
  paths.forEach((p, i) => (variables[`f${i}`] = `${want.rev}:${p}`))
  labels.forEach((l, i) => (variables[`l${i}`] = l))
  headPaths.forEach((p, i) => (variables[`h${i}`] = `${want.head!.rev}:${p}`))
  pairs.forEach((p, i) => {
    variables[`tu${i}`] = p.login
    variables[`to${i}`] = p.org
  })
  const data = await client.graphql<{ repository: Record<string, { text?: string | null; id?: string; name?: string } | null> } & Record<string, unknown>>(query, variables)
  const owners: Record<string, string> = {}
  paths.forEach((p, i) => {
    const text = data.repository[`f${i}`]?.text
    if (typeof text === 'string') owners[p] = text
  })
  const found = labels.map((_, i) => data.repository[`l${i}`]).filter((l): l is { id: string; name: string } => !!l?.id && !!l.name)
  const head: Record<string, string | null> = {}
  headPaths.forEach((p, i) => (head[p] = data.repository[`h${i}`]?.text ?? null))
  const orgs: Record<string, string[]> = {}
  pairs.forEach((p, i) => {
    if ((data[`t${i}`] as { organization: unknown } | null)?.organization) (orgs[p.login] ??= []).push(p.org)
  })
  return { owners, labels: found, head, orgs }
}

/** The base's `/shepherd freeze`, or null; a base name the queue cannot serve has none (the applier refuses it). */
async function freezeOf(client: GitHubClient, where: RepoRef, base: string | null | undefined): Promise<TriageSnapshot['freeze']> {
  if (!base || baseBranchProblem(base)) return null
  return readFreeze(client, where, base)
}
