/**
 * The JUnit reader's one XML scanner, over UTF-8 bytes (text and other encodings reach it
 * re-encoded): element events, and errors with line and column in UTF-16 units, without decoding
 * the file into strings first. Tags are found and read as bytes; only what the handler asks for becomes a string (an attribute
 * value, wanted text), and ASCII, nearly all of a JUnit file's markup, is made a string without
 * UTF-8 decoding. Between chunks it keeps only the unread tail (at most one tag, a split character
 * or entity) as a copy: the caller may reuse a chunk's buffer once `write` returns.
 */
import { plainTimeMsBytes } from './time.js'
import { COMMON_NAMES, decodeAttribute, decodeText, MAX_ENTITY, XML_LIMITS, XmlError, type ErrorSource, type PlainSink, type TagAttributes, type XmlHandler } from './xml.js'

const EMPTY = Buffer.alloc(0)

const GT = 62
const LT = 60
const SLASH = 47
const BANG = 33
const QUESTION = 63
const EQ = 61
const QUOTE = 34
const APOS = 39
const COLON = 58
const NEWLINE = 10
const CR = 13
const AMP = 38
const SEMICOLON = 59

/** How much of a chunk is joined to the previous chunk's unread tail (see `write`). */
const BRIDGE_BYTES = 4096

const CDATA_END = Buffer.from(']]>')
const COMMENT_END = Buffer.from('-->')
const INSTRUCTION_END = Buffer.from('?>')

const enum State {
  Text,
  Cdata,
  Comment,
  Instruction
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13
}

/** Returns a view of `bytes` as a Buffer (no copy). */
function view(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Returns whether `buf` holds the ASCII `text` at `at`. */
function bytesAre(buf: Buffer, at: number, text: string): boolean {
  if (at + text.length > buf.length) return false
  for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false
  return true
}

/** Returns `to` moved back to the start of a UTF-8 character that the end of `buf[from, to)` cuts short. */
function completeEnd(buf: Buffer, from: number, to: number): number {
  for (let i = to - 1; i >= from && i >= to - 4; i--) {
    const b = buf[i]
    if ((b & 0xc0) === 0x80) continue
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return i + size > to ? i : to
  }
  return to
}

/** Returns the number of UTF-16 units that UTF-8 `buf[from, to)` decodes to. */
function units(buf: Buffer, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const b = buf[i]
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1
  }
  return n
}

const COMMON_BY_LENGTH: string[][] = []
for (const name of COMMON_NAMES) (COMMON_BY_LENGTH[name.length] ??= []).push(name)

/** Returns the name in `buf[from, to)`, as a shared constant when it is a common JUnit element name. */
function internName(buf: Buffer, from: number, to: number, ascii: boolean): string {
  const candidates = COMMON_BY_LENGTH[to - from]
  if (candidates) for (const name of candidates) if (bytesAre(buf, from, name)) return name
  return buf.toString(ascii ? 'latin1' : 'utf8', from, to)
}

/** Bytes made a string at a time for attribute values (see `ByteAttributes.ascii`): the window's size moves between these. */
const MIN_WINDOW_BYTES = 512
const MAX_WINDOW_BYTES = 16 * 1024

/** The attributes of the tag being opened, as offsets into the scanner's buffer. */
class ByteAttributes implements TagAttributes {
  buf: Buffer = EMPTY
  /**
   * A stretch of `buf` made a string byte for byte (latin1), from which ASCII values are sliced:
   * one native call for the values of many tags instead of one per value. Kept values do not pin
   * it: the reader copies what it keeps (`own`, the id's join).
   */
  private window = ''
  private windowStart = 0
  private windowEnd = 0
  /** Values sliced from the window: few means tags are far apart (long output between them), and the next window is made smaller. */
  private windowUses = 0
  private windowBytes = MAX_WINDOW_BYTES
  /** Per attribute: local-name start, name end, value start, value end (byte offsets). */
  private readonly offsets: number[] = []
  private count = 0

  constructor(private readonly scanner: ErrorSource) {}

  get length(): number {
    return this.count
  }

  get(name: string): string | undefined {
    for (let i = 0; i < this.count; i++) if (this.nameIs(i, name)) return this.value(i)
    return undefined
  }

  nameIs(i: number, name: string): boolean {
    const k = i * 4
    const from = this.offsets[k]
    return this.offsets[k + 1] - from === name.length && bytesAre(this.buf, from, name)
  }

  nameLength(i: number): number {
    return this.offsets[i * 4 + 1] - this.offsets[i * 4]
  }

  value(i: number): string {
    const k = i * 4
    const from = this.offsets[k + 2]
    const to = this.offsets[k + 3]
    const buf = this.buf
    for (let j = from; j < to; j++) {
      const c = buf[j]
      if (c === AMP || c < 32 || c >= 128) {
        const raw = buf.toString('utf8', from, to)
        return decodeAttribute(raw, 0, raw.length, this.scanner)
      }
    }
    return this.ascii(from, to)
  }

  /** Returns ASCII `buf[from, to)` as a string, sliced from the window (made anew when it does not hold it). */
  private ascii(from: number, to: number): string {
    if (from < this.windowStart || to > this.windowEnd) {
      if (this.windowEnd > 0) this.windowBytes = this.windowUses < 8 ? Math.max(MIN_WINDOW_BYTES, this.windowBytes >> 1) : Math.min(MAX_WINDOW_BYTES, this.windowBytes << 1)
      this.windowUses = 0
      this.windowStart = from
      this.windowEnd = Math.min(this.buf.length, Math.max(to, from + this.windowBytes))
      this.window = this.buf.toString('latin1', from, this.windowEnd)
    }
    this.windowUses++
    return this.window.slice(from - this.windowStart, to - this.windowStart)
  }

  copyPlainTo(i: number, sink: PlainSink): number {
    const k = i * 4
    return sink.copyPlain(this.buf, this.offsets[k + 2], this.offsets[k + 3])
  }

  timeMs(i: number): number {
    const k = i * 4
    return plainTimeMsBytes(this.buf, this.offsets[k + 2], this.offsets[k + 3])
  }

  rawEquals(i: number, text: string): boolean {
    const k = i * 4
    const from = this.offsets[k + 2]
    if (this.offsets[k + 3] - from !== text.length) return false
    const buf = this.buf
    for (let j = 0; j < text.length; j++) {
      const c = text.charCodeAt(j)
      if (c >= 128 || buf[from + j] !== c) return false
    }
    return true
  }

  reset(buf: Buffer): void {
    this.buf = buf
    this.count = 0
  }

  /** Drops the window: the buffer changed (a new chunk, whose bytes may be in a reused buffer). */
  forget(): void {
    this.window = ''
    this.windowStart = this.windowEnd = 0
  }

  push(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    const k = this.count * 4
    const o = this.offsets
    o[k] = nameStart
    o[k + 1] = nameEnd
    o[k + 2] = valueStart
    o[k + 3] = valueEnd
    this.count++
  }
}

/**
 * The scanner. Call `write` with each chunk of UTF-8 bytes (a byte-order mark may start the
 * first; the caller has checked the encoding), then `end`. Both throw XmlError at the first
 * problem (errors thrown by the handler pass through); after an error the scanner must not be used.
 */
export class ByteScanner implements ErrorSource {
  private buf: Buffer = EMPTY
  /** True when `buf` is the caller's chunk, which must be copied before `write` returns if any of it is kept. */
  private borrowed = false
  private pos = 0
  private state = State.Text
  private readonly stack: string[] = []
  private readonly localStack: string[] = []
  /** The bytes of each open element's name when it is not ASCII (undefined when it is: compared to the string). */
  private readonly rawStack: (Buffer | undefined)[] = []
  private readonly attributes = new ByteAttributes(this)
  /** Line and column of `buf[0]`. */
  private lineBase = 1
  private columnBase = 1
  private tokenStart = 0
  private waitingForGt = -1
  private started = false
  private sawElement = false

  constructor(private readonly handler: XmlHandler) {}

  /** Feeds the next chunk. Throws XmlError on malformed input. */
  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    let bytes = view(chunk)
    if (!this.started) {
      this.started = true
      if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3)
      if (bytes.length === 0) return
    }
    // After `compact`, `buf` holds only the unread tail of the previous chunk.
    const rest = this.buf.length
    if (rest === 0) {
      this.buf = bytes
      this.borrowed = true
    } else if (bytes.length > BRIDGE_BYTES) {
      // The tail (mostly a tag cut by the chunk's end) is read joined to the chunk's first bytes
      // only; once it is read, the scan goes on in the chunk itself instead of a copy of it.
      const joined = Buffer.allocUnsafe(rest + BRIDGE_BYTES)
      this.buf.copy(joined, 0)
      bytes.copy(joined, rest, 0, BRIDGE_BYTES)
      this.buf = joined
      this.borrowed = false
      this.attributes.forget()
      this.run(false)
      if (this.pos >= rest) {
        // buf[0] becomes the chunk's first byte, which was joined[rest].
        this.rebase(rest)
        if (this.waitingForGt >= 0) this.waitingForGt -= rest
        this.tokenStart = Math.max(0, this.tokenStart - rest)
        this.pos -= rest
        this.buf = bytes
        this.borrowed = true
      } else {
        // A tail longer than the bridge (a huge tag): join it to the whole chunk after all.
        const from = this.pos
        this.rebase(from)
        if (this.waitingForGt >= 0) this.waitingForGt -= from
        this.tokenStart = 0
        const whole = Buffer.allocUnsafe(rest - from + bytes.length)
        joined.copy(whole, 0, from, rest)
        bytes.copy(whole, rest - from)
        this.buf = whole
        this.pos = 0
      }
    } else {
      const joined = Buffer.allocUnsafe(rest + bytes.length)
      this.buf.copy(joined, 0)
      bytes.copy(joined, rest)
      this.buf = joined
      this.borrowed = false
    }
    this.attributes.forget()
    this.run(false)
    this.compact()
  }

  /** Ends the input. Throws XmlError when the document is empty, unfinished or truncated. */
  end(): void {
    this.run(true)
    this.compact()
    if (this.state === State.Cdata) throw this.errorAt(this.buf.length, `the file ends inside a CDATA section (truncated?)`)
    if (this.state === State.Comment) throw this.errorAt(this.buf.length, `the file ends inside a comment (truncated?)`)
    if (this.state === State.Instruction) throw this.errorAt(this.buf.length, `the file ends inside a processing instruction (truncated?)`)
    if (this.stack.length > 0) {
      throw this.errorAt(this.buf.length, `the file ends inside <${this.stack[this.stack.length - 1]}> (${this.stack.length} element${this.stack.length === 1 ? '' : 's'} left open: truncated?)`)
    }
    if (!this.sawElement) throw this.errorAt(this.buf.length, this.started ? 'the file holds no XML element' : 'the file is empty')
  }

  /** Returns an XmlError at the start of the token being read (for the handler's own checks). */
  error(message: string): XmlError {
    return this.errorAt(this.tokenStart, message)
  }

  /** Returns an XmlError at `buf[index]` (the scanner is not used after an error, so its line count may move there). */
  private errorAt(index: number, message: string): XmlError {
    this.rebase(index)
    return new XmlError(message, this.lineBase, this.columnBase)
  }

  /** Moves the line and column of `buf[0]` to those of `buf[index]`: lines counted over the bytes read, the column in UTF-16 units. */
  private rebase(index: number): void {
    const buf = this.buf
    let lastNewline = -1
    // memchr per line: several times faster than a loop over every byte.
    for (let i = buf.indexOf(NEWLINE); i >= 0 && i < index; i = buf.indexOf(NEWLINE, i + 1)) {
      this.lineBase++
      lastNewline = i
    }
    this.columnBase = lastNewline < 0 ? this.columnBase + units(buf, 0, index) : 1 + units(buf, lastNewline + 1, index)
  }

  /** Drops what was read, keeping the line count; what is kept is copied when it is the caller's. */
  private compact(): void {
    if (this.pos > 0) {
      this.rebase(this.pos)
      if (this.waitingForGt >= 0) this.waitingForGt -= this.pos
      this.tokenStart = 0
    }
    const rest = this.buf.length - this.pos
    if (rest === 0) this.buf = EMPTY
    else if (this.borrowed || this.pos > 0) this.buf = Buffer.from(this.buf.subarray(this.pos))
    this.borrowed = false
    this.pos = 0
  }

  /** Returns the text of `buf[from, to)` (UTF-8; a cut character becomes U+FFFD). */
  private text(from: number, to: number): string {
    return this.buf.toString('utf8', from, Math.min(to, this.buf.length))
  }

  /** Returns the first `chars` characters from `at`, for quoting in an error. */
  private quote(at: number, chars: number): string {
    return JSON.stringify(this.text(at, at + chars * 4).slice(0, chars))
  }

  private run(final: boolean): void {
    const buf = this.buf
    const len = buf.length
    for (;;) {
      switch (this.state) {
        case State.Text: {
          // Text between tags is mostly a line break and indentation: a short loop before memchr.
          const from = this.pos
          let lt = from
          const near = Math.min(len, from + 64)
          while (lt < near && buf[lt] !== LT) lt++
          if (lt === near) lt = near === len ? -1 : buf.indexOf(LT, near)
          if (lt < 0) {
            this.textRun(from, len, final)
            return
          }
          if (lt > from) this.textRun(from, lt, true)
          this.pos = lt
          this.tokenStart = lt
          if (!this.markup(final)) return
          break
        }
        case State.Cdata: {
          const close = buf.indexOf(CDATA_END, this.pos)
          if (close < 0) {
            // Keep two bytes (they may start "]]>"), and a character or line break cut by the end.
            let keep = Math.max(this.pos, len - 2)
            if (this.handler.wantText && keep > this.pos) {
              keep = completeEnd(buf, this.pos, keep)
              if (keep > this.pos && buf[keep - 1] === CR) keep--
              if (keep > this.pos) this.handler.text(normalizeLines(this.text(this.pos, keep)))
            }
            this.pos = final ? len : keep
            return
          }
          if (this.handler.wantText && close > this.pos) this.handler.text(normalizeLines(this.text(this.pos, close)))
          this.pos = close + 3
          this.state = State.Text
          break
        }
        case State.Comment:
        case State.Instruction: {
          const terminator = this.state === State.Comment ? COMMENT_END : INSTRUCTION_END
          const close = buf.indexOf(terminator, this.pos)
          if (close < 0) {
            this.pos = final ? len : Math.max(this.pos, len - terminator.length + 1)
            return
          }
          this.pos = close + terminator.length
          this.state = State.Text
          break
        }
      }
    }
  }

  /** Text from `from` to `to`; at the end of a chunk a split entity, character or line break is held back. */
  private textRun(from: number, to: number, complete: boolean): void {
    const buf = this.buf
    if (this.stack.length === 0) {
      // Outside the root only whitespace may stand.
      for (let i = from; i < to; i++) {
        if (!isSpace(buf[i])) {
          // Quote the same 20 characters however the input was cut into chunks.
          if (!complete && this.text(i, completeEnd(buf, i, Math.min(to, i + 80))).length < 20) {
            this.pos = i
            return
          }
          const quoted = this.quote(i, 20)
          this.tokenStart = i
          throw this.error(this.sawElement ? `text after the root element: ${quoted}` : `this is not XML: it starts with ${quoted}`)
        }
      }
      this.pos = to
      return
    }
    if (!this.handler.wantText) {
      this.pos = to
      return
    }
    let end = to
    if (!complete) {
      for (let j = to - 1; j >= from && j > to - MAX_ENTITY; j--) {
        if (buf[j] === SEMICOLON) break
        if (buf[j] === AMP) {
          end = j
          break
        }
      }
      end = completeEnd(buf, from, end)
      if (end > from && buf[end - 1] === CR) end--
    }
    if (end > from) {
      this.tokenStart = from
      this.handler.text(decodeText(this.text(from, end), this))
    }
    this.pos = end
  }

  /** Reads the markup at `pos` (a `<`). Returns false when the buffer ends before it does. */
  private markup(final: boolean): boolean {
    const buf = this.buf
    const len = buf.length
    const at = this.pos
    if (this.waitingForGt >= 0) {
      if (buf.indexOf(GT, this.waitingForGt) < 0) {
        this.waitingForGt = len
        return this.incomplete(at, final, 'a tag')
      }
      this.waitingForGt = -1
    }
    if (at + 1 >= len) return this.incomplete(at, final, 'a tag')
    const c = buf[at + 1]
    if (c === SLASH) {
      let gt = at + 2
      while (gt < len && buf[gt] !== GT) gt++
      if (gt >= len) return this.incomplete(at, final, 'an end tag')
      const open = this.stack.pop()
      const local = this.localStack.pop()
      const raw = this.rawStack.pop()
      let end = -1
      if (open !== undefined) {
        if (raw === undefined) {
          if (bytesAre(buf, at + 2, open)) end = at + 2 + open.length
        } else if (at + 2 + raw.length <= len && raw.equals(buf.subarray(at + 2, at + 2 + raw.length))) end = at + 2 + raw.length
      }
      let rest = true
      for (let i = end; end >= 0 && i < gt; i++) if (!isSpace(buf[i])) rest = false
      if (end < 0 || (!rest && this.text(end, gt).trim() !== '')) {
        const name = this.text(at + 2, gt).trimEnd()
        throw this.error(open === undefined ? `end tag </${name}> closes nothing` : `end tag </${name}> does not match <${open}>`)
      }
      this.pos = gt + 1
      this.handler.close(local as string)
      return true
    }
    if (c === QUESTION) {
      this.state = State.Instruction
      this.pos = at + 2
      return true
    }
    if (c === BANG) {
      if (len - at < 9 && !final && !bytesAre(buf, at, '<!--')) return false
      if (bytesAre(buf, at, '<!--')) {
        this.state = State.Comment
        this.pos = at + 4
        return true
      }
      if (bytesAre(buf, at, '<![CDATA[')) {
        if (this.stack.length === 0) throw this.error('CDATA section outside the root element')
        this.state = State.Cdata
        this.pos = at + 9
        return true
      }
      if (bytesAre(buf, at, '<!DOCTYPE')) {
        throw this.error('<!DOCTYPE> is refused: JUnit files need no DTD, and DTDs enable external-entity (XXE) and entity-expansion ("billion laughs") attacks')
      }
      const declaration = /^<!([A-Z]+)/.exec(this.text(at, at + 12))
      if (declaration) throw this.error(`<!${declaration[1]}> declarations are refused: JUnit files need no DTD, and DTDs enable XXE and entity-expansion attacks`)
      throw this.error(`malformed markup ${this.quote(at, 12)}`)
    }
    return this.startTag(final)
  }

  private incomplete(at: number, final: boolean, what: string): false {
    if (final) throw this.errorAt(at, `the file ends inside ${what} (truncated?)`)
    if (this.buf.length - at > XML_LIMITS.tagChars) throw this.errorAt(at, `a tag longer than ${XML_LIMITS.tagChars} characters`)
    return false
  }

  private startTag(final: boolean): boolean {
    const buf = this.buf
    const len = buf.length
    const at = this.pos
    let i = at + 1
    let colon = -1
    let ascii = true
    // Every way a chunk's end can cut the tag leaves by one exit (after the block): an exit first
    // taken once per chunk would otherwise throw away the optimized code once per place it is in.
    tag: {
      for (; i < len; i++) {
        const ch = buf[i]
        if (ch <= GT) {
          if (ch === 32 || ch === GT || ch === SLASH || ch === 10 || ch === 9 || ch === 13 || ch === EQ) break
          if (ch === COLON && colon < 0) colon = i
        } else if (ch >= 128) ascii = false
      }
      if (i >= len) break tag
      if (i === at + 1) throw this.error(`"<" that starts no tag (write "&lt;" for a literal "<"): ${this.quote(at, 12)}`)
      const nameEnd0 = i
      const qname = internName(buf, at + 1, nameEnd0, ascii)
      const attributes = this.attributes
      attributes.reset(buf)
      let selfClosing = false
      for (;;) {
        let c = i < len ? buf[i] : -1
        const separated = isSpace(c)
        while (isSpace(c)) c = ++i < len ? buf[i] : -1
        if (c < 0) break tag
        if (c === GT) {
          i++
          break
        }
        if (c === SLASH) {
          if (i + 1 >= len) break tag
          if (buf[i + 1] !== GT) throw this.error(`"/" inside <${qname}> that does not end it`)
          selfClosing = true
          i += 2
          break
        }
        if (!separated) throw this.error(`attributes of <${qname}> must be separated by whitespace`)
        const nameStart = i
        let localStart = i
        for (; i < len; i++) {
          const ch = buf[i]
          // Letters, the bulk of names, are all above ">": one comparison decides them.
          if (ch <= GT) {
            if (ch === EQ || ch === 32 || ch === GT || ch === SLASH || ch === 10 || ch === 9 || ch === 13) break
            if (ch === COLON) localStart = i + 1
          }
        }
        if (i >= len) break tag
        const nameEnd = i
        if (nameEnd === nameStart) throw this.error(`malformed attribute in <${qname}>`)
        c = buf[i]
        while (isSpace(c)) c = ++i < len ? buf[i] : -1
        if (c < 0) break tag
        if (c !== EQ) throw this.error(`attribute ${this.text(nameStart, nameEnd)} of <${qname}> has no value`)
        c = ++i < len ? buf[i] : -1
        while (isSpace(c)) c = ++i < len ? buf[i] : -1
        if (c < 0) break tag
        if (c !== QUOTE && c !== APOS) throw this.error(`the value of attribute ${this.text(nameStart, nameEnd)} of <${qname}> must be in quotes`)
        let close = i + 1
        while (close < len && buf[close] !== c) close++
        if (close >= len) break tag
        attributes.push(localStart, nameEnd, i + 1, close)
        i = close + 1
      }
      if (this.stack.length >= XML_LIMITS.depth) throw this.error(`elements nested deeper than ${XML_LIMITS.depth}`)
      this.pos = i
      this.sawElement = true
      const name = colon < 0 ? qname : internName(buf, colon + 1, nameEnd0, ascii)
      if (!selfClosing) {
        this.stack.push(qname)
        this.localStack.push(name)
        this.rawStack.push(ascii ? undefined : Buffer.from(buf.subarray(at + 1, nameEnd0)))
      }
      this.handler.open(name, attributes, selfClosing)
      if (selfClosing) this.handler.close(name)
      return true
    }
    return this.waitForGt(at, final)
  }

  private waitForGt(at: number, final: boolean): false {
    this.waitingForGt = this.buf.length
    return this.incomplete(at, final, 'a tag')
  }
}

function normalizeLines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n')
}
