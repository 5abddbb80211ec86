/** Issue, PullRequest, IssueComment, PullRequestReview and Label objects. */
import type { GqlContext, Model } from '../context.js'
import type { SimComment, SimIssue, SimLabel, SimRepo, SimReview } from '../../state.js'
import { PERMISSION_ORDER, permissionOf } from '../../state.js'
import { authorAssociation } from '../../shapes.js'
import { nodeId } from '../ids.js'
import { connectionField } from '../connection.js'
import { changedFiles, commitsBetween, mergesCleanly } from '../gitdata.js'
import { latestReviews, reviewsOf, rollupState } from '../derive.js'
import { actorModel, userModel } from './actors.js'
import { issueState, listIssues, repoModel } from './repository.js'
import { allRefs, commitModel, refModel } from './git.js'
import { milestoneModel } from './milestone.js'

const atLeast = (have: string, needed: string) => PERMISSION_ORDER.indexOf(have as never) >= PERMISSION_ORDER.indexOf(needed as never)

/** Returns a Label object. */
export function labelModel(ctx: GqlContext, repo: SimRepo, label: SimLabel): Model {
  const path = `/${repo.owner}/${repo.name}/labels/${encodeURIComponent(label.name)}`
  const has = (i: SimIssue) => i.labels.some((l) => l.toLowerCase() === label.name.toLowerCase())
  return {
    __typename: 'Label',
    id: nodeId('Label', label.id),
    name: label.name,
    color: label.color,
    description: label.description,
    isDefault: label.default,
    createdAt: null,
    updatedAt: null,
    url: `${ctx.state.baseUrl}${path}`,
    resourcePath: path,
    repository: () => repoModel(ctx, repo),
    issues: connectionField(
      (args) => listIssues(repo, false, args).filter(has),
      (i) => issueModel(ctx, repo, i)
    ),
    pullRequests: connectionField(
      (args) => listIssues(repo, true, args).filter(has),
      (i) => pullModel(ctx, repo, i)
    )
  }
}

/** Returns an IssueComment object. */
export function commentModel(ctx: GqlContext, repo: SimRepo, c: SimComment): Model {
  const issue = repo.issues.get(c.issueNumber)
  const path = `/${repo.owner}/${repo.name}/${issue?.pull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`
  const perm = ctx.permission(repo)
  const mine = c.user === ctx.viewer
  return {
    __typename: 'IssueComment',
    id: nodeId('IssueComment', c.id),
    databaseId: c.id,
    fullDatabaseId: String(c.id),
    body: c.body,
    bodyText: c.body,
    author: () => actorModel(ctx, c.user),
    authorAssociation: authorAssociation(ctx.state, repo, c.user),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    publishedAt: c.createdAt,
    lastEditedAt: c.updatedAt !== c.createdAt ? c.updatedAt : null,
    includesCreatedEdit: false,
    createdViaEmail: false,
    editor: null,
    url: `${ctx.state.baseUrl}${path}`,
    resourcePath: path,
    isMinimized: false,
    minimizedReason: null,
    viewerDidAuthor: mine,
    viewerCanUpdate: mine || atLeast(perm, 'maintain'),
    viewerCanDelete: mine || atLeast(perm, 'maintain'),
    viewerCanMinimize: atLeast(perm, 'triage'),
    viewerCanReact: true,
    reactionGroups: [],
    issue: () => (issue ? issueModel(ctx, repo, issue) : null),
    pullRequest: () => (issue?.pull ? pullModel(ctx, repo, issue) : null),
    repository: () => repoModel(ctx, repo)
  }
}

/** Returns a PullRequestReview object. */
export function reviewModel(ctx: GqlContext, repo: SimRepo, issue: SimIssue, r: SimReview): Model {
  const path = `/${repo.owner}/${repo.name}/pull/${issue.number}#pullrequestreview-${r.id}`
  return {
    __typename: 'PullRequestReview',
    id: nodeId('PullRequestReview', r.id),
    databaseId: r.id,
    fullDatabaseId: String(r.id),
    author: () => actorModel(ctx, r.user),
    authorAssociation: authorAssociation(ctx.state, repo, r.user),
    authorCanPushToRepository: atLeast(permissionOf(ctx.state, repo, r.user), 'write'),
    body: r.body,
    bodyText: r.body,
    state: r.state,
    submittedAt: r.state === 'PENDING' ? null : r.submittedAt,
    createdAt: r.submittedAt,
    updatedAt: r.submittedAt,
    publishedAt: r.submittedAt,
    lastEditedAt: null,
    includesCreatedEdit: false,
    createdViaEmail: false,
    editor: null,
    isMinimized: false,
    minimizedReason: null,
    viewerDidAuthor: r.user === ctx.viewer,
    url: `${ctx.state.baseUrl}${path}`,
    resourcePath: path,
    commit: () => (/^[0-9a-f]{40}$/.test(r.commitId) ? commitModel(ctx, repo, r.commitId) : null),
    comments: connectionField(
      () => [],
      () => null
    ),
    pullRequest: () => pullModel(ctx, repo, issue),
    repository: () => repoModel(ctx, repo)
  }
}

/** Fields shared by issues and pull requests. */
function shared(ctx: GqlContext, repo: SimRepo, issue: SimIssue, type: 'Issue' | 'PullRequest'): Model {
  const path = `/${repo.owner}/${repo.name}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`
  const perm = ctx.permission(repo)
  const comments = () => [...repo.comments.values()].filter((c) => c.issueNumber === issue.number)
  return {
    __typename: type,
    id: nodeId(type, issue.id),
    databaseId: issue.id,
    fullDatabaseId: String(issue.id),
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    bodyText: issue.body ?? '',
    author: () => actorModel(ctx, issue.user),
    authorAssociation: authorAssociation(ctx.state, repo, issue.user),
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    publishedAt: issue.createdAt,
    lastEditedAt: null,
    includesCreatedEdit: false,
    createdViaEmail: false,
    editor: null,
    closed: issue.state === 'closed',
    closedAt: issue.closedAt,
    locked: issue.locked,
    activeLockReason: null,
    milestone: () => {
      const m = issue.milestone === null ? undefined : repo.milestones.get(issue.milestone)
      return m ? milestoneModel(ctx, repo, m) : null
    },
    url: `${ctx.state.baseUrl}${path}`,
    resourcePath: path,
    viewerDidAuthor: issue.user === ctx.viewer,
    viewerCanUpdate: issue.user === ctx.viewer || atLeast(perm, 'triage'),
    viewerCanReact: true,
    viewerSubscription: 'UNSUBSCRIBED',
    reactionGroups: [],
    repository: () => repoModel(ctx, repo),
    labels: connectionField(
      (args) => {
        const labels = issue.labels.map((n) => [...repo.labels.values()].find((l) => l.name.toLowerCase() === n.toLowerCase())).filter((l): l is SimLabel => !!l)
        if (args.orderBy?.field === 'NAME') labels.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
        else if (args.orderBy?.field === 'CREATED_AT') labels.sort((a, b) => a.id - b.id)
        return args.orderBy?.direction === 'DESC' ? labels.reverse() : labels
      },
      (l) => labelModel(ctx, repo, l)
    ),
    comments: connectionField(
      (args) => {
        const list = comments().sort((a, b) => a.id - b.id)
        if (args.orderBy?.field === 'UPDATED_AT') list.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id))
        return args.orderBy?.direction === 'DESC' ? list.reverse() : list
      },
      (c) => commentModel(ctx, repo, c)
    ),
    assignees: connectionField(
      () => issue.assignees,
      (a) => userModel(ctx, a)
    ),
    participants: connectionField(
      () => [...new Set([issue.user, ...comments().map((c) => c.user), ...reviewsOf(repo, issue, ctx.viewer).map((r) => r.user)])],
      (l) => userModel(ctx, l)
    )
  }
}

/** Returns an Issue object. */
export function issueModel(ctx: GqlContext, repo: SimRepo, issue: SimIssue): Model {
  return {
    ...shared(ctx, repo, issue, 'Issue'),
    state: issue.state === 'open' ? 'OPEN' : 'CLOSED',
    stateReason: issue.stateReason ? issue.stateReason.toUpperCase() : null
  }
}

/** Returns a PullRequest object. */
export function pullModel(ctx: GqlContext, repo: SimRepo, issue: SimIssue): Model {
  const pull = issue.pull!
  const git = ctx.git(repo)
  const base = shared(ctx, repo, issue, 'PullRequest')
  const files = () => changedFiles(git, pull.base.sha, pull.head.sha)
  const currentRef = async (ref: string) => {
    const name = `refs/heads/${ref}`
    const oid = (await allRefs(ctx, repo)).get(name)
    return oid ? { name, oid } : null
  }
  const mergeable = async (): Promise<'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN'> => {
    if (issue.state !== 'open') return 'UNKNOWN'
    const baseTip = (await currentRef(pull.base.ref))?.oid ?? pull.base.sha
    const clean = await mergesCleanly(git, baseTip, pull.head.sha)
    return clean === true ? 'MERGEABLE' : clean === false ? 'CONFLICTING' : 'UNKNOWN'
  }
  const reviewList = (list: SimReview[]) => list.map((r) => reviewModel(ctx, repo, issue, r))
  return {
    ...base,
    state: issueState(issue),
    isDraft: pull.draft,
    merged: pull.merged,
    mergedAt: pull.mergedAt,
    mergedBy: () => actorModel(ctx, pull.mergedBy),
    mergeCommit: () => (pull.mergeCommitSha ? commitModel(ctx, repo, pull.mergeCommitSha) : null),
    permalink: base.url,
    headRefName: pull.head.ref,
    headRefOid: pull.head.sha,
    baseRefName: pull.base.ref,
    baseRefOid: pull.base.sha,
    headRef: async () => {
      const r = await currentRef(pull.head.ref)
      return r ? refModel(ctx, repo, r.name, r.oid) : null
    },
    baseRef: async () => {
      const r = await currentRef(pull.base.ref)
      return r ? refModel(ctx, repo, r.name, r.oid) : null
    },
    headRepository: () => repoModel(ctx, repo),
    headRepositoryOwner: () => actorModel(ctx, repo.owner),
    baseRepository: () => repoModel(ctx, repo),
    isCrossRepository: false,
    maintainerCanModify: false,
    isInMergeQueue: false,
    mergeQueueEntry: null,
    autoMergeRequest: null,
    reviewDecision: null,
    mergeable,
    mergeStateStatus: async () => {
      if (issue.state !== 'open') return 'UNKNOWN'
      if (pull.draft) return 'DRAFT'
      const m = await mergeable()
      if (m !== 'MERGEABLE') return m === 'CONFLICTING' ? 'DIRTY' : 'UNKNOWN'
      const rollup = rollupState(repo, pull.head.sha)
      return rollup && rollup !== 'SUCCESS' ? 'UNSTABLE' : 'CLEAN'
    },
    additions: async () => (await files()).reduce((n, f) => n + f.additions, 0),
    deletions: async () => (await files()).reduce((n, f) => n + f.deletions, 0),
    changedFiles: async () => (await files()).length,
    files: connectionField(files, (f) => ({ __typename: 'PullRequestChangedFile', ...f, viewerViewedState: 'UNVIEWED' })),
    commits: connectionField(
      () => commitsBetween(git, pull.base.sha, pull.head.sha),
      (oid) => ({
        __typename: 'PullRequestCommit',
        id: nodeId('PullRequestCommit', `${issue.id}:${oid}`),
        commit: commitModel(ctx, repo, oid),
        url: `${base.url}/commits/${oid}`,
        resourcePath: `${base.resourcePath}/commits/${oid}`,
        pullRequest: () => pullModel(ctx, repo, issue)
      })
    ),
    reviews: connectionField(
      (args) =>
        reviewsOf(repo, issue, ctx.viewer).filter(
          (r) => (!args.states?.length || (args.states as string[]).includes(r.state)) && (!args.author || r.user === args.author)
        ),
      (r) => reviewList([r])[0]
    ),
    latestReviews: connectionField(
      () => latestReviews(repo, issue, false),
      (r) => reviewList([r])[0]
    ),
    latestOpinionatedReviews: connectionField(
      (args) =>
        latestReviews(repo, issue, true).filter((r) => !args.writersOnly || atLeast(permissionOf(ctx.state, repo, r.user), 'write')),
      (r) => reviewList([r])[0]
    ),
    reviewRequests: connectionField(
      () => pull.requestedReviewers,
      (login) => ({
        __typename: 'ReviewRequest',
        id: nodeId('ReviewRequest', `${issue.id}:${login}`),
        asCodeOwner: false,
        requestedReviewer: actorModel(ctx, login),
        pullRequest: () => pullModel(ctx, repo, issue)
      })
    )
  }
}

/** Returns an Issue or a PullRequest object. */
export function issueOrPullModel(ctx: GqlContext, repo: SimRepo, issue: SimIssue): Model {
  return issue.pull ? pullModel(ctx, repo, issue) : issueModel(ctx, repo, issue)
}
