/**
 * Release asset bytes, which GitHub serves outside api.github.com: uploads go to the release's
 * `upload_url` (uploads.github.com; here the simulator's own origin, same path) with the raw bytes
 * as the body, and downloads come from `browser_download_url` (`/OWNER/REPO/releases/download/TAG/NAME`).
 */
import type { ExtraHandler } from './extra.js'
import { RouteContext } from './context.js'
import { HttpError } from './http.js'
import { assetDigest, assetPayload, releasesOf } from './releases.js'
import { releaseOf, seesDrafts } from './routes/releases.js'
import type { SimReleaseAsset } from './state.js'
import { nextId, now } from './state.js'

const UPLOAD = /^\/repos\/([^/]+)\/([^/]+)\/releases\/(\d+)\/assets$/
const DOWNLOAD = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/

/**
 * `POST {upload_url}?name=NAME[&label=LABEL]`: stores the body's bytes as an asset of the release
 * (write access). A name the release already has is 422 `already_exists`, as on GitHub.
 */
export const releaseUploadHandler: ExtraHandler = {
  // Named by operationId, so faults and the request log address uploads like any REST route.
  name: 'repos/upload-release-asset',
  matches: (method, pathname) => method === 'POST' && UPLOAD.test(pathname),
  async handle(sim, req, _res, url, body, token) {
    const [, owner, repoName, releaseId] = UPLOAD.exec(url.pathname)!
    const params = { owner: decodeURIComponent(owner), repo: decodeURIComponent(repoName), release_id: releaseId }
    const ctx = new RouteContext(sim, 'repos/upload-release-asset', url.pathname, params, url.searchParams, undefined, token)
    const repo = ctx.repo()
    const login = ctx.require(repo, 'write')
    const release = releaseOf(ctx, repo)
    const name = url.searchParams.get('name')
    if (!name) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }] })
    const contentType = req.headers['content-type']
    if (!contentType) throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'content_type' }] })
    if (release.assets.some((a) => a.name === name)) {
      throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] })
    }
    const t = now(sim.state)
    const asset: SimReleaseAsset = {
      id: nextId(sim.state),
      name,
      label: url.searchParams.get('label'),
      contentType,
      bytes: Buffer.from(body),
      digest: assetDigest(body),
      uploader: login,
      createdAt: t,
      updatedAt: t,
      downloads: 0
    }
    release.assets.push(asset)
    release.updatedAt = t
    const payload = assetPayload(sim.state, repo, release, asset)
    if (sim.options.checkResponses) {
      const drift = sim.spec.validateResponse('repos/upload-release-asset', 201, payload)
      if (drift.length) throw new HttpError(500, `Simulator response for repos/upload-release-asset violates GitHub's schema: ${drift.slice(0, 5).join(' ')}`)
    }
    return { status: 201, body: payload }
  }
}

/** `GET browser_download_url`: the asset's bytes (a draft's assets only for callers who see drafts). */
export const releaseDownloadHandler: ExtraHandler = {
  name: 'release-download',
  matches: (method, pathname) => (method === 'GET' || method === 'HEAD') && DOWNLOAD.test(pathname),
  async handle(sim, req, res, url, _body, token) {
    const [, owner, repoName, tag, name] = DOWNLOAD.exec(url.pathname)!.map(decodeURIComponent)
    const ctx = new RouteContext(sim, 'release-download', url.pathname, { owner, repo: repoName }, url.searchParams, undefined, token)
    const repo = ctx.repo()
    const drafts = seesDrafts(ctx, repo)
    const release = [...releasesOf(repo).byId.values()].find((r) => (r.draft ? drafts && tag === `untagged-${r.id}` : r.tagName === tag))
    const asset = release?.assets.find((a) => a.name === name)
    if (!asset) throw new HttpError(404, 'Not Found')
    asset.downloads++
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(asset.bytes.length), 'content-disposition': `attachment; filename=${encodeURIComponent(asset.name)}` })
    res.end(req.method === 'HEAD' ? undefined : asset.bytes)
    return null
  }
}
