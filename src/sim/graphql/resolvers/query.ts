/** The Query root: viewer, rateLimit, repository, user, organization, search, node(s). */
import { field, type GqlContext, type Model } from '../context.js'
import { GhError } from '../errors.js'
import { decodeNodeId } from '../ids.js'
import { connection } from '../connection.js'
import { MAX_SEARCH_RESULTS, searchIssues, searchRepos } from '../search.js'
import type { QueryCost } from '../cost.js'
import { actorModel, botModel, findOrg, findUser, orgModel, teamModel, userModel } from './actors.js'
import { repoModel } from './repository.js'
import { commentModel, issueModel, issueOrPullModel, labelModel, pullModel, reviewModel } from './issue.js'
import { commitModel, objectById, refModel, allRefs } from './git.js'
import { milestoneModel } from './milestone.js'

export const RATE_LIMIT = 5000

/** Points used per login, per world (a reset starts a fresh budget). */
const used = new WeakMap<object, Map<string, number>>()

/** Charges a query's cost to the caller and returns the budget after it. */
export function charge(ctx: GqlContext, cost: number): { limit: number; used: number; remaining: number; resetAt: string } {
  let perLogin = used.get(ctx.state)
  if (!perLogin) used.set(ctx.state, (perLogin = new Map()))
  const total = (perLogin.get(ctx.viewer) ?? 0) + cost
  perLogin.set(ctx.viewer, total)
  return { limit: RATE_LIMIT, used: total, remaining: Math.max(RATE_LIMIT - total, 0), resetAt: '2026-01-01T01:00:00Z' }
}

/** Returns the object a global id names, or null when it names nothing the caller can see. */
export async function nodeById(ctx: GqlContext, id: string): Promise<Model | null> {
  const decoded = decodeNodeId(id)
  if (!decoded) return null
  const { type, key } = decoded
  const num = Number(key)
  const state = ctx.state
  const repoById = (rid: number) => [...state.repos.values()].find((r) => r.id === rid && ctx.canRead(r))
  switch (type) {
    case 'User':
    case 'Bot': {
      const u = [...state.users.values()].find((x) => x.id === num)
      if (!u) return null
      if (u.type === 'Organization') return null
      return u.type === 'Bot' ? botModel(ctx, u) : userModel(ctx, u.login)
    }
    case 'Organization': {
      const o = [...state.orgs.values()].find((x) => x.id === num)
      return o ? orgModel(ctx, o) : null
    }
    case 'Team':
      for (const o of state.orgs.values()) for (const t of o.teams.values()) if (t.id === num) return teamModel(ctx, o, t)
      return null
    case 'Repository': {
      const r = repoById(num)
      return r ? repoModel(ctx, r) : null
    }
    case 'Commit':
    case 'Tree':
    case 'Blob':
    case 'Tag':
    case 'Ref': {
      const [rid, rest] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)]
      const repo = repoById(rid)
      if (!repo) return null
      if (type === 'Ref') {
        const oid = (await allRefs(ctx, repo)).get(rest)
        return oid ? refModel(ctx, repo, rest, oid) : null
      }
      if (type === 'Commit') return commitModel(ctx, repo, rest)
      const obj = await objectById(ctx, repo, rest)
      return obj?.__typename === type ? obj : null
    }
  }
  for (const repo of state.repos.values()) {
    if (!ctx.canRead(repo)) continue
    switch (type) {
      case 'Issue':
      case 'PullRequest': {
        const issue = [...repo.issues.values()].find((i) => i.id === num)
        if (issue && !!issue.pull === (type === 'PullRequest')) return type === 'Issue' ? issueModel(ctx, repo, issue) : pullModel(ctx, repo, issue)
        break
      }
      case 'IssueComment': {
        const c = repo.comments.get(num)
        if (c) return commentModel(ctx, repo, c)
        break
      }
      case 'PullRequestReview': {
        const r = repo.reviews.get(num)
        const issue = r && repo.issues.get(r.pullNumber)
        if (r && issue) return reviewModel(ctx, repo, issue, r)
        break
      }
      case 'Label': {
        const l = [...repo.labels.values()].find((x) => x.id === num)
        if (l) return labelModel(ctx, repo, l)
        break
      }
      case 'Milestone': {
        const m = [...repo.milestones.values()].find((x) => x.id === num)
        if (m) return milestoneModel(ctx, repo, m)
        break
      }
    }
  }
  return null
}

const nodeNotFound = (id: string) => new GhError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`)

/** Returns the Query root object. */
export function queryRoot(ctx: GqlContext, cost: QueryCost): Model {
  return {
    __typename: 'Query',
    viewer: () => userModel(ctx, ctx.viewer),
    rateLimit: () => ({ __typename: 'RateLimit', cost: cost.cost, nodeCount: cost.nodeCount, ...cost.budget }),
    relay: () => queryRoot(ctx, cost),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = ctx.findRepo(owner, name)
      if (!repo) throw new GhError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`)
      return repoModel(ctx, repo)
    },
    repositoryOwner: ({ login }: { login: string }) => {
      const u = findUser(ctx, login)
      return u && u.type !== 'Bot' ? actorModel(ctx, u.login) : null
    },
    user: ({ login }: { login: string }) => {
      const u = findUser(ctx, login)
      if (!u || u.type !== 'User') throw new GhError('NOT_FOUND', `Could not resolve to a User with the login of '${login}'.`)
      return userModel(ctx, u.login)
    },
    organization: ({ login }: { login: string }) => {
      const o = findOrg(ctx, login)
      if (!o) throw new GhError('NOT_FOUND', `Could not resolve to an Organization with the login of '${login}'.`)
      return orgModel(ctx, o)
    },
    node: async ({ id }: { id: string }) => {
      const node = await nodeById(ctx, id)
      if (!node) throw nodeNotFound(id)
      return node
    },
    nodes: async ({ ids }: { ids: string[] }) => {
      if (ids.length > 100) throw new GhError('ARGUMENT_LIMIT', 'You may not request more than 100 nodes at once.')
      return Promise.all(ids.map(async (id) => (await nodeById(ctx, id)) ?? nodeNotFound(id)))
    },
    search: field((args, _ctx, info) => {
      const query = String(args.query)
      const canRead = ctx.canRead.bind(ctx)
      if (args.type === 'ISSUE') {
        const hits = searchIssues(ctx.state, query, canRead)
        return connection(hits.slice(0, MAX_SEARCH_RESULTS), args, info, (h) => issueOrPullModel(ctx, h.repo, h.issue), {
          extra: { issueCount: hits.length, repositoryCount: 0, userCount: 0, codeCount: 0, wikiCount: 0, discussionCount: 0 }
        })
      }
      if (args.type === 'REPOSITORY') {
        const repos = searchRepos(ctx.state, query, canRead)
        return connection(repos, args, info, (r) => repoModel(ctx, r), {
          extra: { issueCount: 0, repositoryCount: repos.length, userCount: 0, codeCount: 0, wikiCount: 0, discussionCount: 0 }
        })
      }
      return connection([], args, info, () => null, { extra: { issueCount: 0, repositoryCount: 0, userCount: 0, codeCount: 0, wikiCount: 0, discussionCount: 0 } })
    })
  }
}
