/**
 * Azure-style block blob storage behind the artifact service's signed URLs (`/_blob/<id>?sig=…`):
 * Put Block, Put Block List, single-shot Put Blob, Get Blob (with ranges) and Get Blob Properties,
 * as `@azure/storage-blob`'s `BlockBlobClient.uploadStream` and `@actions/artifact`'s download use them.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { createHash, randomUUID } from 'node:crypto'
import type { SimState } from '../state.js'
import { artifactStore, checkSignature, type ArtifactBlob, type ArtifactRecord } from './store.js'

/** Path prefix of blob URLs. */
export const BLOB_PREFIX = '/_blob/'

/** A raw HTTP reply (blob bodies are binary, so they bypass the JSON response path). */
export interface RawReply {
  status: number
  headers: Record<string, string>
  body?: Buffer
}

const X_MS_VERSION = '2025-11-05'

function baseHeaders(): Record<string, string> {
  return { 'x-ms-request-id': randomUUID(), 'x-ms-version': X_MS_VERSION, date: new Date().toUTCString() }
}

function azureError(status: number, code: string, message: string): RawReply {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:sim\nTime:${new Date().toISOString()}</Message></Error>`
  return { status, headers: { ...baseHeaders(), 'content-type': 'application/xml', 'x-ms-error-code': code }, body: Buffer.from(xml) }
}

/** Returns the block ids, in order, of a Put Block List body (`<Latest>`, `<Uncommitted>` or `<Committed>`). */
export function parseBlockList(xml: string): string[] | null {
  if (!/<BlockList>[\s\S]*<\/BlockList>/.test(xml)) return null
  return [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map((m) => m[2].trim())
}

function commit(state: SimState, blob: ArtifactBlob, data: Buffer, headers: IncomingHttpHeaders): Record<string, string> {
  blob.data = data
  blob.blocks.clear()
  const type = headers['x-ms-blob-content-type']
  if (typeof type === 'string' && type) blob.contentType = type
  blob.etag = `"0x8DE${createHash('sha256').update(data).digest('hex').slice(0, 13).toUpperCase()}"`
  blob.lastModified = new Date(state.clock).toUTCString()
  return { etag: blob.etag, 'last-modified': blob.lastModified, 'x-ms-request-server-encrypted': 'true' }
}

function download(rec: ArtifactRecord, method: string, headers: IncomingHttpHeaders): RawReply {
  const { blob } = rec
  const data = blob.data!
  const props: Record<string, string> = {
    ...baseHeaders(),
    'content-type': blob.contentType,
    'content-disposition': `attachment; filename="${rec.name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(rec.name)}`,
    etag: blob.etag,
    'last-modified': blob.lastModified,
    'accept-ranges': 'bytes',
    'x-ms-blob-type': 'BlockBlob',
    'x-ms-creation-time': new Date(rec.createdAt).toUTCString(),
    'x-ms-server-encrypted': 'true',
    'x-ms-lease-state': 'available',
    'x-ms-lease-status': 'unlocked'
  }
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(headers['x-ms-range'] ?? headers.range ?? ''))
  let body = data
  let status = 200
  if (range) {
    const start = Number(range[1])
    const end = Math.min(range[2] ? Number(range[2]) : data.length - 1, data.length - 1)
    if (start >= data.length || end < start) return azureError(416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.')
    body = data.subarray(start, end + 1)
    status = 206
    props['content-range'] = `bytes ${start}-${end}/${data.length}`
  }
  props['content-length'] = String(body.length)
  return { status, headers: props, body: method === 'HEAD' ? undefined : body }
}

/** Answers a blob request. `id` is the path segment after `/_blob/`. */
export function handleBlob(state: SimState, method: string, id: string, query: URLSearchParams, headers: IncomingHttpHeaders, body: Buffer): RawReply {
  const store = artifactStore(state)
  const rec = /^\d+$/.test(id) ? store.artifacts.get(Number(id)) : undefined
  const need = method === 'PUT' ? 'w' : 'r'
  if (!rec) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.')
  if (!checkSignature(store, rec.id, query, need)) {
    return azureError(403, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.')
  }
  if (method === 'GET' || method === 'HEAD') {
    if (!rec.blob.data) return azureError(404, 'BlobNotFound', 'The specified blob does not exist.')
    return download(rec, method, headers)
  }
  if (method !== 'PUT') return azureError(405, 'UnsupportedHttpVerb', `The resource doesn't support the specified HTTP verb ${method}.`)
  if (rec.status !== 'pending') return azureError(409, 'BlobImmutable', 'The artifact is finalized; its blob can no longer be written.')
  const created = (extra: Record<string, string>): RawReply => ({ status: 201, headers: { ...baseHeaders(), 'content-length': '0', ...extra } })
  const comp = query.get('comp')
  if (comp === 'block') {
    const blockId = query.get('blockid')
    if (!blockId) return azureError(400, 'MissingRequiredQueryParameter', 'A query parameter that is mandatory for this request is not specified: blockid.')
    rec.blob.blocks.set(blockId, Buffer.from(body))
    return created({ 'x-ms-request-server-encrypted': 'true', 'content-md5': createHash('md5').update(body).digest('base64') })
  }
  if (comp === 'blocklist') {
    const ids = parseBlockList(body.toString('utf8'))
    if (!ids) return azureError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.')
    const missing = ids.find((b) => !rec.blob.blocks.has(b))
    if (missing !== undefined) return azureError(400, 'InvalidBlockList', 'The specified block list is invalid.')
    return created(commit(state, rec.blob, Buffer.concat(ids.map((b) => rec.blob.blocks.get(b)!)), headers))
  }
  if (comp) return azureError(400, 'InvalidQueryParameterValue', `Value for one of the query parameters specified in the request URI is invalid: comp=${comp}.`)
  if (headers['x-ms-blob-type'] !== 'BlockBlob') return azureError(400, 'MissingRequiredHeader', 'An HTTP header that is mandatory for this request is not specified: x-ms-blob-type.')
  return created({ ...commit(state, rec.blob, Buffer.from(body), headers), 'content-md5': createHash('md5').update(body).digest('base64') })
}
