/**
 * Uploads an artifact the way `@actions/artifact` (v2+, "artifacts v4") does, without loading it.
 * That client brings the Azure SDK, archiver and protobuf: loading it cost a test-report run about
 * 200 ms and 21 MiB, more than reading a report of 100,000 test cases. The protocol is small:
 *
 * 1. `CreateArtifact` (Twirp JSON, `ACTIONS_RESULTS_URL`, the runtime token's `Actions.Results`
 *    scope naming the run and job) answers a signed blob URL;
 * 2. the zip (or the one raw file, `skipArchive`) goes to that URL as an Azure block blob: one
 *    Put Blob when it fits in a block, else Put Block per block and Put Block List;
 * 3. `FinalizeArtifact` with its size and SHA-256 answers the artifact's id.
 *
 * The zip is streamed: each file deflated as it is read (src/core/zip.ts writes the records), at
 * most one block held. Requests go through `@actions/http-client` (proxy settings as the
 * toolkit's), Twirp calls retried as the library retries them (5 attempts, 3 s growing by 1.5×,
 * on 429, 500, 502, 503, 504 and network errors), blob requests likewise. Downloads still use
 * `@actions/artifact` (test/github/artifact-upload.test.ts downloads what this uploads with it).
 */
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { basename, extname, relative, sep } from 'node:path'
import { Readable, type Writable } from 'node:stream'
import { createDeflateRaw, crc32 } from 'node:zlib'
import { centralDirectory, dataDescriptor, dosDateTime, entryName, localHeader, type ZipEntry } from '../core/zip.js'
import { groupDigits } from '../core/numbers.js'
import { WRITE_CHARS, batches, render, type FileContent } from './write-pieces.js'

const SERVICE = 'github.actions.results.api.v1.ArtifactService'
/** Azure Blob REST version sent with blob requests. */
const BLOB_VERSION = '2024-11-04'
/** Bytes per blob block (the library's default chunk size). */
const BLOCK_BYTES = 8 * 1024 * 1024
/** Bytes per file read: what deflate takes in at a time. */
const READ_BYTES = 64 * 1024
/** Room for a batch of a rendered document in UTF-8 (a UTF-16 unit is at most 3 bytes); a longer batch gets its own Buffer. */
const BATCH_BYTES = 3 * WRITE_CHARS + 64 * 1024
const RETRYABLE = new Set([429, 500, 502, 503, 504])
/** Characters an artifact name may not hold (the service refuses them). */
const INVALID_NAME = /["\\:<>|*?\r\n/]/

/** Extensions and types of raw (unzipped) uploads; others are application/octet-stream. */
const MIME_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.csv': 'text/csv',
  '.xml': 'text/xml',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.png': 'image/png',
  '.svg': 'image/svg+xml'
}

export interface UploadOptions {
  /** Days before the artifact expires (capped at GITHUB_RETENTION_DAYS, the repository's setting). */
  retentionDays?: number
  /** Deflate level of the zip, 0–9 (default 6). */
  compressionLevel?: number
  /** Upload the one file as it is, named after it, instead of a zip. */
  skipArchive?: boolean
}

export interface UploadedArtifact {
  id: number
  /** Bytes uploaded (the zip, or the raw file). */
  size: number
  /** SHA-256 of the uploaded bytes, hex. */
  digest: string
}

export interface UploaderOptions {
  /** Environment to read the runtime token, results URL and server URL from (default process.env). */
  env?: NodeJS.ProcessEnv
  /** Bytes per blob block (default 8 MiB). */
  blockBytes?: number
  /** Attempts per request (default 5) and the first retry's delay in ms (default 3,000). */
  attempts?: number
  retryMs?: number
}

/** Uploads artifacts; the `uploadArtifact` of `@actions/artifact`'s DefaultArtifactClient, in its shape. */
export class ArtifactUploader {
  readonly #env: NodeJS.ProcessEnv
  readonly #blockBytes: number
  readonly #attempts: number
  readonly #retryMs: number

  constructor(options: UploaderOptions = {}) {
    this.#env = options.env ?? process.env
    this.#blockBytes = options.blockBytes ?? BLOCK_BYTES
    this.#attempts = options.attempts ?? 5
    this.#retryMs = options.retryMs ?? 3000
  }

  /** Uploads `files` (paths under `rootDirectory`, kept relative to it in the zip) as artifact `name`. */
  async uploadArtifact(name: string, files: string[], rootDirectory: string, options: UploadOptions = {}): Promise<UploadedArtifact> {
    const level = this.#check(name, options)
    if (options.skipArchive && files.length !== 1) throw new Error(`artifact ${name}: a raw upload (skipArchive) takes one file, not ${files.length}`)
    if (!files.length) throw new Error(`artifact ${name}: no files to upload`)
    const entries = options.skipArchive ? [] : files.map((path) => ({ path, name: zipName(name, path, rootDirectory) }))
    for (const path of files) {
      const s = await stat(path).catch(() => null)
      if (!s?.isFile()) throw new Error(`artifact ${name}: ${path} is not a file`)
    }
    if (options.skipArchive) {
      const type = MIME_TYPES[extname(files[0]).toLowerCase()] ?? 'application/octet-stream'
      return this.#upload(basename(files[0]), type, options, () => createReadStream(files[0], { highWaterMark: READ_BYTES }))
    }
    return this.#upload(name, 'application/zip', options, () => Readable.from(zipStream(entries, level)))
  }

  /**
   * Uploads documents (by their paths in the zip) as artifact `name`, zipped as they are rendered:
   * nothing is written to disk, and each batch is compressed while the next is rendered.
   */
  async uploadDocuments(name: string, documents: Record<string, FileContent>, options: Omit<UploadOptions, 'skipArchive'> = {}): Promise<UploadedArtifact> {
    const level = this.#check(name, options)
    const entries = Object.entries(documents).map(([path, content]) => {
      if (path.split(/[\\/]/).some((part) => part === '..')) throw new Error(`artifact ${name}: document ${JSON.stringify(path)} is not a path inside the zip`)
      entryName(path)
      return { name: path, content }
    })
    if (!entries.length) throw new Error(`artifact ${name}: no files to upload`)
    return this.#upload(name, 'application/zip', options, () => Readable.from(zipStream(entries, level)))
  }

  /** Checks what every upload needs before any request; returns the compression level. */
  #check(name: string, options: UploadOptions): number {
    const env = this.#env
    const server = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.toLowerCase()
    if (server !== 'github.com' && !server.endsWith('.ghe.com') && !server.endsWith('.localhost')) {
      throw new Error(`artifact ${name}: this artifact service (v4) is not on GitHub Enterprise Server (${server})`)
    }
    if (!name || INVALID_NAME.test(name)) throw new Error(`artifact name ${JSON.stringify(name)} is empty or holds one of " : < > | * ? \\ / CR LF`)
    const level = options.compressionLevel ?? 6
    if (!Number.isInteger(level) || level < 0 || level > 9) throw new Error(`artifact ${name}: compression level ${level} is not an integer from 0 to 9`)
    return level
  }

  /** Creates artifact `artifactName`, sends what `source` makes as its blob, and finalizes it. */
  async #upload(artifactName: string, contentType: string, options: UploadOptions, source: () => Readable): Promise<UploadedArtifact> {
    const env = this.#env
    const token = env.ACTIONS_RUNTIME_TOKEN
    if (!token) throw new Error(`artifact ${artifactName}: ACTIONS_RUNTIME_TOKEN is not set (artifacts upload only inside GitHub Actions)`)
    if (!env.ACTIONS_RESULTS_URL) throw new Error(`artifact ${artifactName}: ACTIONS_RESULTS_URL is not set (artifacts upload only inside GitHub Actions)`)
    const ids = backendIds(token)
    const results = new URL(env.ACTIONS_RESULTS_URL).origin
    const http = new HttpClient('shepherd-artifact', [], { allowRetries: false, keepAlive: true })
    try {
      const twirp = (method: string, body: Record<string, unknown>) => this.#twirp(http, results, token, method, body)
      const expires = expiresAt(options.retentionDays, env.GITHUB_RETENTION_DAYS)
      // The blob needs its URL only for its first block (or, under a block's size, for the whole
      // blob at its end): the zip is made while the service answers, not after. A refusal stops
      // the zip at its next chunk.
      const uploadUrl = twirp('CreateArtifact', {
        workflow_run_backend_id: ids.run,
        workflow_job_run_backend_id: ids.job,
        name: artifactName,
        mime_type: contentType,
        version: 7,
        ...(expires ? { expires_at: expires } : {})
      }).then((created) => {
        const url = String(created.signed_upload_url ?? created.signedUploadUrl ?? '')
        if (created.ok !== true || !url) throw new Error(`artifact ${artifactName}: CreateArtifact answered no upload URL`)
        maskSignature(url)
        return url
      })
      let refusal: { error: unknown } | undefined
      const answered = uploadUrl.then(
        () => undefined,
        (error: unknown) => void (refusal = { error })
      )
      const started = performance.now()
      // A zip that fails before the answer still waits for it: no request is left cut off.
      const uploaded = await this.#uploadBlob(http, uploadUrl, () => refusal, source(), contentType).finally(() => answered)
      core.info(`Artifact ${artifactName}: ${groupDigits(uploaded.size)} bytes uploaded in ${Math.round(performance.now() - started)} ms (SHA-256 ${uploaded.digest})`)
      const finalized = await twirp('FinalizeArtifact', {
        workflow_run_backend_id: ids.run,
        workflow_job_run_backend_id: ids.job,
        name: artifactName,
        size: String(uploaded.size),
        hash: `sha256:${uploaded.digest}`
      })
      const id = Number(finalized.artifact_id ?? finalized.artifactId)
      if (finalized.ok !== true || !Number.isSafeInteger(id)) throw new Error(`artifact ${artifactName}: FinalizeArtifact answered no artifact id`)
      return { id, ...uploaded }
    } finally {
      http.dispose()
    }
  }

  /**
   * Sends `source` to the signed blob URL (awaited when the first block or the whole blob is
   * ready) in blocks; returns its size and SHA-256. Stops with the error `refused` returns, once
   * it returns one.
   */
  async #uploadBlob(http: HttpClient, uploadUrl: Promise<string>, refused: () => { error: unknown } | undefined, source: Readable, contentType: string): Promise<{ size: number; digest: string }> {
    const hash = createHash('sha256')
    const blocks: string[] = []
    let pending: Buffer[] = []
    let pendingBytes = 0
    let size = 0
    const stage = async (data: Buffer) => {
      // Block ids are base64 of one length for every block of a blob.
      const id = Buffer.from(`block-${String(blocks.length).padStart(6, '0')}`).toString('base64')
      await this.#blob(http, 'Put Block', withQuery(await uploadUrl, `comp=block&blockid=${encodeURIComponent(id)}`), data, {})
      blocks.push(id)
    }
    for await (const chunk of source) {
      const refusal = refused()
      if (refusal) throw refusal.error
      const data = chunk as Buffer
      hash.update(data)
      size += data.length
      pending.push(data)
      pendingBytes += data.length
      if (pendingBytes >= this.#blockBytes) {
        const all = Buffer.concat(pending)
        pending = []
        pendingBytes = 0
        let at = 0
        for (; all.length - at >= this.#blockBytes; at += this.#blockBytes) await stage(all.subarray(at, at + this.#blockBytes))
        if (at < all.length) {
          pending.push(all.subarray(at))
          pendingBytes = all.length - at
        }
      }
    }
    const rest = Buffer.concat(pending)
    const type = { 'x-ms-blob-content-type': contentType }
    if (!blocks.length) {
      await this.#blob(http, 'Put Blob', await uploadUrl, rest, { 'x-ms-blob-type': 'BlockBlob', ...type })
    } else {
      if (rest.length) await stage(rest)
      const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${blocks.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`
      await this.#blob(http, 'Put Block List', withQuery(await uploadUrl, 'comp=blocklist'), Buffer.from(list), { 'content-type': 'application/xml', ...type })
    }
    return { size, digest: hash.digest('hex') }
  }

  /** One blob request (PUT), retried; throws with the service's error code. */
  async #blob(http: HttpClient, what: string, url: string, body: Buffer, headers: Record<string, string>): Promise<void> {
    await this.#retry(what, async () => {
      const res = await http.sendStream('PUT', url, Readable.from([body]), { 'content-length': String(body.length), 'x-ms-version': BLOB_VERSION, ...headers })
      const status = res.message.statusCode ?? 0
      const text = await res.readBody()
      if (status === 201) return { done: true as const }
      const code = res.message.headers['x-ms-error-code'] ?? /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? ''
      return { done: false as const, retry: RETRYABLE.has(status), error: `${what} answered ${status}${code ? ` ${code}` : ''}` }
    })
  }

  /** One Twirp call, retried; returns its JSON body. */
  async #twirp(http: HttpClient, results: string, token: string, method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.#retry(method, async () => {
      const res = await http.post(`${results}/twirp/${SERVICE}/${method}`, JSON.stringify(body), { 'content-type': 'application/json', authorization: `Bearer ${token}` })
      const status = res.message.statusCode ?? 0
      const text = await res.readBody()
      let json: Record<string, unknown> = {}
      try {
        json = JSON.parse(text) as Record<string, unknown>
      } catch {
        if (status >= 200 && status < 300) return { done: false as const, retry: true, error: `${method} answered ${status} with a body that is not JSON` }
      }
      if (status >= 200 && status < 300) return { done: true as const, value: json }
      const msg = typeof json.msg === 'string' ? `: ${json.msg}` : ''
      return { done: false as const, retry: RETRYABLE.has(status), error: `${method} answered ${status}${msg}` }
    })
  }

  async #retry<T>(what: string, attempt: () => Promise<{ done: true; value?: T } | { done: false; retry: boolean; error: string }>): Promise<T> {
    let error = ''
    for (let n = 0; n < this.#attempts; n++) {
      if (n > 0) {
        const wait = Math.round(this.#retryMs * 1.5 ** (n - 1))
        core.info(`${what}: attempt ${n} of ${this.#attempts} failed (${error}); retrying in ${wait} ms`)
        await new Promise((resolve) => setTimeout(resolve, wait))
      }
      let r: Awaited<ReturnType<typeof attempt>>
      try {
        r = await attempt()
      } catch (err) {
        r = { done: false, retry: true, error: (err as Error).message }
      }
      if (r.done) return r.value as T
      error = r.error
      if (!r.retry) throw new Error(`artifact upload failed: ${error}`)
    }
    throw new Error(`artifact upload failed after ${this.#attempts} attempts: ${error}`)
  }
}

/** The run's and job's backend ids, from the runtime token's `scp` claim (`Actions.Results:<run>:<job>`). */
function backendIds(token: string): { run: string; job: string } {
  let scp: unknown
  try {
    scp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scp?: unknown }).scp
  } catch {
    scp = undefined
  }
  for (const scope of typeof scp === 'string' ? scp.split(' ') : []) {
    const parts = scope.split(':')
    if (parts[0] === 'Actions.Results' && parts.length === 3 && parts[1] && parts[2]) return { run: parts[1], job: parts[2] }
  }
  throw new Error('ACTIONS_RUNTIME_TOKEN is not a JWT whose scp claim grants Actions.Results:<run>:<job>')
}

/** RFC 3339 time `days` from now, capped at the repository's retention; undefined for the default. */
function expiresAt(days: number | undefined, repositoryDays: string | undefined): string | undefined {
  if (!days) return undefined
  const cap = Number(repositoryDays)
  const kept = cap > 0 && cap < days ? cap : days
  if (kept !== days) core.warning(`Retention of ${days} days is more than the repository allows; keeping the artifact ${kept} days.`)
  return new Date(Date.now() + kept * 86_400_000).toISOString()
}

/** The path of `path` inside the zip: relative to `root`, which it must lie under. */
function zipName(artifact: string, path: string, root: string): string {
  const rel = relative(root, path)
  if (!rel || rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`artifact ${artifact}: ${path} is not under ${root}`)
  return rel.split(sep).join('/')
}

/** `url` with `query` added (the signed URL's own parameters kept byte for byte: the signature covers them). */
function withQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`
}

/** Masks the blob URL's signature in the log, as the library does. */
function maskSignature(url: string): void {
  const sig = new URL(url).searchParams.get('sig')
  if (!sig) return
  core.setSecret(sig)
  if (encodeURIComponent(sig) !== sig) core.setSecret(encodeURIComponent(sig))
}

/**
 * Writes a file into `deflate` through one reused buffer, each piece seen by `onChunk` first, then
 * ends it. The buffer is refilled only once deflate has taken the last piece (its write callback):
 * reading a file leaves no garbage Buffers behind (they would wait for a garbage collection that a
 * process doing little else in JavaScript is slow to run).
 */
async function feed(path: string, deflate: Writable, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const buffer = Buffer.allocUnsafe(READ_BYTES)
  let file: FileHandle | undefined
  try {
    file = await open(path, 'r')
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      const chunk = buffer.subarray(0, bytesRead)
      onChunk(chunk)
      await take(deflate, chunk)
    }
    deflate.end()
  } catch (err) {
    deflate.destroy(err as Error)
    throw err
  } finally {
    await file?.close()
  }
}

/** Writes `chunk` into `deflate`; resolves once deflate has taken it (its buffer may be reused). */
function take(deflate: Writable, chunk: Uint8Array): Promise<void> {
  return new Promise<void>((resolve, reject) => deflate.write(chunk, (err) => (err ? reject(err) : resolve())))
}

/**
 * Writes a rendered document into `deflate` batch by batch (write-pieces.ts), then ends it. Two
 * buffers take turns: the next batch is rendered into one while deflate, on libuv's threads,
 * takes the other, so the document is compressed as fast as it is rendered, and no batch leaves a
 * Buffer behind for the garbage collector.
 */
async function feedRendered(rendered: ReturnType<typeof render>, deflate: Writable, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const buffers = [Buffer.allocUnsafe(BATCH_BYTES), Buffer.allocUnsafe(BATCH_BYTES)]
  let turn = 0
  let taking: Promise<void> | undefined
  try {
    for (const batch of batches(rendered)) {
      const buffer = buffers[turn]
      const chunk = typeof batch !== 'string' ? batch : batch.length * 3 <= buffer.length ? buffer.subarray(0, buffer.write(batch)) : Buffer.from(batch)
      onChunk(chunk)
      await taking
      taking = take(deflate, chunk)
      turn ^= 1
    }
    await taking
    deflate.end()
  } catch (err) {
    taking?.catch(() => undefined)
    deflate.destroy(err as Error)
    throw err
  }
}

/** A zip entry: a file's bytes, or a document rendered as it is zipped. */
export type ZipSource = { name: string; path: string } | { name: string; content: FileContent }

/** The zip of `entries`, as it is written: each file deflated as it is read, each document as it is rendered. */
export async function* zipStream(entries: ZipSource[], level: number): AsyncGenerator<Buffer> {
  const written: ZipEntry[] = []
  let at = 0
  for (const source of entries) {
    const { name } = source
    const modified = 'path' in source ? (await stat(source.path)).mtime : new Date()
    const entry: ZipEntry = { name: entryName(name), ...dosDateTime(modified), crc: 0, compressed: 0, size: 0, offset: at }
    const header = localHeader(entry.name, entry.time, entry.date)
    at += header.length
    yield header
    // One output chunk per batch taken in (5× smaller at level 1): a batch is deflated on libuv's
    // threads in one go, while the next is read or rendered, with no call back into JavaScript in between.
    const deflate = createDeflateRaw({ level, chunkSize: READ_BYTES })
    // Read or rendered while deflate's output is taken; an error ends `deflate` with it.
    const onChunk = (chunk: Uint8Array) => {
      entry.crc = crc32(chunk, entry.crc)
      entry.size += chunk.length
    }
    const read = 'path' in source ? feed(source.path, deflate, onChunk) : feedRendered(render(source.content), deflate, onChunk)
    read.catch(() => undefined)
    try {
      for await (const out of deflate) {
        entry.compressed += (out as Buffer).length
        yield out as Buffer
      }
      await read
    } catch (err) {
      throw new Error(`zip entry ${name}: ${(err as Error).message}`)
    } finally {
      // Stopped early (a failed upload): the read ends too.
      if (!deflate.writableFinished) deflate.destroy()
    }
    at += entry.compressed
    const descriptor = dataDescriptor(entry)
    at += descriptor.length
    yield descriptor
    written.push(entry)
  }
  yield centralDirectory(written, at)
}
