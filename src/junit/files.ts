/** JUnit files from disk: each streamed through the reader, one buffer reused for every read. */
import { open } from 'node:fs/promises'
import { emptyCounts, emptyTestCounts, readJUnit, type ReadOptions } from '../core/junit/index.js'
import type { FileReport } from '../core/test-report/model.js'

/** Bytes read at a time. */
const CHUNK_BYTES = 256 * 1024

/**
 * Yields the bytes of the file at `path`, read into one buffer that is reused: each chunk is valid
 * only until the next is asked for (the JUnit reader keeps no reference to a chunk), so reading a
 * gigabyte allocates 256 KiB instead of a gigabyte of buffers waiting for the garbage collector.
 * Throws the file system's error (ENOENT, EISDIR, ...) when the file cannot be read.
 */
export async function* fileChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const buffer = new Uint8Array(chunkBytes)
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null)
      if (bytesRead === 0) return
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}

/**
 * Returns a report per file, in order. A file that cannot be opened or read is reported like a
 * malformed one (an error and no results); the others are still read. Never rejects.
 */
export async function readJUnitFiles(paths: string[], options: ReadOptions = {}): Promise<FileReport[]> {
  const reports: FileReport[] = []
  for (const path of paths) {
    try {
      reports.push(await readJUnit(fileChunks(path), path, options))
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a JUnit file' : `cannot read the file: ${(err as Error).message}`
      reports.push({ file: path, runs: emptyCounts(), tests: emptyTestCounts(), results: [], error: { file: path, message } })
    }
  }
  return reports
}
