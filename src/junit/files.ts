/** JUnit files from disk: each streamed through the reader, in buffers reused from file to file. */
import { closeSync, openSync, read, readSync } from 'node:fs'
// From the modules themselves, not core/junit/index.js: a process that only reads loads two modules fewer.
import { emptyCounts, emptyTestCounts } from '../core/junit/counts.js'
import { readJUnit, type ReadOptions } from '../core/junit/reader.js'
import { ResultTable } from '../core/junit/result-table.js'
import type { FileReport } from '../core/test-report/model.js'

/**
 * Bytes read at a time. 1 MiB rather than less: the scanner's work at a chunk's end (the cut tag
 * joined to the next chunk, lines counted) is per chunk.
 */
const CHUNK_BYTES = 1024 * 1024

/**
 * Buffer pairs no read uses, for the next file: a build's hundreds of small files (Surefire writes
 * one per class) would otherwise each allocate and zero 2 MiB, and the garbage collector would
 * spend more on them than the reader spends reading.
 */
const spare: Uint8Array[][] = []
const SPARE_PAIRS = 2

/** Resolves with the bytes read from `fd` into `buffer` (the file's next bytes). */
function readAsync(fd: number, buffer: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, 0, buffer.length, null, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead))))
}

/**
 * Yields the bytes of the file at `path`. The first chunk is read at once, and so is the next
 * after a short one (most JUnit files are one chunk, and a trip through the thread pool costs
 * more than reading them); after a full chunk, two buffers take turns: while the reader parses
 * one chunk, the next is read into the other, so parsing and the file system overlap. Each chunk is valid only until the next is asked for, or
 * the iteration ends (the JUnit reader keeps no reference to a chunk; the buffers go on to the next
 * file), so reading a gigabyte allocates 2 MiB, once per process. Throws the file system's error
 * (ENOENT, EISDIR, ...) when the file cannot be read.
 */
export async function* fileChunks(path: string, chunkBytes = CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  const fd = openSync(path, 'r')
  const pooled = spare.length > 0 && spare[spare.length - 1][0].length === chunkBytes ? spare.pop() : undefined
  const buffers = pooled ?? [new Uint8Array(chunkBytes), new Uint8Array(chunkBytes)]
  let reading: Promise<number> | undefined
  try {
    let bytesRead = readSync(fd, buffers[0], 0, chunkBytes, null)
    let which = 0
    while (bytesRead > 0) {
      const chunk = buffers[which].subarray(0, bytesRead)
      which ^= 1
      if (bytesRead < chunkBytes) {
        // A short read is a regular file's end, which the next read, made at once, confirms.
        yield chunk
        bytesRead = readSync(fd, buffers[which], 0, chunkBytes, null)
      } else {
        // The read ahead: the consumer is done with the previous chunk (in this buffer) once it asked for this one.
        reading = readAsync(fd, buffers[which])
        yield chunk
        bytesRead = await reading
        reading = undefined
      }
    }
  } finally {
    // A consumer that stopped early (a malformed file) leaves a read in flight: let it finish before closing.
    if (reading) await reading.catch(() => undefined)
    closeSync(fd)
    spare.push(buffers)
    if (spare.length > SPARE_PAIRS) spare.shift()
  }
}

/**
 * Returns the report of the file at `path`, named `name` (its path by default). A file that cannot
 * be opened or read is reported like a malformed one (an error and no results). Never rejects.
 */
export async function readJUnitFile(path: string, options: ReadOptions = {}, name = path): Promise<FileReport> {
  try {
    return await readJUnit(fileChunks(path), name, options)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a JUnit file' : `cannot read the file: ${(err as Error).message}`
    return { file: name, runs: emptyCounts(), tests: emptyTestCounts(), results: new ResultTable(), error: { file: name, message } }
  }
}

/** Returns a report per file, in order (see `readJUnitFile`); the others are still read when one cannot be. Never rejects. */
export async function readJUnitFiles(paths: string[], options: ReadOptions = {}): Promise<FileReport[]> {
  const reports: FileReport[] = []
  for (const path of paths) reports.push(await readJUnitFile(path, options))
  return reports
}
