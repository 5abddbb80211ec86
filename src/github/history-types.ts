/**
 * The shapes and small helpers both history backends share (see test-history-store.ts, which
 * re-exports them with the factory).
 */
import { createHash } from 'node:crypto'
import type { RunInfo } from '../core/test-report/model.js'
import type { GitHubClient } from './client.js'

/** One history: records of another workflow, job or branch belong to another history. */
export interface HistoryKey {
  workflow: string
  job: string
  /** The branch the runs tested (for pull requests, whatever key the caller saves them under). */
  branch: string
}

/** What a save needs to know about the run: its history and where it sorts in it. */
export type SavedRun = Pick<RunInfo, 'id' | 'attempt' | 'workflow' | 'job' | 'branch' | 'createdAt'>

/** The run a stored record came from, as the store knows it without decoding the record. */
export interface StoredRun {
  id: number
  attempt: number
  /** ISO 8601: the run's `createdAt` (branch), or when the artifact was uploaded (artifact). */
  createdAt: string
}

export interface StoredRecord {
  /** Where the bytes came from: a path on the data branch or `artifact <name> (run <id>)`. */
  source: string
  run: StoredRun
  bytes: Uint8Array
}

/** A stored item that is not a readable record, and why. Loading goes on without it. */
export interface SkippedRecord {
  source: string
  reason: string
}

export interface LoadedHistory {
  /** The newest `limit` records, oldest first. */
  records: StoredRecord[]
  skipped: SkippedRecord[]
  /** REST and GraphQL requests made (what GitHub's API rate limit counts). */
  requests: number
  /** Git fetches made (each is two or three HTTP requests that the API rate limit does not count). */
  gitFetches: number
}

export interface SaveResult {
  /** `unchanged`: the same record of the same run attempt was already stored (a re-run of the save). */
  outcome: 'saved' | 'unchanged'
  source: string
  requests: number
  /** True when the record went up with `git push` (the data branch after a git load) rather than through the API. */
  pushed?: boolean
}

export interface LoadOptions {
  /** How many records, newest first (default 100). Each run attempt is one record. */
  limit?: number
  /**
   * Takes each record as it is read, in any order, instead of `LoadedHistory.records` (then
   * empty): the caller decodes a record and lets its bytes go before the next arrives. The git
   * reader then holds one record's bytes at a time, not the history's (100 records of 100,000
   * tests are 630 MB of JSON). An exception it throws fails the load.
   */
  each?: (record: StoredRecord) => void
}

export interface HistoryStore {
  readonly kind: HistoryKind
  /** Returns the newest records of a history, oldest first. Throws when the store cannot be read at all. */
  load(key: HistoryKey, options?: LoadOptions): Promise<LoadedHistory>
  /** Stores one run attempt's record. Saving the same attempt twice stores it once. Throws when it cannot store it. */
  save(run: SavedRun, bytes: Uint8Array): Promise<SaveResult>
}

export type HistoryKind = 'branch' | 'artifact'

/** The history kinds, default first. */
export const HISTORY_KINDS: readonly HistoryKind[] = ['branch', 'artifact']

/** Default number of records a load returns. */
export const DEFAULT_HISTORY_LIMIT = 100

/** Returns the limit to load, checked: a positive integer. */
export function checkLimit(limit: number | undefined): number {
  const n = limit ?? DEFAULT_HISTORY_LIMIT
  if (!Number.isInteger(n) || n < 1) throw new Error(`history limit must be a positive integer, got ${n}`)
  return n
}

/** Checks the parts of a history key: non-empty strings without control characters. */
export function checkKey(key: HistoryKey): HistoryKey {
  for (const part of ['workflow', 'job', 'branch'] as const) {
    const v = key[part]
    // eslint-disable-next-line no-control-regex
    if (typeof v !== 'string' || v === '' || /[\u0000-\u001f\u007f]/.test(v)) throw new Error(`history ${part} must be a non-empty string without control characters, got ${JSON.stringify(v)}`)
  }
  return key
}

/** Checks what a save needs of a run: positive integer id and attempt, a parseable `createdAt`. */
export function checkRun(run: SavedRun): SavedRun {
  checkKey(run)
  if (!Number.isSafeInteger(run.id) || run.id < 1) throw new Error(`run id must be a positive integer, got ${run.id}`)
  if (!Number.isSafeInteger(run.attempt) || run.attempt < 1) throw new Error(`run attempt must be a positive integer, got ${run.attempt}`)
  if (Number.isNaN(Date.parse(run.createdAt))) throw new Error(`run createdAt must be an ISO 8601 date, got ${JSON.stringify(run.createdAt)}`)
  return run
}

/** Returns a stable short hash of a history key, for names that must stay short. */
export function keyHash(key: HistoryKey): string {
  return createHash('sha256').update(JSON.stringify([key.workflow, key.job, key.branch])).digest('hex').slice(0, 12)
}

/** Orders stored runs oldest first: by time, then run id, then attempt. */
export function byRunOrder(a: StoredRun, b: StoredRun): number {
  return Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id || a.attempt - b.attempt
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the items' order. */
export async function mapPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await work(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

/** Counts the API requests a client makes (installed once per client). */
export function requestCounter(client: GitHubClient): () => number {
  const counters = countersOf(client)
  return () => counters.n
}

const installed = new WeakMap<GitHubClient, { n: number }>()
function countersOf(client: GitHubClient): { n: number } {
  let c = installed.get(client)
  if (!c) {
    const counter = { n: 0 }
    client.hook.before('request', () => {
      counter.n++
    })
    installed.set(client, counter)
    c = counter
  }
  return c
}
