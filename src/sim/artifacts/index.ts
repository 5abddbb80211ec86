/**
 * The Actions artifact service `@actions/artifact@6` talks to: the Twirp results API, blob storage
 * behind signed URLs, and the two REST routes of cross-run (`findBy`) downloads.
 */
import type { ServerResponse } from 'node:http'
import type { ExtraHandler } from '../extra.js'
import { TWIRP_PREFIX, handleTwirp } from './twirp.js'
import { BLOB_PREFIX, handleBlob, type RawReply } from './blob.js'
import { DOWNLOAD_ARTIFACT, LIST_REPO_ARTIFACTS, LIST_RUN_ARTIFACTS, handleArtifactRest } from './rest.js'

export { artifactEnv, type ArtifactEnv } from './runtime.js'
export { artifactStore, type ArtifactRecord } from './store.js'

/** Writes a binary blob reply itself (JSON replies go back through the server). */
function writeRaw(res: ServerResponse, reply: RawReply): null {
  res.writeHead(reply.status, { ...reply.headers, ...(reply.body && !reply.headers['content-length'] ? { 'content-length': String(reply.body.length) } : {}) })
  res.end(reply.body)
  return null
}

/** The `artifact` extra handler: claims only the Twirp service, `/_blob/<id>`, and the three REST routes. */
export const artifactHandler: ExtraHandler = {
  name: 'artifact',
  matches(method, pathname) {
    if (pathname.startsWith(TWIRP_PREFIX)) return method === 'POST'
    if (pathname.startsWith(BLOB_PREFIX)) return /^\/_blob\/[^/]+$/.test(pathname)
    return (method === 'GET' || method === 'HEAD') && (LIST_RUN_ARTIFACTS.test(pathname) || LIST_REPO_ARTIFACTS.test(pathname) || DOWNLOAD_ARTIFACT.test(pathname))
  },
  async handle(sim, req, res, url, body, token) {
    const method = (req.method ?? 'GET').toUpperCase()
    if (url.pathname.startsWith(TWIRP_PREFIX)) {
      return handleTwirp(sim, url.pathname.slice(TWIRP_PREFIX.length), String(req.headers['content-type'] ?? ''), body, token)
    }
    if (url.pathname.startsWith(BLOB_PREFIX)) {
      return writeRaw(res, handleBlob(sim.state, method, url.pathname.slice(BLOB_PREFIX.length), url.searchParams, req.headers, body))
    }
    const result = handleArtifactRest(sim, url, token)
    return method === 'HEAD' ? { ...result, body: undefined } : result
  }
}
