/**
 * The artifact history backend. Each run attempt uploads its record, gzip-compressed, as a raw
 * (unzipped) artifact (artifact-upload.ts), named after its history: `shepherd-test-record-<job>-<hash>`, with
 * `-attempt-<n>` from the second attempt on (an artifact name is unique within a run, and a re-run
 * keeps the first attempt's artifacts). Loading lists the repository's artifacts by those names
 * (REST `actions/list-artifacts-for-repo`, 100 per page, newest first) and downloads each record
 * (`actions/download-artifact`, a redirect to blob storage): about one API request per record.
 * Artifacts expire (90 days by default); expired ones and those of fork runs are skipped.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib'
import { ArtifactUploader as ShepherdUploader } from './artifact-upload.js'
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import {
  byRunOrder,
  checkKey,
  checkLimit,
  checkRun,
  keyHash,
  mapPool,
  requestCounter,
  type HistoryKey,
  type HistoryStore,
  type LoadOptions,
  type LoadedHistory,
  type SaveResult,
  type SavedRun,
  type SkippedRecord,
  type StoredRecord
} from './history-types.js'

/** What the store needs of `@actions/artifact`'s client (its `DefaultArtifactClient` fits). */
export interface ArtifactUploader {
  uploadArtifact(name: string, files: string[], rootDirectory: string, options?: { retentionDays?: number; skipArchive?: boolean }): Promise<{ id?: number; size?: number }>
}

export interface ArtifactStoreOptions {
  /** The upload client (default: Shepherd's ArtifactUploader, artifact-upload.ts; `@actions/artifact`'s DefaultArtifactClient fits too). */
  uploader?: ArtifactUploader
  /** Days before a record expires (default: the repository's setting, 90 unless changed). */
  retentionDays?: number
  /** Run attempts whose records a load looks for (default 3): each costs one more listing. */
  attempts?: number
  /** Downloads in flight (default 8). */
  concurrency?: number
  /** Scratch space for the upload (default RUNNER_TEMP or the OS temp dir). */
  tempDir?: string
}

/** Returns the artifact name of a history's record for one attempt. */
export function recordArtifactName(key: HistoryKey, attempt = 1): string {
  checkKey(key)
  const slug = key.job.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'job'
  return `shepherd-test-record-${slug}-${keyHash(key)}${attempt > 1 ? `-attempt-${attempt}` : ''}`
}

interface ListedArtifact {
  id: number
  name: string
  expired: boolean
  created_at: string | null
  workflow_run?: { id?: number; repository_id?: number; head_repository_id?: number } | null
}

const status = (err: unknown) => (err as { status?: number }).status
const gzip = promisify(gzipCb)
const gunzip = promisify(gunzipCb)

export class ArtifactHistoryStore implements HistoryStore {
  readonly kind = 'artifact' as const
  private readonly count: () => number

  constructor(
    private readonly client: GitHubClient,
    private readonly where: RepoRef,
    private readonly options: ArtifactStoreOptions = {}
  ) {
    this.count = requestCounter(client)
    const attempts = options.attempts ?? 3
    if (!Number.isInteger(attempts) || attempts < 1) throw new Error(`history attempts must be a positive integer, got ${attempts}`)
  }

  /** Uploads the record as this run's artifact. A second save of the same attempt finds it there (409) and reports `unchanged`. */
  async save(run: SavedRun, bytes: Uint8Array): Promise<SaveResult> {
    checkRun(run)
    const name = recordArtifactName(run, run.attempt)
    const uploader = this.options.uploader ?? new ShepherdUploader()
    const dir = await mkdtemp(join(this.options.tempDir ?? process.env.RUNNER_TEMP ?? tmpdir(), 'shepherd-record-'))
    const source = `artifact ${name} (run ${run.id})`
    try {
      // With skipArchive the artifact is the file itself, named after it.
      const file = join(dir, name)
      // Artifacts are stored as given, and a record's JSON compresses about 8 to 1.
      await writeFile(file, await gzip(bytes))
      try {
        await uploader.uploadArtifact(name, [file], dir, { skipArchive: true, ...(this.options.retentionDays ? { retentionDays: this.options.retentionDays } : {}) })
      } catch (err) {
        if (/\b409\b|already exists/i.test(String((err as Error).message))) return { outcome: 'unchanged', source, requests: 0 }
        throw new Error(`could not upload the test record as artifact ${name}: ${(err as Error).message}`, { cause: err })
      }
      return { outcome: 'saved', source, requests: 0 }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  async load(key: HistoryKey, options: LoadOptions = {}): Promise<LoadedHistory> {
    const limit = checkLimit(options.limit)
    const before = this.count()
    const candidates: Array<{ artifact: ListedArtifact; attempt: number }> = []
    for (let attempt = 1; attempt <= (this.options.attempts ?? 3); attempt++) {
      const name = recordArtifactName(key, attempt)
      for (let page = 1; ; page++) {
        const { data } = await this.client.rest.actions.listArtifactsForRepo({ ...this.where, name, per_page: 100, page })
        for (const artifact of data.artifacts as ListedArtifact[]) candidates.push({ artifact, attempt })
        const seen = (page - 1) * 100 + data.artifacts.length
        if (data.artifacts.length < 100 || seen >= data.total_count || seen >= limit) break
      }
    }
    const skipped: SkippedRecord[] = []
    const usable = candidates.filter(({ artifact: a }) => {
      const source = `artifact ${a.name} (id ${a.id})`
      const run = a.workflow_run
      if (a.expired) skipped.push({ source, reason: 'expired' })
      else if (!run?.id) skipped.push({ source, reason: 'has no workflow run' })
      else if (run.head_repository_id !== undefined && run.repository_id !== undefined && run.head_repository_id !== run.repository_id) skipped.push({ source, reason: 'uploaded by a run on a fork' })
      else return true
      return false
    })
    const order = (c: (typeof usable)[number]) => ({ id: c.artifact.workflow_run!.id!, attempt: c.attempt, createdAt: c.artifact.created_at ?? '1970-01-01T00:00:00Z' })
    usable.sort((a, b) => byRunOrder(order(a), order(b)))
    const chosen = usable.slice(Math.max(usable.length - limit, 0))
    const downloaded = await mapPool(chosen, this.options.concurrency ?? 8, async (c): Promise<StoredRecord | SkippedRecord> => {
      const source = `artifact ${c.artifact.name} (run ${c.artifact.workflow_run!.id})`
      try {
        const { data } = await this.client.rest.actions.downloadArtifact({ ...this.where, artifact_id: c.artifact.id, archive_format: 'zip' })
        const stored = new Uint8Array(data as ArrayBuffer)
        // Records this store uploaded are gzip streams; bytes without gzip's magic number are returned as stored.
        if (stored[0] !== 0x1f || stored[1] !== 0x8b) return { source, run: order(c), bytes: stored }
        try {
          return { source, run: order(c), bytes: new Uint8Array(await gunzip(stored)) }
        } catch (err) {
          return { source, reason: `corrupt gzip data (${(err as Error).message})` }
        }
      } catch (err) {
        if (status(err) === 410 || status(err) === 404) return { source, reason: status(err) === 410 ? 'expired' : 'gone' }
        throw new Error(`could not download ${source}: ${(err as Error).message}`, { cause: err })
      }
    })
    const records: StoredRecord[] = []
    for (const r of downloaded) if (!('bytes' in r)) skipped.push(r)
    else if (options.each) options.each(r)
    else records.push(r)
    return { records, skipped, requests: this.count() - before, gitFetches: 0 }
  }
}

