/**
 * Documents rendered in pieces (the full report, the job summary), written or uploaded without
 * being held whole: pieces are gathered to WRITE_CHARS characters, and each batch goes out before
 * the next is rendered. A file is written synchronously: nothing else is waiting, and a string
 * written synchronously is encoded into memory freed at once, where an asynchronous write holds a
 * Buffer copy of it until the garbage collector frees it. (An artifact's documents go to the zip
 * the same way, through two reused buffers: artifact-upload.ts.)
 */
import { closeSync, openSync, writeFileSync } from 'node:fs'

/**
 * Characters gathered before a write: few writes for a document of megabytes, and little held
 * between them (what is held when the garbage collector runs survives it, and survivors make V8
 * grow its young generation, which the process keeps to its end).
 */
export const WRITE_CHARS = 64 * 1024

/** A document: whole, or a function rendering it (whole, or in pieces written as they come). */
export type FileContent = string | Uint8Array | (() => string | Iterable<string>)

/** What a document's rendering gives: itself whole, or its pieces (not rendered until they are taken). */
export type Rendered = string | Uint8Array | Iterable<string>

/** Starts rendering `content` (a function is called now: one that throws has written nothing). */
export function render(content: FileContent): Rendered {
  return typeof content === 'function' ? content() : content
}

/** The document in batches: a whole one as it is, pieces gathered to about WRITE_CHARS characters. */
export function* batches(rendered: Rendered): Generator<string | Uint8Array> {
  if (typeof rendered === 'string' || rendered instanceof Uint8Array) {
    yield rendered
    return
  }
  let pending: string[] = []
  let chars = 0
  for (const piece of rendered) {
    pending.push(piece)
    chars += piece.length
    if (chars >= WRITE_CHARS) {
      yield pending.join('')
      pending = []
      chars = 0
    }
  }
  if (pending.length) yield pending.join('')
}

/** Writes `content` to `path` (appended with `append`), a rendering in pieces as they come. */
export function writePieces(path: string, content: FileContent, append = false): void {
  const rendered = render(content)
  const fd = openSync(path, append ? 'a' : 'w')
  try {
    for (const batch of batches(rendered)) writeFileSync(fd, batch)
  } finally {
    closeSync(fd)
  }
}
