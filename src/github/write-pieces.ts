/**
 * Writes documents rendered in pieces (the full report, the job summary) without holding them
 * whole: pieces are gathered to WRITE_CHARS characters and written synchronously. Nothing else
 * is waiting, and a string written synchronously is encoded into memory freed at once, where an
 * asynchronous write holds a Buffer copy of it until the garbage collector frees it.
 */
import { closeSync, openSync, writeFileSync } from 'node:fs'

/**
 * Characters gathered before a write: few writes for a document of megabytes, and little held
 * between them (what is held when the garbage collector runs survives it, and survivors make V8
 * grow its young generation, which the process keeps to its end).
 */
const WRITE_CHARS = 64 * 1024

/** A document: whole, or a function rendering it (whole, or in pieces written as they come). */
export type FileContent = string | Uint8Array | (() => string | Iterable<string>)

/** Writes `content` to `path` (appended with `append`), a rendering in pieces as they come. */
export function writePieces(path: string, content: FileContent, append = false): void {
  const rendered = typeof content === 'function' ? content() : content
  const fd = openSync(path, append ? 'a' : 'w')
  try {
    if (typeof rendered === 'string' || rendered instanceof Uint8Array) {
      writeFileSync(fd, rendered)
      return
    }
    let pending: string[] = []
    let chars = 0
    for (const piece of rendered) {
      pending.push(piece)
      chars += piece.length
      if (chars >= WRITE_CHARS) {
        writeFileSync(fd, pending.join(''))
        pending = []
        chars = 0
      }
    }
    if (pending.length) writeFileSync(fd, pending.join(''))
  } finally {
    closeSync(fd)
  }
}
