/** JUnit files from disk: each streamed through the reader, one buffer reused for every read. */
import { open } from 'node:fs/promises'
import { emptyCounts, emptyTestCounts, readJUnit, ResultTable, type ReadOptions } from '../core/junit/index.js'
import type { FileReport } from '../core/test-report/model.js'

/**
 * Bytes read at a time. 1 MiB rather than less: the scanner's work at a chunk's end (the cut tag
 * joined to the next chunk, lines counted) is per chunk, and the two buffers are 2 MiB for any file.
 */
const CHUNK_BYTES = 1024 * 1024

/**
 * Yields the bytes of the file at `path`, read into two buffers that take turns: while the reader
 * parses one chunk, the next is being read into the other buffer, so parsing and the file system
 * overlap instead of waiting on each other. Each chunk is valid only until the one after the next
 * is read, that is, until the next is asked for (the JUnit reader keeps no reference to a chunk),
 * so reading a gigabyte allocates 2 MiB instead of a gigabyte of buffers waiting for the
 * garbage collector. Throws the file system's error (ENOENT, EISDIR, ...) when the file cannot be read.
 */
export async function* fileChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r')
  const buffers = [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)]
  let which = 0
  let reading: Promise<{ bytesRead: number }> | undefined = handle.read(buffers[0], 0, chunkBytes, null)
  try {
    for (;;) {
      const { bytesRead } = await reading
      reading = undefined
      if (bytesRead === 0) return
      const chunk = buffers[which].subarray(0, bytesRead)
      which ^= 1
      // The read ahead: the consumer is done with the previous chunk (in this buffer) once it asked for this one.
      reading = handle.read(buffers[which], 0, chunkBytes, null)
      yield chunk
    }
  } finally {
    // A consumer that stopped early (a malformed file) leaves a read in flight: let it finish before closing.
    if (reading) await reading.catch(() => undefined)
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
      reports.push({ file: path, runs: emptyCounts(), tests: emptyTestCounts(), results: new ResultTable(), error: { file: path, message } })
    }
  }
  return reports
}
