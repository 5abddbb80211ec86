/**
 * Release routes: create, list, read (by id, by tag, latest), edit and delete releases, and list,
 * read and delete their assets. Uploads and downloads of asset bytes are served outside the REST
 * description (GitHub uses uploads.github.com and github.com for them): see release-assets.ts.
 */
import type { RouteContext, RouteTable } from '../context.js'
import { HttpError } from '../http.js'
import { GitRepo } from '../git.js'
import { moveRef } from '../pushes.js'
import type { SimRelease, SimRepo } from '../state.js'
import { PERMISSION_ORDER, nextId, now, permissionOf } from '../state.js'
import { RELEASE_BODY_LIMIT, assetPayload, emitPublished, emitRelease, latestRelease, releasePayload, releasesForTag, releasesOf } from '../releases.js'
import { pusherOf } from './git.js'

const invalid = (field: string, code: string, message?: string): HttpError =>
  new HttpError(422, 'Validation Failed', { errors: [{ resource: 'Release', code, field, ...(message ? { message } : {}) }] })

/** Whether the caller may see drafts (push access), as GitHub shows drafts only to them. */
export function seesDrafts(ctx: RouteContext, repo: SimRepo): boolean {
  if (!ctx.token) return false
  if (ctx.token.kind === 'github-token' || ctx.token.kind === 'app') return true
  const have = permissionOf(ctx.state, repo, ctx.token.login)
  return have !== 'none' && PERMISSION_ORDER.indexOf(have) >= PERMISSION_ORDER.indexOf('write')
}

/** The release the route's {release_id} names. Throws 404 when unknown, or a draft the caller may not see. */
export function releaseOf(ctx: RouteContext, repo: SimRepo): SimRelease {
  const r = releasesOf(repo).byId.get(Number(ctx.params.release_id))
  if (!r || (r.draft && !seesDrafts(ctx, repo))) throw new HttpError(404, 'Not Found')
  return r
}

function checkBody(body: unknown): void {
  if (typeof body === 'string' && body.length > RELEASE_BODY_LIMIT) {
    throw invalid('body', 'custom', `body is too long (maximum is ${RELEASE_BODY_LIMIT} characters)`)
  }
}

/** A second published release for a tag is refused; drafts may share a tag (GitHub allows that too). */
function checkTagFree(repo: SimRepo, tag: string, self?: SimRelease): void {
  if (releasesForTag(repo, tag).some((r) => r !== self && !r.draft)) throw invalid('tag_name', 'already_exists')
}

/** Returns the commit a missing tag would be created at, or throws 422 when target_commitish names nothing. */
async function targetSha(git: GitRepo, repo: SimRepo, target: string): Promise<string> {
  const sha = (await git.resolve(`refs/heads/${target}`)) ?? (/^[0-9a-f]{40}$/.test(target) ? await git.resolveTo(target, 'commit') : null)
  if (!sha) throw invalid('target_commitish', 'invalid')
  return sha
}

/**
 * Publishing a release whose tag does not exist creates a lightweight tag at target_commitish, as
 * GitHub does; a draft never creates its tag.
 */
async function tagOnPublish(ctx: RouteContext, repo: SimRepo, r: SimRelease): Promise<void> {
  const git = new GitRepo(repo.gitDir)
  const ref = `refs/tags/${r.tagName}`
  if (await git.resolve(ref)) return
  await moveRef(ctx.state, repo, ref, await targetSha(git, repo, r.targetCommitish), null, pusherOf(ctx))
}

/** Applies `make_latest` (defaulting to "true" for a release published by this request). */
function markLatest(repo: SimRepo, r: SimRelease, given: unknown, publishedNow: boolean): void {
  const value = typeof given === 'string' ? given : publishedNow ? 'true' : undefined
  const store = releasesOf(repo)
  if (value === 'legacy') store.latestId = null
  // Drafts and pre-releases cannot be set as latest.
  else if (value === 'true' && !r.draft && !r.prerelease) store.latestId = r.id
}

function checkTagName(tag: string): void {
  if (!tag.trim()) throw invalid('tag_name', 'missing_field')
}

export const releaseRoutes: RouteTable = {
  'repos/create-release': async (ctx) => {
    const repo = ctx.repo()
    const login = ctx.require(repo, 'write')
    const b = ctx.body
    const tag = String(b.tag_name)
    checkTagName(tag)
    checkBody(b.body)
    const draft = b.draft === true
    if (!draft) checkTagFree(repo, tag)
    const git = new GitRepo(repo.gitDir)
    const target = typeof b.target_commitish === 'string' && b.target_commitish ? b.target_commitish : repo.defaultBranch
    if (!(await git.resolve(`refs/tags/${tag}`))) await targetSha(git, repo, target)
    const t = now(ctx.state)
    const r: SimRelease = {
      id: nextId(ctx.state),
      tagName: tag,
      targetCommitish: target,
      name: typeof b.name === 'string' ? b.name : null,
      body: typeof b.body === 'string' ? b.body : null,
      draft,
      prerelease: b.prerelease === true,
      author: login,
      createdAt: t,
      publishedAt: draft ? null : t,
      updatedAt: t,
      assets: []
    }
    if (!draft) await tagOnPublish(ctx, repo, r)
    releasesOf(repo).byId.set(r.id, r)
    markLatest(repo, r, b.make_latest, !draft)
    emitRelease(ctx, repo, r, 'created')
    if (!draft) emitPublished(ctx, repo, r)
    return { status: 201, body: releasePayload(ctx.state, repo, r) }
  },

  'repos/list-releases': (ctx) => {
    const repo = ctx.repo()
    const drafts = seesDrafts(ctx, repo)
    const items = [...releasesOf(repo).byId.values()].filter((r) => drafts || !r.draft).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
    return ctx.page(items, (r) => releasePayload(ctx.state, repo, r))
  },

  'repos/get-release': (ctx) => {
    const repo = ctx.repo()
    return { status: 200, body: releasePayload(ctx.state, repo, releaseOf(ctx, repo)) }
  },

  'repos/get-release-by-tag': (ctx) => {
    const repo = ctx.repo()
    // GitHub finds only published releases by tag; drafts are reached by id or in the list.
    const r = releasesForTag(repo, ctx.params.tag).find((x) => !x.draft)
    if (!r) throw new HttpError(404, 'Not Found')
    return { status: 200, body: releasePayload(ctx.state, repo, r) }
  },

  'repos/get-latest-release': (ctx) => {
    const repo = ctx.repo()
    const r = latestRelease(repo)
    if (!r) throw new HttpError(404, 'Not Found')
    return { status: 200, body: releasePayload(ctx.state, repo, r) }
  },

  'repos/update-release': async (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    const r = releaseOf(ctx, repo)
    const b = ctx.body ?? {}
    checkBody(b.body)
    const tag = typeof b.tag_name === 'string' ? b.tag_name : r.tagName
    checkTagName(tag)
    const draft = typeof b.draft === 'boolean' ? b.draft : r.draft
    if (!draft) checkTagFree(repo, tag, r)
    const target = typeof b.target_commitish === 'string' && b.target_commitish ? b.target_commitish : r.targetCommitish
    const git = new GitRepo(repo.gitDir)
    if (!draft && !(await git.resolve(`refs/tags/${tag}`))) await targetSha(git, repo, target)
    const changes: Record<string, { from: unknown }> = {}
    const set = <K extends 'name' | 'body' | 'tagName'>(key: K, field: string, value: SimRelease[K]) => {
      if (value === r[key]) return
      changes[field] = { from: r[key] ?? '' }
      r[key] = value
    }
    if (typeof b.name === 'string') set('name', 'name', b.name)
    if (typeof b.body === 'string') set('body', 'body', b.body)
    set('tagName', 'tag_name', tag)
    r.targetCommitish = target
    if (typeof b.prerelease === 'boolean') r.prerelease = b.prerelease
    const publishing = r.draft && !draft
    const unpublishing = !r.draft && draft
    r.draft = draft
    const t = now(ctx.state)
    r.updatedAt = t
    if (publishing) {
      r.publishedAt = t
      await tagOnPublish(ctx, repo, r)
    }
    if (unpublishing) r.publishedAt = null
    markLatest(repo, r, b.make_latest, publishing)
    if (Object.keys(changes).length) emitRelease(ctx, repo, r, 'edited', { changes })
    if (publishing) emitPublished(ctx, repo, r)
    if (unpublishing) emitRelease(ctx, repo, r, 'unpublished')
    return { status: 200, body: releasePayload(ctx.state, repo, r) }
  },

  'repos/delete-release': (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    const r = releaseOf(ctx, repo)
    const store = releasesOf(repo)
    const payload = releasePayload(ctx.state, repo, r)
    store.byId.delete(r.id)
    if (store.latestId === r.id) store.latestId = null
    // The tag stays, as on GitHub.
    ctx.emit(repo, 'release', 'deleted', { release: payload })
    return { status: 204 }
  },

  'repos/list-release-assets': (ctx) => {
    const repo = ctx.repo()
    const r = releaseOf(ctx, repo)
    return ctx.page(r.assets, (a) => assetPayload(ctx.state, repo, r, a))
  },

  'repos/get-release-asset': (ctx) => {
    const repo = ctx.repo()
    const { release, asset } = assetOf(ctx, repo)
    return { status: 200, body: assetPayload(ctx.state, repo, release, asset) }
  },

  'repos/delete-release-asset': (ctx) => {
    const repo = ctx.repo()
    ctx.require(repo, 'write')
    const { release, asset } = assetOf(ctx, repo)
    release.assets = release.assets.filter((a) => a !== asset)
    release.updatedAt = now(ctx.state)
    return { status: 204 }
  }
}

/** The asset the route's {asset_id} names and its release. Throws 404 when unknown or in a hidden draft. */
function assetOf(ctx: RouteContext, repo: SimRepo) {
  const id = Number(ctx.params.asset_id)
  const drafts = seesDrafts(ctx, repo)
  for (const release of releasesOf(repo).byId.values()) {
    if (release.draft && !drafts) continue
    const asset = release.assets.find((a) => a.id === id)
    if (asset) return { release, asset }
  }
  throw new HttpError(404, 'Not Found')
}
