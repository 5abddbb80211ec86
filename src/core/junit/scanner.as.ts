// The JUnit reader's XML tokenizer, in AssemblyScript, compiled to WebAssembly by
// scripts/gen-junit-scanner.mjs into scanner-wasm.generated.ts (a test checks that the committed
// module is what this source compiles to). byte-scanner.ts drives it and owns every rule that
// needs names or strings: element nesting, limits, error messages, decoding. This file finds the
// tokens of a UTF-8 buffer and writes them as integer events, because a byte loop compiled ahead
// of time runs at full speed from the first byte, where JavaScript spends a short process's first
// tens of milliseconds interpreting and compiling it.
//
// Memory: [HEADER: 32 i32][NAMES: NAME_BYTES][EVENTS: EVENT_CAP i32][INPUT][TABLE]. NAMES holds the
// element and attribute names the caller knows (see `init`), which the events name by index. The caller copies each chunk to
// INPUT after the unread tail of the previous one, calls `scan`, reads the events and the header,
// then calls `compact`, which moves the unread tail to INPUT's front. TABLE (rows.as.ts) follows
// INPUT's room, and moves up when INPUT needs more (`reserve`).
//
// Events (i32, offsets into INPUT):
//   OPEN  1, tokenStart, nameStart, nameEnd, localStart, flags (1 self-closing, 2 name not ASCII),
//         n, element (the local name's index in the element names given to `init`, or -1),
//         then n × [localStart, nameEnd, valueStart, valueEnd, flags (1 needs decoding: "&" or a
//         control character, 2 not ASCII; bits 8 and up: the local name's index in the attribute
//         names given to `init`, plus one, or 0)]
//   CLOSE 2, tokenStart, gt (the end tag's name runs from tokenStart + 2 to gt)
//   TEXT  3, from, to (inside an element; at a chunk's end a cut character, entity or CR is left unread)
//   CDATA 4, from, to
//         With a test case element named (see `init`), TEXT and CDATA come only from inside one:
//         the reader keeps no other text.
//   MERGE 6, row, timeStart, timeEnd: a plain test case whose classname and name are those of
//         `row` already in the table (a retry): the reader merges a passed execution into it.
//   WHOLE 7, tokenStart, outcome (1 failed, 2 errored, 3 skipped), row (the new row, or -1 - the
//         row of the same test: a retry to merge), timeStart, timeEnd, childStart (the "<" of its
//         failure, error or skipped element), messageStart, messageEnd, messageFlags, typeStart,
//         typeEnd, typeFlags (start -1: no such attribute; flags as an attribute's), classId,
//         jvmFileStart, jvmFileEnd, jvmLine (the test's JVM frame in the text, see `jvmFrame`;
//         start -1: none found), n, then n × [TEXT or CDATA, from, to]: the text of its failure or
//         error element, the kind plus RAW_TEXT (16) when it is the only one and its bytes are its
//         text (no CR, and in TEXT no "&": nothing to decode). A test case read whole (see `whole*` below): its row is
//         added here. A skipped one whose row is new emits nothing (`skippedRuns` counts it); a
//         failing one whose failure is kept as bytes emits PACKED instead.
//   PACKED 8, n, then n × [row, outcome (1 failed, 2 errored), textAt, textLength, messageFlags,
//         messageLength, typeLength (-1: no type), typeFlags]: failing test cases read whole
//         whose failures the reader keeps as their bytes (see `packed`), one event for those that
//         follow one another: each new row is added, counted and located at its JVM frame (the
//         reader names the frame's file), and its text, message and type bytes, one after
//         another from textAt, are kept after the table's names (offsets from their start).
// A plain test case is a self-closing test case element (see `init`) outside any open one, not
// nested too deep, whose attributes are a name (printable ASCII, not empty), a classname (ASCII,
// no "&" or control character, at most 255 bytes), maybe a time written plainly (see
// `plainTime`), and none of the attributes `init` calls slow. Its OPEN event is not written: it
// becomes a row of the table (rows.as.ts) here, passed, unless events that the reader must see
// first are pending (a start or end tag): then `scan` stops before it and returns SYNC, and the
// reader, having read the events, calls `context` and `scan` again. A classname other than the
// last one is named by the reader's `classId` (imported): its id, as the reader would give it
// reading the case itself, at the same point of the file.
// `scan` returns DONE (what can be read is read; the rest waits for more input), FULL (the event
// area is full: read the events and call `scan` again), SYNC (see above) or FAILED (an error in the header; the
// events before it stand). At a chunk's end an error whose quote could still grow waits for more.

import { FNV_OFFSET, FNV_PRIME, addHashed, addStaged, fnvBytes, keepBytes, memoryReaches, moveTable, nameRoom, namesEnd, outcomeCount, resetTable, rowCap, rows, setLocation, tableBase, tableBytes } from './rows.as'

export { addStaged, nameRoom, setLocation }

/** The reader's id of the classname INPUT[from, to) (ASCII), named now if it is new. */
// @ts-ignore: decorator
@external("env", "classId")
declare function readerClassId(from: i32, to: i32): i32

/** The reader's id of the file a JVM frame of class `classId` names by INPUT[from, to) (see `jvmFrame`). */
// @ts-ignore: decorator
@external("env", "frameFile")
declare function readerFrameFile(classId: i32, from: i32, to: i32): i32

const HEADER_INTS: i32 = 32
const EVENT_CAP: i32 = 256 * 1024
/** Room for the known names: [element count, attribute count, then per name: length, bytes], and their index (see `init`). */
const NAME_BYTES: i32 = 2048

// Header slots (what byte-scanner.ts reads).
const H_EVENTS: i32 = 1
const H_ERROR: i32 = 2
const H_ERR_AT: i32 = 3
const H_ERR_A: i32 = 4
const H_ERR_B: i32 = 5
const H_ERR_C: i32 = 6
const H_ERR_D: i32 = 7
const H_LINE: i32 = 8
const H_COLUMN: i32 = 9
const H_SAW_ELEMENT: i32 = 11
const H_STATE: i32 = 12
const H_PLAIN_RUNS: i32 = 13
const H_TABLE_AT: i32 = 14
const H_ROWS: i32 = 15
const H_ROW_CAP: i32 = 16
const H_NAMES_END: i32 = 17
const H_COUNTS: i32 = 18
const H_SKIPPED_RUNS: i32 = 23
const H_PACKED_FAILED: i32 = 24
const H_PACKED_ERRORED: i32 = 25

// Statuses.
const DONE: i32 = 0
const FULL: i32 = 1
const FAILED: i32 = 2
const SYNC: i32 = 3

// Events.
const OPEN: i32 = 1
const CLOSE: i32 = 2
const TEXT: i32 = 3
const CDATA: i32 = 4
/** Added to a WHOLE event's segment kind when the segment's bytes are its text (see the event list above). */
const RAW_TEXT: i32 = 16
const MERGE: i32 = 6
const WHOLE: i32 = 7
const PACKED: i32 = 8

// Errors (byte-scanner.ts words them).
const E_TEXT_OUTSIDE: i32 = 1
const E_EOF_TAG: i32 = 2
const E_EOF_END_TAG: i32 = 3
const E_TAG_TOO_LONG: i32 = 4
const E_CDATA_OUTSIDE: i32 = 5
const E_DOCTYPE: i32 = 6
const E_DECLARATION: i32 = 7
const E_NO_TAG: i32 = 8
const E_SLASH: i32 = 9
const E_NOT_SEPARATED: i32 = 10
const E_MALFORMED_ATTRIBUTE: i32 = 11
const E_NO_VALUE: i32 = 12
const E_UNQUOTED: i32 = 13
const E_TOO_MANY_ATTRIBUTES: i32 = 14
const E_MEMORY: i32 = 15

// States.
const S_TEXT: i32 = 0
const S_CDATA: i32 = 1
const S_COMMENT: i32 = 2
const S_INSTRUCTION: i32 = 3

const LT: i32 = 60
const GT: i32 = 62
const SLASH: i32 = 47
const BANG: i32 = 33
const QUESTION: i32 = 63
const EQ: i32 = 61
const QUOTE: i32 = 34
const APOS: i32 = 39
const COLON: i32 = 58
const NEWLINE: i32 = 10
const CR: i32 = 13
const AMP: i32 = 38
const SEMICOLON: i32 = 59
/** The longest entity accepted, `&#x10FFFF;`: text cut within this of its end may be an entity cut short. */
const MAX_ENTITY: i32 = 10
/** Bytes an error's quote may take (20 characters of up to 4 bytes): an error nearer a chunk's end waits for more. */
const QUOTE_BYTES: i32 = 80

const HEADER: usize = (__heap_base + 15) & ~(<usize>15)
const NAMES: usize = HEADER + (<usize>HEADER_INTS << 2)
const EVENTS: usize = NAMES + <usize>NAME_BYTES
const INPUT: usize = EVENTS + (<usize>EVENT_CAP << 2)

/** Bytes INPUT has room for; TABLE starts after them. */
let inputCap: i32 = 0
let tagLimit: i32 = 16 * 1024 * 1024
let attributeLimit: i32 = 1024
let pos: i32 = 0
let len: i32 = 0
let state: i32 = S_TEXT
let depth: i32 = 0
let sawElement: i32 = 0
/** Where to look for the ">" of a start tag cut by a chunk's end (-1: not waiting). */
let gtFrom: i32 = -1
let lineBase: i32 = 1
let columnBase: i32 = 1
let eventCount: i32 = 0
let atEnd: bool = false
/** The test case element's number among the element names (-1: no plain test cases), and the attributes that make one plain (see `init`). */
let caseElement: i32 = -1
let nameKey: i32 = 0
let classKey: i32 = 0
let timeKey: i32 = 0
let slowKeys: u32 = 0
/** The depth of the test case element that is open (-1: none). */
let caseDepth: i32 = -1
/** Elements may nest this deep; a test case deeper is left to the reader (which refuses it). */
let depthLimit: i32 = 512
/** The context of plain test cases: their suites' id (`context`), and the id of the classname in CLASS (-1: none yet). */
let caseSuitesId: i32 = 0
let caseClassId: i32 = -1
let classLength: i32 = -1
/** Events the reader must read before a plain test case becomes a row are pending. */
let syncPending: bool = false
/** Plain test cases read here (rows added or merged). */
let plainRuns: i32 = 0
/** Skipped test cases read whole whose rows were added here: nothing of them is left for the reader but their count. */
let skippedRuns: i32 = 0

@inline function at(i: i32): i32 {
  return <i32>load<u8>(INPUT + <usize>i)
}

@inline function emit(value: i32): void {
  store<i32>(EVENTS + (<usize>eventCount << 2), value)
  eventCount++
}

@inline function header(slot: i32, value: i32): void {
  store<i32>(HEADER + (<usize>slot << 2), value)
}

@inline function isSpace(c: i32): bool {
  return c == 32 || c == 10 || c == 9 || c == 13
}

/** Returns the first index of `byte` in [from, to), or -1; sixteen bytes at a time. */
function find(byte: i32, from: i32, to: i32): i32 {
  let i = from
  const needle = i8x16.splat(<i8>byte)
  for (; i + 16 <= to; i += 16) {
    const mask = i8x16.bitmask(i8x16.eq(v128.load(INPUT + <usize>i), needle))
    if (mask != 0) return i + <i32>ctz<u32>(mask)
  }
  for (; i < to; i++) if (at(i) == byte) return i
  return -1
}

/** Returns the first index of the two bytes a b in [from, to), or -1. */
function find2(a: i32, b: i32, from: i32, to: i32): i32 {
  for (let i = find(a, from, to); i >= 0 && i + 1 < to; i = find(a, i + 1, to)) {
    if (at(i + 1) == b) return i
  }
  return -1
}

/** Returns the first index of the three bytes a b c in [from, to), or -1. */
function find3(a: i32, b: i32, c: i32, from: i32, to: i32): i32 {
  for (let i = find(a, from, to); i >= 0 && i + 2 < to; i = find(a, i + 1, to)) {
    if (at(i + 1) == b && at(i + 2) == c) return i
  }
  return -1
}

/** Returns whether INPUT holds the ASCII bytes packed in `word` (low byte first, `n` of them) at `i`. */
function bytesAre(i: i32, word: u64, n: i32): bool {
  if (i + n > len) return false
  for (let k = 0; k < n; k++) if (at(i + k) != <i32>((word >> (<u64>k << 3)) & 0xff)) return false
  return true
}

/** "<!--", packed low byte first. */
const COMMENT_OPEN: u64 = 0x2d2d213c

/** Returns whether "<![CDATA[" is at `i`. */
function cdataOpen(i: i32): bool {
  return bytesAre(i, 0x41544144435b213c, 8) && i + 8 < len && at(i + 8) == 91
}

/** Returns whether "<!DOCTYPE" is at `i`. */
function doctypeOpen(i: i32): bool {
  return bytesAre(i, 0x505954434f44213c, 8) && i + 8 < len && at(i + 8) == 69
}

/** Returns `to` moved back to the start of a UTF-8 character that the end of [from, to) cuts short. */
function completeEnd(from: i32, to: i32): i32 {
  for (let i = to - 1; i >= from && i >= to - 4; i--) {
    const b = at(i)
    if ((b & 0xc0) == 0x80) continue
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return i + size > to ? i : to
  }
  return to
}

/** Records an error at `errorAt` for the token at `token`; at a chunk's end, when the quote could grow, waits instead (returns DONE with pos at `token`). */
function fail(code: i32, token: i32, errorAt: i32, a: i32, b: i32, c: i32, d: i32): i32 {
  if (!atEnd && len - errorAt < QUOTE_BYTES) {
    pos = token
    return DONE
  }
  header(H_ERROR, code)
  header(H_ERR_AT, errorAt)
  header(H_ERR_A, a)
  header(H_ERR_B, b)
  header(H_ERR_C, c)
  header(H_ERR_D, d)
  pos = token
  return FAILED
}

/** A token at `token` that the input ends inside: an error at the end of the input, else a wait (a tag past the limit is an error). */
function incomplete(token: i32, code: i32): i32 {
  pos = token
  if (atEnd) return fail(code, token, token, 0, 0, 0, 0)
  if (len - token > tagLimit) {
    header(H_ERROR, E_TAG_TOO_LONG)
    header(H_ERR_AT, token)
    return FAILED
  }
  return DONE
}

/** Numbers of known element and attribute names (see `init`). */
let elementNames: i32 = 0
let attributeNames: i32 = 0
// The index of the known names, after their bytes in NAMES (64 names at most): each name's offset
// in NAMES and FNV-1a hash, and two open-addressing tables (elements, attributes) of 64 slots,
// each holding a name's number plus one, or 0.
const NAME_OFFSETS: usize = NAMES + 768
const NAME_HASHES: usize = NAMES + 1024
const ELEMENT_SLOTS: usize = NAMES + 1280
const ATTRIBUTE_SLOTS: usize = NAMES + 1536
/** The classname plain test cases are compared with (255 bytes at most), after the names' index. */
const CLASS: usize = NAMES + 1792
const CLASS_MAX: i32 = 255
const SLOT_MASK: u32 = 63

@inline function fnv(h: u32, byte: i32): u32 {
  return (h ^ <u32>byte) * FNV_PRIME
}

/** Returns the number of the known name [from, to) whose hash is `h` in `slots` (counted from `first`), or -1. */
function known(slots: usize, first: i32, h: u32, from: i32, to: i32): i32 {
  const length = to - from
  for (let slot = h & SLOT_MASK; ; slot = (slot + 1) & SLOT_MASK) {
    const held = load<i32>(slots + (<usize>slot << 2))
    if (held == 0) return -1
    const k = held - 1
    if (load<u32>(NAME_HASHES + (<usize>k << 2)) != h) continue
    const name = NAMES + <usize>load<i32>(NAME_OFFSETS + (<usize>k << 2))
    if (<i32>load<u8>(name) != length) continue
    let j = 0
    while (j < length && <i32>load<u8>(name + 1 + <usize>j) == at(from + j)) j++
    if (j == length) return k - first
  }
  return -1
}

/** FNV-1a of INPUT[from, to). */
function hashOf(from: i32, to: i32): u32 {
  return fnvBytes(INPUT + <usize>from, to - from)
}

// The names nearly every test case has, as little-endian words, and their numbers (-1 when the
// caller does not know them): compared as words before any hash.
const TESTCASE: u64 = 0x6573616374736574 // "testcase"
const NAME: u32 = 0x656d616e // "name"
const TIME: u32 = 0x656d6974 // "time"
const CLASSNAM: u64 = 0x6d616e7373616c63 // "classnam", then "e"
let testcaseCode: i32 = -1
let nameCode: i32 = -1
let timeCode: i32 = -1
let classnameCode: i32 = -1

/** The number of the known attribute name INPUT[from, to), or -1. */
function attributeKey(from: i32, to: i32): i32 {
  const n = to - from
  if (n == 4) {
    const word = load<u32>(INPUT + <usize>from)
    if (word == NAME && nameCode >= 0) return nameCode
    if (word == TIME && timeCode >= 0) return timeCode
  } else if (n == 9 && classnameCode >= 0 && load<u64>(INPUT + <usize>from) == CLASSNAM && at(from + 8) == 101) return classnameCode
  return known(ATTRIBUTE_SLOTS, elementNames, hashOf(from, to), from, to)
}

/** Whether the known name at NAMES + `offset` (a length byte, then its bytes) is the word `word` of `n` bytes (8 at most; "classname" is "classnam" and "e"). */
function namedAs(offset: i32, word: u64, n: i32, last: i32): bool {
  const length = <i32>load<u8>(NAMES + <usize>offset)
  if (length != n + (last >= 0 ? 1 : 0)) return false
  for (let j = 0; j < n; j++) if (<i32>load<u8>(NAMES + <usize>(offset + 1 + j)) != <i32>((word >> (<u64>j << 3)) & 0xff)) return false
  return last < 0 || <i32>load<u8>(NAMES + <usize>(offset + 1 + n)) == last
}

export function names(): usize {
  return NAMES
}

/**
 * Starts a document. NAMES must hold the known names: [elements, attributes, then each name as a
 * length byte and its ASCII bytes]. `testCase` is the test case element's number among the element
 * names, or -1 to read every element alike (no plain test cases, all text); `name`, `classname`
 * and `time` are attribute numbers, and bit k of `slow` set means attribute k keeps a test case
 * from being plain. `maxDepth` is the deepest nesting the reader allows.
 */
export function init(tagChars: i32, attributes: i32, maxDepth: i32, testCase: i32, name: i32, classname: i32, time: i32, slow: u32): usize {
  caseElement = testCase
  nameKey = name
  classKey = classname
  timeKey = time
  slowKeys = slow
  depthLimit = maxDepth
  caseDepth = -1
  caseSuitesId = 0
  caseClassId = -1
  classLength = -1
  syncPending = false
  plainRuns = 0
  skippedRuns = 0
  packedFailed = 0
  packedErrored = 0
  frameClassId = -1
  resetTable(INPUT + <usize>inputCap)
  elementNames = <i32>load<u8>(NAMES)
  attributeNames = <i32>load<u8>(NAMES + 1)
  memory.fill(ELEMENT_SLOTS, 0, 512)
  testcaseCode = -1
  nameCode = -1
  timeCode = -1
  classnameCode = -1
  let offset = 2
  for (let k = 0; k < elementNames + attributeNames && k < 64; k++) {
    store<i32>(NAME_OFFSETS + (<usize>k << 2), offset)
    const length = <i32>load<u8>(NAMES + <usize>offset)
    const h = fnvBytes(NAMES + <usize>(offset + 1), length)
    store<u32>(NAME_HASHES + (<usize>k << 2), h)
    const slots = k < elementNames ? ELEMENT_SLOTS : ATTRIBUTE_SLOTS
    let slot = h & SLOT_MASK
    while (load<i32>(slots + (<usize>slot << 2)) != 0) slot = (slot + 1) & SLOT_MASK
    store<i32>(slots + (<usize>slot << 2), k + 1)
    if (k < elementNames) {
      if (namedAs(offset, TESTCASE, 8, -1)) testcaseCode = k
    } else if (namedAs(offset, <u64>NAME, 4, -1)) nameCode = k - elementNames
    else if (namedAs(offset, <u64>TIME, 4, -1)) timeCode = k - elementNames
    else if (namedAs(offset, CLASSNAM, 8, 101)) classnameCode = k - elementNames
    offset += 1 + length
  }
  tagLimit = tagChars
  attributeLimit = attributes
  pos = 0
  len = 0
  state = S_TEXT
  depth = 0
  sawElement = 0
  gtFrom = -1
  lineBase = 1
  columnBase = 1
  writeHeader()
  return HEADER
}

/** Makes room for `bytes` of input (moving TABLE up when they reach it); returns false when memory cannot grow. */
export function reserve(bytes: i32): bool {
  if (bytes <= inputCap) return memoryReaches(INPUT + <usize>bytes)
  let cap = inputCap == 0 ? 0x10000 : inputCap
  while (cap < bytes) cap *= 2
  if (!memoryReaches(INPUT + <usize>cap + <usize>tableBytes())) return false
  moveTable(INPUT + <usize>cap)
  inputCap = cap
  return true
}

/** The context of the plain test cases that follow (see the events above): their suites' id. */
export function context(suitesId: i32): void {
  caseSuitesId = suitesId
}

/** Makes the classname at INPUT[from, to) the one in CLASS, with its id from the reader when it is not already (see the events above). */
function nameClass(from: i32, to: i32): void {
  const n = to - from
  if (n == classLength && sameBytes(CLASS, INPUT + <usize>from, n)) return
  caseClassId = readerClassId(from, to)
  memory.copy(CLASS, INPUT + <usize>from, <usize>n)
  classLength = n
}

/** Stages INPUT[from, to) as the next row's name when it is printable ASCII without "&" (its bytes are then its value); returns its length, -1 when it is not, -2 when memory cannot grow. */
export function stageInput(from: i32, to: i32): i32 {
  for (let i = from; i < to; i++) {
    const c = at(i)
    if (c == AMP || c < 32 || c >= 127) return -1
  }
  const into = nameRoom(to - from)
  if (into == 0) return -2
  memory.copy(into, INPUT + <usize>from, <usize>(to - from))
  return to - from
}

/** The table's place and size, and the plain test cases read, in the header. */
export function describeTable(): void {
  header(H_PLAIN_RUNS, plainRuns)
  header(H_SKIPPED_RUNS, skippedRuns)
  header(H_PACKED_FAILED, packedFailed)
  header(H_PACKED_ERRORED, packedErrored)
  header(H_TABLE_AT, <i32>tableBase)
  header(H_ROWS, rows)
  header(H_ROW_CAP, rowCap)
  header(H_NAMES_END, namesEnd)
  for (let k = 0; k < 5; k++) header(H_COUNTS + k, outcomeCount(k))
}

export function input(): usize {
  return INPUT
}

export function events(): usize {
  return EVENTS
}

function writeHeader(): void {
  header(H_EVENTS, eventCount)
  header(H_LINE, lineBase)
  header(H_COLUMN, columnBase)
  header(H_SAW_ELEMENT, sawElement)
  header(H_STATE, state)
}

/** Reads INPUT[pos, length) (the whole input when `last`). */
export function scan(length: i32, last: bool): i32 {
  len = length
  atEnd = last
  eventCount = 0
  packedEvent = -1
  syncPending = false
  // A test case read whole lives within one scan: the reader reads what the last one left.
  whole = -1
  header(H_ERROR, 0)
  const status = run()
  writeHeader()
  return status
}

/** Moves the line and column of INPUT[0] to those of INPUT[index]: lines counted, the column in UTF-16 units. */
function rebase(index: i32): void {
  // Line breaks counted sixteen bytes at a time (this runs over every byte of the file).
  const newlines = i8x16.splat(<i8>NEWLINE)
  let i = 0
  let lines = 0
  for (; i + 16 <= index; i += 16) {
    const mask = i8x16.bitmask(i8x16.eq(v128.load(INPUT + <usize>i), newlines))
    lines += <i32>popcnt<u32>(mask)
  }
  for (; i < index; i++) if (at(i) == NEWLINE) lines++
  let lastNewline = index - 1
  while (lastNewline >= 0 && at(lastNewline) != NEWLINE) lastNewline--
  lineBase += lines
  columnBase = lastNewline < 0 ? columnBase + units(0, index) : 1 + units(lastNewline + 1, index)
}

/** Returns the number of UTF-16 units that UTF-8 [from, to) decodes to. */
function units(from: i32, to: i32): i32 {
  let n = 0
  for (let i = from; i < to; i++) {
    const b = at(i)
    if ((b & 0xc0) != 0x80) n += b >= 0xf0 ? 2 : 1
  }
  return n
}

/** The line and column of INPUT[index], in the header (after an error: the scanner is not used again). */
export function locate(index: i32): void {
  rebase(index)
  writeHeader()
}

/** Drops what was read: the unread tail moves to INPUT's front. Returns its length. */
export function compact(): i32 {
  if (pos > 0) {
    rebase(pos)
    if (gtFrom >= 0) gtFrom -= pos
    memory.copy(INPUT, INPUT + <usize>pos, <usize>(len - pos))
    len -= pos
    pos = 0
  }
  writeHeader()
  return len
}

function run(): i32 {
  // Room for a text event and one tag with every attribute it may have.
  const room = EVENT_CAP - 12 - 5 * attributeLimit
  while (true) {
    if (eventCount > room) return FULL
    if (state == S_TEXT) {
      const from = pos
      const lt = find(LT, from, len)
      if (lt < 0) return textRun(from, len, atEnd)
      if (lt > from) {
        const status = textRun(from, lt, true)
        if (status != DONE || pos != lt) return status
      }
      pos = lt
      const status = markup()
      if (status != DONE || pos == lt) return status
    } else if (state == S_CDATA) {
      const close = find3(93, 93, GT, pos, len)
      if (close < 0) {
        // Keep two bytes (they may start "]]>"), and a character or line break cut by the end.
        const keep = emitWhole(CDATA, pos, pos > len - 2 ? pos : len - 2)
        pos = atEnd ? len : keep
        return DONE
      }
      emitRange(CDATA, pos, close)
      pos = close + 3
      state = S_TEXT
    } else {
      const comment = state == S_COMMENT
      const close = comment ? find3(45, 45, GT, pos, len) : find2(QUESTION, GT, pos, len)
      if (close < 0) {
        // Keep what may start the terminator ("--" of "-->", "?" of "?>").
        const keep = comment ? 2 : 1
        pos = atEnd ? len : pos > len - keep ? pos : len - keep
        return DONE
      }
      pos = close + (comment ? 3 : 2)
      state = S_TEXT
    }
  }
}

/** Emits [from, end) as a `kind` event, less a character or CR LF that `end` cuts short; returns where the event ends. */
function emitWhole(kind: i32, from: i32, end: i32): i32 {
  end = completeEnd(from, end)
  if (end > from && at(end - 1) == CR) end--
  return emitRange(kind, from, end)
}

/** Emits [from, to) as a `kind` event when it is not empty and may be wanted (text outside any test case is not: see `init`); returns `to`. */
function emitRange(kind: i32, from: i32, to: i32): i32 {
  if (to > from && (caseDepth >= 0 || caseElement < 0)) {
    if (whole >= 0) wholeText(kind, from, to)
    emit(kind)
    emit(from)
    emit(to)
  }
  return to
}

/** Text [from, to); at a chunk's end (`complete` false) a cut entity, character or CR is left unread. */
function textRun(from: i32, to: i32, complete: bool): i32 {
  if (depth == 0) {
    // Outside the root only whitespace may stand.
    for (let i = from; i < to; i++) {
      // `fail` waits for more input when the quote could still grow.
      if (!isSpace(at(i))) return fail(E_TEXT_OUTSIDE, i, i, 0, 0, 0, 0)
    }
    pos = to
    return DONE
  }
  if (complete) {
    pos = emitRange(TEXT, from, to)
    return DONE
  }
  let end = to
  for (let j = to - 1; j >= from && j > to - MAX_ENTITY; j--) {
    const b = at(j)
    if (b == SEMICOLON) break
    if (b == AMP) {
      end = j
      break
    }
  }
  pos = emitWhole(TEXT, from, end)
  return DONE
}

/** Reads the markup at `pos` (a "<"). Leaves `pos` there when the input ends before the markup does. */
function markup(): i32 {
  const start = pos
  if (gtFrom >= 0) {
    if (find(GT, gtFrom, len) < 0) {
      gtFrom = len
      return incomplete(start, E_EOF_TAG)
    }
    gtFrom = -1
  }
  if (start + 1 >= len) return incomplete(start, E_EOF_TAG)
  const c = at(start + 1)
  if (c == SLASH) {
    const gt = find(GT, start + 2, len)
    if (gt < 0) return incomplete(start, E_EOF_END_TAG)
    if (depth > 0) depth--
    // A test case read whole leaves no event of its own but its row's (or a retry's).
    const read = whole >= 0 && wholeClose(start, gt)
    if (depth == caseDepth) caseDepth = -1
    if (!read) {
      emit(CLOSE)
      emit(start)
      emit(gt)
      syncPending = true
    }
    pos = gt + 1
    return DONE
  }
  if (c == QUESTION) {
    state = S_INSTRUCTION
    pos = start + 2
    return DONE
  }
  if (c == BANG) {
    if (bytesAre(start, COMMENT_OPEN, 4)) {
      state = S_COMMENT
      pos = start + 4
      return DONE
    }
    // Nine bytes tell CDATA and DOCTYPE apart; an error quotes what follows.
    if (!atEnd && len - start < QUOTE_BYTES) return DONE
    if (cdataOpen(start)) {
      if (depth == 0) return fail(E_CDATA_OUTSIDE, start, start, 0, 0, 0, 0)
      state = S_CDATA
      pos = start + 9
      return DONE
    }
    if (doctypeOpen(start)) return fail(E_DOCTYPE, start, start, 0, 0, 0, 0)
    return fail(E_DECLARATION, start, start, 0, 0, 0, 0)
  }
  return startTag(start)
}

function startTag(start: i32): i32 {
  let i = start + 1
  let colon = -1
  let nameFlags = 0
  for (; i < len; i++) {
    const ch = at(i)
    if (ch <= GT) {
      if (ch == 32 || ch == GT || ch == SLASH || ch == 10 || ch == 9 || ch == 13 || ch == EQ) break
      if (ch == COLON && colon < 0) colon = i
    } else if (ch >= 128) nameFlags = 2
  }
  if (i >= len) return waitForGt(start)
  if (i == start + 1) return fail(E_NO_TAG, start, start, 0, 0, 0, 0)
  const nameEnd = i
  const event = eventCount
  emit(OPEN)
  emit(start)
  emit(start + 1)
  emit(nameEnd)
  const localName = colon < 0 ? start + 1 : colon + 1
  emit(localName)
  emit(0)
  emit(0)
  // The local name (after the first colon): the test case element's compared as a word.
  const element = nameEnd - localName == 8 && testcaseCode >= 0 && load<u64>(INPUT + <usize>localName) == TESTCASE ? testcaseCode : known(ELEMENT_SLOTS, 0, hashOf(localName, nameEnd), localName, nameEnd)
  emit(element)
  let count = 0
  let selfClosing = false
  for (;;) {
    let c = i < len ? at(i) : -1
    const separated = isSpace(c)
    while (isSpace(c)) c = ++i < len ? at(i) : -1
    if (c < 0) return cutTag(start, event)
    if (c == GT) {
      i++
      break
    }
    if (c == SLASH) {
      if (i + 1 >= len) return cutTag(start, event)
      if (at(i + 1) != GT) return failTag(E_SLASH, start, event, nameEnd, 0, 0)
      selfClosing = true
      i += 2
      break
    }
    if (!separated) return failTag(E_NOT_SEPARATED, start, event, nameEnd, 0, 0)
    const attributeStart = i
    // The local name starts after the last colon.
    let localStart = i
    for (; i < len; i++) {
      const ch = at(i)
      // Letters, the bulk of names, are all above ">": one comparison decides them.
      if (ch <= GT) {
        if (ch == EQ || ch == 32 || ch == GT || ch == SLASH || ch == 10 || ch == 9 || ch == 13) break
        if (ch == COLON) localStart = i + 1
      }
    }
    if (i >= len) return cutTag(start, event)
    const attributeEnd = i
    if (attributeEnd == attributeStart) return failTag(E_MALFORMED_ATTRIBUTE, start, event, nameEnd, 0, 0)
    c = at(i)
    while (isSpace(c)) c = ++i < len ? at(i) : -1
    if (c < 0) return cutTag(start, event)
    if (c != EQ) return failTag(E_NO_VALUE, start, event, nameEnd, attributeStart, attributeEnd)
    c = ++i < len ? at(i) : -1
    while (isSpace(c)) c = ++i < len ? at(i) : -1
    if (c < 0) return cutTag(start, event)
    if (c != QUOTE && c != APOS) return failTag(E_UNQUOTED, start, event, nameEnd, attributeStart, attributeEnd)
    let close = i + 1
    let flags = 0
    // Sixteen bytes at a time while none is the quote, "&", a control character or not ASCII
    // (signed, the last two are the bytes below 32).
    const quote = i8x16.splat(<i8>c)
    const amp = i8x16.splat(<i8>AMP)
    const space = i8x16.splat(32)
    let found = false
    for (; close + 16 <= len; close += 16) {
      const v = v128.load(INPUT + <usize>close)
      const quotes = i8x16.bitmask(i8x16.eq(v, quote))
      const stops = quotes | i8x16.bitmask(v128.or(i8x16.eq(v, amp), i8x16.lt_s(v, space)))
      if (stops == 0) continue
      // The quote comes before any byte that sets a flag: the value ends there.
      if ((quotes & (stops & (~stops + 1))) != 0) {
        close += <i32>ctz<u32>(quotes)
        found = true
      }
      break
    }
    if (!found) {
      for (; close < len; close++) {
        const ch = at(close)
        if (ch == c) break
        if (ch < 32 || ch == AMP) flags |= 1
        else if (ch >= 128) flags |= 2
      }
    }
    if (close >= len) return cutTag(start, event)
    if (count == attributeLimit) return failTag(E_TOO_MANY_ATTRIBUTES, start, event, nameEnd, 0, 0)
    emit(localStart)
    emit(attributeEnd)
    emit(i + 1)
    emit(close)
    emit(flags | ((attributeKey(localStart, attributeEnd) + 1) << 8))
    count++
    i = close + 1
  }
  store<i32>(EVENTS + (<usize>(event + 5) << 2), (selfClosing ? 1 : 0) | nameFlags)
  store<i32>(EVENTS + (<usize>(event + 6) << 2), count)
  if (selfClosing && element == caseElement && element >= 0 && caseDepth < 0 && depth < depthLimit) {
    const status = plainCase(event, count)
    if (status == SYNC) {
      eventCount = event
      pos = start
      return SYNC
    }
    if (status == FAILED) {
      eventCount = event
      header(H_ERROR, E_MEMORY)
      header(H_ERR_AT, start)
      pos = start
      return FAILED
    }
  } else {
    if (whole >= 0) wholeOpen(event, element, count, selfClosing, start)
    else if (!selfClosing && element == caseElement && element >= 0 && caseDepth < 0) {
      caseDepth = depth
      if (depth + 1 < depthLimit) wholeBegin(event, count)
    }
    syncPending = true
  }
  if (!selfClosing) depth++
  sawElement = 1
  pos = i
  return DONE
}

@inline function eventAt(k: i32): i32 {
  return load<i32>(EVENTS + (<usize>k << 2))
}

/** Returns INPUT[from, to) as seconds written plainly, in milliseconds (time.ts `plainTimeMs`, the same arithmetic), or -1. */
function plainTime(from: i32, to: i32): f64 {
  if (to <= from || to - from > 16) return -1
  let whole: f64 = 0
  let fraction: f64 = 0
  let scale: f64 = 1
  let dot = false
  let digits = 0
  for (let i = from; i < to; i++) {
    const c = at(i)
    if (c == 46 && !dot) dot = true
    else if (c >= 48 && c <= 57) {
      digits++
      if (dot) {
        fraction = fraction * 10 + <f64>(c - 48)
        scale *= 10
      } else whole = whole * 10 + <f64>(c - 48)
    } else return -1
  }
  return digits > 0 ? (whole + fraction / scale) * 1000 : -1
}

/** What `caseAttributes` found: the name, its hash, the classname, the time (start -1: none). */
let caseNameFrom: i32 = 0
let caseNameTo: i32 = 0
let caseHash: u32 = 0
let caseClassFrom: i32 = 0
let caseClassTo: i32 = 0
let caseTimeFrom: i32 = -1
let caseTimeTo: i32 = -1
let caseTimeMs: f64 = 0

/**
 * Whether the test case whose OPEN event is at `event` (`count` attributes) has a plain test
 * case's attributes (see the events above); if so, what they are, in the case* globals.
 */
function caseAttributes(event: i32, count: i32): bool {
  let name = -1
  let classname = -1
  let time = -1
  for (let j = 0; j < count; j++) {
    const a = event + 8 + 5 * j
    const flags = eventAt(a + 4)
    const key = (flags >> 8) - 1
    if (key < 0) continue
    if ((slowKeys >> <u32>key) & 1) return false
    if (key == nameKey) name = a
    else if (key == classKey) classname = a
    else if (key == timeKey) time = a
    else continue
    if ((flags & 3) != 0) return false
  }
  if (name < 0 || classname < 0) return false
  const from = eventAt(name + 2)
  const to = eventAt(name + 3)
  if (to == from) return false
  // The name's hash, and no DEL in it (printable ASCII stops at "~"). It is staged only once the
  // row is added: the reader may have staged the name of a case whose events are pending.
  let h = FNV_OFFSET
  for (let i = from; i < to; i++) {
    const c = at(i)
    if (c == 127) return false
    h = fnv(h, c)
  }
  caseTimeFrom = time < 0 ? -1 : eventAt(time + 2)
  caseTimeTo = time < 0 ? -1 : eventAt(time + 3)
  caseTimeMs = 0
  if (time >= 0) {
    caseTimeMs = plainTime(caseTimeFrom, caseTimeTo)
    if (caseTimeMs < 0) return false
  }
  caseClassFrom = eventAt(classname + 2)
  caseClassTo = eventAt(classname + 3)
  if (caseClassTo - caseClassFrom > CLASS_MAX) return false
  caseNameFrom = from
  caseNameTo = to
  caseHash = h
  return true
}

/**
 * The self-closing test case whose OPEN event is at `event` (`count` attributes): when it is
 * plain (see the events above), a row of the table (or a MERGE), or SYNC when events are
 * pending; otherwise its OPEN event stays. Returns DONE, SYNC, or FAILED when memory cannot grow.
 */
function plainCase(event: i32, count: i32): i32 {
  if (!caseAttributes(event, count)) return keepOpen()
  // The reader reads the pending events first: they set its suites, and name classnames in order.
  if (syncPending) return SYNC
  const from = caseNameFrom
  const to = caseNameTo
  const h = caseHash
  const timeFrom = caseTimeFrom
  const timeTo = caseTimeTo
  const timeMs = caseTimeMs
  nameClass(caseClassFrom, caseClassTo)
  const into = nameRoom(to - from)
  if (into == 0) return FAILED
  memory.copy(into, INPUT + <usize>from, <usize>(to - from))
  const row = addHashed(to - from, h, caseClassId, caseSuitesId, 0, timeMs, -1, 0)
  plainRuns++
  eventCount = event
  if (row < 0) emitMerge(row, timeFrom, timeTo)
  return DONE
}

/** A passed execution of the test at `-1 - found` (`addHashed` found it): a MERGE for the reader. */
function emitMerge(found: i32, timeFrom: i32, timeTo: i32): void {
  emit(MERGE)
  emit(-1 - found)
  emit(timeFrom)
  emit(timeTo)
}

/** Returns whether the `n` bytes at `a` and `b` are the same, eight at a time. */
function sameBytes(a: usize, b: usize, n: i32): bool {
  let k = 0
  for (; k + 8 <= n; k += 8) if (load<u64>(a + <usize>k) != load<u64>(b + <usize>k)) return false
  for (; k < n; k++) if (load<u8>(a + <usize>k) != load<u8>(b + <usize>k)) return false
  return true
}

/** A test case left to the reader: its OPEN event stays, and must be read before any plain one becomes a row. */
function keepOpen(): i32 {
  syncPending = true
  return DONE
}

/** A start tag the input ends inside: its events are dropped, and it is read again with more input. */
function cutTag(start: i32, event: i32): i32 {
  eventCount = event
  return waitForGt(start)
}

function failTag(code: i32, start: i32, event: i32, nameEnd: i32, c: i32, d: i32): i32 {
  eventCount = event
  return fail(code, start, start, start + 1, nameEnd, c, d)
}

function waitForGt(start: i32): i32 {
  gtFrom = len
  return incomplete(start, E_EOF_TAG)
}

// ---- Test cases read whole (WHOLE events) ----
//
// A test case that is not self-closing, outside any open one, with a plain test case's
// attributes (see `caseAttributes`), whose elements are at most one failure, error or skipped
// element and any number of system-out and system-err elements, none holding an element, is read
// here as it goes: its events are written as usual, and when its end tag is read, if they are
// all still in the event area (no FULL or chunk end in between), its classname is the one the
// reader named (`context`), no event was pending before it (the reader sees rows in order), and
// nothing in it is one the reader would refuse (end tags that do not match, entities it does not
// know), its events give way to one WHOLE event (a passed one to none, or a MERGE) and its row is
// added. Otherwise its events stand, and the reader reads it as any other.

/** The OPEN event of the test case being read whole, or -1. */
let whole: i32 = -1
/** Whether events were pending before it. */
let wholeSync: bool = false
/** Its outcome code (0 passed: no failure, error or skipped element yet). */
let wholeOutcome: i32 = 0
/** The element open inside it: 0 none, 1 its failure or error (text kept), 2 another (text ignored). */
let wholeChild: i32 = 0
let wholeChildEvent: i32 = 0
let wholeChildStart: i32 = -1
let wholeMessageFrom: i32 = -1
let wholeMessageTo: i32 = -1
let wholeMessageFlags: i32 = 0
let wholeTypeFrom: i32 = -1
let wholeTypeTo: i32 = -1
let wholeTypeFlags: i32 = 0
let wholeSegments: i32 = 0
const WHOLE_SEGMENTS: i32 = 4
/** Kind, from and to of each text segment of its failure or error (static data). */
const SEGMENTS: usize = memory.data(WHOLE_SEGMENTS * 12, 4)
/** Element numbers of failure, error, skipped, system-out and system-err, and attribute numbers of message and type (`wholeNames`); -1 until told. */
let failureElement: i32 = -1
let errorElement: i32 = -1
let skippedElement: i32 = -1
let outElement: i32 = -1
let errElement: i32 = -1
let messageKey: i32 = -1
let typeKey: i32 = -1

/** The most bytes of text, and of message or type, a failure kept as bytes may have (`packLimits`); 0: none is. */
let packTextLimit: i32 = 0
let packMessageLimit: i32 = 0

/** Lets failing test cases read whole be PACKED when their texts fit these limits (the reader's, in bytes: its limits count characters, never more than bytes). */
export function packLimits(text: i32, message: i32): void {
  packTextLimit = text
  packMessageLimit = message
}

/** Names the elements and attributes a test case read whole may hold (numbers as `init` takes them). */
export function wholeNames(failure: i32, error: i32, skipped: i32, out: i32, err: i32, message: i32, type: i32): void {
  failureElement = failure
  errorElement = error
  skippedElement = skipped
  outElement = out
  errElement = err
  messageKey = message
  typeKey = type
}

/** A test case opens (its OPEN event at `event`): read whole when its attributes are a plain test case's. */
function wholeBegin(event: i32, count: i32): void {
  if (failureElement < 0 || !caseAttributes(event, count)) return
  whole = event
  wholeSync = syncPending
  wholeOutcome = 0
  wholeChild = 0
  wholeChildStart = -1
  wholeMessageFrom = wholeMessageTo = -1
  wholeTypeFrom = wholeTypeTo = -1
  wholeSegments = 0
}

/** An element opens inside the test case read whole. */
function wholeOpen(event: i32, element: i32, count: i32, selfClosing: bool, start: i32): void {
  // Only its own elements, holding none.
  if (wholeChild != 0 || depth != caseDepth + 1) {
    whole = -1
    return
  }
  if (element == failureElement || element == errorElement || element == skippedElement) {
    if (wholeOutcome != 0) {
      whole = -1
      return
    }
    wholeOutcome = element == failureElement ? 1 : element == errorElement ? 2 : 3
    wholeChildStart = start
    // The first of each attribute, as the reader takes it.
    for (let j = 0; j < count; j++) {
      const a = event + 8 + 5 * j
      const flags = eventAt(a + 4)
      const key = (flags >> 8) - 1
      if (key == messageKey && wholeMessageFrom < 0) {
        wholeMessageFrom = eventAt(a + 2)
        wholeMessageTo = eventAt(a + 3)
        wholeMessageFlags = flags & 3
      } else if (key == typeKey && wholeTypeFrom < 0) {
        wholeTypeFrom = eventAt(a + 2)
        wholeTypeTo = eventAt(a + 3)
        wholeTypeFlags = flags & 3
      }
    }
    if (!selfClosing) {
      wholeChild = wholeOutcome == 3 ? 2 : 1
      wholeChildEvent = event
    }
  } else if (element == outElement || element == errElement) {
    if (!selfClosing) {
      wholeChild = 2
      wholeChildEvent = event
    }
  } else whole = -1
}

/** Text inside the test case read whole: kept when it is its failure's or error's. */
function wholeText(kind: i32, from: i32, to: i32): void {
  if (wholeChild != 1) return
  if (wholeSegments == WHOLE_SEGMENTS) {
    whole = -1
    return
  }
  const s = SEGMENTS + <usize>(wholeSegments * 12)
  store<i32>(s, kind)
  store<i32>(s + 4, from)
  store<i32>(s + 8, to)
  wholeSegments++
}

/** Whether the end tag from `start` to `gt` names the element whose OPEN event is at `event` (whitespace may follow the name). */
function endMatches(start: i32, gt: i32, event: i32): bool {
  const from = eventAt(event + 2)
  const n = eventAt(event + 3) - from
  if (start + 2 + n > gt || !sameBytes(INPUT + <usize>(start + 2), INPUT + <usize>from, n)) return false
  for (let i = start + 2 + n; i < gt; i++) if (!isSpace(at(i))) return false
  return true
}

/**
 * An end tag inside the test case read whole (depth already down). Returns true when it closed
 * the test case and its events gave way to its row; false leaves the events as they are.
 */
function wholeClose(start: i32, gt: i32): bool {
  if (depth == caseDepth + 1) {
    // Its failure, error, skipped, system-out or system-err element closes.
    if (wholeChild == 0 || !endMatches(start, gt, wholeChildEvent)) whole = -1
    wholeChild = 0
    return false
  }
  const event = whole
  whole = -1
  if (depth != caseDepth || !endMatches(start, gt, event)) return false
  if (wholeSync) return false
  // Its attributes again, from its start tag's event (still in place): the case* globals are the last tag's.
  caseAttributes(event, eventAt(event + 6))
  // What the reader would refuse to decode.
  if (wholeMessageFrom >= 0 && (wholeMessageFlags & 1) != 0 && !entitiesKnown(wholeMessageFrom, wholeMessageTo)) return false
  if (wholeTypeFrom >= 0 && (wholeTypeFlags & 1) != 0 && !entitiesKnown(wholeTypeFrom, wholeTypeTo)) return false
  for (let k = 0; k < wholeSegments; k++) {
    const s = SEGMENTS + <usize>(k * 12)
    if (load<i32>(s) == TEXT && !entitiesKnown(load<i32>(s + 4), load<i32>(s + 8))) return false
  }
  const length = caseNameTo - caseNameFrom
  const into = nameRoom(length)
  if (into == 0) return false
  // Named here, once nothing keeps the case from being read whole (the reader, reading it, would name it first thing).
  nameClass(caseClassFrom, caseClassTo)
  memory.copy(into, INPUT + <usize>caseNameFrom, <usize>length)
  const row = addHashed(length, caseHash, caseClassId, caseSuitesId, wholeOutcome, caseTimeMs, -1, 0)
  eventCount = event
  syncPending = false
  if (wholeOutcome == 0) {
    // Passed: a plain test case's row (or retry).
    plainRuns++
    if (row < 0) emitMerge(row, caseTimeFrom, caseTimeTo)
    return true
  }
  if (wholeOutcome == 3 && row >= 0) {
    // Skipped, a new row: the reader would only count it.
    skippedRuns++
    return true
  }
  const frame = wholeSegments == 1 && wholeOutcome != 3 ? jvmFrame(SEGMENTS) : false
  if (frame && row >= 0 && packed(row)) return true
  emit(WHOLE)
  emit(eventAt(event + 1))
  emit(wholeOutcome)
  emit(row)
  emit(caseTimeFrom)
  emit(caseTimeTo)
  emit(wholeChildStart)
  emit(wholeMessageFrom)
  emit(wholeMessageTo)
  emit(wholeMessageFlags)
  emit(wholeTypeFrom)
  emit(wholeTypeTo)
  emit(wholeTypeFlags)
  emit(caseClassId)
  emit(frame ? frameFileFrom : -1)
  emit(frame ? frameFileTo : -1)
  emit(frame ? frameLine : 0)
  emit(wholeSegments)
  for (let k = 0; k < wholeSegments; k++) {
    const s = SEGMENTS + <usize>(k * 12)
    const kind = load<i32>(s)
    const from = load<i32>(s + 4)
    const to = load<i32>(s + 8)
    emit(wholeSegments == 1 && rawText(kind, from, to) ? kind | RAW_TEXT : kind)
    emit(from)
    emit(to)
  }
  return true
}

/** Whether a `kind` segment [from, to) of a failure's text is its bytes: no CR, and in TEXT no "&" (RAW_TEXT). */
function rawText(kind: i32, from: i32, to: i32): bool {
  return find(CR, from, to) < 0 && (kind == CDATA || find(AMP, from, to) < 0)
}

/**
 * Keeps a failure's text, message and type (input offsets; type length -1: none) one after
 * another after the table's names; returns the text's offset from the names' start, or -1 when
 * memory cannot grow (then nothing is kept). For PACKED, and for the reader, which keeps a
 * failure it located itself the same way.
 */
export function keepFailure(textFrom: i32, textLength: i32, messageFrom: i32, messageLength: i32, typeFrom: i32, typeLength: i32): i32 {
  // Room for all three first: once the text is kept, the others are.
  if (nameRoom(textLength + messageLength + max(typeLength, 0)) == 0) return -1
  const textAt = keepBytes(INPUT + <usize>textFrom, textLength)
  keepBytes(INPUT + <usize>messageFrom, messageLength)
  if (typeLength > 0) keepBytes(INPUT + <usize>typeFrom, typeLength)
  return textAt
}

/**
 * Keeps the failure of the test case read whole, at new row `row` with its JVM frame found in its
 * one text segment, as bytes and emits PACKED, when the reader would keep what it reads: a text
 * that is its bytes (`rawText`), fits the limit and is not blank (the frame is in it), a message
 * that fits (the reader takes the first line of the text for a missing one) and a type that fits.
 * Returns false, having done nothing, otherwise (or when memory cannot grow).
 */
function packed(row: i32): bool {
  const from = load<i32>(SEGMENTS + 4)
  const to = load<i32>(SEGMENTS + 8)
  const textLength = to - from
  if (textLength > packTextLimit || wholeMessageFrom < 0) return false
  const messageLength = wholeMessageTo - wholeMessageFrom
  const typeLength = wholeTypeFrom < 0 ? -1 : wholeTypeTo - wholeTypeFrom
  if (messageLength > packMessageLimit || typeLength > packMessageLimit || !rawText(load<i32>(SEGMENTS), from, to)) return false
  const textAt = keepFailure(from, textLength, wholeMessageFrom, messageLength, wholeTypeFrom, typeLength)
  if (textAt < 0) return false
  // One event for kept failures that follow one another: the record goes after the last one's.
  if (packedEvent < 0 || packedEvent + 2 + eventAt(packedEvent + 1) * PACKED_INTS != eventCount) {
    packedEvent = eventCount
    emit(PACKED)
    emit(0)
  }
  store<i32>(EVENTS + (<usize>(packedEvent + 1) << 2), eventAt(packedEvent + 1) + 1)
  emit(row)
  emit(wholeOutcome)
  emit(textAt)
  emit(textLength)
  emit(wholeMessageFlags)
  emit(messageLength)
  emit(typeLength)
  emit(wholeTypeFlags)
  // Where the test is: the file its JVM frame names in its class's package, at the frame's line.
  setLocation(row, frameFileId(), frameLine)
  if (wholeOutcome == 2) packedErrored++
  else packedFailed++
  return true
}

/** Numbers per failure in a PACKED event, and where the last PACKED event of this scan is (-1: none). */
const PACKED_INTS: i32 = 8
let packedEvent: i32 = -1

/** The failing test cases kept as bytes here (PACKED), by outcome: counted and located here, the reader only adds them up. */
let packedFailed: i32 = 0
let packedErrored: i32 = 0
/** The classname id and file name (FRAME, `frameLength` bytes; -1: none) of the last PACKED case's frame, and its file's id. */
const FRAME: usize = memory.data(256, 8)
const FRAME_MAX: i32 = 256
let frameClassId: i32 = -1
let frameLength: i32 = -1
let frameFile: i32 = -1

/**
 * The reader's id of the file the JVM frame found (`jvmFrame`) names for the case's class
 * (imported `frameFile`): asked once per run of a class's failing cases that name one file.
 */
function frameFileId(): i32 {
  const n = frameFileTo - frameFileFrom
  if (caseClassId == frameClassId && n == frameLength && sameBytes(FRAME, INPUT + <usize>frameFileFrom, n)) return frameFile
  frameFile = readerFrameFile(caseClassId, frameFileFrom, frameFileTo)
  frameClassId = caseClassId
  frameLength = n <= FRAME_MAX ? n : -1
  if (frameLength >= 0) memory.copy(FRAME, INPUT + <usize>frameFileFrom, <usize>n)
  return frameFile
}

/**
 * Whether every "&" in [from, to) starts an entity the reader decodes (xml.ts `decodeEntities`):
 * a ";" within 10 characters, between them lt, gt, amp, quot, apos, or a character reference to
 * a character XML allows.
 */
function entitiesKnown(from: i32, to: i32): bool {
  for (let amp = find(AMP, from, to); amp >= 0; amp = find(AMP, amp + 1, to)) {
    const semi = find(SEMICOLON, amp + 1, to)
    if (semi < 0 || semi - amp > MAX_ENTITY) return false
    const n = semi - amp - 1
    const c = n > 0 ? at(amp + 1) : 0
    if (n == 2 && at(amp + 2) == 116 && (c == 108 || c == 103)) continue // lt gt
    if (n == 3 && c == 97 && at(amp + 2) == 109 && at(amp + 3) == 112) continue // amp
    if (n == 4 && c == 113 && at(amp + 2) == 117 && at(amp + 3) == 111 && at(amp + 4) == 116) continue // quot
    if (n == 4 && c == 97 && at(amp + 2) == 112 && at(amp + 3) == 111 && at(amp + 4) == 115) continue // apos
    if (c != 35) return false
    // "#" and decimal digits, or "#x" and hexadecimal digits, naming a character XML allows.
    const hex = n > 1 && at(amp + 2) == 120
    const first = amp + (hex ? 3 : 2)
    if (first >= semi) return false
    let code: i64 = 0
    for (let i = first; i < semi; i++) {
      const d = at(i)
      let v: i32 = -1
      if (d >= 48 && d <= 57) v = d - 48
      else if (hex && d >= 97 && d <= 102) v = d - 87
      else if (hex && d >= 65 && d <= 70) v = d - 55
      if (v < 0) return false
      code = code * (hex ? 16 : 10) + <i64>v
    }
    if (!(code == 9 || code == 10 || code == 13 || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff))) return false
  }
  return true
}

/** The JVM frame `jvmFrame` found: the file's name and the line. */
let frameFileFrom: i32 = 0
let frameFileTo: i32 = 0
let frameLine: i32 = 0

/** Whether `c` is one of regular expressions' `\w`: ASCII letters, digits, "_". */
@inline function isWord(c: i32): bool {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95
}

/**
 * The first frame of the test's own class in the text segment at `segment` (location.ts
 * `locationFromTrace`, its first heuristic, byte for byte): the classname (CLASS) at the text's
 * start or after a space, tab or line break, then `(?:\$\w+)*\.[\w$<>-]+\(([\w$-]+\.(?:java|kt|
 * scala|groovy|clj)):(\d+)\)`. Text with an entity is left to the reader (its characters are not
 * its bytes), and so is a line of more than nine digits.
 */
function jvmFrame(segment: usize): bool {
  const kind = load<i32>(segment)
  const from = load<i32>(segment + 4)
  const to = load<i32>(segment + 8)
  const n = classLength
  if (n <= 0 || (kind == TEXT && find(AMP, from, to) >= 0)) return false
  const first = <i32>load<u8>(CLASS)
  for (let at0 = find(first, from, to); at0 >= 0 && at0 + n <= to; at0 = find(first, at0 + 1, to)) {
    if (!sameBytes(INPUT + <usize>at0, CLASS, n)) continue
    if (at0 > from) {
      const before = at(at0 - 1)
      if (before != 32 && before != 9 && before != NEWLINE && before != CR) continue
    }
    let p = at0 + n
    // Nested classes: "$" and at least one word character, any number of times.
    while (p < to && at(p) == 36) {
      let q = p + 1
      while (q < to && isWord(at(q))) q++
      if (q == p + 1) break
      p = q
    }
    if (p >= to || at(p) != 46) continue
    p++
    let q = p
    while (q < to) {
      const c = at(q)
      if (!isWord(c) && c != 36 && c != LT && c != GT && c != 45) break
      q++
    }
    if (q == p || q >= to || at(q) != 40) continue
    const file = q + 1
    p = file
    while (p < to) {
      const c = at(p)
      if (!isWord(c) && c != 36 && c != 45) break
      p++
    }
    if (p == file || p >= to || at(p) != 46) continue
    const ext = p + 1
    let e = ext
    while (e < to && at(e) >= 97 && at(e) <= 122) e++
    const m = e - ext
    if (e >= to || at(e) != COLON) continue
    let known = false
    if (m == 4) known = bytesAre(ext, 0x6176616a, 4) // java
    else if (m == 2) known = bytesAre(ext, 0x746b, 2) // kt
    else if (m == 5) known = bytesAre(ext, 0x616c616373, 5) // scala
    else if (m == 6) known = bytesAre(ext, 0x79766f6f7267, 6) // groovy
    else if (m == 3) known = bytesAre(ext, 0x6a6c63, 3) // clj
    if (!known) continue
    let d = e + 1
    let line = 0
    while (d < to && at(d) >= 48 && at(d) <= 57) {
      if (d - e > 9) return false
      line = line * 10 + at(d) - 48
      d++
    }
    if (d == e + 1 || d >= to || at(d) != 41) continue
    frameFileFrom = file
    frameFileTo = e
    frameLine = line
    return true
  }
  return false
}
