/** Organization membership and team routes. */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { userPayload } from '../shapes.js'
import type { SimOrg } from '../state.js'

function org(ctx: RouteContext): SimOrg {
  const o = ctx.state.orgs.get(ctx.params.org)
  if (!o) throw new HttpError(404, 'Not Found')
  return o
}

export const orgRoutes: RouteTable = {
  'orgs/check-membership-for-user': (ctx) => {
    ctx.actor()
    if (org(ctx).members.includes(ctx.params.username)) return { status: 204 }
    throw new HttpError(404, 'Not Found')
  },

  'orgs/get-membership-for-user': (ctx) => {
    ctx.actor()
    const o = org(ctx)
    if (!o.members.includes(ctx.params.username)) throw new HttpError(404, 'Not Found')
    return {
      status: 200,
      body: {
        url: `${ctx.sim.url}/orgs/${o.login}/memberships/${ctx.params.username}`,
        state: 'active',
        role: 'member',
        organization_url: `${ctx.sim.url}/orgs/${o.login}`,
        organization: {
          login: o.login,
          id: o.id,
          node_id: Buffer.from(`0:Organization${o.id}`).toString('base64'),
          url: `${ctx.sim.url}/orgs/${o.login}`,
          repos_url: `${ctx.sim.url}/orgs/${o.login}/repos`,
          events_url: `${ctx.sim.url}/orgs/${o.login}/events`,
          hooks_url: `${ctx.sim.url}/orgs/${o.login}/hooks`,
          issues_url: `${ctx.sim.url}/orgs/${o.login}/issues`,
          members_url: `${ctx.sim.url}/orgs/${o.login}/members{/member}`,
          public_members_url: `${ctx.sim.url}/orgs/${o.login}/public_members{/member}`,
          avatar_url: `${ctx.sim.url}/avatars/${o.login}`,
          description: null
        },
        user: userPayload(ctx.state, ctx.params.username)
      }
    }
  },

  'teams/get-membership-for-user-in-org': (ctx) => {
    ctx.actor()
    const team = org(ctx).teams.get(ctx.params.team_slug)
    if (!team || !team.members.includes(ctx.params.username)) throw new HttpError(404, 'Not Found')
    return {
      status: 200,
      body: { url: `${ctx.sim.url}/orgs/${ctx.params.org}/teams/${team.slug}/memberships/${ctx.params.username}`, role: 'member', state: 'active' }
    }
  },

  'teams/list-members-in-org': (ctx) => {
    ctx.actor()
    const team = org(ctx).teams.get(ctx.params.team_slug)
    if (!team) throw new HttpError(404, 'Not Found')
    return ctx.page(team.members, (m) => userPayload(ctx.state, m))
  }
}
