/**
 * The JUnit reader: every dialect in the corpus, streamed. It turns the scanner's events into
 * `TestCase`s (one per `<testcase>` element) and merges them into `TestResult`s (retries of one
 * test id are one result). Memory is bounded by the largest single test case plus what the
 * results keep: for each unique test its names and, when it failed, a truncated failure.
 *
 * Semantics (docs/test-report.md "Parsing"):
 * - roots: `<testsuites>`, `<testsuite>` or bare `<testcase>`s, several in a row (concatenated
 *   files); `<testsuite>` nests to any depth, and a `<testcase>` is found under any element;
 * - a test case's outcome: `status` disabled/ignored/skipped/notrun (any case) → skipped, even
 *   with a failure inside (the runner says it did not run it); otherwise the most severe child,
 *   `<error>` > `<failure>` > `<skipped>` > passed; a `status` of failed/error alone fails it;
 * - a `<testcase>` without a name is called `(unnamed N)`, N counting nameless cases in the file;
 * - Surefire `flakyFailure`/`flakyError` and `rerunFailure`/`rerunError` are extra executions of
 *   the same element (failed or errored), in order after it.
 */
import { testId, type Execution, type Failure, type FileReport, type Outcome, type ReadError, type TestCase, type TestOutcome } from '../test-report/model.js'
import { countRun, emptyCounts, testOutcome } from './counts.js'
import { ByteScanner } from './byte-scanner.js'
import { ByteDecoder, sniffEncoding } from './decode.js'
import { jvmFile, lineOfFile, locationFromTrace, relativePath } from './location.js'
import { flatCopy, outcomeCode, ResultTable } from './result-table.js'
import { parseTimeMs, plainTimeMsBytes } from './time.js'
import { Key, XmlError, type TagAttributes, type WholeCase, type XmlHandler } from './xml.js'

/** How much text of one test case is kept, in characters; the rest is cut and marked with `TRUNCATED`. */
export interface TextLimits {
  /** Failure message (attribute, or the body's first line). */
  message: number
  /** Failure body (the stack trace), all `<failure>`/`<error>` bodies of the element together. */
  details: number
  /** `<system-out>` and `<system-err>` together; kept only for `onTestCase`. */
  output: number
}

/** Bytes of a file in another encoding than UTF-8 decoded at a time. */
const PIECE_BYTES = 64 * 1024

/** Text to UTF-8, for the scanner (text input, other encodings). */
const ENCODER = new TextEncoder()

/** The limits used when none are given. */
export const DEFAULT_LIMITS: TextLimits = { message: 1_000, details: 10_000, output: 10_000 }

/** Appended to a text that was cut at its limit. */
export const TRUNCATED = '… [truncated]'

export interface ReadOptions {
  limits?: Partial<TextLimits>
  /** Called with each `<testcase>` as it is read, output included. The reader keeps no reference to it. */
  onTestCase?: (testCase: TestCase) => void
  /** Absolute directory (the checkout) removed from the front of file paths, to make them repository-relative. */
  sourceRoot?: string
}

/** Roots of other test-result formats, named in the error so the user knows what they gave us. */
const OTHER_FORMATS: Record<string, string> = {
  TestRun: 'a Visual Studio TRX file',
  'test-run': 'an NUnit 3 result file',
  'test-results': 'an NUnit 2 result file',
  assemblies: 'an xUnit.net result file',
  assembly: 'an xUnit.net result file',
  'testng-results': 'a TestNG result file',
  result: "a Jenkins junitResult.xml (Jenkins' own store, not JUnit)",
  html: 'an HTML page'
}

/** The attributes `openCase` reads beyond name, classname and time: a test case with any of them is read by `open`, not by the tokenizer as a plain case. */
const SLOW_CASE_KEYS = (1 << Key.Class) | (1 << Key.File) | (1 << Key.Filepath) | (1 << Key.Line) | (1 << Key.Status)

const SKIP_STATUS = new Set(['disabled', 'ignored', 'skipped', 'skip', 'notrun', 'not_run', 'not run'])
const FAIL_STATUS = new Set(['failed', 'failure', 'fail'])
const ERROR_STATUS = new Set(['error', 'errored'])

const enum Role {
  Other,
  Suite,
  Case,
  Failure,
  Error,
  Skipped,
  Rerun,
  RerunTrace,
  Output
}

/** A bounded text accumulator. */
class TextSink {
  text = ''
  truncated = false
  constructor(private readonly limit: number) {}
  /** Adds text; returns false once the limit is reached, when more text would be dropped. */
  add(piece: string): boolean {
    if (this.truncated) return false
    const room = this.limit - this.text.length
    if (piece.length <= room) {
      this.text += piece
      return true
    }
    this.text += piece.slice(0, Math.max(0, room))
    this.truncated = true
    return false
  }
  /** The text, as a string of its own when it was cut (the cut piece is a slice of a longer one). */
  value(): string {
    return this.truncated ? flatCopy(this.text + TRUNCATED) : this.text
  }
}

/**
 * Returns `text` cut to `limit` characters (and marked), as a string of its own: the scanner's
 * strings are made per token, so only a cut one, a slice, could pin a longer one.
 */
function clip(text: string, limit: number): string {
  return text.length <= limit ? text : flatCopy(text.slice(0, limit) + TRUNCATED)
}

/**
 * Whether `bytes[from, to)`, as text, has a character that is neither ASCII whitespace nor past
 * ASCII before any other: then trimming it leaves text (an all-space one is no details), and
 * nothing is in doubt (`trim` also takes non-ASCII spaces).
 */
function asciiTextAt(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i]
    if (b !== 32 && b !== 10 && b !== 9 && b !== 13 && b !== 11 && b !== 12) return b < 0x80
  }
  return false
}

function firstLine(text: string): string {
  const trimmed = text.trim()
  const nl = trimmed.indexOf('\n')
  return nl < 0 ? trimmed : trimmed.slice(0, nl).trimEnd()
}

/** A `<failure>`, `<error>` or rerun element being read. */
interface PendingFailure {
  message?: string
  type?: string
  details: TextSink
}

const NO_RERUNS: PendingCase['reruns'] = []
/** The reruns of a case that had none, when no `onTestCase` sees them: read only, never appended to. */
const NO_EXECUTIONS: Execution[] = []
const NOWHERE: { file?: string; line?: number } = {}

/** A test case of a test already in the table, merged into its row when the table takes the rows. */
interface Merge {
  row: number
  outcome: TestOutcome
  timeMs: number
  fileId: number
  line: number
  failure: Failure | undefined
  executions: Outcome[] | undefined
}

/** Returns the milliseconds of the time written in `bytes[from, to)`. */
function bytesTimeMs(bytes: Buffer, from: number, to: number): number {
  const ms = plainTimeMsBytes(bytes, from, to)
  return ms >= 0 ? ms : parseTimeMs(bytes.toString('latin1', from, to))
}

/** Returns whether `text` is plain ASCII, the same raw and decoded (no `&`, no control character), so `TagAttributes.rawEquals` may compare its bytes. */
function isPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 38 || c < 32 || c >= 128) return false
  }
  return true
}

/** The `<testcase>` being read. */
interface PendingCase {
  classname: string
  /** Bytes of the name, written in the result table at its `nameOffset` (added when the case closes). */
  nameLength: number
  file?: string
  line?: number
  status: string
  timeMs: number
  failure?: PendingFailure
  error?: PendingFailure
  skipped: boolean
  reruns: { outcome: Outcome; timeMs: number; failure: PendingFailure }[]
  output?: TextSink
}

/**
 * Reads one JUnit file pushed in chunks: `write` each chunk (text or bytes), then `end` for the
 * report. Never throws for bad input: the first problem becomes `FileReport.error`, later chunks
 * are ignored, and what was read before it stays in the report.
 */
export class JUnitReader implements XmlHandler {
  wantText = false
  /**
   * The one scanner, over UTF-8 bytes, made once the input's encoding is known. UTF-8 bytes go to
   * it as they are; text, and bytes in another encoding (decoded first), go to it re-encoded.
   */
  private scanner?: ByteScanner
  /** Set when the input is text, or bytes in another encoding: decoded, then re-encoded as UTF-8. */
  private decoding = false
  /** A high surrogate that ended a text chunk, held until its low half arrives in the next. */
  private heldSurrogate = ''
  /** The first bytes, held until they tell the encoding. */
  private head?: Uint8Array
  private readonly decoder = new ByteDecoder()
  private readonly limits: TextLimits
  private readonly roles: Role[] = []
  /** Names of the open suites (the scanner's strings are made per value: they pin nothing). */
  private readonly suiteNames: string[] = []
  /** False when a suite opened or closed since `suitePath` was made: the next test case makes it anew. */
  private suitePathFresh = true
  /** The suite path shared by every case of one suite (a new array only when the path changes). */
  private suitePath: string[] = []
  private current?: PendingCase
  /** The one object every `<testcase>` is read into (`current` while one is open). */
  private readonly spare: PendingCase = { classname: '', nameLength: 0, file: undefined, line: undefined, status: '', timeMs: 0, failure: undefined, error: undefined, skipped: false, reruns: NO_RERUNS, output: undefined }
  private pendingFailure?: PendingFailure
  private readonly runs = emptyCounts()
  /**
   * The tests, retries merged, in order of first appearance (with their counts). While the file is
   * read, their rows are in the scanner's table, which plain test cases enter without a call
   * here; this table names classnames, suite paths and files, and takes the rows at the end.
   */
  private readonly table = new ResultTable()
  /** Failures and executions of new rows, and merges into rows already added, applied when the table takes the rows. */
  private readonly failures = new Map<number, Failure>()
  private readonly executions = new Map<number, Outcome[]>()
  private readonly merges: Merge[] = []
  /** The last case's classname and its id: most cases share the previous case's classname. */
  private lastClassname?: string
  private lastClassId = -1
  /**
   * The last classname's bytes when it may be compared raw (`isPlain`): a case of the same class
   * then reuses the string instead of making its own. Made when first asked for (`lastBytes`):
   * null when the classname is not plain, undefined until then.
   */
  private lastPlainBytes?: Uint8Array | null
  /** The last `file` attribute as written and as made repository-relative: cases of one file come together. */
  private lastRawFile?: string
  private lastRelativeFile?: string
  /** The classname and file name of the last JVM frame the scanner found, and the file's path (`framePath`). */
  private lastFrameClass?: string
  private lastFrameFile = ''
  private lastFramePath = ''
  private error?: ReadError
  private done = false
  private unnamed = 0

  private readonly onTestCase?: (testCase: TestCase) => void
  /** Plain test cases are read by the tokenizer (`XmlHandler.caseSlowKeys`) unless `onTestCase` wants each case as an object. */
  readonly caseSlowKeys?: number
  /** Failures the tokenizer may keep as bytes: within the limits on what the reader keeps. */
  readonly packLimits?: { text: number; message: number }

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions = {}
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits }
    this.onTestCase = options.onTestCase
    if (!this.onTestCase) {
      this.caseSlowKeys = SLOW_CASE_KEYS
      this.packLimits = { text: this.limits.details, message: this.limits.message }
    }
  }

  /** True while the reader still takes input (no error yet, not ended). */
  get reading(): boolean {
    return !this.done && this.error === undefined
  }

  /** Reads the next chunk; returns false when reading stopped (an error), so the caller may stop sending. */
  write(chunk: string | Uint8Array): boolean {
    if (!this.reading) return false
    try {
      if (typeof chunk === 'string') {
        // Text has no encoding to sniff (a declaration in it names the bytes it was decoded from).
        if (!this.scanner) this.startScanner(true)
        this.writeText(chunk)
      } else if (this.decoding) this.writeBytes(chunk)
      else if (this.scanner) this.scanner.write(chunk)
      else this.sniff(chunk, false)
    } catch (err) {
      this.fail(err)
    }
    return this.reading
  }

  /** Ends the input and returns the file's report. */
  end(): FileReport {
    if (this.reading) {
      try {
        if (!this.scanner && this.head) this.sniff(new Uint8Array(0), true)
        if (!this.scanner) this.startScanner(false)
        const scanner = this.scanner as ByteScanner
        if (this.decoding) {
          this.writeText(this.decoder.end())
          // A lone high surrogate at the very end: written as U+FFFD, as a decoder does.
          if (this.heldSurrogate) scanner.write(ENCODER.encode(this.heldSurrogate))
        }
        scanner.end()
      } catch (err) {
        this.fail(err)
      }
    }
    // The scanner's tokenizer goes back to the pool once, however often `end` is called, after the table took its rows.
    if (!this.done && this.scanner) {
      this.takeRows(this.scanner)
      this.scanner.release()
    }
    this.done = true
    const report: FileReport = { file: this.file, runs: { ...this.runs }, tests: { ...this.table.counts }, results: this.table }
    if (this.error) report.error = this.error
    return report
  }

  /** The table takes the rows from the scanner, then the merges are applied in the order they were read. */
  private takeRows(scanner: ByteScanner): void {
    const rows = scanner.takeRows()
    this.runs.total += rows.plainRuns + rows.skippedRuns + rows.packedFailed + rows.packedErrored
    this.runs.passed += rows.plainRuns
    this.runs.skipped += rows.skippedRuns
    this.runs.failed += rows.packedFailed
    this.runs.errored += rows.packedErrored
    const table = this.table
    table.adoptRows(rows, this.failures, this.executions)
    for (const m of this.merges) table.merge(m.row, m.outcome, m.timeMs, m.fileId, m.line, m.failure, m.executions)
  }

  /** The id of the file a JVM frame of class `classId` names by `file` (see `XmlHandler.frameFileId`). */
  frameFileId(classId: number, file: string): number {
    return this.table.fileId(this.framePath(this.table.classnameOf(classId), file))
  }

  /** The path of the file a JVM frame of class `classname` names (`file` in the class's package); a class's failing tests name one file, so the last is kept. */
  private framePath(classname: string, file: string): string {
    if (classname !== this.lastFrameClass || file !== this.lastFrameFile) {
      this.lastFrameClass = classname
      this.lastFrameFile = file
      this.lastFramePath = relativePath(jvmFile(classname, file), this.options.sourceRoot)
    }
    return this.lastFramePath
  }

  /** Which path read the file: `bytes` (UTF-8 scanned as it is) or `text` (decoded first: text input, other encodings). */
  get path(): 'bytes' | 'text' | undefined {
    return this.scanner ? (this.decoding ? 'text' : 'bytes') : undefined
  }

  private startScanner(decoding: boolean): void {
    this.scanner = new ByteScanner(this)
    this.decoding = decoding
  }

  /** Holds the first bytes until they tell the encoding, then hands them to the byte scanner (UTF-8) or the decoder. */
  private sniff(bytes: Uint8Array, final: boolean): void {
    let head = bytes
    if (this.head) {
      head = new Uint8Array(this.head.length + bytes.length)
      head.set(this.head)
      head.set(bytes, this.head.length)
    }
    const label = sniffEncoding(head, final) ?? (final ? 'utf-8' : undefined)
    if (label === undefined) {
      // Held for the next chunk: a copy, as the caller may reuse the chunk's buffer.
      this.head = head === bytes ? bytes.slice() : head
      return
    }
    this.head = undefined
    const utf8 = isUtf8(label)
    this.startScanner(!utf8)
    if (utf8) (this.scanner as ByteScanner).write(head)
    else this.writeBytes(head)
  }

  /**
   * Bytes in another encoding than UTF-8 (rare: UTF-16, ISO-8859-1) are decoded in pieces, each
   * re-encoded for the scanner; the decoder joins a character split between pieces or chunks.
   */
  private writeBytes(bytes: Uint8Array): void {
    for (let from = 0; from < bytes.length; from += PIECE_BYTES) this.writeText(this.decoder.decode(bytes.subarray(from, from + PIECE_BYTES)))
  }

  /** Text to the scanner as UTF-8; a surrogate pair cut between two pieces is joined first. */
  private writeText(text: string): void {
    if (this.heldSurrogate) {
      text = this.heldSurrogate + text
      this.heldSurrogate = ''
    }
    const last = text.length === 0 ? 0 : text.charCodeAt(text.length - 1)
    if (last >= 0xd800 && last <= 0xdbff) {
      this.heldSurrogate = text.slice(-1)
      text = text.slice(0, -1)
    }
    if (text.length > 0) (this.scanner as ByteScanner).write(ENCODER.encode(text))
  }

  private fail(err: unknown): void {
    if (err instanceof XmlError) this.error = { file: this.file, message: err.message, line: err.line, column: err.column }
    // Not a position in the text: an encoding the declaration names that cannot be decoded.
    else this.error = { file: this.file, message: (err as Error).message ?? String(err), line: 1, column: 1 }
  }

  open(name: string, attrs: TagAttributes, selfClosing: boolean): void {
    const parent = this.roles.length === 0 ? undefined : this.roles[this.roles.length - 1]
    let role = Role.Other
    if (parent === undefined && name !== 'testsuites' && name !== 'testsuite' && name !== 'testcase') {
      const known = Object.hasOwn(OTHER_FORMATS, name) ? OTHER_FORMATS[name] : undefined
      throw (this.scanner as ByteScanner).error(`not a JUnit XML file: the root element is <${name}>${known ? `, ${known}` : ''}; JUnit files start with <testsuites>, <testsuite> or <testcase>`)
    }
    if (parent === Role.Case) {
      role = this.openCaseChild(name, attrs)
    } else if (parent === Role.Rerun) {
      if (name === 'stackTrace') role = Role.RerunTrace
    } else if (this.current === undefined) {
      if (name === 'testsuite') {
        role = Role.Suite
        this.suiteNames.push(attrs.get('name') ?? '')
        this.suitePathFresh = false
      } else if (name === 'testcase') {
        role = Role.Case
        this.openCase(attrs)
      }
    }
    if (selfClosing) this.closeRole(role)
    else {
      this.roles.push(role)
      this.updateWantText()
    }
  }

  close(_name: string): void {
    this.closeRole(this.roles.pop())
    this.updateWantText()
  }

  /** The element of `role` closes (a self-closing one right after it opened: what it wants of text is unchanged). */
  private closeRole(role: Role | undefined): void {
    switch (role) {
      case Role.Suite:
        this.suiteNames.pop()
        this.suitePathFresh = false
        break
      case Role.Case:
        this.closeCase()
        break
      case Role.Failure:
      case Role.Error:
      case Role.Rerun:
        this.pendingFailure = undefined
        break
    }
  }

  text(text: string): void {
    const role = this.roles[this.roles.length - 1]
    if (role === Role.Output) {
      if (this.current?.output && !this.current.output.add(text)) this.wantText = false
    } else if (this.pendingFailure && !this.pendingFailure.details.add(text)) {
      this.wantText = false
    }
  }

  private updateWantText(): void {
    const role = this.roles[this.roles.length - 1]
    if (role === Role.Failure || role === Role.Error || role === Role.Rerun || role === Role.RerunTrace) {
      this.wantText = this.pendingFailure !== undefined && !this.pendingFailure.details.truncated
    } else if (role === Role.Output) {
      this.wantText = this.current?.output !== undefined && !this.current.output.truncated
    } else {
      this.wantText = false
    }
  }

  /** The id of a plain test case's classname (see `XmlHandler.classId`), as a case read here names it. */
  classId(classname: string): number {
    if (classname !== this.lastClassname) this.setClassname(classname)
    return this.lastClassId
  }

  /** A plain test case the scanner found in the table: one more passed execution of `row`. */
  plainMerge(bytes: Buffer, row: number, timeFrom: number, timeTo: number): void {
    this.recordRow(-1 - row, 'passed', timeFrom < 0 ? 0 : bytesTimeMs(bytes, timeFrom, timeTo), -1, 0, undefined, undefined)
  }

  /** A failing, erroring or skipped test case the scanner read whole (see `XmlHandler.wholeCase`): what `openCase`, its child's element and `closeCase` do for it. */
  wholeCase(c: WholeCase): void {
    const outcome = c.outcome
    countRun(this.runs, outcome)
    if (outcome === 'skipped') {
      this.recordRow(c.row, outcome, c.timeMs, -1, 0, undefined, undefined)
      return
    }
    const pending = this.failureOf(c.message, c.type)
    const table = this.table
    if (c.rawFrom >= 0) pending.details.add(c.bytes.toString('utf8', c.rawFrom, c.rawTo))
    for (const piece of c.text) if (!pending.details.add(piece)) break
    const failure = this.finishFailure(pending)
    // Its text is its bytes, whole, and a new row's: the table keeps them as the tokenizer keeps
    // a PACKED case's, and makes the failure from them when asked (the one made here dies young).
    // The limits count characters, never more than bytes; the message must be given, as the
    // first line of the text would be made.
    const kept =
      c.rawFrom >= 0 &&
      c.row >= 0 &&
      c.message !== undefined &&
      c.messageBytes <= this.limits.message &&
      c.typeBytes <= this.limits.message &&
      c.rawTo - c.rawFrom <= this.limits.details &&
      asciiTextAt(c.bytes, c.rawFrom, c.rawTo) &&
      (this.scanner as ByteScanner).keepFailure()
    const classname = table.classnameOf(c.classId)
    let fileId: number
    let line: number
    if (c.jvmFile !== undefined && !pending.details.truncated) {
      // The scanner found the JVM frame location.ts would find first, in the whole text (the
      // reader keeps a cut one).
      fileId = table.fileId(this.framePath(classname, c.jvmFile))
      line = c.jvmLine
    } else {
      const location = this.locate(undefined, undefined, classname, failure)
      fileId = location.file === undefined ? -1 : table.fileId(location.file)
      line = location.line ?? 0
    }
    this.recordRow(c.row, outcome, c.timeMs, fileId, line, kept ? undefined : failure, undefined)
    if (c.row >= 0 && (fileId >= 0 || line !== 0)) (this.scanner as ByteScanner).setRowLocation(c.row, fileId, line)
  }

  /** Tells the scanner the context of the plain test cases that follow. */
  sync(): void {
    if (!this.suitePathFresh) this.freshSuitePath()
    ;(this.scanner as ByteScanner).caseContext(this.table.suitesId(this.suitePath))
  }

  /** Adds the row of the staged name (`nameLength` bytes), or keeps the merge into the row of the same test for the end. */
  private addRow(nameLength: number, classId: number, suitesId: number, outcome: TestOutcome, timeMs: number, fileId: number, line: number, failure: Failure | undefined, executions: Outcome[] | undefined): void {
    const row = (this.scanner as ByteScanner).addRow(nameLength, classId, suitesId, outcomeCode(outcome), timeMs, fileId, line)
    this.recordRow(row, outcome, timeMs, fileId, line, failure, executions)
  }

  /** What the table takes at the end for a row the scanner added (`row` ≥ 0: its failure and executions) or found (-1 - the row of the same test: a merge, in reading order). */
  private recordRow(row: number, outcome: TestOutcome, timeMs: number, fileId: number, line: number, failure: Failure | undefined, executions: Outcome[] | undefined): void {
    if (row < 0) this.merges.push({ row: -1 - row, outcome, timeMs, fileId, line, failure, executions })
    else {
      if (failure) this.failures.set(row, failure)
      if (executions) this.executions.set(row, executions)
    }
  }

  /** The classname of the case being closed becomes the last one (its id, and its bytes when they may be compared raw). */
  private setClassname(classname: string): void {
    this.lastClassId = this.table.classId(classname)
    this.lastClassname = classname
    this.lastPlainBytes = undefined
  }

  /** Whether attribute `i` is the last classname, compared raw (when that is plain). */
  private sameAsLast(attrs: TagAttributes, i: number): boolean {
    const bytes = this.lastBytes()
    return bytes !== null && attrs.rawEquals(i, bytes)
  }

  /** The last classname's bytes when it is plain (`lastPlainBytes`), made on the first call for it. */
  private lastBytes(): Uint8Array | null {
    if (this.lastPlainBytes === undefined) {
      const classname = this.lastClassname
      this.lastPlainBytes = classname !== undefined && isPlain(classname) ? Buffer.from(classname, 'latin1') : null
    }
    return this.lastPlainBytes
  }

  /** The suite path is made anew for the next case (a suite opened or closed since it was made). */
  private freshSuitePath(): void {
    this.suitePath = this.suiteNames.slice()
    this.suitePathFresh = true
  }

  private openCase(attrs: TagAttributes): void {
    // One pass over the attributes, by name length first: this runs once per test case. The
    // pending case is one object reused for every case, so a case allocates only what it keeps.
    const pending = this.spare
    let classname: string | undefined
    let className: string | undefined
    let nameAttribute = -1
    let file: string | undefined
    let fileFromPath: string | undefined
    let line: string | undefined
    let status = ''
    let timeMs = 0
    for (let i = 0; i < attrs.length; i++) {
      switch (attrs.key(i)) {
        case Key.Name:
          nameAttribute = i
          break
        case Key.Time:
          // Read in place: a time is nearly always plain digits, and a string per case is garbage.
          timeMs = attrs.timeMs(i)
          if (timeMs < 0) timeMs = parseTimeMs(attrs.value(i))
          break
        case Key.File:
          file = attrs.value(i)
          break
        case Key.Line:
          line = attrs.value(i)
          break
        case Key.Classname:
          classname = this.sameAsLast(attrs, i) ? (this.lastClassname as string) : attrs.value(i)
          break
        case Key.Class:
          className = this.sameAsLast(attrs, i) ? (this.lastClassname as string) : attrs.value(i)
          break
        case Key.Status:
          status = attrs.value(i).trim().toLowerCase()
          break
        case Key.Filepath:
          fileFromPath ??= attrs.value(i)
          break
      }
    }
    file ??= fileFromPath
    pending.classname = classname ?? className ?? ''
    // The name goes straight from the tag's bytes to the scanner's table (a plain ASCII one needs no string).
    const scanner = this.scanner as ByteScanner
    let nameLength = nameAttribute < 0 ? 0 : attrs.stageName(nameAttribute)
    if (nameLength < 0) {
      const name = attrs.value(nameAttribute)
      nameLength = name ? scanner.stageText(name) : 0
    }
    // A nameless case is its own test, not a retry of the previous nameless one.
    if (nameLength === 0) nameLength = scanner.stageText(`(unnamed ${++this.unnamed})`)
    pending.nameLength = nameLength
    if (!file) pending.file = undefined
    else if (file === this.lastRawFile) pending.file = this.lastRelativeFile
    else {
      this.lastRawFile = file
      pending.file = this.lastRelativeFile = relativePath(file, this.options.sourceRoot)
    }
    if (line === undefined) pending.line = undefined
    else {
      const parsedLine = Number(line)
      pending.line = Number.isInteger(parsedLine) && parsedLine > 0 ? parsedLine : undefined
    }
    pending.status = status
    pending.timeMs = timeMs
    pending.failure = undefined
    pending.error = undefined
    pending.skipped = false
    pending.reruns = NO_RERUNS
    pending.output = this.onTestCase ? new TextSink(this.limits.output) : undefined
    this.current = pending
  }

  private openCaseChild(name: string, attrs: TagAttributes): Role {
    const current = this.current as PendingCase
    switch (name) {
      case 'failure':
      case 'error': {
        const kind = name === 'error' ? 'error' : 'failure'
        const seen = current[kind]
        if (seen) {
          // Several of one kind: the first gives message and type, every body goes to the details.
          if (seen.details.text.length > 0 && seen.details.add('\n\n')) this.pendingFailure = seen
          else this.pendingFailure = seen.details.truncated ? undefined : seen
        } else {
          current[kind] = this.pendingFailure = this.newFailure(attrs)
        }
        return name === 'error' ? Role.Error : Role.Failure
      }
      case 'skipped':
        current.skipped = true
        return Role.Skipped
      case 'flakyFailure':
      case 'flakyError':
      case 'rerunFailure':
      case 'rerunError': {
        const failure = (this.pendingFailure = this.newFailure(attrs))
        if (current.reruns === NO_RERUNS) current.reruns = []
        current.reruns.push({ outcome: name.endsWith('Error') ? 'errored' : 'failed', timeMs: parseTimeMs(attrs.get('time')), failure })
        return Role.Rerun
      }
      case 'system-out':
      case 'system-err':
        if (current.output && current.output.text.length > 0) current.output.add('\n')
        return Role.Output
      default:
        return Role.Other
    }
  }

  private newFailure(attrs: TagAttributes): PendingFailure {
    return this.failureOf(attrs.get('message'), attrs.get('type'))
  }

  /** A failure with its element's `message` and `type` (clipped; an empty type is none), its text to come. */
  private failureOf(message: string | undefined, type: string | undefined): PendingFailure {
    return {
      message: message === undefined ? undefined : clip(message, this.limits.message),
      type: type === undefined || type === '' ? undefined : clip(type, this.limits.message),
      details: new TextSink(this.limits.details)
    }
  }

  private closeCase(): void {
    const pending = this.current as PendingCase
    const onTestCase = this.onTestCase
    this.current = undefined
    // Nested suites open and close around few cases each in some dialects: the path is made when a case needs it.
    if (!this.suitePathFresh) this.freshSuitePath()
    const status = pending.status
    let outcome: Outcome
    if (status !== '' && SKIP_STATUS.has(status)) outcome = 'skipped'
    else if (pending.error || (status !== '' && ERROR_STATUS.has(status))) outcome = 'errored'
    else if (pending.failure || (status !== '' && FAIL_STATUS.has(status))) outcome = 'failed'
    else if (pending.skipped) outcome = 'skipped'
    else outcome = 'passed'
    countRun(this.runs, outcome)

    // The cases of a class share the first one's classname string: a string the tokenizer's bytes
    // were decoded into, flat (the table's copy may be a slice, whose characters cost an
    // indirection each when the next case's classname is compared with it).
    const table = this.table
    if (pending.classname !== this.lastClassname) this.setClassname(pending.classname)
    const classId = this.lastClassId
    const classname = this.lastClassname as string
    const pendingFailure = outcome === 'errored' ? pending.error : outcome === 'failed' ? pending.failure : undefined
    const failure = pendingFailure && this.finishFailure(pendingFailure)
    // No arrow function here: one that uses `this` would make every call allocate a context for it.
    const reruns: Execution[] = pending.reruns.length === 0 ? (onTestCase ? [] : NO_EXECUTIONS) : this.finishReruns(pending)
    const location = pending.file === undefined && pending.line === undefined && !failure && reruns.length === 0 ? NOWHERE : this.locate(pending.file, pending.line, classname, failure ?? firstFailure(reruns))

    if (onTestCase) {
      const name = (this.scanner as ByteScanner).stagedName(pending.nameLength)
      const testCase: TestCase = { id: testId(classname, name), suites: this.suitePath, classname, name, outcome, timeMs: pending.timeMs, reruns }
      if (location.file !== undefined) testCase.file = location.file
      if (location.line !== undefined) testCase.line = location.line
      if (failure) testCase.failure = failure
      if (pending.output) testCase.output = pending.output.value()
      onTestCase(testCase)
    }

    let executions: Outcome[] | undefined
    let timeMs = pending.timeMs
    let lastFailure = failure
    if (reruns.length > 0) {
      executions = [outcome]
      for (const rerun of reruns) {
        executions.push(rerun.outcome)
        timeMs += rerun.timeMs
        if (rerun.failure) lastFailure = rerun.failure
      }
    }
    const fileId = location.file === undefined ? -1 : table.fileId(location.file)
    this.addRow(pending.nameLength, classId, table.suitesId(this.suitePath), executions ? testOutcome(executions) : outcome, timeMs, fileId, location.line ?? 0, lastFailure, executions)
  }

  private finishReruns(pending: PendingCase): Execution[] {
    return pending.reruns.map((r) => ({ outcome: r.outcome, timeMs: r.timeMs, failure: this.finishFailure(r.failure) }))
  }

  private finishFailure(pending: PendingFailure): Failure {
    const details = pending.details.value()
    const trimmed = details.trim()
    // The first line is a slice of the details, kept anyway; a flat copy would be garbage.
    const failure: Failure = { message: pending.message ?? clip(firstLine(trimmed), this.limits.message) }
    if (pending.type) failure.type = pending.type
    if (trimmed) failure.details = details
    return failure
  }

  /** The test's file and line: its attributes, else (for a failing test) what its trace names. */
  private locate(file: string | undefined, line: number | undefined, classname: string, failure: Failure | undefined): { file?: string; line?: number } {
    if (file !== undefined && line !== undefined) return { file, line }
    if (!failure) return { file, line }
    // The trace first, then the message; not joined: a joined copy of every failing test's trace is garbage.
    const details = failure.details ?? ''
    if (file !== undefined) return { file, line: lineOfFile(details, file) ?? lineOfFile(failure.message, file) }
    const found = locationFromTrace(details, classname) ?? locationFromTrace(failure.message, classname)
    if (!found) return { line }
    // The table keeps a flat copy of each file it is given.
    return { file: relativePath(found.file, this.options.sourceRoot), line: found.line }
  }
}

/** Returns the failure of the first execution that has one. */
function firstFailure(executions: Execution[]): Failure | undefined {
  for (const e of executions) if (e.failure) return e.failure
  return undefined
}

/** Returns whether the encoding `label` names is UTF-8. */
function isUtf8(label: string): boolean {
  if (label === 'utf-8' || label === 'utf8') return true
  try {
    return new TextDecoder(label).encoding === 'utf-8'
  } catch {
    return false
  }
}

/**
 * Returns the report of one JUnit file read from a stream of chunks (text or bytes; bytes are
 * decoded by the XML declaration's encoding, UTF-8 by default). Stops reading at the first error,
 * which the report carries with its line and column. Rejects only if `chunks` itself throws.
 */
export async function readJUnit(chunks: AsyncIterable<string | Uint8Array>, file: string, options?: ReadOptions): Promise<FileReport> {
  const reader = new JUnitReader(file, options)
  for await (const chunk of chunks) {
    if (!reader.write(chunk)) break
  }
  return reader.end()
}

/** Returns the report of one JUnit file given whole (for tests and small inputs). */
export function readJUnitText(text: string | Uint8Array, file: string, options?: ReadOptions): FileReport {
  const reader = new JUnitReader(file, options)
  reader.write(text)
  return reader.end()
}
