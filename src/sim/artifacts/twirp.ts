/**
 * The Twirp JSON API of `github.actions.results.api.v1.ArtifactService`, as `@actions/artifact@6`
 * calls it (proto field names, int64 as strings, wrappers as bare values, timestamps as RFC 3339).
 */
import type { Simulator } from '../server.js'
import type { RouteResult } from '../context.js'
import type { SimToken } from '../state.js'
import { nextId, now } from '../state.js'
import { artifactStore, sha256Digest, signedBlobUrl, type ArtifactRecord } from './store.js'
import { backendIdsOf, runIdOf } from './runtime.js'

/** Path prefix of the Twirp service; the method name follows it. */
export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'

type Body = Record<string, unknown>

const METHODS = new Set(['CreateArtifact', 'FinalizeArtifact', 'ListArtifacts', 'GetSignedArtifactURL', 'DeleteArtifact'])

const twirpError = (status: number, code: string, msg: string): RouteResult => ({ status, body: { code, msg } })

/** Reads a field by its proto name, or its lowerCamelCase JSON name. */
function field(body: Body, name: string): unknown {
  return body[name] ?? body[name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())]
}

const str = (body: Body, name: string): string => {
  const v = field(body, name)
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

/** Returns the message shape of an artifact in ListArtifactsResponse. */
function monolith(rec: ArtifactRecord): Body {
  return {
    workflow_run_backend_id: rec.runBackendId,
    workflow_job_run_backend_id: rec.jobBackendId,
    database_id: String(rec.id),
    name: rec.name,
    size: String(rec.size),
    created_at: rec.createdAt,
    ...(rec.digest ? { digest: rec.digest } : {})
  }
}

/** Answers one Twirp call. Errors use Twirp's `{code, msg}` body. */
export function handleTwirp(sim: Simulator, method: string, contentType: string, raw: Buffer, token: SimToken | null): RouteResult {
  if (!METHODS.has(method)) return twirpError(404, 'bad_route', `no handler for path "${TWIRP_PREFIX}${method}"`)
  if (!/^application\/json\b/i.test(contentType)) return twirpError(404, 'bad_route', `unexpected Content-Type: ${JSON.stringify(contentType)}`)
  let body: Body
  try {
    body = raw.length ? (JSON.parse(raw.toString('utf8')) as Body) : {}
  } catch {
    return twirpError(400, 'malformed', 'the json request could not be decoded')
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return twirpError(400, 'malformed', 'the json request could not be decoded')
  const granted = token ? backendIdsOf(token.token) : null
  if (!granted) return twirpError(401, 'unauthenticated', 'the runtime token grants no Actions.Results scope')
  const run = str(body, 'workflow_run_backend_id')
  const job = str(body, 'workflow_job_run_backend_id')
  if (!run || !job) return twirpError(400, 'invalid_argument', 'workflow_run_backend_id and workflow_job_run_backend_id are required')
  if (run !== granted.runBackendId) return twirpError(403, 'permission_denied', 'the runtime token does not grant access to this workflow run')

  const state = sim.state
  const store = artifactStore(state)
  const inRun = [...store.artifacts.values()].filter((a) => a.runBackendId === run)
  const live = (a: ArtifactRecord) => a.status === 'finalized' && Date.parse(a.expiresAt) > state.clock
  const name = str(body, 'name')

  switch (method) {
    case 'CreateArtifact': {
      if (!name) return twirpError(400, 'invalid_argument', 'name is required')
      if (inRun.some((a) => a.name === name && a.status === 'finalized')) {
        return twirpError(409, 'already_exists', `an artifact with this name already exists on the workflow run`)
      }
      for (const a of inRun) if (a.name === name) store.artifacts.delete(a.id)
      const runId = runIdOf(run)
      const repo = runId === null ? undefined : [...state.repos.entries()].find(([, r]) => r.workflowRuns.has(runId))?.[0]
      const createdAt = now(state)
      const expiresAt = str(body, 'expires_at')
      const rec: ArtifactRecord = {
        id: nextId(state),
        name,
        runBackendId: run,
        jobBackendId: job,
        runId,
        repo: repo ?? null,
        status: 'pending',
        size: 0,
        digest: null,
        createdAt,
        updatedAt: createdAt,
        expiresAt: expiresAt || new Date(Date.parse(createdAt) + 90 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        blob: { blocks: new Map(), data: null, contentType: str(body, 'mime_type') || 'application/zip', etag: '', lastModified: '' }
      }
      store.artifacts.set(rec.id, rec)
      return { status: 200, body: { ok: true, signed_upload_url: signedBlobUrl(sim.url, store, rec, 'cw') } }
    }
    case 'FinalizeArtifact': {
      const rec = inRun.find((a) => a.name === name && a.status === 'pending')
      if (!rec) return twirpError(404, 'not_found', `no pending artifact named ${JSON.stringify(name)} on this workflow run`)
      const data = rec.blob.data
      if (!data) return twirpError(412, 'failed_precondition', 'the artifact blob has not been committed')
      const size = Number(str(body, 'size') || '0')
      if (size !== data.length) return twirpError(400, 'invalid_argument', `size ${size} does not match the uploaded blob (${data.length} bytes)`)
      const digest = sha256Digest(data)
      const hash = str(body, 'hash')
      if (hash && hash.toLowerCase() !== digest) return twirpError(400, 'invalid_argument', `hash ${hash} does not match the uploaded blob (${digest})`)
      Object.assign(rec, { status: 'finalized', size, digest, updatedAt: now(state) })
      return { status: 200, body: { ok: true, artifact_id: String(rec.id) } }
    }
    case 'ListArtifacts': {
      const nameFilter = field(body, 'name_filter')
      const idFilter = field(body, 'id_filter')
      const hits = inRun
        .filter(live)
        .filter((a) => nameFilter === undefined || a.name === String(nameFilter))
        .filter((a) => idFilter === undefined || String(a.id) === String(idFilter))
        .sort((a, b) => a.id - b.id)
      return { status: 200, body: { artifacts: hits.map(monolith) } }
    }
    case 'GetSignedArtifactURL': {
      const rec = inRun.find((a) => a.name === name && live(a))
      if (!rec) return twirpError(404, 'not_found', `artifact ${JSON.stringify(name)} not found on this workflow run`)
      return { status: 200, body: { signed_url: signedBlobUrl(sim.url, store, rec, 'r') } }
    }
    default: {
      // DeleteArtifact
      const rec = inRun.find((a) => a.name === name && a.status === 'finalized')
      if (!rec) return twirpError(404, 'not_found', `artifact ${JSON.stringify(name)} not found on this workflow run`)
      store.artifacts.delete(rec.id)
      return { status: 200, body: { ok: true, artifact_id: String(rec.id) } }
    }
  }
}
