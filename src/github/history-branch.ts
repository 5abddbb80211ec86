/**
 * The data-branch history backend. Each run attempt's record is one file,
 * `<workflow>/<job>/<branch>/<created>-<run id>-<attempt>.<txt|b64>` on `shepherd/test-history`
 * (each segment percent-encoded), added by one SHA-guarded commit that also prunes the oldest
 * files beyond `retain`. A record that is UTF-8 text (JSON) is stored as it is (`.txt`): git then
 * stores and sends similar records as deltas of each other. Other bytes (gzip) are stored
 * base64-encoded (`.b64`), so that GraphQL can still read them as text.
 * Loading reads the directory and its newest blobs with git (a shallow, blob-filtered fetch,
 * then one fetch of exactly the wanted blobs) or, where git is missing, with batched GraphQL.
 */
import type { GitHubClient } from './client.js'
import type { RepoRef } from './apply.js'
import { rmSync } from 'node:fs'
import { gitBlobSha, readBranch, updateBranch, type BranchEntry, type TreeChange } from './branch-commit.js'
import { fetchBranchBlobs, GitMissingError, runGit, type FetchedRepo } from './git-fetch.js'
import { pushTreeChanges } from './history-push.js'
import { batchRead, type GraphqlPart } from './graphql.js'
import {
  byRunOrder,
  checkKey,
  checkLimit,
  checkRun,
  requestCounter,
  type HistoryKey,
  type HistoryStore,
  type LoadOptions,
  type LoadedHistory,
  type SaveResult,
  type SavedRun,
  type SkippedRecord,
  type StoredRecord,
  type StoredRun
} from './history-types.js'

export interface BranchStoreOptions {
  /** The data branch (default `shepherd/test-history`). */
  branch?: string
  /** Records kept per history; a save deletes the oldest beyond it (default 1,000). */
  retain?: number
  /** How loads read blobs: `git` (smart HTTP), `graphql`, or `auto` (git, else GraphQL; the default). */
  reader?: 'auto' | 'git' | 'graphql'
  /** For the git reader: the token and the server's web URL (GITHUB_SERVER_URL). Without them `auto` uses GraphQL. */
  git?: { token: string; serverUrl: string }
  /** Attempts when other writers race a save (default 6). */
  maxAttempts?: number
  /** First backoff between attempts, ms (default 200). */
  backoffMs?: number
  /** Git fetch attempts on transient failures (default 3) and the first wait between them, ms (default 1,000). */
  gitRetries?: number
  gitBackoffMs?: number
  /** Scratch space for git (default RUNNER_TEMP or the OS temp dir). */
  tempDir?: string
  /**
   * After a load with git, keep its scratch clone and make the next save with `git push` on top of
   * the fetched tip (default true); the Git Data API remains the fallback.
   */
  pushWithGit?: boolean
}

export const DEFAULT_HISTORY_BRANCH = 'shepherd/test-history'
export const DEFAULT_RETAIN = 1000

/** Percent-encodes a path segment so that any workflow, job or branch name is one safe segment. */
export function pathSegment(s: string): string {
  return encodeURIComponent(s).replace(/^\./, '%2E').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Returns the directory of a history on the data branch. */
export function historyDir(key: HistoryKey): string {
  checkKey(key)
  return [key.workflow, key.job, key.branch].map(pathSegment).join('/')
}

const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
const FILE = /^(\d{8}T\d{6}Z)-(\d+)-(\d+)\.(txt|b64)$/

/** How a record file holds its bytes: as they are (UTF-8 text) or base64-encoded. */
export type RecordEncoding = 'txt' | 'b64'

/** Returns a record's file name: `<yyyymmddThhmmssZ>-<run id>-<attempt>.<txt|b64>`, which sorts by time. */
export function recordFileName(run: SavedRun, encoding: RecordEncoding = 'b64'): string {
  checkRun(run)
  const stamp = new Date(Date.parse(run.createdAt)).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')
  return `${stamp}-${run.id}-${run.attempt}.${encoding}`
}

/** Returns the encoding a record file name says, or null when it is not a record file name. */
export function recordEncoding(name: string): RecordEncoding | null {
  return (FILE.exec(name)?.[4] as RecordEncoding | undefined) ?? null
}

/** Returns the bytes as text when they are UTF-8 without NUL (so git and GraphQL treat them as text); else null. */
export function recordText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return null
  }
}

/** Parses a record's file name; null when it is not one. */
export function parseRecordFileName(name: string): StoredRun | null {
  const m = FILE.exec(name)
  if (!m) return null
  const t = STAMP.exec(m[1])!
  const createdAt = `${t[1]}-${t[2]}-${t[3]}T${t[4]}:${t[5]}:${t[6]}Z`
  const id = Number(m[2])
  const attempt = Number(m[3])
  if (Number.isNaN(Date.parse(createdAt)) || !Number.isSafeInteger(id) || id < 1 || !Number.isSafeInteger(attempt) || attempt < 1) return null
  return { id, attempt, createdAt }
}

/** Splits a directory's entries into record files (newest `limit`, oldest first) and everything else. */
export function pickRecords(dir: string, entries: BranchEntry[], limit: number): { picked: Array<BranchEntry & { run: StoredRun }>; skipped: SkippedRecord[] } {
  const records: Array<BranchEntry & { run: StoredRun }> = []
  const skipped: SkippedRecord[] = []
  for (const e of entries) {
    const run = e.type === 'blob' ? parseRecordFileName(e.name) : null
    if (run) records.push({ ...e, run })
    else skipped.push({ source: `${dir}/${e.name}`, reason: e.type === 'blob' ? 'not a record file name (<yyyymmddThhmmssZ>-<run id>-<attempt>.txt or .b64)' : `a ${e.type}, not a record file` })
  }
  records.sort((a, b) => byRunOrder(a.run, b.run))
  return { picked: records.slice(Math.max(records.length - limit, 0)), skipped }
}

/** Returns a record file's bytes from its content; null when a `.b64` file is not base64. */
export function recordBytes(name: string, content: Buffer): Uint8Array | null {
  return recordEncoding(name) === 'txt' ? new Uint8Array(content) : decodeBase64(content.toString('latin1'))
}

/** Decodes base64 text; null when it is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return null
  return new Uint8Array(Buffer.from(clean, 'base64'))
}

const BLOB_BATCH_BYTES = 4 * 1024 * 1024
const BLOB_BATCH_COUNT = 100

export class BranchHistoryStore implements HistoryStore {
  readonly kind = 'branch' as const
  readonly branch: string
  private readonly count: () => number
  /** The clone the last git load kept, and the directories it listed. */
  private local: { repo: FetchedRepo; dirs: Map<string, BranchEntry[]> } | undefined

  constructor(
    private readonly client: GitHubClient,
    private readonly where: RepoRef,
    private readonly options: BranchStoreOptions = {}
  ) {
    this.branch = options.branch ?? DEFAULT_HISTORY_BRANCH
    const retain = options.retain ?? DEFAULT_RETAIN
    if (!Number.isInteger(retain) || retain < 1) throw new Error(`history retain must be a positive integer, got ${retain}`)
    this.count = requestCounter(client)
  }

  /**
   * Adds the record as `<dir>/<file>` in one commit, pruning the oldest beyond `retain`. After a
   * load with git, the commit is built on the fetched tip and pushed with git (the record travels
   * as a delta of the records just fetched); when that push fails (another writer moved the
   * branch, git refused), and without a load, it is made through the Git Data API.
   */
  async save(run: SavedRun, bytes: Uint8Array): Promise<SaveResult> {
    const dir = historyDir(run)
    const asText = recordText(bytes)
    const name = recordFileName(run, asText === null ? 'b64' : 'txt')
    const text = asText ?? Buffer.from(bytes).toString('base64')
    const attemptPrefix = name.replace(/\.\w+$/, '.')
    const retain = this.options.retain ?? DEFAULT_RETAIN
    const source = `${this.branch}:${dir}/${name}`
    const message = `test history: ${run.workflow} / ${run.job} on ${run.branch}, run ${run.id} attempt ${run.attempt}`
    let oid: string | undefined
    const build = (entries: BranchEntry[]): TreeChange[] | null => {
      const same = entries.find((e) => e.name === name)
      if (same && same.oid === (oid ??= gitBlobSha(text))) return null
      // The same attempt saved before under the other encoding is replaced.
      const replaced = entries.filter((e) => e.name !== name && e.name.startsWith(attemptPrefix) && parseRecordFileName(e.name))
      const others = entries.filter((e) => !e.name.startsWith(attemptPrefix) && e.type === 'blob' && parseRecordFileName(e.name))
      const old = pickRecords(dir, others, Number.MAX_SAFE_INTEGER).picked
      const prune = [...replaced, ...old.slice(0, Math.max(old.length - (retain - 1), 0))]
      return [{ path: `${dir}/${name}`, content: text }, ...prune.map((e) => ({ path: `${dir}/${e.name}`, content: null }))]
    }
    const local = this.local
    this.local = undefined
    if (local) {
      try {
        const changes = build(local.dirs.get(dir) ?? (await listDir(local.repo, dir)))
        if (!changes) return { outcome: 'unchanged', source, requests: 0 }
        const pushed = await pushTreeChanges(local.repo, this.branch, message, changes)
        if (pushed.outcome === 'pushed') return { outcome: 'saved', source, requests: 0, pushed: true }
      } finally {
        await local.repo.dispose()
      }
    }
    const before = this.count()
    const result = await updateBranch(this.client, this.where, {
      branch: this.branch,
      message,
      list: dir,
      maxAttempts: this.options.maxAttempts,
      backoffMs: this.options.backoffMs,
      build: (state) => build(state?.entries ?? [])
    })
    return { outcome: result.outcome === 'committed' ? 'saved' : 'unchanged', source, requests: this.count() - before }
  }

  /** Removes the scratch repository a git load kept for the save, when no save used it. */
  async close(): Promise<void> {
    const local = this.local
    this.local = undefined
    await local?.repo.dispose()
  }

  async load(key: HistoryKey, options: LoadOptions = {}): Promise<LoadedHistory> {
    const dir = historyDir(key)
    const limit = checkLimit(options.limit)
    const reader = this.options.reader ?? 'auto'
    if (reader === 'graphql' || (reader === 'auto' && !this.options.git)) return this.loadWithGraphql(dir, limit, options.each)
    if (!this.options.git) throw new Error('history reader "git" needs the token and server URL (options.git)')
    try {
      return await this.loadWithGit(dir, limit, options.each)
    } catch (err) {
      // git is missing before any blob is read: nothing was handed to `each` yet.
      if (reader === 'auto' && err instanceof GitMissingError) return this.loadWithGraphql(dir, limit, options.each)
      throw err
    }
  }

  private async loadWithGit(dir: string, limit: number, each?: (record: StoredRecord) => void): Promise<LoadedHistory> {
    const git = this.options.git!
    let picked: Array<BranchEntry & { run: StoredRun }> = []
    let skipped: SkippedRecord[] = []
    let listed: BranchEntry[] = []
    // The picked entries by blob (runs with the same bytes share one) and their place in `picked`.
    const byOid = new Map<string, number[]>()
    const records: Array<{ at: number; record: StoredRecord }> = []
    const take = (at: number, data: Buffer | undefined) => {
      const e = picked[at]
      const source = `${this.branch}:${dir}/${e.name}`
      const bytes = data ? recordBytes(e.name, data) : null
      if (!bytes) skipped.push({ source, reason: data ? 'not base64 text' : 'blob missing from the fetch' })
      else if (each) each({ source, run: e.run, bytes })
      else records.push({ at, record: { source, run: e.run, bytes } })
    }
    const fetched = await fetchBranchBlobs({
      keep: this.options.pushWithGit ?? true,
      ...git,
      where: this.where,
      branch: this.branch,
      dir,
      tempDir: this.options.tempDir,
      retries: this.options.gitRetries,
      backoffMs: this.options.gitBackoffMs,
      choose: (entries) => {
        listed = entries
        ;({ picked, skipped } = pickRecords(dir, entries, limit))
        picked.forEach((e, at) => byOid.set(e.oid, [...(byOid.get(e.oid) ?? []), at]))
        return [...byOid.keys()]
      },
      // Each record is handed over (or kept) as soon as its blob is read; the blob is let go.
      onBlob: (oid, content) => {
        for (const at of byOid.get(oid) ?? []) take(at, content)
        byOid.delete(oid)
      }
    })
    if (fetched.repo) {
      // The newest load's clone holds the blobs a save's delta is best made against.
      await this.local?.repo.dispose()
      this.local = { repo: fetched.repo, dirs: new Map([[dir, listed]]) }
      keepUntilExit(fetched.repo)
    }
    for (const ats of byOid.values()) for (const at of ats) take(at, undefined)
    // Oldest first, as picked.
    records.sort((a, b) => a.at - b.at)
    return { records: records.map((r) => r.record), skipped, requests: 0, gitFetches: fetched.fetches }
  }

  private async loadWithGraphql(dir: string, limit: number, each?: (record: StoredRecord) => void): Promise<LoadedHistory> {
    const before = this.count()
    const state = await readBranch(this.client, this.where, this.branch, dir)
    const { picked, skipped } = pickRecords(dir, state?.entries ?? [], limit)
    // Batches bounded by count and bytes: GitHub answers large GraphQL responses slowly or not at all.
    const batches: Array<typeof picked> = []
    let current: typeof picked = []
    let bytes = 0
    for (const e of picked) {
      if (current.length && (current.length >= BLOB_BATCH_COUNT || bytes + e.size > BLOB_BATCH_BYTES)) {
        batches.push(current)
        current = []
        bytes = 0
      }
      current.push(e)
      bytes += e.size
    }
    if (current.length) batches.push(current)
    const texts = new Map<string, string | null>()
    for (const batch of batches) {
      const parts: Record<string, GraphqlPart> = {}
      batch.forEach((e, i) => {
        parts[`b${i}`] = {
          field: 'repository(owner: $owner, name: $name)',
          selection: '{ object(oid: $oid) { ... on Blob { text isTruncated } } }',
          variables: { owner: ['String!', this.where.owner], name: ['String!', this.where.repo], oid: ['GitObjectID!', e.oid] }
        }
      })
      const data = await batchRead(this.client, parts, batch.length)
      batch.forEach((e, i) => {
        const obj = (data[`b${i}`] as { object: { text: string | null; isTruncated: boolean } | null } | null)?.object
        texts.set(e.oid, obj && obj.text !== null && !obj.isTruncated ? obj.text : null)
      })
    }
    const records: StoredRecord[] = []
    for (const e of picked) {
      const source = `${this.branch}:${dir}/${e.name}`
      const text = texts.get(e.oid) ?? null
      let content: Buffer
      if (text !== null) content = Buffer.from(text, recordEncoding(e.name) === 'txt' ? 'utf8' : 'latin1')
      else {
        // GraphQL gives no text for binary blobs and cuts long ones: REST has the whole blob.
        const { data } = await this.client.rest.git.getBlob({ ...this.where, file_sha: e.oid })
        content = Buffer.from(data.content, 'base64')
      }
      const bytes = recordBytes(e.name, content)
      if (!bytes) skipped.push({ source, reason: 'not base64 text' })
      else if (each) each({ source, run: e.run, bytes })
      else records.push({ source, run: e.run, bytes })
    }
    return { records, skipped, requests: this.count() - before, gitFetches: 0 }
  }
}

/** Lists `dir` at the clone's tip: its entries, or [] when it does not exist yet. */
async function listDir(repo: FetchedRepo, dir: string): Promise<BranchEntry[]> {
  const ls = await runGit(repo.dir, ['ls-tree', '-z', `${repo.tip}:${dir}`], repo.env)
  const entries: BranchEntry[] = []
  if (ls.code !== 0) return entries
  for (const line of ls.stdout.toString('utf8').split('\0')) {
    const m = /^\d+ (\w+) ([0-9a-f]{40,64})\t(.*)$/s.exec(line)
    if (m) entries.push({ type: m[1], oid: m[2], size: 0, name: m[3] })
  }
  return entries
}

const kept = new Set<string>()
let exitHook = false
/** A clone nobody saved with is removed when the process exits (a run that failed before its save). */
function keepUntilExit(repo: FetchedRepo): void {
  if (!exitHook) process.once('exit', () => kept.forEach((dir) => rmSync(dir, { recursive: true, force: true })))
  exitHook = true
  kept.add(repo.dir)
  const dispose = repo.dispose
  repo.dispose = async () => {
    kept.delete(repo.dir)
    await dispose()
  }
}
