/**
 * A streaming XML scanner written for JUnit files: text goes in as chunks of any size, element
 * events come out, and nothing but the unread tail of the current chunk (at most one tag, or a
 * few characters of a split entity) is kept between chunks. Text is decoded only while the handler
 * asks for it. UTF-8 files, nearly all, are read as bytes by `ByteScanner` (byte-scanner.ts),
 * which gives the same events and errors; this scanner reads text input and other encodings.
 *
 * It is strict where strictness protects us and lenient where real reports are sloppy:
 * - refused: `<!DOCTYPE`, `<!ENTITY` and every other declaration (no DTD, so no XXE and no entity
 *   expansion), unknown entities, malformed tags, mismatched or unclosed elements, text outside
 *   the root, a file that ends early;
 * - accepted: a UTF-8 BOM, several root elements one after another (concatenated reports), `<`
 *   inside attribute values (`time="<<computed>>"`), namespace prefixes (matched by local name),
 *   control characters in text; text that is not kept is not checked for entity syntax.
 */
import { plainTimeMs } from './time.js'

/** A well-formedness problem, with the 1-based line and column (UTF-16 units) where it starts. */
export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number
  ) {
    // No stack trace: the error is about the file, not the code, and capturing one costs more
    // than reading a small file (a corpus of real reports has dozens of malformed ones).
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
    this.name = 'XmlError'
  }
}

/** What reports a well-formedness problem at the token being read. */
export interface ErrorSource {
  /** Returns an XmlError at the start of the token being read. */
  error(message: string): XmlError
}

/** The attributes of the tag being opened, as the handler reads them; valid only during `XmlHandler.open`. */
export interface TagAttributes {
  /** Number of attributes on the tag. */
  readonly length: number
  /** Returns the decoded value of the attribute whose local name is `name`, or undefined. Throws XmlError on a bad entity. */
  get(name: string): string | undefined
  /** Returns whether attribute `i` (0-based, below `length`) has the local name `name` (ASCII). */
  nameIs(i: number, name: string): boolean
  /** Returns the length of attribute `i`'s local name (a cheap first test before `nameIs`). */
  nameLength(i: number): number
  /** Returns the decoded value of attribute `i`. Throws XmlError on a bad entity. */
  value(i: number): string
  /** Returns attribute `i` read in place as plain seconds (see `plainTimeMs`) in milliseconds, or -1 when it is not written plainly. */
  timeMs(i: number): number
  /** Returns whether attribute `i`'s value, as written, is `text`; the same as `value(i) === text` when `text` is plain ASCII (no `&`, no control character). */
  rawEquals(i: number, text: string): boolean
}

/**
 * The attributes of the tag being opened; valid only during `XmlHandler.open`. They are kept as
 * offsets into the scanner's buffer: a value is sliced and decoded only when asked for.
 */
export class XmlAttributes implements TagAttributes {
  /** @internal */ buf = ''
  /** Per attribute: local-name start, name end, value start, value end. */
  private offsets: number[] = []
  private count = 0

  constructor(private readonly scanner: ErrorSource) {}

  /** Number of attributes on the tag. */
  get length(): number {
    return this.count
  }

  /** Returns the decoded value of the attribute whose local name is `name`, or undefined. Throws XmlError on a bad entity. */
  get(name: string): string | undefined {
    const o = this.offsets
    const buf = this.buf
    for (let i = 0, k = 0; i < this.count; i++, k += 4) {
      if (o[k + 1] - o[k] === name.length && buf.startsWith(name, o[k])) return decodeAttribute(buf, o[k + 2], o[k + 3], this.scanner)
    }
    return undefined
  }

  /** Returns whether attribute `i` (0-based, below `length`) has the local name `name`. */
  nameIs(i: number, name: string): boolean {
    const k = i * 4
    return this.offsets[k + 1] - this.offsets[k] === name.length && this.buf.startsWith(name, this.offsets[k])
  }

  /** Returns the length of attribute `i`'s local name (a cheap first test before `nameIs`). */
  nameLength(i: number): number {
    return this.offsets[i * 4 + 1] - this.offsets[i * 4]
  }

  /** Returns the decoded value of attribute `i`. Throws XmlError on a bad entity. */
  value(i: number): string {
    const k = i * 4
    return decodeAttribute(this.buf, this.offsets[k + 2], this.offsets[k + 3], this.scanner)
  }

  /** Returns attribute `i` as plain seconds in milliseconds, read in place (no string made), or -1. */
  timeMs(i: number): number {
    return plainTimeMs(this.buf, this.offsets[i * 4 + 2], this.offsets[i * 4 + 3])
  }

  /**
   * Returns whether attribute `i`'s value, as written, is `text`. When `text` holds no `&` and no
   * control character, this is the same as `value(i) === text`, without making a string.
   */
  rawEquals(i: number, text: string): boolean {
    const k = i * 4
    return this.offsets[k + 3] - this.offsets[k + 2] === text.length && this.buf.startsWith(text, this.offsets[k + 2])
  }

  /** @internal */
  reset(buf: string): void {
    this.buf = buf
    this.count = 0
  }

  /** @internal */
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

/** What the scanner reports. Element names are local names (a `ns:` prefix removed). */
export interface XmlHandler {
  /** Whether the text (and CDATA) now being read should be decoded and passed to `text`. */
  readonly wantText: boolean
  open(name: string, attributes: TagAttributes, selfClosing: boolean): void
  close(name: string): void
  /** A piece of the current element's text, entities decoded; one text node may come in several pieces. */
  text(text: string): void
}

/** Limits that keep hostile input from costing unbounded memory. */
export const XML_LIMITS = {
  /** Longest start tag (name and attributes), in characters. */
  tagChars: 16 * 1024 * 1024,
  /** Deepest element nesting. */
  depth: 512
} as const

const enum State {
  Text,
  Cdata,
  Comment,
  Instruction
}

const GT = 62 // >
const SLASH = 47
const BANG = 33
const QUESTION = 63
const EQ = 61
const QUOTE = 34
const APOS = 39
const COLON = 58

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13
}

/** Ends a name: whitespace, `/`, `>` or `=`. */
function endsName(c: number): boolean {
  // Letters, the bulk of names, are all above ">": one comparison decides them.
  return c <= GT && (c === 32 || c === 10 || c === 9 || c === 13 || c === SLASH || c === GT || c === EQ)
}

/** JUnit's element names: a tag with one of these names reuses the constant instead of a new string. */
export const COMMON_NAMES = ['testcase', 'testsuite', 'testsuites', 'failure', 'error', 'skipped', 'system-out', 'system-err', 'properties', 'property', 'flakyFailure', 'flakyError', 'rerunFailure', 'rerunError', 'stackTrace']
const COMMON_BY_LENGTH: string[][] = []
for (const name of COMMON_NAMES) (COMMON_BY_LENGTH[name.length] ??= []).push(name)

/** Returns `buf.slice(from, to)`, as a shared constant when it is a common JUnit element name. */
function internName(buf: string, from: number, to: number): string {
  const candidates = COMMON_BY_LENGTH[to - from]
  if (candidates) for (const name of candidates) if (buf.startsWith(name, from)) return name
  return buf.slice(from, to)
}

/**
 * Returns the value of the predefined entity named `text.slice(from, to)` (lt, gt, amp, quot,
 * apos), or undefined for any other name. Compared in place: no string is made per entity.
 */
function predefinedEntity(text: string, from: number, to: number): string | undefined {
  const c = text.charCodeAt(from)
  switch (to - from) {
    case 2:
      if (text.charCodeAt(from + 1) !== 116 /* t */) return undefined
      return c === 108 /* l */ ? '<' : c === 103 /* g */ ? '>' : undefined
    case 3:
      return c === 97 /* a */ && text.startsWith('mp', from + 1) ? '&' : undefined
    case 4:
      if (c === 113 /* q */) return text.startsWith('uot', from + 1) ? '"' : undefined
      return c === 97 /* a */ && text.startsWith('pos', from + 1) ? "'" : undefined
  }
  return undefined
}
/** The longest entity we accept, `&#x10FFFF;` or `&#1114111;`, is 10 characters. */
export const MAX_ENTITY = 10

function isXmlChar(code: number): boolean {
  return code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
}

/**
 * Returns `raw` with `\r\n` and `\r` made `\n` and the five predefined and numeric entities decoded.
 * Throws XmlError (at the scanner's current token) on any other entity.
 */
export function decodeText(raw: string, scanner: ErrorSource): string {
  let text = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n')
  if (text.indexOf('&') >= 0) text = decodeEntities(text, scanner)
  return text
}

/** Attribute values also have tabs and line breaks made spaces (XML 1.0 §3.3.3); `&#10;` stays a line break. */
export function decodeAttribute(buf: string, from: number, to: number, scanner: ErrorSource): string {
  // Most values need nothing: one pass looks for "&" and control characters, over the (flat)
  // buffer, before any string is made.
  let plain = true
  for (let i = from; i < to; i++) {
    const c = buf.charCodeAt(i)
    if (c === 38 || c < 32) {
      plain = false
      break
    }
  }
  const raw = buf.slice(from, to)
  if (plain) return raw
  let text = raw.indexOf('\n') < 0 && raw.indexOf('\t') < 0 && raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n|[\r\n\t]/g, ' ')
  if (text.indexOf('&') >= 0) text = decodeEntities(text, scanner)
  return text
}

function decodeEntities(text: string, scanner: ErrorSource): string {
  let out = ''
  let from = 0
  let amp = text.indexOf('&')
  while (amp >= 0) {
    const semi = text.indexOf(';', amp + 1)
    if (semi < 0 || semi - amp > MAX_ENTITY) throw scanner.error(`"&" that starts no entity (write "&amp;" for a literal ampersand): ${JSON.stringify(text.slice(amp, amp + 12))}`)
    let value = predefinedEntity(text, amp + 1, semi)
    if (value === undefined) {
      const body = text.slice(amp + 1, semi)
      if (body.charCodeAt(0) !== 35 /* # */) throw scanner.error(`unknown entity &${body}; (only &lt; &gt; &amp; &quot; &apos; and numeric references exist without a DTD, and DTDs are not accepted)`)
      const code = body.charCodeAt(1) === 120 /* x */ ? (/^x[0-9a-fA-F]+$/.test(body.slice(1)) ? parseInt(body.slice(2), 16) : NaN) : /^\d+$/.test(body.slice(1)) ? parseInt(body.slice(1), 10) : NaN
      if (!isXmlChar(code)) throw scanner.error(`character reference &${body}; is not a character XML allows`)
      value = String.fromCodePoint(code)
    }
    out += text.slice(from, amp) + value
    from = semi + 1
    amp = text.indexOf('&', from)
  }
  return out + text.slice(from)
}

/**
 * The scanner. Call `write` with each chunk of text, then `end`. Both throw XmlError at the first
 * problem (errors thrown by the handler pass through); after an error the scanner must not be used.
 */
export class XmlScanner implements ErrorSource {
  private buf = ''
  private pos = 0
  private state = State.Text
  private readonly stack: string[] = []
  /** The local names of `stack`'s elements (the same string when there is no prefix), for `close`. */
  private readonly localStack: string[] = []
  private readonly attributes = new XmlAttributes(this)
  /** Line and column of `buf[0]`. */
  private lineBase = 1
  private columnBase = 1
  /** Start of the token being read, for error positions. */
  private tokenStart = 0
  /** Set when a tag was cut by the end of the buffer: no use parsing it again before a `>` arrives. */
  private waitingForGt = -1
  private started = false
  private sawElement = false

  constructor(private readonly handler: XmlHandler) {}

  /** True once any element was opened. */
  get sawRoot(): boolean {
    return this.sawElement
  }

  /** Names of the elements open now, outermost first. */
  get openElements(): readonly string[] {
    return this.stack
  }

  /** Feeds the next chunk. Throws XmlError on malformed input. */
  write(chunk: string): void {
    if (chunk.length === 0) return
    if (!this.started) {
      this.started = true
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1)
    }
    // Joined, not concatenated: `+` makes a cons string, and every charCodeAt on one walks its
    // structure, several times slower than on the flat string join makes.
    const rest = this.pos === 0 ? this.buf : this.buf.slice(this.pos)
    this.buf = rest.length === 0 ? chunk : [rest, chunk].join('')
    this.pos = 0
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

  private errorAt(index: number, message: string): XmlError {
    const { line, column } = this.position(index)
    return new XmlError(message, line, column)
  }

  private position(index: number): { line: number; column: number } {
    let line = this.lineBase
    let lastNewline = -1
    let nl = this.buf.indexOf('\n')
    while (nl >= 0 && nl < index) {
      line++
      lastNewline = nl
      nl = this.buf.indexOf('\n', nl + 1)
    }
    return { line, column: lastNewline < 0 ? this.columnBase + index : index - lastNewline }
  }

  /** Drops what was read, keeping the line count. */
  private compact(): void {
    if (this.pos === 0) return
    const { line, column } = this.position(this.pos)
    this.lineBase = line
    this.columnBase = column
    this.buf = this.buf.slice(this.pos)
    if (this.waitingForGt >= 0) this.waitingForGt -= this.pos
    this.tokenStart = 0
    this.pos = 0
  }

  private run(final: boolean): void {
    const buf = this.buf
    const len = buf.length
    for (;;) {
      switch (this.state) {
        case State.Text: {
          const lt = buf.indexOf('<', this.pos)
          if (lt < 0) {
            this.textRun(this.pos, len, final)
            return
          }
          if (lt > this.pos) this.textRun(this.pos, lt, true)
          this.pos = lt
          this.tokenStart = lt
          if (!this.markup(final)) return
          break
        }
        case State.Cdata: {
          const close = buf.indexOf(']]>', this.pos)
          if (close < 0) {
            // Keep two characters: they may be the start of "]]>".
            const keep = Math.max(this.pos, len - 2)
            if (this.handler.wantText && keep > this.pos) this.handler.text(normalizeLines(buf.slice(this.pos, keep)))
            this.pos = final ? len : keep
            return
          }
          if (this.handler.wantText && close > this.pos) this.handler.text(normalizeLines(buf.slice(this.pos, close)))
          this.pos = close + 3
          this.state = State.Text
          break
        }
        case State.Comment:
        case State.Instruction: {
          const terminator = this.state === State.Comment ? '-->' : '?>'
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

  /** Text from `from` to `to`; at the end of a chunk a possibly split entity is held back. */
  private textRun(from: number, to: number, complete: boolean): void {
    const buf = this.buf
    if (this.stack.length === 0) {
      // Outside the root only whitespace may stand.
      for (let i = from; i < to; i++) {
        if (!isSpace(buf.charCodeAt(i))) {
          // Quote the same 20 characters however the input was cut into chunks.
          if (!complete && to - i < 20) {
            this.pos = i
            return
          }
          const quoted = JSON.stringify(buf.slice(i, Math.min(to, i + 20)))
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
      const amp = buf.lastIndexOf('&', to - 1)
      if (amp >= from && amp > to - MAX_ENTITY && buf.indexOf(';', amp) < 0) end = amp
    }
    if (end > from) {
      this.tokenStart = from
      this.handler.text(decodeText(buf.slice(from, end), this))
    }
    this.pos = end
  }

  /** Reads the markup at `pos` (a `<`). Returns false when the buffer ends before it does. */
  private markup(final: boolean): boolean {
    const buf = this.buf
    const at = this.pos
    if (this.waitingForGt >= 0) {
      if (buf.indexOf('>', this.waitingForGt) < 0) {
        this.waitingForGt = buf.length
        return this.incomplete(at, final, 'a tag')
      }
      this.waitingForGt = -1
    }
    if (at + 1 >= buf.length) return this.incomplete(at, final, 'a tag')
    const c = buf.charCodeAt(at + 1)
    if (c === SLASH) {
      const gt = buf.indexOf('>', at + 2)
      if (gt < 0) return this.incomplete(at, final, 'an end tag')
      const open = this.stack.pop()
      const local = this.localStack.pop()
      const end = at + 2 + (open?.length ?? 0)
      if (open === undefined || !buf.startsWith(open, at + 2) || (end !== gt && buf.slice(end, gt).trim() !== '')) {
        const name = buf.slice(at + 2, gt).trimEnd()
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
      if (buf.length - at < 9 && !final && !buf.startsWith('<!--', at)) return false
      if (buf.startsWith('<!--', at)) {
        this.state = State.Comment
        this.pos = at + 4
        return true
      }
      if (buf.startsWith('<![CDATA[', at)) {
        if (this.stack.length === 0) throw this.error('CDATA section outside the root element')
        this.state = State.Cdata
        this.pos = at + 9
        return true
      }
      if (buf.startsWith('<!DOCTYPE', at)) {
        throw this.error('<!DOCTYPE> is refused: JUnit files need no DTD, and DTDs enable external-entity (XXE) and entity-expansion ("billion laughs") attacks')
      }
      const declaration = /^<!([A-Z]+)/.exec(buf.slice(at, at + 12))
      if (declaration) throw this.error(`<!${declaration[1]}> declarations are refused: JUnit files need no DTD, and DTDs enable XXE and entity-expansion attacks`)
      throw this.error(`malformed markup ${JSON.stringify(buf.slice(at, at + 12))}`)
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
    for (; i < len; i++) {
      const ch = buf.charCodeAt(i)
      if (ch <= GT) {
        if (endsName(ch)) break
        if (ch === COLON && colon < 0) colon = i - at - 1
      }
    }
    if (i >= len) return this.incomplete(at, final, 'a tag')
    if (i === at + 1) throw this.error(`"<" that starts no tag (write "&lt;" for a literal "<"): ${JSON.stringify(buf.slice(at, at + 12))}`)
    const qname = internName(buf, at + 1, i)
    const attributes = this.attributes
    attributes.reset(buf)
    let selfClosing = false
    // Values, the long part of a tag, are skipped with indexOf; only the short stretches between
    // them (whitespace, a name, "=") are read character by character.
    for (;;) {
      let c = i < len ? buf.charCodeAt(i) : -1
      const separated = isSpace(c)
      while (isSpace(c)) c = ++i < len ? buf.charCodeAt(i) : -1
      if (c < 0) return this.waitForGt(at, final)
      if (c === GT) {
        i++
        break
      }
      if (c === SLASH) {
        if (i + 1 >= len) return this.waitForGt(at, final)
        if (buf.charCodeAt(i + 1) !== GT) throw this.error(`"/" inside <${qname}> that does not end it`)
        selfClosing = true
        i += 2
        break
      }
      if (!separated) throw this.error(`attributes of <${qname}> must be separated by whitespace`)
      const nameStart = i
      // Namespaced attributes are matched by local name: it starts after the last colon.
      let localStart = i
      for (; i < len; i++) {
        const ch = buf.charCodeAt(i)
        if (ch <= GT) {
          if (endsName(ch)) break
          if (ch === COLON) localStart = i + 1
        }
      }
      if (i >= len) return this.waitForGt(at, final)
      const nameEnd = i
      if (nameEnd === nameStart) throw this.error(`malformed attribute in <${qname}>`)
      c = buf.charCodeAt(i)
      while (isSpace(c)) c = ++i < len ? buf.charCodeAt(i) : -1
      if (c < 0) return this.waitForGt(at, final)
      if (c !== EQ) throw this.error(`attribute ${buf.slice(nameStart, nameEnd)} of <${qname}> has no value`)
      c = ++i < len ? buf.charCodeAt(i) : -1
      while (isSpace(c)) c = ++i < len ? buf.charCodeAt(i) : -1
      if (c < 0) return this.waitForGt(at, final)
      if (c !== QUOTE && c !== APOS) throw this.error(`the value of attribute ${buf.slice(nameStart, nameEnd)} of <${qname}> must be in quotes`)
      const close = buf.indexOf(c === QUOTE ? '"' : "'", i + 1)
      if (close < 0) return this.waitForGt(at, final)
      attributes.push(localStart, nameEnd, i + 1, close)
      i = close + 1
    }
    if (this.stack.length >= XML_LIMITS.depth) throw this.error(`elements nested deeper than ${XML_LIMITS.depth}`)
    this.pos = i
    this.sawElement = true
    const name = colon < 0 ? qname : qname.slice(colon + 1)
    if (!selfClosing) {
      this.stack.push(qname)
      this.localStack.push(name)
    }
    this.handler.open(name, attributes, selfClosing)
    if (selfClosing) this.handler.close(name)
    return true
  }

  private waitForGt(at: number, final: boolean): false {
    this.waitingForGt = this.buf.length
    return this.incomplete(at, final, 'a tag')
  }
}

function normalizeLines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n')
}
