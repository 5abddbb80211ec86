/**
 * The JUnit reader's one XML scanner, over UTF-8 bytes (text and other encodings reach it
 * re-encoded): element events, and errors with line and column in UTF-16 units, without decoding
 * the file into strings first.
 *
 * Two halves. The tokenizer (scanner.as.ts, WebAssembly) finds tags, attributes, text and CDATA
 * in each chunk and writes them as integer offsets; a byte loop compiled ahead of time is fast
 * from the first byte, where JavaScript spends much of a short process interpreting and compiling
 * its loops. This half owns every rule that needs names or strings: nesting (end tags matched by
 * name), limits, the wording of errors, decoding of attribute values and text. Only what the
 * handler asks for becomes a string, and ASCII, nearly all of a JUnit file's markup, is made a
 * string without UTF-8 decoding. Between chunks the tokenizer's memory keeps only the unread tail
 * (at most one tag, a split character or entity): the caller may reuse a chunk's buffer once
 * `write` returns.
 */
import { Packed, PACKED_INTS, ROW_BYTES, type TableRows } from './result-table.js'
import { SCANNER_WASM } from './scanner-wasm.generated.js'
import { plainTimeMsBytes } from './time.js'
import { ATTRIBUTE_NAMES, COMMON_NAMES, Key, attributeText, decodeText, normalizeLines, XML_LIMITS, XmlError, type ErrorSource, type TagAttributes, type WholeCase, type XmlHandler } from './xml.js'

const EMPTY = Buffer.alloc(0)

// The tokenizer's header slots, statuses, events and errors (scanner.as.ts).
const H_EVENTS = 1
const H_ERROR = 2
const H_ERR_AT = 3
const H_ERR_A = 4
const H_ERR_B = 5
const H_ERR_C = 6
const H_ERR_D = 7
const H_LINE = 8
const H_COLUMN = 9
const H_SAW_ELEMENT = 11
const H_STATE = 12
const H_PLAIN_RUNS = 13
const H_TABLE_AT = 14
const H_ROWS = 15
const H_ROW_CAP = 16
const H_NAMES_END = 17
const H_COUNTS = 18
const H_SKIPPED_RUNS = 23
const H_PACKED_FAILED = 24
const H_PACKED_ERRORED = 25
const HEADER_INTS = 32
const FULL = 1
const FAILED = 2
const SYNC = 3
const OPEN = 1
const CLOSE = 2
const TEXT = 3
const CDATA = 4
/** Added to the kind of a WHOLE event's only segment when its bytes are its text (scanner.as.ts). */
const RAW_TEXT = 16
const MERGE = 6
const WHOLE = 7
const PACKED = 8
const S_CDATA = 1
const S_COMMENT = 2
const S_INSTRUCTION = 3
const E_TEXT_OUTSIDE = 1
const E_EOF_TAG = 2
const E_EOF_END_TAG = 3
const E_TAG_TOO_LONG = 4
const E_CDATA_OUTSIDE = 5
const E_DOCTYPE = 6
const E_DECLARATION = 7
const E_NO_TAG = 8
const E_SLASH = 9
const E_NOT_SEPARATED = 10
const E_MALFORMED_ATTRIBUTE = 11
const E_NO_VALUE = 12
const E_UNQUOTED = 13
const E_TOO_MANY_ATTRIBUTES = 14

const MEMORY_ERROR = 'the file needs more memory than WebAssembly gives'

interface Tokenizer {
  memory: { buffer: ArrayBuffer }
  init(tagChars: number, attributes: number, depth: number, testCase: number, name: number, classname: number, time: number, slow: number): number
  reserve(bytes: number): number
  context(suitesId: number): void
  stageInput(from: number, to: number): number
  nameRoom(bytes: number): number
  addStaged(length: number, classId: number, suitesId: number, outcome: number, timeMs: number, fileId: number, line: number): number
  setLocation(row: number, fileId: number, line: number): void
  wholeNames(failure: number, error: number, skipped: number, out: number, err: number, message: number, type: number): void
  packLimits(text: number, message: number): void
  keepFailure(textFrom: number, textLength: number, messageFrom: number, messageLength: number, typeFrom: number, typeLength: number): number
  describeTable(): void
  input(): number
  events(): number
  names(): number
  scan(length: number, last: number): number
  compact(): number
  locate(index: number): void
  /** The scanner using it, which the tokenizer asks for the ids of classnames and JVM frames' files (its `classId` and `frameFile` imports). */
  user: { scanner?: ByteScanner }
}

/** The runtime's WebAssembly API, the little of it used here (the ES2023 lib does not describe it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: object }
}
const WASM = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly

let compiled: object | undefined

/** The names the tokenizer recognizes, as it reads them (see `names` in scanner.as.ts): element names, then attribute names. */
const KNOWN_NAMES = (() => {
  const all = [...COMMON_NAMES, ...ATTRIBUTE_NAMES]
  const bytes = [COMMON_NAMES.length, ATTRIBUTE_NAMES.length]
  for (const name of all) bytes.push(name.length, ...Buffer.from(name, 'latin1'))
  // The tokenizer has room for 768 bytes of them and 64 names (NAMES in scanner.as.ts).
  if (bytes.length > 768 || all.length > 64) throw new Error(`the JUnit tokenizer knows at most 64 names in 768 bytes, not ${all.length} in ${bytes.length}`)
  return Uint8Array.from(bytes)
})()

/** A tokenizer (its memory holds one file's unread tail); the module is compiled once per process. */
function newTokenizer(): Tokenizer {
  compiled ??= new WASM.Module(Buffer.from(SCANNER_WASM, 'base64'))
  const user: Tokenizer['user'] = {}
  const instance = new WASM.Instance(compiled, {
    env: {
      abort() {
        throw new Error('the JUnit tokenizer failed an internal check')
      },
      classId: (from: number, to: number) => (user.scanner as ByteScanner).classIdAt(from, to),
      frameFile: (classId: number, from: number, to: number) => (user.scanner as ByteScanner).frameFileAt(classId, from, to)
    }
  })
  return { ...instance.exports, user } as unknown as Tokenizer
}

/**
 * Tokenizers no scanner uses, for the next file: making one allocates and zeroes its memory
 * (over a megabyte), which would cost more than reading a small file. One that grew past
 * POOLED_BYTES (a huge tag) is left to the garbage collector instead.
 */
const pool: Tokenizer[] = []
const POOL_SIZE = 2
const POOLED_BYTES = 4 * 1024 * 1024

/** Whether a tokenizer is small enough to go back to the pool. */
function pooled(t: Tokenizer): boolean {
  return t.memory.buffer.byteLength <= POOLED_BYTES
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13
}

/**
 * Returns a copy of `memory[from, to)`. Small copies come from Node's Buffer pool (8-byte aligned,
 * as the table's Float64 column needs): a small file's table is two copies of a few KiB, and an
 * ArrayBuffer of its own costs more to make than the copy (4 µs each; the corpus is 334 files).
 */
function copyOf(memory: ArrayBuffer, from: number, to: number): Buffer<ArrayBuffer> {
  const copy = Buffer.allocUnsafe(to - from) as Buffer<ArrayBuffer>
  copy.set(new Uint8Array(memory, from, to - from))
  return copy
}

/** Returns whether `bytes[from, to)` are `other`. */
export function bytesEqual(bytes: Uint8Array, from: number, to: number, other: Uint8Array): boolean {
  if (to - from !== other.length) return false
  for (let j = 0; j < other.length; j++) if (bytes[from + j] !== other[j]) return false
  return true
}

/** Returns whether `buf` holds the ASCII `text` at `at`. */
function bytesAre(buf: Buffer, at: number, text: string): boolean {
  if (at + text.length > buf.length) return false
  for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false
  return true
}

/** The attributes of the tag being opened: the tokenizer's offsets (five per attribute) into its input. */
class ByteAttributes implements TagAttributes {
  buf: Buffer = EMPTY
  /** Per attribute: local-name start, name end, value start, value end, flags (1: needs decoding, 2: not ASCII; from bit 8: key + 1). */
  private events: Int32Array = new Int32Array(0)
  private base = 0
  private count = 0

  constructor(private readonly scanner: ByteScanner) {}

  get length(): number {
    return this.count
  }

  get(name: string): string | undefined {
    for (let i = 0; i < this.count; i++) if (this.nameIs(i, name)) return this.value(i)
    return undefined
  }

  nameIs(i: number, name: string): boolean {
    const k = this.base + i * 5
    const from = this.events[k]
    return this.events[k + 1] - from === name.length && bytesAre(this.buf, from, name)
  }

  key(i: number): number {
    return (this.events[this.base + i * 5 + 4] >> 8) - 1
  }

  value(i: number): string {
    const k = this.base + i * 5
    return attributeText(this.buf, this.events[k + 2], this.events[k + 3], this.events[k + 4], this.scanner)
  }

  stageName(i: number): number {
    const k = this.base + i * 5
    return this.scanner.stageInput(this.events[k + 2], this.events[k + 3])
  }

  timeMs(i: number): number {
    const k = this.base + i * 5
    return plainTimeMsBytes(this.buf, this.events[k + 2], this.events[k + 3])
  }

  rawEquals(i: number, bytes: Uint8Array): boolean {
    // Bytes with bytes: a string's characters in a loop cost a check of its representation each.
    const k = this.base + i * 5
    return bytesEqual(this.buf, this.events[k + 2], this.events[k + 3], bytes)
  }

  /** The attributes of the next tag: `count` of them from `events[base]`. */
  reset(base: number, count: number): void {
    this.base = base
    this.count = count
  }

  /** Views of the tokenizer's memory (made anew when the memory grew). */
  rebind(buf: Buffer, events: Int32Array): void {
    this.buf = buf
    this.events = events
  }
}

/**
 * The scanner. Call `write` with each chunk of UTF-8 bytes (a byte-order mark may start the
 * first; the caller has checked the encoding), then `end`. Both throw XmlError at the first
 * problem (errors thrown by the handler pass through); after an error the scanner must not be used.
 */
export class ByteScanner implements ErrorSource {
  private readonly tokenizer = pool.pop() ?? newTokenizer()
  /** The tokenizer's header (positions, counts, error), its events, and its input as a Buffer; made anew when its memory grows. */
  private header: Int32Array
  private events: Int32Array = new Int32Array(0)
  private buf: Buffer = EMPTY
  private memoryBuffer?: ArrayBuffer
  private readonly headerAt: number
  private readonly input: number
  /** Bytes of input the tokenizer holds (the unread tail, then a chunk after it). */
  private length = 0
  private readonly stack: string[] = []
  private readonly localStack: string[] = []
  /** The bytes of each open element's name when it is not ASCII (undefined when it is: compared to the string). */
  private readonly rawStack: (Buffer | undefined)[] = []
  private readonly attributes = new ByteAttributes(this)
  private tokenStart = 0
  /** The one object test cases read whole are handed in (see `XmlHandler.wholeCase`). */
  private readonly whole: WholeCase = { outcome: 'failed', row: 0, timeMs: 0, classId: 0, message: undefined, type: undefined, text: [], bytes: EMPTY, rawFrom: -1, rawTo: -1, messageBytes: 0, typeBytes: 0, jvmFile: undefined, jvmLine: 0 }
  private started = false
  private released = false
  /** The PACKED events so far, `PACKED_INTS` numbers each (see `TableRows.packed`). */
  private packed = new Int32Array(0)
  private packedLength = 0
  /** Where the WHOLE event being handed to the handler is in the event area (for `keepFailure`). */
  private wholeEvent = -1

  constructor(private readonly handler: XmlHandler) {
    const t = this.tokenizer
    new Uint8Array(t.memory.buffer, t.names(), KNOWN_NAMES.length).set(KNOWN_NAMES)
    t.user.scanner = this
    const plainCases = handler.classId !== undefined && handler.caseSlowKeys !== undefined
    this.headerAt = t.init(XML_LIMITS.tagChars, XML_LIMITS.attributes, XML_LIMITS.depth, plainCases ? COMMON_NAMES.indexOf('testcase') : -1, Key.Name, Key.Classname, Key.Time, handler.caseSlowKeys ?? 0)
    // Test cases read whole need the handler's `wholeCase`; -1 turns them off (a pooled tokenizer may have had them on).
    const whole = plainCases && handler.wholeCase !== undefined
    const element = (name: string) => (whole ? COMMON_NAMES.indexOf(name) : -1)
    t.wholeNames(element('failure'), element('error'), element('skipped'), element('system-out'), element('system-err'), Key.Message, Key.Type)
    // Failures kept as bytes need the handler's limits; 0 turns them off.
    const pack = whole && handler.frameFileId !== undefined ? handler.packLimits : undefined
    t.packLimits(pack?.text ?? 0, pack?.message ?? 0)
    // Room for the event area, which ends where the input starts.
    t.reserve(0)
    this.input = t.input()
    this.header = new Int32Array(0)
    this.bind()
  }

  /** Views of the tokenizer's memory, made anew when it grew (growing replaces the ArrayBuffer). */
  private bind(): void {
    const memory = this.tokenizer.memory.buffer as ArrayBuffer
    if (memory === this.memoryBuffer) return
    this.memoryBuffer = memory
    this.header = new Int32Array(memory, this.headerAt, HEADER_INTS)
    const events = this.tokenizer.events()
    this.events = new Int32Array(memory, events, (this.input - events) >> 2)
    this.buf = Buffer.from(memory, this.input, memory.byteLength - this.input)
    this.attributes.rebind(this.buf, this.events)
  }

  /** Feeds the next chunk. Throws XmlError on malformed input. */
  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    let bytes = chunk
    if (!this.started) {
      this.started = true
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3)
      if (bytes.length === 0) return
    }
    const length = this.length + bytes.length
    if (!this.tokenizer.reserve(length)) throw this.errorAt(this.length, MEMORY_ERROR)
    this.bind()
    this.buf.set(bytes, this.length)
    this.length = length
    this.run(false)
  }

  /** Ends the input. Throws XmlError when the document is empty, unfinished or truncated. */
  end(): void {
    this.run(true)
    const h = this.header
    const state = h[H_STATE]
    if (state === S_CDATA) throw this.errorAt(this.length, `the file ends inside a CDATA section (truncated?)`)
    if (state === S_COMMENT) throw this.errorAt(this.length, `the file ends inside a comment (truncated?)`)
    if (state === S_INSTRUCTION) throw this.errorAt(this.length, `the file ends inside a processing instruction (truncated?)`)
    if (this.stack.length > 0) {
      throw this.errorAt(this.length, `the file ends inside <${this.stack[this.stack.length - 1]}> (${this.stack.length} element${this.stack.length === 1 ? '' : 's'} left open: truncated?)`)
    }
    if (h[H_SAW_ELEMENT] === 0) throw this.errorAt(this.length, this.started ? 'the file holds no XML element' : 'the file is empty')
  }

  /** Gives the tokenizer back for another file; the scanner must not be used after this. */
  release(): void {
    if (this.released) return
    this.released = true
    const t = this.tokenizer
    t.user.scanner = undefined
    // One too large for the pool may hold a table's columns (`takeRows`).
    if (pool.length < POOL_SIZE && pooled(t)) pool.push(t)
  }

  // ---- The table of the file's tests (rows.as.ts), which plain test cases enter without the handler ----

  /** Stages input `[from, to)` as the next row's name when its bytes are its value (printable ASCII, no "&"); returns its length, or -1. */
  stageInput(from: number, to: number): number {
    const length = this.tokenizer.stageInput(from, to)
    if (length === -2) throw this.error(MEMORY_ERROR)
    this.bind()
    return length
  }

  /** Stages `name` as the next row's name; returns its length in bytes. */
  stageText(name: string): number {
    const at = this.tokenizer.nameRoom(name.length * 3)
    if (at === 0) throw this.error(MEMORY_ERROR)
    this.bind()
    return Buffer.from(this.memoryBuffer as ArrayBuffer).write(name, at, 'utf8')
  }

  /** The staged name (`length` bytes), as text. */
  stagedName(length: number): string {
    const at = this.tokenizer.nameRoom(0)
    if (at === 0) throw this.error(MEMORY_ERROR)
    this.bind()
    return Buffer.from(this.memoryBuffer as ArrayBuffer).toString('utf8', at, at + length)
  }

  /** Adds the row of the staged name; returns the new row, or -1 - the row of the same classname and name (not added: the caller merges into it). Outcome: ResultTable's code. */
  addRow(length: number, classId: number, suitesId: number, outcome: number, timeMs: number, fileId: number, line: number): number {
    return this.tokenizer.addStaged(length, classId, suitesId, outcome, timeMs, fileId, line)
  }

  /** Sets the file id and line of `row` (a test case read whole, located by the handler). */
  setRowLocation(row: number, fileId: number, line: number): void {
    this.tokenizer.setLocation(row, fileId, line)
  }

  /** The context of the plain test cases that follow: their suites' id. */
  caseContext(suitesId: number): void {
    this.tokenizer.context(suitesId)
  }

  /** The handler's id of the file a JVM frame of class `classId` names by input `[from, to)` (ASCII), for the tokenizer (its `frameFile` import, called while it scans). */
  frameFileAt(classId: number, from: number, to: number): number {
    return (this.handler.frameFileId as NonNullable<XmlHandler['frameFileId']>)(classId, this.asciiAt(from, to))
  }

  /** The handler's id of the classname at input `[from, to)` (ASCII), for the tokenizer (its `classId` import, called while it scans). */
  classIdAt(from: number, to: number): number {
    return (this.handler.classId as NonNullable<XmlHandler['classId']>)(this.asciiAt(from, to))
  }

  /** Input `[from, to)` (ASCII) as text, for the tokenizer's imports: it may have grown its memory in this scan. */
  private asciiAt(from: number, to: number): string {
    this.bind()
    return this.buf.toString('latin1', from, to)
  }

  /**
   * The table, and how many plain test cases the tokenizer read. A copy when the tokenizer goes
   * back to the pool; else views of its memory, which the table then owns (a large file's table
   * is megabytes: copying it would hold it twice until the tokenizer is collected).
   */
  takeRows(): TableRows {
    const t = this.tokenizer
    t.describeTable()
    this.bind()
    const h = this.header
    const memory = t.memory.buffer as ArrayBuffer
    const at = h[H_TABLE_AT]
    const capacity = h[H_ROW_CAP]
    const namesAt = at + capacity * ROW_BYTES
    const namesEnd = namesAt + h[H_NAMES_END]
    // Views when `release` will not pool this tokenizer (it decides by the same test), else copies.
    const view = !pooled(t)
    return {
      rows: h[H_ROWS],
      capacity,
      columns: view ? new Uint8Array(memory, at, namesAt - at) : copyOf(memory, at, namesAt),
      names: view ? Buffer.from(memory, namesAt, namesEnd - namesAt) : copyOf(memory, namesAt, namesEnd),
      counts: Array.from(h.subarray(H_COUNTS, H_COUNTS + 5)),
      plainRuns: h[H_PLAIN_RUNS],
      skippedRuns: h[H_SKIPPED_RUNS],
      packedFailed: h[H_PACKED_FAILED],
      packedErrored: h[H_PACKED_ERRORED],
      packed: this.packed.subarray(0, this.packedLength)
    }
  }

  /** Returns an XmlError at the start of the token being read (for the handler's own checks). */
  error(message: string): XmlError {
    return this.errorAt(this.tokenStart, message)
  }

  /** Returns an XmlError at input byte `index` (the scanner is not used after an error, so its line count may move there). */
  private errorAt(index: number, message: string): XmlError {
    this.tokenizer.locate(index)
    return new XmlError(message, this.header[H_LINE], this.header[H_COLUMN])
  }

  /** Returns the text of input `[from, to)` (UTF-8; a cut character becomes U+FFFD). */
  private text(from: number, to: number): string {
    return this.buf.toString('utf8', from, Math.min(to, this.length))
  }

  /** Returns the first `chars` characters from `at`, for quoting in an error. */
  private quote(at: number, chars: number): string {
    return JSON.stringify(this.text(at, at + chars * 4).slice(0, chars))
  }

  /** Tokenizes what the input holds, hands the events to the handler, and keeps the unread tail. */
  private run(last: boolean): void {
    const t = this.tokenizer
    for (;;) {
      const status = t.scan(this.length, last ? 1 : 0)
      this.bind()
      const count = this.header[H_EVENTS]
      // A stop to sync follows events (else the tokenizer would stop there again and again).
      if (status === SYNC && count === 0) throw new Error('the JUnit tokenizer stopped to sync with no events')
      this.dispatch(count)
      if (status === FAILED) throw this.tokenError()
      this.handler.sync?.()
      if (status !== FULL && status !== SYNC) break
    }
    this.length = t.compact()
  }

  /** Hands `count` ints of events to the handler. */
  private dispatch(count: number): void {
    const handler = this.handler
    for (let k = 0; k < count; ) {
      // Read anew for each event: the handler may add to the table, which may grow the memory (and replace the views).
      const ev = this.events
      const buf = this.buf
      switch (ev[k]) {
        case OPEN: {
          const at = ev[k + 1]
          const nameStart = ev[k + 2]
          const nameEnd = ev[k + 3]
          const localStart = ev[k + 4]
          const flags = ev[k + 5]
          const n = ev[k + 6]
          const code = ev[k + 7]
          this.tokenStart = at
          const ascii = (flags & 2) === 0
          const selfClosing = (flags & 1) !== 0
          const name = code >= 0 ? COMMON_NAMES[code] : buf.toString(ascii ? 'latin1' : 'utf8', localStart, nameEnd)
          const qname = localStart === nameStart ? name : buf.toString(ascii ? 'latin1' : 'utf8', nameStart, nameEnd)
          this.checkDepth()
          if (!selfClosing) {
            this.stack.push(qname)
            this.localStack.push(name)
            this.rawStack.push(ascii ? undefined : Buffer.from(buf.subarray(nameStart, nameEnd)))
          }
          this.attributes.reset(k + 8, n)
          handler.open(name, this.attributes, selfClosing)
          k += 8 + 5 * n
          break
        }
        case CLOSE: {
          this.close(ev[k + 1], ev[k + 2])
          k += 3
          break
        }
        case MERGE: {
          ;(handler.plainMerge as NonNullable<XmlHandler['plainMerge']>)(buf, ev[k + 1], ev[k + 2], ev[k + 3])
          k += 4
          break
        }
        case WHOLE: {
          this.wholeCase(ev, k, buf)
          k += 18 + 3 * ev[k + 17]
          break
        }
        case PACKED: {
          const n = ev[k + 1]
          this.keepPacked(ev, k + 2, n)
          k += 2 + n * PACKED_INTS
          break
        }
        case TEXT: {
          if (handler.wantText) {
            this.tokenStart = ev[k + 1]
            handler.text(decodeText(this.text(ev[k + 1], ev[k + 2]), this))
          }
          k += 3
          break
        }
        case CDATA: {
          if (handler.wantText) handler.text(normalizeLines(this.text(ev[k + 1], ev[k + 2])))
          k += 3
          break
        }
        default:
          throw new Error(`the JUnit tokenizer wrote an unknown event ${ev[k]}`)
      }
    }
  }

  /** Keeps the `n` failures' numbers of the PACKED event, from `ev[k]`. */
  private keepPacked(ev: Int32Array, k: number, n: number): void {
    const at = this.packedRoom(n)
    this.packed.set(ev.subarray(k, k + n * PACKED_INTS), at)
  }

  /** Returns where the next `n` failures' `PACKED_INTS` numbers each go, having made room for them. */
  private packedRoom(n: number): number {
    const at = this.packedLength
    const end = at + n * PACKED_INTS
    if (end > this.packed.length) {
      const packed = new Int32Array(Math.max(64 * PACKED_INTS, this.packed.length * 2, end))
      packed.set(this.packed.subarray(0, at))
      this.packed = packed
    }
    this.packedLength = end
    return at
  }

  /**
   * Keeps the failure of the case read whole being handed over (`WholeCase.raw*`: its one text
   * segment is its bytes; its row is new) as the tokenizer keeps a PACKED one: its text, message
   * and type as bytes after the table's names, from which the table makes it when asked. The
   * handler counted and located the case (no frame in the numbers). Returns false when memory
   * cannot grow. Memory may grow: `WholeCase.bytes` is then stale.
   */
  keepFailure(): boolean {
    const ev = this.events
    const k = this.wholeEvent
    const textFrom = ev[k + 19]
    const messageFrom = ev[k + 7]
    const typeFrom = ev[k + 10]
    const textLength = ev[k + 20] - textFrom
    const messageLength = ev[k + 8] - messageFrom
    const typeLength = typeFrom < 0 ? -1 : ev[k + 11] - typeFrom
    const row = ev[k + 3]
    const outcome = ev[k + 2]
    const messageFlags = ev[k + 9]
    const typeFlags = ev[k + 12]
    // The event area's view is stale once this grows the memory.
    const textAt = this.tokenizer.keepFailure(textFrom, textLength, messageFrom, messageLength, typeFrom, typeLength)
    if (textAt < 0) return false
    this.bind()
    const at = this.packedRoom(1)
    const packed = this.packed
    packed[at + Packed.Row] = row
    packed[at + Packed.Outcome] = outcome
    packed[at + Packed.TextAt] = textAt
    packed[at + Packed.TextLength] = textLength
    packed[at + Packed.MessageFlags] = messageFlags
    packed[at + Packed.MessageLength] = messageLength
    packed[at + Packed.TypeLength] = typeLength
    packed[at + Packed.TypeFlags] = typeFlags
    return true
  }

  /** Hands the WHOLE event at `ev[k]` to the handler, its attributes and text decoded (errors where the reader would find them). */
  private wholeCase(ev: Int32Array, k: number, buf: Buffer): void {
    const c = this.whole
    const code = ev[k + 2]
    c.outcome = code === 1 ? 'failed' : code === 2 ? 'errored' : 'skipped'
    c.row = ev[k + 3]
    // A plain time: the tokenizer read it with the same arithmetic.
    c.timeMs = ev[k + 4] < 0 ? 0 : plainTimeMsBytes(buf, ev[k + 4], ev[k + 5])
    this.tokenStart = ev[k + 6]
    c.message = ev[k + 7] < 0 ? undefined : attributeText(buf, ev[k + 7], ev[k + 8], ev[k + 9], this)
    c.type = ev[k + 10] < 0 ? undefined : attributeText(buf, ev[k + 10], ev[k + 11], ev[k + 12], this)
    c.messageBytes = ev[k + 7] < 0 ? 0 : ev[k + 8] - ev[k + 7]
    c.typeBytes = ev[k + 10] < 0 ? 0 : ev[k + 11] - ev[k + 10]
    c.classId = ev[k + 13]
    c.jvmFile = ev[k + 14] < 0 ? undefined : buf.toString('latin1', ev[k + 14], ev[k + 15])
    c.jvmLine = ev[k + 16]
    const n = ev[k + 17]
    c.text.length = 0
    c.bytes = buf
    c.rawFrom = c.rawTo = -1
    if (n === 1 && (ev[k + 18] & RAW_TEXT) !== 0) {
      c.rawFrom = ev[k + 19]
      c.rawTo = ev[k + 20]
    } else {
      for (let j = k + 18; j < k + 18 + 3 * n; j += 3) {
        this.tokenStart = ev[j + 1]
        const raw = this.text(ev[j + 1], ev[j + 2])
        c.text.push(ev[j] === TEXT ? decodeText(raw, this) : normalizeLines(raw))
      }
    }
    this.tokenStart = ev[k + 1]
    this.wholeEvent = k
    ;(this.handler.wholeCase as NonNullable<XmlHandler['wholeCase']>)(c)
  }

  /** Throws when an element opening now would nest deeper than the limit. */
  private checkDepth(): void {
    if (this.stack.length >= XML_LIMITS.depth) throw this.error(`elements nested deeper than ${XML_LIMITS.depth}`)
  }

  /** The end tag from `at` (its "<") to `gt` (its ">"): it must name the element it closes. */
  private close(at: number, gt: number): void {
    const buf = this.buf
    this.tokenStart = at
    const open = this.stack.pop()
    const local = this.localStack.pop()
    const raw = this.rawStack.pop()
    let end = -1
    if (open !== undefined) {
      if (raw === undefined) {
        if (bytesAre(buf, at + 2, open)) end = at + 2 + open.length
      } else if (at + 2 + raw.length <= gt && raw.equals(buf.subarray(at + 2, at + 2 + raw.length))) end = at + 2 + raw.length
    }
    let rest = true
    for (let i = end; end >= 0 && i < gt; i++) if (!isSpace(buf[i])) rest = false
    if (end < 0 || (!rest && this.text(end, gt).trim() !== '')) {
      const name = this.text(at + 2, gt).trimEnd()
      throw this.error(open === undefined ? `end tag </${name}> closes nothing` : `end tag </${name}> does not match <${open}>`)
    }
    this.handler.close(local as string)
  }

  /** The error the tokenizer stopped at, worded. */
  private tokenError(): XmlError {
    const h = this.header
    const at = h[H_ERR_AT]
    this.tokenStart = at
    const qname = () => this.text(h[H_ERR_A], h[H_ERR_B])
    const attribute = () => this.text(h[H_ERR_C], h[H_ERR_D])
    switch (h[H_ERROR]) {
      case E_TEXT_OUTSIDE:
        return this.error(h[H_SAW_ELEMENT] ? `text after the root element: ${this.quote(at, 20)}` : `this is not XML: it starts with ${this.quote(at, 20)}`)
      case E_EOF_TAG:
        return this.error('the file ends inside a tag (truncated?)')
      case E_EOF_END_TAG:
        return this.error('the file ends inside an end tag (truncated?)')
      case E_TAG_TOO_LONG:
        return this.error(`a tag longer than ${XML_LIMITS.tagChars} characters`)
      case E_CDATA_OUTSIDE:
        return this.error('CDATA section outside the root element')
      case E_DOCTYPE:
        return this.error('<!DOCTYPE> is refused: JUnit files need no DTD, and DTDs enable external-entity (XXE) and entity-expansion ("billion laughs") attacks')
      case E_DECLARATION: {
        const declaration = /^<!([A-Z]+)/.exec(this.text(at, at + 12))
        if (declaration) return this.error(`<!${declaration[1]}> declarations are refused: JUnit files need no DTD, and DTDs enable XXE and entity-expansion attacks`)
        return this.error(`malformed markup ${this.quote(at, 12)}`)
      }
      case E_NO_TAG:
        return this.error(`"<" that starts no tag (write "&lt;" for a literal "<"): ${this.quote(at, 12)}`)
      case E_SLASH:
        return this.error(`"/" inside <${qname()}> that does not end it`)
      case E_NOT_SEPARATED:
        return this.error(`attributes of <${qname()}> must be separated by whitespace`)
      case E_MALFORMED_ATTRIBUTE:
        return this.error(`malformed attribute in <${qname()}>`)
      case E_NO_VALUE:
        return this.error(`attribute ${attribute()} of <${qname()}> has no value`)
      case E_UNQUOTED:
        return this.error(`the value of attribute ${attribute()} of <${qname()}> must be in quotes`)
      case E_TOO_MANY_ATTRIBUTES:
        return this.error(`<${qname()}> has more than ${XML_LIMITS.attributes} attributes`)
      default:
        // E_MEMORY
        return this.error(MEMORY_ERROR)
    }
  }
}
