/**
 * Releases and release assets: the per-repository store, the REST shapes GitHub answers with, the
 * `release` webhook events, and which release is "latest". Permission checks stay with the routes.
 */
import { createHash } from 'node:crypto'
import type { Changer } from './issues.js'
import { userPayload } from './shapes.js'
import type { SimRelease, SimReleaseAsset, SimReleases, SimRepo, SimState } from './state.js'

/** GitHub's limit on a release body, in characters. */
export const RELEASE_BODY_LIMIT = 125_000

/** Returns the repository's releases, creating the empty store on first use. */
export function releasesOf(repo: SimRepo): SimReleases {
  repo.releases ??= { byId: new Map(), latestId: null }
  return repo.releases
}

/** Returns the releases for a tag, oldest first (several drafts may share a tag, as on GitHub). */
export function releasesForTag(repo: SimRepo, tag: string): SimRelease[] {
  return [...releasesOf(repo).byId.values()].filter((r) => r.tagName === tag)
}

/**
 * Returns the latest release: the one last marked latest while it is still published and not a
 * pre-release, else the published non-pre-release created last. Undefined when there is none.
 */
export function latestRelease(repo: SimRepo): SimRelease | undefined {
  const store = releasesOf(repo)
  const marked = store.latestId === null ? undefined : store.byId.get(store.latestId)
  if (marked && !marked.draft && !marked.prerelease) return marked
  const finals = [...store.byId.values()].filter((r) => !r.draft && !r.prerelease)
  return finals.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)[0]
}

/** Returns `sha256:<hex>` of the bytes, GitHub's asset digest. */
export function assetDigest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

const apiOf = (state: SimState, repo: SimRepo): string => `${state.baseUrl}/repos/${repo.owner}/${repo.name}`

/** The web path segment of a release: its tag, or `untagged-<id>` for a draft, as GitHub shows drafts. */
const webTag = (r: SimRelease): string => (r.draft ? `untagged-${r.id}` : encodeURIComponent(r.tagName))

/** Returns the release-asset shape. */
export function assetPayload(state: SimState, repo: SimRepo, r: SimRelease, a: SimReleaseAsset): Record<string, unknown> {
  return {
    url: `${apiOf(state, repo)}/releases/assets/${a.id}`,
    browser_download_url: `${state.baseUrl}/${repo.owner}/${repo.name}/releases/download/${webTag(r)}/${encodeURIComponent(a.name)}`,
    id: a.id,
    node_id: Buffer.from(`RA_${a.id}`).toString('base64'),
    name: a.name,
    label: a.label,
    state: 'uploaded',
    content_type: a.contentType,
    size: a.bytes.length,
    digest: a.digest,
    download_count: a.downloads,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    uploader: userPayload(state, a.uploader)
  }
}

/** Returns the release shape (the upload URL is on the simulator's own origin, where GitHub has uploads.github.com). */
export function releasePayload(state: SimState, repo: SimRepo, r: SimRelease): Record<string, unknown> {
  const api = apiOf(state, repo)
  return {
    url: `${api}/releases/${r.id}`,
    html_url: `${state.baseUrl}/${repo.owner}/${repo.name}/releases/tag/${webTag(r)}`,
    assets_url: `${api}/releases/${r.id}/assets`,
    upload_url: `${api}/releases/${r.id}/assets{?name,label}`,
    tarball_url: r.draft ? null : `${api}/tarball/${encodeURIComponent(r.tagName)}`,
    zipball_url: r.draft ? null : `${api}/zipball/${encodeURIComponent(r.tagName)}`,
    id: r.id,
    node_id: Buffer.from(`RE_${r.id}`).toString('base64'),
    tag_name: r.tagName,
    target_commitish: r.targetCommitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    immutable: false,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    updated_at: r.updatedAt,
    author: userPayload(state, r.author),
    assets: r.assets.map((a) => assetPayload(state, repo, r, a))
  }
}

/** Emits a `release` event for the release as it stands. */
export function emitRelease(ctx: Changer, repo: SimRepo, r: SimRelease, action: string, extra: Record<string, unknown> = {}): void {
  ctx.emit(repo, 'release', action, { release: releasePayload(ctx.state, repo, r), ...extra })
}

/**
 * Emits what GitHub sends when a release becomes public: `published`, then `prereleased` or
 * `released`.
 */
export function emitPublished(ctx: Changer, repo: SimRepo, r: SimRelease): void {
  emitRelease(ctx, repo, r, 'published')
  emitRelease(ctx, repo, r, r.prerelease ? 'prereleased' : 'released')
}
