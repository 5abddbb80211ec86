/** User, Bot, Organization and Team objects. */
import type { GqlContext, Model } from '../context.js'
import type { SimOrg, SimTeam, SimUser } from '../../state.js'
import { ensureUser } from '../../state.js'
import { nodeId } from '../ids.js'
import { connectionField } from '../connection.js'
import { repoModel } from './repository.js'

const CREATED = '2026-01-01T00:00:00Z'

/** Returns the user with this login (case-insensitive), or undefined. */
export function findUser(ctx: GqlContext, login: string): SimUser | undefined {
  const exact = ctx.state.users.get(login)
  if (exact) return exact
  const lower = login.toLowerCase()
  for (const u of ctx.state.users.values()) if (u.login.toLowerCase() === lower) return u
  return undefined
}

/** Returns the organization with this login (case-insensitive), or undefined. */
export function findOrg(ctx: GqlContext, login: string): SimOrg | undefined {
  const exact = ctx.state.orgs.get(login)
  if (exact) return exact
  const lower = login.toLowerCase()
  for (const o of ctx.state.orgs.values()) if (o.login.toLowerCase() === lower) return o
  return undefined
}

const avatar = (ctx: GqlContext, login: string) => (args: { size?: number }) => `${ctx.state.baseUrl}/avatars/${encodeURIComponent(login)}${args?.size ? `?s=${args.size}` : ''}`

/** Returns a User object (always typed User, as `viewer` is, even for an app's bot login). */
export function userModel(ctx: GqlContext, login: string): Model {
  const u = findUser(ctx, login) ?? ensureUser(ctx.state, login)
  return {
    __typename: 'User',
    id: nodeId('User', u.id),
    databaseId: u.id,
    login: u.login,
    name: null,
    email: '',
    bio: null,
    company: null,
    location: null,
    websiteUrl: null,
    twitterUsername: null,
    pronouns: null,
    avatarUrl: avatar(ctx, u.login),
    url: `${ctx.state.baseUrl}/${encodeURIComponent(u.login)}`,
    resourcePath: `/${u.login}`,
    createdAt: CREATED,
    updatedAt: CREATED,
    isViewer: u.login === ctx.viewer,
    isSiteAdmin: false,
    isEmployee: false,
    isHireable: false,
    isBountyHunter: false,
    isCampusExpert: false,
    isDeveloperProgramMember: false,
    isGitHubStar: false,
    organization: ({ login: org }: { login: string }) => {
      const o = findOrg(ctx, org)
      return o && o.members.includes(u.login) ? orgModel(ctx, o) : null
    },
    organizations: connectionField(
      () => [...ctx.state.orgs.values()].filter((o) => o.members.includes(u.login)),
      (o) => orgModel(ctx, o)
    ),
    repository: ({ name }: { name: string }) => {
      const repo = ctx.findRepo(u.login, name)
      return repo ? repoModel(ctx, repo) : null
    }
  }
}

/** Returns a Bot object. GitHub's GraphQL names bots without the `[bot]` suffix REST uses. */
export function botModel(ctx: GqlContext, u: SimUser): Model {
  const slug = u.login.replace(/\[bot\]$/, '')
  return {
    __typename: 'Bot',
    id: nodeId('Bot', u.id),
    databaseId: u.id,
    login: slug,
    avatarUrl: avatar(ctx, u.login),
    url: `${ctx.state.baseUrl}/apps/${slug}`,
    resourcePath: `/apps/${slug}`,
    createdAt: CREATED,
    updatedAt: CREATED
  }
}

/** Returns the Actor for a login: a User, a Bot or an Organization; null for no login. */
export function actorModel(ctx: GqlContext, login: string | null | undefined): Model | null {
  if (!login) return null
  const u = findUser(ctx, login) ?? ensureUser(ctx.state, login)
  if (u.type === 'Bot') return botModel(ctx, u)
  if (u.type === 'Organization') {
    const org = findOrg(ctx, u.login)
    if (org) return orgModel(ctx, org)
  }
  return userModel(ctx, u.login)
}

/** Returns an Organization object. */
export function orgModel(ctx: GqlContext, org: SimOrg): Model {
  const member = org.members.includes(ctx.viewer)
  return {
    __typename: 'Organization',
    id: nodeId('Organization', org.id),
    databaseId: org.id,
    login: org.login,
    name: org.login,
    description: null,
    email: null,
    location: null,
    websiteUrl: null,
    twitterUsername: null,
    avatarUrl: avatar(ctx, org.login),
    url: `${ctx.state.baseUrl}/${org.login}`,
    resourcePath: `/${org.login}`,
    createdAt: CREATED,
    updatedAt: CREATED,
    isVerified: false,
    viewerIsAMember: member,
    viewerCanAdminister: false,
    viewerCanCreateTeams: member,
    viewerCanCreateRepositories: member,
    team: ({ slug }: { slug: string }) => {
      const team = [...org.teams.values()].find((t) => t.slug.toLowerCase() === slug.toLowerCase())
      return team ? teamModel(ctx, org, team) : null
    },
    teams: connectionField(
      (args) => {
        let teams = [...org.teams.values()].sort((a, b) => a.slug.localeCompare(b.slug))
        if (args.query) teams = teams.filter((t) => t.slug.toLowerCase().includes(String(args.query).toLowerCase()))
        if (args.userLogins?.length) teams = teams.filter((t) => t.members.some((m) => (args.userLogins as string[]).includes(m)))
        return teams
      },
      (t) => teamModel(ctx, org, t)
    ),
    membersWithRole: connectionField(
      () => org.members,
      (m) => userModel(ctx, m),
      { edge: () => ({ role: 'MEMBER', hasTwoFactorEnabled: null }) }
    ),
    repository: ({ name }: { name: string }) => {
      const repo = ctx.findRepo(org.login, name)
      return repo ? repoModel(ctx, repo) : null
    },
    repositories: connectionField(
      () => [...ctx.state.repos.values()].filter((r) => r.owner === org.login && ctx.canRead(r)),
      (r) => repoModel(ctx, r)
    )
  }
}

const PERMISSION = { read: 'READ', triage: 'TRIAGE', write: 'WRITE', maintain: 'MAINTAIN', admin: 'ADMIN' } as const

/** Returns a Team object. */
export function teamModel(ctx: GqlContext, org: SimOrg, team: SimTeam): Model {
  return {
    __typename: 'Team',
    id: nodeId('Team', team.id),
    databaseId: team.id,
    slug: team.slug,
    name: team.slug,
    combinedSlug: `${org.login}/${team.slug}`,
    description: null,
    privacy: 'VISIBLE',
    notificationSetting: 'NOTIFICATIONS_ENABLED',
    url: `${ctx.state.baseUrl}/orgs/${org.login}/teams/${team.slug}`,
    resourcePath: `/orgs/${org.login}/teams/${team.slug}`,
    createdAt: CREATED,
    updatedAt: CREATED,
    parentTeam: null,
    viewerCanAdminister: false,
    organization: () => orgModel(ctx, org),
    members: connectionField(
      (args) => team.members.filter((m) => !args.query || m.toLowerCase().includes(String(args.query).toLowerCase())),
      (m) => userModel(ctx, m),
      { edge: () => ({ role: 'MEMBER' }) }
    ),
    repositories: connectionField(
      () =>
        Object.entries(team.repos)
          .map(([name, permission]) => ({ repo: ctx.state.repos.get(name.toLowerCase()), permission }))
          .filter((x) => x.repo && ctx.canRead(x.repo)),
      (x) => repoModel(ctx, x.repo!),
      { edge: (x) => ({ permission: PERMISSION[x.permission] }) }
    )
  }
}
