/**
 * What the JUnit reader's XML scanner (`ByteScanner`, byte-scanner.ts) shares with its handler:
 * events, attributes, errors, limits, and the decoding of text and attribute values.
 *
 * The scanner is strict where strictness protects us and lenient where real reports are sloppy:
 * - refused: `<!DOCTYPE`, `<!ENTITY` and every other declaration (no DTD, so no XXE and no entity
 *   expansion), unknown entities, malformed tags, mismatched or unclosed elements, text outside
 *   the root, a file that ends early;
 * - accepted: a UTF-8 BOM, several root elements one after another (concatenated reports), `<`
 *   inside attribute values (`time="<<computed>>"`), namespace prefixes (matched by local name),
 *   control characters in text; text that is not kept is not checked for entity syntax.
 */
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
  /** Returns the index of attribute `i`'s local name in ATTRIBUTE_NAMES (see `Key`), or -1. */
  key(i: number): number
  /** Returns the decoded value of attribute `i`. Throws XmlError on a bad entity. */
  value(i: number): string
  /** Returns attribute `i` read in place as plain seconds (see `plainTimeMs`) in milliseconds, or -1 when it is not written plainly. */
  timeMs(i: number): number
  /** Stages attribute `i`'s value as the next row's name (see ByteScanner's table) when its bytes are its value (printable ASCII, no `&`); returns its length in bytes, or -1 (the caller decodes it). */
  stageName(i: number): number
  /** Returns whether attribute `i`'s value, as written, is `bytes`; the same as `value(i) === text` when `bytes` are plain ASCII `text` (no `&`, no control character). */
  rawEquals(i: number, bytes: Uint8Array): boolean
}

/** What the scanner reports. Element names are local names (a `ns:` prefix removed). */
export interface XmlHandler {
  /** Whether the text (and CDATA) now being read should be decoded and passed to `text`. */
  readonly wantText: boolean
  /** An element opens; a self-closing one (`<x/>`) is also closed by this call, with no `close` after it. */
  open(name: string, attributes: TagAttributes, selfClosing: boolean): void
  close(name: string): void
  /** A piece of the current element's text, entities decoded; one text node may come in several pieces. */
  text(text: string): void
  /**
   * Set, with `classId`, `plainMerge` and `sync`, to let the scanner read plain test cases
   * itself (scanner.as.ts): a self-closing `<testcase>` outside any open one, with a name
   * (printable ASCII, not empty), a classname and maybe a time (ASCII without "&" or control
   * characters: their bytes are their values), and no attribute in this set: a bit per attribute
   * (`Key`) that keeps a `<testcase>` from being plain. The scanner adds its row to its table
   * (`ByteScanner.takeRows`), with no call.
   */
  readonly caseSlowKeys?: number
  /**
   * The handler's id of `classname`, which a plain test case has and the last one did not: the
   * handler names it as it would reading the case (all events before it were handed over).
   */
  classId?(classname: string): number
  /** A plain test case whose classname and name are those of table row `row`: one more passed execution of it. */
  plainMerge?(bytes: Buffer, row: number, timeFrom: number, timeTo: number): void
  /** Called after each batch of events: the handler tells the scanner the context of the plain test cases that follow (`ByteScanner.caseContext`). */
  sync?(): void
  /**
   * Set, with `wholeCase` and `frameFileId`, to let the scanner keep a failing test case's
   * failure as its bytes (PACKED in scanner.as.ts) when its text and its message and type are
   * within these many bytes (the reader's limits: a text of at most that many bytes has at most
   * that many characters). Such a case's row is added, counted and located with no call but
   * `frameFileId`; `ByteScanner.takeRows` hands them over.
   */
  readonly packLimits?: { text: number; message: number }
  /**
   * With `packLimits`: the handler's id of the file a JVM frame of the class whose id is
   * `classId` names as `file` (the test of a failing case kept as bytes is there, at the frame's
   * line). Asked once per run of a class's failing cases naming one file.
   */
  frameFileId?(classId: number, file: string): number
  /**
   * A failing, erroring or skipped test case the scanner read whole (WHOLE in scanner.as.ts),
   * instead of its events: its row is in the table (or `row` < 0 names the row of the same test:
   * a retry). The object is reused for the next one.
   */
  wholeCase?(c: WholeCase): void
}

/** A test case read whole (see `XmlHandler.wholeCase`): what the reader keeps of it, decoded. */
export interface WholeCase {
  outcome: 'failed' | 'errored' | 'skipped'
  /** The new row, or -1 - the row of the same test. */
  row: number
  /** Its time, in milliseconds (0: none). */
  timeMs: number
  /** Id of its classname in the reader's table (the one it named to the scanner). */
  classId: number
  /** Attributes of its failure, error or skipped element. */
  message?: string
  type?: string
  /** The text of its failure or error element, piece by piece, decoded (none when it is `raw`). */
  text: string[]
  /**
   * When the text is one piece whose UTF-8 bytes are its text (nothing to decode): it is
   * `bytes[rawFrom, rawTo)`, valid only during the call (`rawFrom` -1: see `text`). The reader
   * may have the scanner keep such a failure as bytes (`ByteScanner.keepFailure`).
   */
  bytes: Buffer
  rawFrom: number
  rawTo: number
  /** Bytes of its `message` and `type` attributes as written (0 when there is none). */
  messageBytes: number
  typeBytes: number
  /** The file and line of its JVM frame in that text (location.ts's first heuristic), when the scanner found one. */
  jvmFile?: string
  jvmLine: number
}

/** Limits that keep hostile input from costing unbounded memory. */
export const XML_LIMITS = {
  /** Longest start tag (name and attributes), in characters. */
  tagChars: 16 * 1024 * 1024,
  /** Deepest element nesting. */
  depth: 512,
  /** Most attributes on one tag (JUnit writers put fewer than twenty). */
  attributes: 1024
} as const

/** JUnit's element names: a tag with one of these names reuses the constant instead of a new string. */
export const COMMON_NAMES = ['testcase', 'testsuite', 'testsuites', 'failure', 'error', 'skipped', 'system-out', 'system-err', 'properties', 'property', 'flakyFailure', 'flakyError', 'rerunFailure', 'rerunError', 'stackTrace']

/** The attributes the reader looks for, by local name: `TagAttributes.key` gives an attribute's index here. */
export const ATTRIBUTE_NAMES = ['name', 'classname', 'class', 'time', 'file', 'filepath', 'line', 'status', 'message', 'type'] as const

/** Indexes into ATTRIBUTE_NAMES. */
export const enum Key {
  Name,
  Classname,
  Class,
  Time,
  File,
  Filepath,
  Line,
  Status,
  Message,
  Type
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

/** Returns `text` with `\r\n` and `\r` made `\n` (XML 1.0 §2.11), as CDATA is read. */
export function normalizeLines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n')
}

/**
 * Returns `raw` with `\r\n` and `\r` made `\n` and the five predefined and numeric entities decoded.
 * Throws XmlError (at the scanner's current token) on any other entity.
 */
export function decodeText(raw: string, scanner: ErrorSource): string {
  let text = normalizeLines(raw)
  if (text.indexOf('&') >= 0) text = decodeEntities(text, scanner)
  return text
}

/** Returns an attribute's value, bytes `[from, to)` with the tokenizer's `flags` (1: needs decoding, 2: not ASCII), decoded. */
export function attributeText(buf: Buffer, from: number, to: number, flags: number, source: ErrorSource): string {
  // ASCII is latin1 byte for byte, and latin1 needs no UTF-8 decoding.
  if ((flags & 3) === 0) return buf.toString('latin1', from, to)
  const raw = buf.toString('utf8', from, to)
  return decodeAttribute(raw, 0, raw.length, source)
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
