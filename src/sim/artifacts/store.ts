/**
 * The artifact service's storage: artifacts and their blobs, kept per world (keyed by the
 * `SimState` object, so `Simulator.reset()` forgets them), and the signing of blob URLs.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { SimState } from '../state.js'

/** An Azure-style block blob: staged blocks until a block list commits them into `data`. */
export interface ArtifactBlob {
  blocks: Map<string, Buffer>
  data: Buffer | null
  contentType: string
  etag: string
  lastModified: string
}

/** One artifact, pending between CreateArtifact and FinalizeArtifact. */
export interface ArtifactRecord {
  id: number
  name: string
  runBackendId: string
  jobBackendId: string
  /** The numeric workflow run id encoded in the backend id, or null for a foreign backend id. */
  runId: number | null
  /** "owner/name" (lower case) of the repository whose run uploaded it, or null when the run is unknown. */
  repo: string | null
  status: 'pending' | 'finalized'
  size: number
  /** `sha256:<hex>` of the blob, set on finalize. */
  digest: string | null
  createdAt: string
  updatedAt: string
  expiresAt: string
  blob: ArtifactBlob
}

/** Everything the artifact service keeps for one world. */
export interface ArtifactStore {
  secret: Buffer
  artifacts: Map<number, ArtifactRecord>
}

const stores = new WeakMap<SimState, ArtifactStore>()

/** Returns the artifact store of a world, creating it on first use. */
export function artifactStore(state: SimState): ArtifactStore {
  let store = stores.get(state)
  if (!store) {
    store = { secret: randomBytes(32), artifacts: new Map() }
    stores.set(state, store)
  }
  return store
}

/** Returns `sha256:<hex>` of a buffer, as the artifact service reports digests. */
export function sha256Digest(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/** Permissions a signed blob URL grants: `cw` to upload, `r` to download. */
export type BlobPermission = 'cw' | 'r'

function signature(store: ArtifactStore, id: number, sp: BlobPermission): string {
  return createHmac('sha256', store.secret).update(`${id}:${sp}`).digest('base64url')
}

/** Returns a SAS-like URL for an artifact's blob, served by the simulator under `/_blob/`. */
export function signedBlobUrl(baseUrl: string, store: ArtifactStore, rec: ArtifactRecord, sp: BlobPermission): string {
  const se = new Date(Date.now() + 6 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const q = new URLSearchParams({ sv: '2025-11-05', sr: 'b', sp, se, sig: signature(store, rec.id, sp) })
  return `${baseUrl}/_blob/${rec.id}?${q}`
}

/** Returns true when the URL's `sig` is valid for the blob and grants `need` (`w` or `r`). */
export function checkSignature(store: ArtifactStore, id: number, query: URLSearchParams, need: 'w' | 'r'): boolean {
  const sp = query.get('sp') as BlobPermission | null
  if ((sp !== 'cw' && sp !== 'r') || !sp.includes(need)) return false
  const want = Buffer.from(signature(store, id, sp))
  const got = Buffer.from(query.get('sig') ?? '')
  return got.length === want.length && timingSafeEqual(got, want)
}
