/**
 * The results of a JUnit file or a run, stored by column: a report of 100,000 tests is a few typed
 * arrays, one buffer of test names (UTF-8) and the few strings tests share (classnames, suite
 * paths, files), instead of 100,000 objects with their own id and name strings. Reading a large
 * report then allocates almost nothing per test case, and the garbage collector has little to
 * copy. `at(i)` makes the `TestResult` of one test when a part needs the object; the parts that
 * read every test (counts, the summary's tables, the history record) read the columns.
 *
 * Retries merge as they are added: a test id (classname and name) already in the table gets the
 * new executions appended, times added, the later failure kept, a location filled in when there was
 * none, and the outcome made anew from every execution (docs/test-report.md "Counting rules").
 */
import { testId, type Failure, type Outcome, type TestCounts, type TestOutcome, type TestResult } from '../test-report/model.js'
import { emptyTestCounts, testOutcome } from './counts.js'
import { attributeText, XmlError, type ErrorSource } from './xml.js'

/** Outcome codes of the `outcomes` column, in `OUTCOMES` order. */
const PASSED = 0
const FAILED = 1
const ERRORED = 2
const SKIPPED = 3
const FLAKY = 4
const OUTCOMES: readonly TestOutcome[] = ['passed', 'failed', 'errored', 'skipped', 'flaky']

/** Returns the code of `outcome` in the `outcomes` column (a switch: a keyed load per test is slower). */
export function outcomeCode(outcome: TestOutcome): number {
  switch (outcome) {
    case 'passed':
      return PASSED
    case 'failed':
      return FAILED
    case 'errored':
      return ERRORED
    case 'skipped':
      return SKIPPED
    default:
      return FLAKY
  }
}

/** The executions of a test that ran once, shared and frozen: `executionsAt` hands them out read-only. */
const ONCE: readonly (readonly Outcome[])[] = (['passed', 'failed', 'errored', 'skipped'] as Outcome[]).map((o) => Object.freeze([o]))

const NO_SUITES: readonly string[] = Object.freeze([])

const FNV_OFFSET = 0x811c9dc5 | 0
const FNV_PRIME = 0x01000193

/** Bytes per test of the columns (times, six Int32 columns, two slots of two Int32, the outcome). */
export const ROW_BYTES = 8 + 4 * 6 + 16 + 1

/**
 * Rows made elsewhere (the JUnit tokenizer's table, rows.as.ts), for `adoptRows`: `rows` tests in
 * room for `capacity`, `columns` laid out as this table lays out its buffer, `names` their UTF-8.
 */
export interface TableRows {
  rows: number
  capacity: number
  /** The columns' bytes (`capacity * ROW_BYTES`, starting 8-byte aligned): a copy, or a view the table then owns. */
  columns: Uint8Array<ArrayBuffer>
  names: Buffer<ArrayBuffer>
  /** Tests per outcome code (`OUTCOMES` order). */
  counts: number[]
  /** Test cases the tokenizer read as plain (each passed, a row added or merged). */
  plainRuns: number
  /** Skipped test cases the tokenizer read whole and added rows for (the reader only counts them). */
  skippedRuns: number
  /** Failing test cases the tokenizer kept as bytes (PACKED in scanner.as.ts), by outcome: it counted and located them. */
  packedFailed: number
  packedErrored: number
  /**
   * The failures kept as bytes after the names (PACKED in scanner.as.ts, and the reader's own,
   * `ByteScanner.keepFailure`), in row order, `PACKED_INTS` numbers each (`Packed`): row, outcome
   * code (1 failed, 2 errored), text at (from the names' start), text length, message flags (1:
   * needs decoding, 2: not ASCII), message length, type length (-1: none), type flags. The
   * message and type follow the text. The table makes these failures when asked.
   */
  packed: Int32Array<ArrayBuffer>
}

/** Numbers per failure in `TableRows.packed`, and where each is among them. */
export const PACKED_INTS = 8
export const enum Packed {
  Row = 0,
  Outcome = 1,
  TextAt = 2,
  TextLength = 3,
  MessageFlags = 4,
  MessageLength = 5,
  TypeLength = 6,
  TypeFlags = 7
}

/** Tests a table starts with room for; it doubles as it fills. */
const INITIAL_CAPACITY = 64

/** Returns a flat copy of `s`, so a kept string does not pin a larger one it was sliced from (a chunk's text). */
export function flatCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1)
}

const EMPTY_INT32 = new Int32Array(0)

/** The error source for decoding a kept message: the tokenizer checked its entities, so it never errs. */
const DECODED: ErrorSource = { error: (message) => new XmlError(`a kept failure message: ${message}`, 0, 0) }

/** Returns whether two lists hold the same strings (a loop: a closure over the arguments would allocate on every call of its caller). */
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false
  return true
}

export class ResultTable implements Iterable<TestResult> {
  /** Number of tests. */
  length = 0
  /** Counts of the tests, kept as tests are added and merged. */
  readonly counts: TestCounts = emptyTestCounts()

  #capacity = 0
  // The columns, views of one ArrayBuffer per size (a table per file: one allocation, not ten).
  #classIds = EMPTY_INT32
  #suiteIds = EMPTY_INT32
  #fileIds = EMPTY_INT32
  #lines = EMPTY_INT32
  #nameStarts = EMPTY_INT32
  /** Name ends; a name is `names[nameStarts[i], nameEnds[i])`. */
  #nameEnds = EMPTY_INT32
  /** Open addressing by hash: slot `s` is `slots[2s]`, a test's index + 1 (0 when empty), and `slots[2s + 1]`, its hash; twice as many slots as tests fit. */
  #slots = EMPTY_INT32
  #times = new Float64Array(0)
  #outcomes = new Uint8Array(0)
  /** Every test's name, UTF-8, one after another; a name being added is written at `nameOffset` first. */
  #names = Buffer.allocUnsafe(0)
  #namesEnd = 0

  readonly #classnames: string[] = []
  readonly #classIndex = new Map<string, number>()
  readonly #suitePaths: (readonly string[])[] = []
  #lastSuites?: readonly string[]
  #lastSuitesId = -1
  readonly #files: string[] = []
  readonly #fileIndex = new Map<string, number>()
  /** Sparse: only failing tests have a failure, only retried tests executions of their own. */
  readonly #failures = new Map<number, Failure>()
  /** The failures the tokenizer kept as bytes (`TableRows.packed`), and the bytes they are in (the names the table adopted). */
  #packed: Int32Array<ArrayBuffer> = EMPTY_INT32
  /** Room for more records after a merge's (`addTable`): `#packed` is its start when it is a view of it. */
  #packedStore: Int32Array<ArrayBuffer> = EMPTY_INT32
  #packedBytes = Buffer.allocUnsafe(0)
  readonly #executionLists = new Map<number, Outcome[]>()

  /** Returns a table of `results`, merged by id as the reader merges retries. */
  static of(results: Iterable<TestResult>): ResultTable {
    const table = new ResultTable()
    for (const r of results) table.addResult(r)
    return table
  }

  // ---- Building ----

  /** Returns the id of `classname` (the same for the same string). */
  classId(classname: string): number {
    let id = this.#classIndex.get(classname)
    if (id === undefined) {
      id = this.#classnames.length
      const owned = flatCopy(classname)
      this.#classnames.push(owned)
      this.#classIndex.set(owned, id)
    }
    return id
  }

  /** Returns the id of a suite path; one array passed again (the reader shares it between a suite's cases) is found without comparing. */
  suitesId(suites: readonly string[]): number {
    if (suites === this.#lastSuites) return this.#lastSuitesId
    let id = -1
    for (let i = this.#suitePaths.length - 1; i >= 0 && i >= this.#suitePaths.length - 8; i--) {
      const p = this.#suitePaths[i]
      if (p === suites || sameStrings(p, suites)) {
        id = i
        break
      }
    }
    if (id < 0) {
      id = this.#suitePaths.length
      this.#suitePaths.push(suites.length === 0 ? NO_SUITES : suites)
    }
    this.#lastSuites = suites
    this.#lastSuitesId = id
    return id
  }

  /** Returns the id of a file path. */
  fileId(file: string): number {
    let id = this.#fileIndex.get(file)
    if (id === undefined) {
      id = this.#files.length
      const owned = flatCopy(file)
      this.#files.push(owned)
      this.#fileIndex.set(owned, id)
    }
    return id
  }

  /** Returns the names buffer with room for `bytes` more at its end, where the next test's name is written before `add`. */
  #nameBuffer(bytes: number): Buffer {
    if (this.#namesEnd + bytes > this.#names.length) {
      // allocUnsafe: small sizes come from Node's pool; bytes past `namesEnd` are never read.
      const bigger = Buffer.allocUnsafe(Math.max(this.#names.length * 2, this.#namesEnd + bytes, INITIAL_CAPACITY * 32))
      this.#names.copy(bigger, 0, 0, this.#namesEnd)
      this.#names = bigger
    }
    return this.#names
  }

  /** Writes `name` as the next test's name (see `add`); returns its length in bytes. */
  writeName(name: string): number {
    return this.#nameBuffer(name.length * 3).write(name, this.#namesEnd, 'utf8')
  }

  /**
   * Adds the test whose name the caller wrote last (`writeName`; `nameLength` bytes): a new test, or
   * more executions of the test with the same classname and name. `fileId` is -1 and `line` 0 when
   * unknown; `executions` is every execution in order when the test case had reruns (`outcome` is
   * then `testOutcome` of them), undefined when it ran once. Returns the test's index. (Arguments
   * rather than one object: this runs per test case.)
   */
  add(nameLength: number, classId: number, suitesId: number, outcome: TestOutcome, timeMs: number, fileId: number, line: number, failure: Failure | undefined, executions: Outcome[] | undefined): number {
    const from = this.#namesEnd
    const before = this.length
    const i = this.#addAt(from, nameLength, classId, suitesId, outcome, timeMs, fileId, line, failure, executions)
    // A new test keeps the name written for it; a retry merged leaves it to be written over.
    if (this.length > before) this.#namesEnd = from + nameLength
    return i
  }

  /** `add` for a name already in the names buffer at `from` (the names' end is the caller's to move). */
  #addAt(from: number, nameLength: number, classId: number, suitesId: number, outcome: TestOutcome, timeMs: number, fileId: number, line: number, failure: Failure | undefined, executions: Outcome[] | undefined): number {
    // Room first (a retry merged needs none, but the probe needs a table).
    if (this.length === this.#capacity) this.#grow()
    const to = from + nameLength
    const h = this.#hashOf(classId, from, nameLength)
    const found = this.#probe(h, classId, from, nameLength)
    if (found >= 0) {
      this.merge(found, outcome, timeMs, fileId, line, failure, executions)
      return found
    }
    const i = this.length
    const slot = (-found - 1) << 1
    this.#slots[slot] = i + 1
    this.#slots[slot + 1] = h
    this.#classIds[i] = classId
    this.#suiteIds[i] = suitesId
    this.#fileIds[i] = fileId
    this.#lines[i] = line
    this.#nameStarts[i] = from
    this.#nameEnds[i] = to
    this.#outcomes[i] = outcomeCode(outcome)
    this.#times[i] = timeMs
    if (failure) this.#failures.set(i, failure)
    if (executions) this.#executionLists.set(i, executions)
    this.length = i + 1
    this.#count(outcome, 1)
    return i
  }

  /** Returns the index of the test with id `id` (see `testId`), or -1: a lookup, no pass over the tests. */
  indexOfId(id: string): number {
    if (this.length === 0) return -1
    // A classname holding the separator (XML does not allow it, but a lenient file may) is tried at each one.
    for (let sep = id.indexOf('\u001f'); sep >= 0; sep = id.indexOf('\u001f', sep + 1)) {
      const classId = this.#classIndex.get(id.slice(0, sep))
      if (classId === undefined) continue
      // The name goes where the next test's would (not added): the table compares bytes, not strings.
      const from = this.#namesEnd
      const length = this.writeName(id.slice(sep + 1))
      const found = this.#probe(this.#hashOf(classId, from, length), classId, from, length)
      if (found >= 0) return found
    }
    return -1
  }

  /** Adds a result made elsewhere (`of`, tests, another table). */
  addResult(r: TestResult): number {
    const nameLength = this.writeName(r.name)
    const executions = r.executions.length <= 1 && r.outcome !== 'flaky' ? undefined : [...r.executions]
    return this.add(nameLength, this.classId(r.classname), this.suitesId(r.suites), r.outcome, r.timeMs, r.file === undefined ? -1 : this.fileId(r.file), r.line ?? 0, r.failure, executions)
  }

  /**
   * Adds every test of `other` (the tests of several files merged into a run's). Its names, and
   * the failures it keeps as bytes between them, come over in one copy; a failure kept as bytes
   * stays bytes when its test is new here, and is made a `Failure` when it merges into a test
   * already here (a retry in another file).
   */
  addTable(other: ResultTable): void {
    if (other.length === 0) return
    // This table's ids of the other's classnames, suite paths and files, found when a test first
    // needs one (so ids are given in the same order as test by test): array reads, not lookups per test.
    const classIds = new Int32Array(other.#classnames.length).fill(-1)
    const suiteIds = new Int32Array(other.#suitePaths.length).fill(-1)
    const fileIds = new Int32Array(other.#files.length).fill(-1)
    const base = this.#namesEnd
    other.#names.copy(this.#nameBuffer(other.#namesEnd), base, 0, other.#namesEnd)
    this.#namesEnd = base + other.#namesEnd
    const packed = other.#packed
    const carried: number[] = []
    let p = 0
    for (let i = 0; i < other.length; i++) {
      const otherClass = other.#classIds[i]
      let classId = classIds[otherClass]
      if (classId < 0) classId = classIds[otherClass] = this.classId(other.#classnames[otherClass])
      const otherSuites = other.#suiteIds[i]
      let suitesId = suiteIds[otherSuites]
      if (suitesId < 0) suitesId = suiteIds[otherSuites] = this.suitesId(other.#suitePaths[otherSuites])
      const otherFile = other.#fileIds[i]
      let fileId = -1
      if (otherFile >= 0) {
        fileId = fileIds[otherFile]
        if (fileId < 0) fileId = fileIds[otherFile] = this.fileId(other.#files[otherFile])
      }
      // Its failure: one made by the reader, or else one kept as bytes (records are in row order).
      const failure = other.#failures.size === 0 ? undefined : other.#failures.get(i)
      while (p < packed.length && packed[p + Packed.Row] < i) p += PACKED_INTS
      const bytes = failure === undefined && p < packed.length && packed[p + Packed.Row] === i ? p : -1
      const executions = other.#executionLists.size === 0 ? undefined : other.#executionLists.get(i)
      const before = this.length
      const start = other.#nameStarts[i]
      const row = this.#addAt(base + start, other.#nameEnds[i] - start, classId, suitesId, OUTCOMES[other.#outcomes[i]], other.#times[i], fileId, other.#lines[i], failure, executions && [...executions])
      if (bytes < 0) continue
      if (this.length > before) {
        for (let k = 0; k < PACKED_INTS; k++) carried.push(packed[bytes + k])
        carried[carried.length - PACKED_INTS + Packed.Row] = row
        carried[carried.length - PACKED_INTS + Packed.TextAt] += base
      } else this.#failures.set(row, other.#unpack(i)!)
    }
    if (carried.length) {
      // Appended where there is room (a run of 1,000 files appends 1,000 times): the records are a view of a store that doubles.
      const used = this.#packed.length
      let store = this.#packedStore
      if (store.buffer !== this.#packed.buffer || used + carried.length > store.length) {
        store = new Int32Array(Math.max(2 * store.length, used + carried.length, 64 * PACKED_INTS))
        store.set(this.#packed)
        this.#packedStore = store
      }
      store.set(carried, used)
      this.#packed = store.subarray(0, used + carried.length)
      // Every byte written to the names is in the newest buffer at its offset: the kept failures' too.
      this.#packedBytes = this.#names
    }
  }

  /** Makes room for `tests` tests and `bytes` of their names (and kept failures: `storedBytes`) in an empty table (a merge of tables whose sizes are known), so that it does not grow test by test. */
  reserve(tests: number, bytes: number): void {
    if (this.length !== 0) throw new Error('reserve: the table already holds tests')
    let size = INITIAL_CAPACITY
    while (size < tests) size *= 2
    if (size > this.#capacity) this.#bind(new ArrayBuffer(size * ROW_BYTES), size)
    if (bytes > this.#names.length) this.#names = Buffer.allocUnsafe(bytes)
  }

  /** Bytes of its names buffer in use: the tests' names and the failures kept as bytes between them (what `addTable` copies; see `reserve`). */
  get storedBytes(): number {
    return this.#namesEnd
  }

  /** Sets where test `i` is (source-paths.ts, once the file is found in the repository). */
  setLocation(i: number, file: string | undefined, line: number | undefined): void {
    this.#fileIds[i] = file === undefined ? -1 : this.fileId(file)
    this.#lines[i] = line ?? 0
  }

  /** FNV-1a over the name's bytes, then the classname's id mixed in (as rows.as.ts hashes). */
  #hashOf(classId: number, from: number, length: number): number {
    let h = FNV_OFFSET
    const names = this.#names
    for (let k = from; k < from + length; k++) h = Math.imul(h ^ names[k], FNV_PRIME)
    h = Math.imul(h ^ classId, FNV_PRIME)
    return h ^ (h >>> 16)
  }

  /** Returns the index of the test with hash `h`, classname `classId` and the name at `names[from, from + length)`; when there is none, -1 - the empty slot where it would go. */
  #probe(h: number, classId: number, from: number, length: number): number {
    const names = this.#names
    const slots = this.#slots
    const mask = (slots.length >> 1) - 1
    let slot = h & mask
    // A slot holds the test's index + 1 and its hash side by side: one cache line read per slot
    // looked at (the table is larger than the caches), the test's columns only on a hash match.
    for (let held = slots[slot << 1]; held !== 0; held = slots[slot << 1]) {
      if (slots[(slot << 1) + 1] === h) {
        const i = held - 1
        const start = this.#nameStarts[i]
        if (this.#classIds[i] === classId && this.#nameEnds[i] - start === length) {
          let k = 0
          while (k < length && names[start + k] === names[from + k]) k++
          if (k === length) return i
        }
      }
      slot = (slot + 1) & mask
    }
    return -1 - slot
  }

  /** Merges more executions into test `i` (the rules in the module comment); `outcome` is theirs, `more` every one of them when there are several. */
  merge(i: number, outcome: TestOutcome, timeMs: number, fileId: number, line: number, failure: Failure | undefined, more: Outcome[] | undefined): void {
    const before = OUTCOMES[this.#outcomes[i]]
    const executions = [...this.executionsAt(i), ...(more ?? [outcome as Outcome])]
    this.#executionLists.set(i, executions)
    this.#times[i] += timeMs
    if (failure) this.#failures.set(i, failure)
    if (this.#fileIds[i] < 0 && fileId >= 0) {
      this.#fileIds[i] = fileId
      this.#lines[i] = line
    }
    const after = testOutcome(executions)
    this.#outcomes[i] = outcomeCode(after)
    this.#count(before, -1)
    this.#count(after, 1)
  }

  #count(outcome: TestOutcome, delta: number): void {
    const c = this.counts
    c.total += delta
    switch (outcome) {
      case 'passed':
        c.passed += delta
        break
      case 'failed':
        c.failed += delta
        break
      case 'errored':
        c.errored += delta
        break
      case 'skipped':
        c.skipped += delta
        break
      case 'flaky':
        c.flaky += delta
        break
    }
  }

  /**
   * Rows laid out as this table lays them out (rows.as.ts): the table must hold none. Tests per
   * outcome come from `rows.counts`; `failures` and `executions` are those of the new rows.
   */
  adoptRows(rows: TableRows, failures: Map<number, Failure>, executions: Map<number, Outcome[]>): void {
    if (this.length !== 0) throw new Error('adoptRows: the table already holds tests')
    if (rows.capacity === 0) return
    this.#bind(rows.columns.buffer, rows.capacity, rows.columns.byteOffset)
    this.#names = rows.names
    this.#namesEnd = rows.names.length
    this.length = rows.rows
    rows.counts.forEach((n, code) => this.#count(OUTCOMES[code], n))
    for (const [i, failure] of failures) this.#failures.set(i, failure)
    for (const [i, list] of executions) this.#executionLists.set(i, list)
    const packed = rows.packed
    if (packed.length > 0) {
      this.#packed = packed
      this.#packedBytes = rows.names
    }
  }

  /** The failures kept as bytes: `PACKED_INTS` numbers each (see `TableRows.packed`), read only. */
  get packedFailures(): Int32Array {
    return this.#packed
  }

  /** The failure of test `i` when the tokenizer kept it as bytes, made anew; else undefined. */
  #unpack(i: number): Failure | undefined {
    const packed = this.#packed
    // Rows are in order: a binary search over the records.
    let lo = 0
    let hi = packed.length / PACKED_INTS - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const row = packed[mid * PACKED_INTS + Packed.Row]
      if (row < i) lo = mid + 1
      else if (row > i) hi = mid - 1
      else {
        const p = mid * PACKED_INTS
        const bytes = this.#packedBytes
        const text = packed[p + Packed.TextAt]
        const messageAt = text + packed[p + Packed.TextLength]
        const typeAt = messageAt + packed[p + Packed.MessageLength]
        const failure: Failure = { message: attributeText(bytes, messageAt, typeAt, packed[p + Packed.MessageFlags], DECODED) }
        if (packed[p + Packed.TypeLength] > 0) failure.type = attributeText(bytes, typeAt, typeAt + packed[p + Packed.TypeLength], packed[p + Packed.TypeFlags], DECODED)
        failure.details = bytes.toString('utf8', text, messageAt)
        return failure
      }
    }
    return undefined
  }

  /** Makes the columns views of `buffer` from `at` (8-byte aligned), laid out for `size` tests: Float64 first, then six Int32 columns, the slots (two per test, each an index and a hash: four Int32 per test), then the outcome bytes. */
  #bind(buffer: ArrayBuffer, size: number, at = 0): void {
    this.#capacity = size
    const int32 = (k: number, length = size) => new Int32Array(buffer, at + size * 8 + k * size * 4, length)
    this.#times = new Float64Array(buffer, at, size)
    ;[this.#classIds, this.#suiteIds, this.#fileIds, this.#lines, this.#nameStarts, this.#nameEnds] = [0, 1, 2, 3, 4, 5].map((k) => int32(k))
    this.#slots = int32(6, size * 4)
    this.#outcomes = new Uint8Array(buffer, at + size * (ROW_BYTES - 1), size)
  }

  #grow(): void {
    const size = Math.max(INITIAL_CAPACITY, this.#capacity * 2)
    const before = { times: this.#times, columns: [this.#classIds, this.#suiteIds, this.#fileIds, this.#lines, this.#nameStarts, this.#nameEnds], outcomes: this.#outcomes, slots: this.#slots }
    this.#bind(new ArrayBuffer(size * ROW_BYTES), size)
    this.#times.set(before.times)
    ;[this.#classIds, this.#suiteIds, this.#fileIds, this.#lines, this.#nameStarts, this.#nameEnds].forEach((column, k) => column.set(before.columns[k]))
    this.#outcomes.set(before.outcomes)
    const slots = this.#slots
    const mask = size * 2 - 1
    const old = before.slots
    for (let k = 0; k < old.length; k += 2) {
      if (old[k] === 0) continue
      let slot = old[k + 1] & mask
      while (slots[slot << 1] !== 0) slot = (slot + 1) & mask
      slots[slot << 1] = old[k]
      slots[(slot << 1) + 1] = old[k + 1]
    }
  }

  // ---- Reading ----

  outcomeAt(i: number): TestOutcome {
    return OUTCOMES[this.#outcomes[i]]
  }

  timeMsAt(i: number): number {
    return this.#times[i]
  }

  classnameAt(i: number): string {
    return this.#classnames[this.#classIds[i]]
  }

  /** The classname whose id `classId` gave. */
  classnameOf(id: number): string {
    return this.#classnames[id]
  }

  nameAt(i: number): string {
    return this.#names.toString('utf8', this.#nameStarts[i], this.#nameEnds[i])
  }

  idAt(i: number): string {
    return testId(this.classnameAt(i), this.nameAt(i))
  }

  /** The enclosing suites, shared by the tests of one suite: read only. */
  suitesAt(i: number): readonly string[] {
    return this.#suitePaths[this.#suiteIds[i]]
  }

  /** A number naming test `i`'s suite path: equal for consecutive tests of one path (a path met again much later may get another number), so a change of number is where a suite's tests may end. */
  suitesIdAt(i: number): number {
    return this.#suiteIds[i]
  }

  fileAt(i: number): string | undefined {
    const f = this.#fileIds[i]
    return f < 0 ? undefined : this.#files[f]
  }

  lineAt(i: number): number | undefined {
    return this.#lines[i] === 0 ? undefined : this.#lines[i]
  }

  failureAt(i: number): Failure | undefined {
    const failure = this.#failures.size === 0 ? undefined : this.#failures.get(i)
    if (failure) return failure
    return this.#packed.length === 0 ? undefined : this.#unpack(i)
  }

  /** Every execution in order (read only). */
  executionsAt(i: number): readonly Outcome[] {
    const own = this.#executionLists.size === 0 ? undefined : this.#executionLists.get(i)
    if (own) return own
    const code = this.#outcomes[i]
    return ONCE[code === FLAKY ? PASSED : code]
  }

  /** Returns test `i` as a `TestResult` (a new object each call; changing it leaves the table as it is). */
  at(i: number): TestResult {
    if (i < 0) i += this.length
    if (!(i >= 0 && i < this.length)) throw new RangeError(`no test at index ${i} of ${this.length}`)
    const classname = this.classnameAt(i)
    const name = this.nameAt(i)
    const result: TestResult = {
      id: testId(classname, name),
      suites: this.suitesAt(i) as string[],
      classname,
      name,
      outcome: this.outcomeAt(i),
      executions: [...this.executionsAt(i)],
      timeMs: this.#times[i]
    }
    const file = this.fileAt(i)
    if (file !== undefined) result.file = file
    const line = this.lineAt(i)
    if (line !== undefined) result.line = line
    const failure = this.failureAt(i)
    if (failure) result.failure = failure
    return result
  }

  *[Symbol.iterator](): Iterator<TestResult> {
    for (let i = 0; i < this.length; i++) yield this.at(i)
  }

  /** The indexes of the tests whose outcome is one of `outcomes`, in order. */
  indexesOf(...outcomes: TestOutcome[]): number[] {
    let mask = 0
    for (const o of outcomes) mask |= 1 << outcomeCode(o)
    const out: number[] = []
    const codes = this.#outcomes
    for (let i = 0; i < this.length; i++) if ((mask >> codes[i]) & 1) out.push(i)
    return out
  }

  /** The tests whose outcome is one of `outcomes`, as `TestResult`s, in order. */
  withOutcome(...outcomes: TestOutcome[]): TestResult[] {
    return this.indexesOf(...outcomes).map((i) => this.at(i))
  }

  /** Every test as a `TestResult` (tests, and small reports). */
  toArray(): TestResult[] {
    return [...this]
  }
}
