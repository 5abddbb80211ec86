/** Repository, user, permission and contents routes. */
import type { RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { GitRepo } from '../git.js'
import { repoPayload, userPayload } from '../shapes.js'
import { permissionOf } from '../state.js'

/** GitHub's legacy `permission` field collapses the five roles into read, write, admin (and none). */
function legacyPermission(p: string): string {
  if (p === 'maintain') return 'write'
  if (p === 'triage') return 'read'
  return p
}

export const repoRoutes: RouteTable = {
  'meta/root': (ctx) => ({ status: 200, body: { current_user_url: `${ctx.sim.url}/user` } }),

  'rate-limit/get': () => {
    const core = { limit: 5000, used: 1, remaining: 4999, reset: 1767229200 }
    return { status: 200, body: { resources: { core, graphql: core, search: { ...core, limit: 30 } }, rate: core } }
  },

  'users/get-authenticated': (ctx) => ({ status: 200, body: { ...userPayload(ctx.state, ctx.actor()), name: null } }),

  'users/get-by-username': (ctx) => {
    if (!ctx.state.users.has(ctx.params.username)) throw new HttpError(404, 'Not Found')
    return { status: 200, body: userPayload(ctx.state, ctx.params.username) }
  },

  'repos/get': (ctx) => ({ status: 200, body: repoPayload(ctx.state, ctx.repo()) }),

  'repos/get-content': async (ctx) => {
    const repo = ctx.repo()
    const git = new GitRepo(repo.gitDir)
    const ref = ctx.query.get('ref') ?? repo.defaultBranch
    const sha = await git.resolve(ref)
    if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`)
    const path = ctx.params.path.replace(/^\/+|\/+$/g, '')
    const content = await git.readFile(sha, path)
    if (content === null) throw new HttpError(404, 'Not Found')
    const blob = (await git.git(['rev-parse', `${sha}:${path}`])).trim()
    const api = `${ctx.sim.url}/repos/${repo.owner}/${repo.name}`
    const html = `${ctx.sim.url}/${repo.owner}/${repo.name}/blob/${ref}/${path}`
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: 'base64',
        size: content.length,
        name: path.split('/').pop(),
        path,
        content: content.toString('base64'),
        sha: blob,
        url: `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`,
        git_url: `${api}/git/blobs/${blob}`,
        html_url: html,
        download_url: `${ctx.sim.url}/raw/${repo.owner}/${repo.name}/${sha}/${path}`,
        _links: { self: `${api}/contents/${path}`, git: `${api}/git/blobs/${blob}`, html }
      }
    }
  },

  'repos/get-collaborator-permission-level': (ctx) => {
    const repo = ctx.repo()
    ctx.actor()
    const login = ctx.params.username
    if (!ctx.state.users.has(login)) throw new HttpError(404, 'Not Found')
    const p = permissionOf(ctx.state, repo, login)
    const role = p === 'none' ? 'none' : p
    return {
      status: 200,
      body: {
        permission: legacyPermission(p),
        role_name: role,
        user: { ...userPayload(ctx.state, login), role_name: role }
      }
    }
  },

  'repos/check-collaborator': (ctx) => {
    const repo = ctx.repo()
    ctx.actor()
    // Everyone can read a public repository; that alone does not make a collaborator.
    if (permissionOf(ctx.state, repo, ctx.params.username, false) !== 'none') return { status: 204 }
    throw new HttpError(404, 'Not Found')
  },

  'repos/list-collaborators': (ctx) => {
    const repo = ctx.repo()
    ctx.actor()
    const logins = [repo.owner, ...repo.collaborators.keys()].filter((l, i, a) => a.indexOf(l) === i && ctx.state.users.get(l)?.type !== 'Organization')
    return ctx.page(logins, (l) => {
      const p = permissionOf(ctx.state, repo, l)
      return {
        ...userPayload(ctx.state, l),
        role_name: p,
        permissions: { pull: true, triage: p !== 'read', push: ['write', 'maintain', 'admin'].includes(p), maintain: ['maintain', 'admin'].includes(p), admin: p === 'admin' }
      }
    })
  }
}
