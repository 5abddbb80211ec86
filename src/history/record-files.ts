/**
 * History records on disk: a directory of record files (`*.json`, or `*.json.gz` compressed with
 * gzip), as the action downloads them or a user keeps them. Reading skips what is not a valid
 * record, with a warning naming the file, and never throws for a bad file.
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { readRecords, type RecordSource } from '../core/test-history/history.js'
import { encodeRecord } from '../core/test-history/record.js'
import type { RunInfo, RunRecord } from '../core/test-report/model.js'

/** A record file larger than this (compressed or not) is skipped: 1,000 runs of 100,000 tests stay well below it. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024
/** Most files and directories looked at under a history directory. */
const MAX_ENTRIES = 200_000

export interface HistoryFiles {
  records: RunRecord[]
  /** One sentence per file skipped, naming it. */
  warnings: string[]
  /** Record files found (`*.json`, `*.json.gz`), readable or not. */
  files: number
}

/**
 * Returns the records of every `*.json` and `*.json.gz` file under `dir` (subdirectories too, as
 * download-artifact lays out one directory per artifact; symbolic links are not followed), in path
 * order. Throws when `dir` itself cannot be read (the error's `code` is the system's, e.g. ENOENT).
 */
export function readHistoryDir(dir: string): HistoryFiles {
  const paths = recordPaths(dir)
  const warnings: string[] = []
  const scratch = { buffer: Buffer.allocUnsafe(0) }
  // Lazy: readRecords decodes each file's bytes before the next file is read into the same buffer.
  function* sources(): Generator<RecordSource> {
    for (const path of paths) {
      const bytes = readRecordBytes(path, warnings, scratch)
      if (bytes !== undefined) yield { source: path, bytes }
    }
  }
  const read = readRecords(sources())
  return { records: read.records, warnings: [...warnings, ...read.warnings], files: paths.length }
}

/** Returns the paths of the record files under `dir`, sorted. Throws when `dir` cannot be read. */
export function recordPaths(dir: string): string[] {
  const found: string[] = []
  const pending = [dir]
  let seen = 0
  while (pending.length > 0) {
    const current = pending.pop() as string
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries under ${dir}; point --history at the records' directory`)
      const path = join(current, entry.name)
      if (entry.isDirectory()) pending.push(path)
      else if (entry.isFile() && (entry.name.endsWith('.json') || entry.name.endsWith('.json.gz'))) found.push(path)
    }
  }
  return found.sort()
}

/**
 * Returns the record file's bytes (gunzipped when it is `.gz`): decoding reads them as UTF-8 without
 * a string of the whole file. The file is read into `scratch.buffer` (grown as needed), so the
 * bytes of a `.json` file are only valid until the next call: a fresh 700 KB buffer per file cost
 * about 0.3 s over 1,000 files.
 */
function readRecordBytes(path: string, warnings: string[], scratch: { buffer: Buffer }): Uint8Array | undefined {
  try {
    const size = lstatSync(path).size
    if (size > MAX_RECORD_BYTES) {
      warnings.push(`skipped ${path}: ${size} bytes is more than a record may hold (${MAX_RECORD_BYTES})`)
      return undefined
    }
    const bytes = readInto(path, size, scratch)
    if (!path.endsWith('.gz')) return bytes
    try {
      return gunzipSync(bytes, { maxOutputLength: MAX_RECORD_BYTES, chunkSize: outputChunk(bytes) })
    } catch (err) {
      warnings.push(`skipped ${path}: not a readable gzip file (${(err as Error).message})`)
      return undefined
    }
  } catch (err) {
    warnings.push(`skipped ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
    return undefined
  }
}

/** Reads up to `size` bytes of the file at `path` into `scratch.buffer` and returns them. */
function readInto(path: string, size: number, scratch: { buffer: Buffer }): Buffer {
  if (scratch.buffer.length < size) scratch.buffer = Buffer.allocUnsafe(Math.max(size, 2 * scratch.buffer.length))
  const fd = openSync(path, 'r')
  try {
    let read = 0
    while (read < size) {
      const n = readSync(fd, scratch.buffer, read, size - read, read)
      if (n === 0) break
      read += n
    }
    return scratch.buffer.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

/**
 * Returns the zlib output chunk size for gunzipping `gz`: the size its trailer states (ISIZE, the
 * input's length modulo 2³²), so a record inflates into one buffer instead of 16 KiB chunks joined
 * afterwards (about 30% faster); bounded, as the trailer is only a hint: `maxOutputLength` limits.
 */
function outputChunk(gz: Uint8Array): number {
  const n = gz.length
  const size = n >= 4 ? (gz[n - 4] | (gz[n - 3] << 8) | (gz[n - 2] << 16) | (gz[n - 1] << 24)) >>> 0 : 0
  return Math.min(Math.max(size + 1, 64 * 1024), 8 * 1024 * 1024)
}

/** Returns the file name a run's record is stored under: job, run id and attempt, gzip-compressed. */
export function recordFileName(run: RunInfo): string {
  const job = run.job.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'job'
  return `${job}-${run.id}-${run.attempt}.json.gz`
}

/** Writes `record` into `dir` under `recordFileName` (gzip) and returns the path. */
export function writeRecordFile(dir: string, record: RunRecord): string {
  const path = join(dir, recordFileName(record.run))
  writeFileSync(path, gzipSync(encodeRecord(record)))
  return path
}
