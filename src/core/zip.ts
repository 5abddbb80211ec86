/**
 * The records of a zip archive written as a stream (PKWARE's APPNOTE.TXT): each entry's local
 * header goes out before its data, whose CRC-32 and sizes follow it in a data descriptor (flag
 * bit 3), so no entry is held whole; the central directory and its end record close the archive.
 * Entries are deflated (method 8), their names UTF-8 (flag bit 11), their mode a regular file's
 * 0644 as Unix "version made by" says. No zip64: an archive of 65,535 entries or 4 GiB and more
 * is refused, by name, before a byte of it would be wrong.
 */

const LOCAL = 0x04034b50
const DESCRIPTOR = 0x08074b50
const CENTRAL = 0x02014b50
const END = 0x06054b50
/** Data descriptor follows (bit 3), names are UTF-8 (bit 11). */
const FLAGS = 0x0808
const DEFLATE = 8
/** 2.0: deflate. */
const VERSION_NEEDED = 20
/** Unix (3), APPNOTE 2.0. */
const VERSION_MADE_BY = (3 << 8) | VERSION_NEEDED
/** A regular file, rw-r--r--, in the high half of the external attributes. */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0
const MAX_32 = 0xffffffff
const MAX_ENTRIES = 0xffff
const MAX_NAME = 0xffff

/** What the central directory keeps of an entry once its data is written. */
export interface ZipEntry {
  name: Buffer
  /** MS-DOS time and date of its modification. */
  time: number
  date: number
  crc: number
  compressed: number
  size: number
  /** Where its local header starts. */
  offset: number
}

/** Returns a date's MS-DOS time and date (two-second steps, years 1980–2107; earlier dates become 1980-01-01). */
export function dosDateTime(when: Date): { time: number; date: number } {
  const year = when.getUTCFullYear()
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 }
  const y = Math.min(year, 2107) - 1980
  return {
    time: (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1),
    date: (y << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate()
  }
}

/** Returns an entry's name as stored: "/" separators, no leading "/", not empty, at most 65,535 bytes. */
export function entryName(name: string): Buffer {
  const clean = name.replace(/\\/g, '/').replace(/^\/+/, '')
  if (!clean || clean.endsWith('/')) throw new Error(`zip entry ${JSON.stringify(name)}: not a file name`)
  const bytes = Buffer.from(clean, 'utf8')
  if (bytes.length > MAX_NAME) throw new Error(`zip entry ${JSON.stringify(name.slice(0, 80))}…: its name is ${bytes.length} bytes (at most ${MAX_NAME})`)
  return bytes
}

/** The local header of an entry whose data (deflated) and descriptor follow. */
export function localHeader(name: Buffer, time: number, date: number): Buffer {
  const b = Buffer.alloc(30 + name.length)
  b.writeUInt32LE(LOCAL, 0)
  b.writeUInt16LE(VERSION_NEEDED, 4)
  b.writeUInt16LE(FLAGS, 6)
  b.writeUInt16LE(DEFLATE, 8)
  b.writeUInt16LE(time, 10)
  b.writeUInt16LE(date, 12)
  // CRC-32 and sizes (14–25) are zero: the descriptor carries them.
  b.writeUInt16LE(name.length, 26)
  b.writeUInt16LE(0, 28)
  name.copy(b, 30)
  return b
}

/** The data descriptor after an entry's data. Throws when a size or the entry's offset needs zip64. */
export function dataDescriptor(entry: ZipEntry): Buffer {
  checkSizes(entry)
  const b = Buffer.alloc(16)
  b.writeUInt32LE(DESCRIPTOR, 0)
  b.writeUInt32LE(entry.crc >>> 0, 4)
  b.writeUInt32LE(entry.compressed, 8)
  b.writeUInt32LE(entry.size, 12)
  return b
}

function checkSizes(entry: ZipEntry): void {
  const big = entry.size > MAX_32 || entry.compressed > MAX_32 || entry.offset > MAX_32
  if (big) throw new Error(`zip entry ${JSON.stringify(entry.name.toString('utf8'))}: the archive passes 4 GiB, and zip64 is not written`)
}

/** The central directory and its end record, for entries written from offset 0 up to `at`. */
export function centralDirectory(entries: ZipEntry[], at: number): Buffer {
  if (entries.length > MAX_ENTRIES) throw new Error(`a zip archive of ${entries.length} entries needs zip64 (at most ${MAX_ENTRIES} are written)`)
  const size = entries.reduce((n, e) => n + 46 + e.name.length, 0)
  if (at > MAX_32 || at + size > MAX_32) throw new Error(`the zip archive passes 4 GiB (${at + size} bytes), and zip64 is not written`)
  const b = Buffer.alloc(size + 22)
  let p = 0
  for (const e of entries) {
    checkSizes(e)
    b.writeUInt32LE(CENTRAL, p)
    b.writeUInt16LE(VERSION_MADE_BY, p + 4)
    b.writeUInt16LE(VERSION_NEEDED, p + 6)
    b.writeUInt16LE(FLAGS, p + 8)
    b.writeUInt16LE(DEFLATE, p + 10)
    b.writeUInt16LE(e.time, p + 12)
    b.writeUInt16LE(e.date, p + 14)
    b.writeUInt32LE(e.crc >>> 0, p + 16)
    b.writeUInt32LE(e.compressed, p + 20)
    b.writeUInt32LE(e.size, p + 24)
    b.writeUInt16LE(e.name.length, p + 28)
    // Extra field, comment, disk number, internal attributes (30–37): none.
    b.writeUInt32LE(FILE_ATTRIBUTES, p + 38)
    b.writeUInt32LE(e.offset, p + 42)
    e.name.copy(b, p + 46)
    p += 46 + e.name.length
  }
  b.writeUInt32LE(END, p)
  b.writeUInt16LE(entries.length, p + 8)
  b.writeUInt16LE(entries.length, p + 10)
  b.writeUInt32LE(size, p + 12)
  b.writeUInt32LE(at, p + 16)
  return b
}
