/** The Repository object and the lists it serves (labels, issues, pull requests, refs, collaborators). */
import type { Args, GqlContext, Model } from '../context.js'
import type { SimIssue, SimLabel, SimRepo } from '../../state.js'
import { permissionOf } from '../../state.js'
import { GhError } from '../errors.js'
import { nodeId } from '../ids.js'
import { connectionField } from '../connection.js'
import { lookupObject, loadCommits } from '../gitdata.js'
import { actorModel, userModel } from './actors.js'
import { issueModel, issueOrPullModel, labelModel, pullModel } from './issue.js'
import { allRefs, objectModel, refModel, resolveRefName } from './git.js'
import { listMilestones, milestoneModel } from './milestone.js'

const CREATED = '2026-01-01T00:00:00Z'

/** GitHub's state of an issue or pull request: OPEN, CLOSED or MERGED. */
export function issueState(issue: SimIssue): 'OPEN' | 'CLOSED' | 'MERGED' {
  if (issue.pull?.merged) return 'MERGED'
  return issue.state === 'open' ? 'OPEN' : 'CLOSED'
}

const hasLabel = (issue: SimIssue, names: string[]) => issue.labels.some((l) => names.some((n) => n.toLowerCase() === l.toLowerCase()))

/** Sorts by an IssueOrder (default: oldest first). */
export function orderIssues(items: SimIssue[], order: { field: string; direction: string } | null | undefined, comments: (i: SimIssue) => number): SimIssue[] {
  const field = order?.field ?? 'CREATED_AT'
  const key = (i: SimIssue): number | string => (field === 'UPDATED_AT' ? i.updatedAt : field === 'COMMENTS' ? comments(i) : i.createdAt)
  const sign = order?.direction === 'DESC' ? -1 : 1
  return items.sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    return (ka < kb ? -1 : ka > kb ? 1 : a.number - b.number) * sign
  })
}

/** The issues (or pull requests) of a repository filtered as `Repository.issues` / `pullRequests` do. */
export function listIssues(repo: SimRepo, pulls: boolean, args: Args): SimIssue[] {
  let items = [...repo.issues.values()].filter((i) => !!i.pull === pulls)
  const states = (args.states ?? args.filterBy?.states) as string[] | undefined
  if (states?.length) items = items.filter((i) => states.includes(issueState(i)))
  const labels = (args.labels ?? args.filterBy?.labels) as string[] | undefined
  if (labels?.length) items = items.filter((i) => hasLabel(i, labels))
  if (args.baseRefName) items = items.filter((i) => i.pull?.base.ref === args.baseRefName)
  if (args.headRefName) items = items.filter((i) => i.pull?.head.ref === args.headRefName)
  const f = args.filterBy as { assignee?: string; createdBy?: string; since?: string; mentioned?: string } | undefined
  if (f?.assignee) items = items.filter((i) => (f.assignee === '*' ? i.assignees.length > 0 : i.assignees.includes(f.assignee!)))
  if (f?.createdBy) items = items.filter((i) => i.user === f.createdBy)
  if (f?.since) items = items.filter((i) => i.updatedAt >= f.since!)
  const comments = (i: SimIssue) => [...repo.comments.values()].filter((c) => c.issueNumber === i.number).length
  return orderIssues(items, args.orderBy, comments)
}

function sortLabels(labels: SimLabel[], order: { field: string; direction: string } | null | undefined): SimLabel[] {
  const sign = order?.direction === 'DESC' ? -1 : 1
  if (order?.field === 'NAME') return labels.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) * sign)
  return labels.sort((a, b) => (a.id - b.id) * sign)
}

const PERMISSIONS = { read: 'READ', triage: 'TRIAGE', write: 'WRITE', maintain: 'MAINTAIN', admin: 'ADMIN' } as const

/** Returns a Repository object. */
export function repoModel(ctx: GqlContext, repo: SimRepo): Model {
  const full = `${repo.owner}/${repo.name}`
  const perm = ctx.permission(repo)
  const notFound = (what: string, number: number) => new GhError('NOT_FOUND', `Could not resolve to ${what} with the number of ${number}.`)
  return {
    __typename: 'Repository',
    id: nodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: full,
    owner: () => actorModel(ctx, repo.owner),
    isPrivate: repo.private,
    visibility: repo.private ? 'PRIVATE' : 'PUBLIC',
    url: `${ctx.state.baseUrl}/${full}`,
    resourcePath: `/${full}`,
    sshUrl: `git@127.0.0.1:${full}.git`,
    description: null,
    homepageUrl: null,
    createdAt: CREATED,
    updatedAt: CREATED,
    pushedAt: CREATED,
    isArchived: false,
    isDisabled: false,
    isFork: false,
    isTemplate: false,
    isLocked: false,
    isMirror: false,
    isEmpty: false,
    isInOrganization: ctx.state.orgs.has(repo.owner),
    hasIssuesEnabled: true,
    hasWikiEnabled: false,
    hasProjectsEnabled: false,
    hasDiscussionsEnabled: false,
    mergeCommitAllowed: true,
    squashMergeAllowed: true,
    rebaseMergeAllowed: true,
    autoMergeAllowed: false,
    deleteBranchOnMerge: false,
    forkCount: 0,
    stargazerCount: 0,
    viewerPermission: perm === 'none' ? null : PERMISSIONS[perm],
    viewerCanAdminister: perm === 'admin',
    viewerCanUpdateTopics: perm === 'admin',
    defaultBranchRef: async () => {
      const name = `refs/heads/${repo.defaultBranch}`
      const oid = (await allRefs(ctx, repo)).get(name)
      return oid ? refModel(ctx, repo, name, oid) : null
    },
    labels: connectionField(
      (args) => {
        const q = String(args.query ?? '').toLowerCase()
        const labels = [...repo.labels.values()].filter((l) => !q || l.name.toLowerCase().includes(q) || (l.description ?? '').toLowerCase().includes(q))
        return sortLabels(labels, args.orderBy)
      },
      (l) => labelModel(ctx, repo, l)
    ),
    label: ({ name }: { name: string }) => {
      const label = [...repo.labels.values()].find((l) => l.name.toLowerCase() === name.toLowerCase())
      return label ? labelModel(ctx, repo, label) : null
    },
    milestone: ({ number }: { number: number }) => {
      const m = repo.milestones.get(number)
      return m ? milestoneModel(ctx, repo, m) : null
    },
    milestones: connectionField(
      (args) => listMilestones(repo, args),
      (m) => milestoneModel(ctx, repo, m)
    ),
    issue: ({ number }: { number: number }) => {
      const issue = repo.issues.get(number)
      if (!issue || issue.pull) throw notFound('an Issue', number)
      return issueModel(ctx, repo, issue)
    },
    pullRequest: ({ number }: { number: number }) => {
      const issue = repo.issues.get(number)
      if (!issue?.pull) throw notFound('a PullRequest', number)
      return pullModel(ctx, repo, issue)
    },
    issueOrPullRequest: ({ number }: { number: number }) => {
      const issue = repo.issues.get(number)
      if (!issue) throw notFound('an issue or pull request', number)
      return issueOrPullModel(ctx, repo, issue)
    },
    issues: connectionField(
      (args) => listIssues(repo, false, args),
      (i) => issueModel(ctx, repo, i)
    ),
    pullRequests: connectionField(
      (args) => listIssues(repo, true, args),
      (i) => pullModel(ctx, repo, i)
    ),
    object: async ({ oid, expression }: { oid?: string; expression?: string }) => {
      const header = await lookupObject(ctx.git(repo), oid ?? expression ?? '')
      return header ? objectModel(ctx, repo, header) : null
    },
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const refs = await allRefs(ctx, repo)
      const name = resolveRefName(refs, qualifiedName)
      return name ? refModel(ctx, repo, name, refs.get(name)!) : null
    },
    refs: connectionField(
      async (args) => {
        const prefix = String(args.refPrefix)
        const q = String(args.query ?? '').toLowerCase()
        let refs = [...(await allRefs(ctx, repo)).entries()].filter(([name]) => name.startsWith(prefix) && name.slice(prefix.length).toLowerCase().includes(q))
        const sign = args.direction === 'DESC' || args.orderBy?.direction === 'DESC' ? -1 : 1
        if (args.orderBy?.field === 'TAG_COMMIT_DATE') {
          const commits = await loadCommits(ctx.git(repo), refs.map(([, oid]) => oid))
          const date = (oid: string) => commits.get(oid)?.committer.date ?? ''
          refs = refs.sort((a, b) => (date(a[1]) < date(b[1]) ? -1 : date(a[1]) > date(b[1]) ? 1 : a[0].localeCompare(b[0])) * sign)
        } else refs = refs.sort((a, b) => a[0].localeCompare(b[0]) * sign)
        return refs.map(([name, oid]) => ({ name, oid, prefix }))
      },
      (r) => refModel(ctx, repo, r.name, r.oid, r.prefix)
    ),
    collaborators: connectionField(
      (args) => {
        if (perm === 'none' || perm === 'read' || perm === 'triage') throw new GhError('FORBIDDEN', 'Must have push access to view repository collaborators.')
        const logins = [repo.owner, ...repo.collaborators.keys()].filter((l, i, a) => a.indexOf(l) === i && ctx.state.users.get(l)?.type !== 'Organization')
        return logins.filter((l) => (!args.login || l.toLowerCase() === String(args.login).toLowerCase()) && (!args.query || l.toLowerCase().includes(String(args.query).toLowerCase())))
      },
      (l) => userModel(ctx, l),
      { edge: (l) => ({ permission: PERMISSIONS[permissionOf(ctx.state, repo, l) as keyof typeof PERMISSIONS] ?? 'READ', permissionSources: [] }) }
    ),
    assignableUsers: connectionField(
      (args) =>
        [...ctx.state.users.values()]
          .filter((u) => u.type === 'User' && permissionOf(ctx.state, repo, u.login, false) !== 'none')
          .map((u) => u.login)
          .filter((l) => !args.query || l.toLowerCase().includes(String(args.query).toLowerCase())),
      (l) => userModel(ctx, l)
    )
  }
}
