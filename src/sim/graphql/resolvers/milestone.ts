/** The Milestone object and `Repository.milestones`. */
import type { Args, GqlContext, Model } from '../context.js'
import type { SimMilestone, SimRepo } from '../../state.js'
import { PERMISSION_ORDER } from '../../state.js'
import { nodeId } from '../ids.js'
import { connectionField } from '../connection.js'
import { actorModel } from './actors.js'
import { issueModel, pullModel } from './issue.js'
import { listIssues, repoModel } from './repository.js'

/** Returns the repository's milestones filtered and ordered as `Repository.milestones` does (default: by number). */
export function listMilestones(repo: SimRepo, args: Args): SimMilestone[] {
  const states = args.states as string[] | undefined
  const q = String(args.query ?? '').toLowerCase()
  const items = [...repo.milestones.values()].filter((m) => (!states?.length || states.includes(m.state.toUpperCase())) && (!q || m.title.toLowerCase().includes(q)))
  const field = args.orderBy?.field ?? 'NUMBER'
  const key = (m: SimMilestone): string | number =>
    field === 'CREATED_AT' ? m.createdAt : field === 'UPDATED_AT' ? m.updatedAt : field === 'DUE_DATE' ? (m.dueOn ?? '\uffff') : m.number
  const sign = args.orderBy?.direction === 'DESC' ? -1 : 1
  return items.sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    return (ka < kb ? -1 : ka > kb ? 1 : a.number - b.number) * sign
  })
}

/** Returns a Milestone object. */
export function milestoneModel(ctx: GqlContext, repo: SimRepo, m: SimMilestone): Model {
  const path = `/${repo.owner}/${repo.name}/milestone/${m.number}`
  const items = () => [...repo.issues.values()].filter((i) => i.milestone === m.number)
  const canWrite = PERMISSION_ORDER.indexOf(ctx.permission(repo) as never) >= PERMISSION_ORDER.indexOf('write')
  return {
    __typename: 'Milestone',
    id: nodeId('Milestone', m.id),
    number: m.number,
    title: m.title,
    description: m.description,
    state: m.state.toUpperCase(),
    closed: m.state === 'closed',
    closedAt: m.closedAt,
    dueOn: m.dueOn,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    creator: () => actorModel(ctx, m.creator),
    progressPercentage: () => {
      const all = items()
      return all.length ? (100 * all.filter((i) => i.state === 'closed').length) / all.length : 0
    },
    url: `${ctx.state.baseUrl}${path}`,
    resourcePath: path,
    viewerCanClose: canWrite && m.state === 'open',
    viewerCanReopen: canWrite && m.state === 'closed',
    repository: () => repoModel(ctx, repo),
    issues: connectionField(
      (args) => listIssues(repo, false, args).filter((i) => i.milestone === m.number),
      (i) => issueModel(ctx, repo, i)
    ),
    pullRequests: connectionField(
      (args) => listIssues(repo, true, args).filter((i) => i.milestone === m.number),
      (i) => pullModel(ctx, repo, i)
    )
  }
}
