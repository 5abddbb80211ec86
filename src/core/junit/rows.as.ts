// The result table of the file being read, in the tokenizer's memory (AssemblyScript; compiled
// with scanner.as.ts, which places it after its input). A test case the tokenizer reads whole (a
// plain passing one) becomes a row here without a call into JavaScript; the reader adds the others
// through `stage*` and `addStaged`. At the file's end the reader copies the region into a
// ResultTable (result-table.ts), whose layout it mirrors byte for byte:
//
//   [times f64 × R][classIds, suiteIds, fileIds, lines, nameStarts, nameEnds: i32 × R each]
//   [slots: i32 × 4R, pairs of (row + 1 or 0 when empty, hash), open addressing, 2R pairs]
//   [outcomes u8 × R][names: UTF-8, one after another, N bytes]
//
// R (rows that fit) and N (name bytes that fit) double as they fill. The hash is ResultTable's:
// FNV-1a over the name's bytes, then the classname's id mixed in.

export const FNV_OFFSET: u32 = 0x811c9dc5
export const FNV_PRIME: u32 = 0x01000193
const ROW_BYTES: i32 = 49
const FIRST_ROWS: i32 = 64
const FIRST_NAME_BYTES: i32 = 2048

/** Outcome codes (ResultTable's `outcomes` column). */
const CODES: i32 = 5

/** Where the table starts (the tokenizer moves it when its input needs room). */
export let tableBase: usize = 0
/** Rows held, rows that fit, name bytes held (the staged name starts there), name bytes that fit. */
export let rows: i32 = 0
export let rowCap: i32 = 0
export let namesEnd: i32 = 0
let namesCap: i32 = 0
/** New rows per outcome code, i32 each (merges are counted by the reader); static data, not the runtime's heap (the tokenizer owns the memory past it). */
const COUNTS: usize = memory.data(CODES * 4, 4)

@inline function column(k: i32): usize {
  // k: 0 classIds, 1 suiteIds, 2 fileIds, 3 lines, 4 nameStarts, 5 nameEnds.
  return tableBase + <usize>rowCap * 8 + <usize>(k * rowCap) * 4
}

@inline function slots(): usize {
  return tableBase + <usize>rowCap * 32
}

@inline function outcomes(): usize {
  return tableBase + <usize>rowCap * 48
}

@inline function names(): usize {
  return tableBase + <usize>rowCap * ROW_BYTES
}

/** Bytes the table takes. */
export function tableBytes(): i32 {
  return rowCap * ROW_BYTES + namesCap
}

export function outcomeCount(code: i32): i32 {
  return load<i32>(COUNTS + (<usize>code << 2))
}

/** Empties the table (a new file), keeping its base. */
export function resetTable(base: usize): void {
  tableBase = base
  rows = 0
  rowCap = 0
  namesEnd = 0
  namesCap = 0
  memory.fill(COUNTS, 0, CODES * 4)
}

/** Moves the table to `base` (its bytes go with it; the memory must reach). */
export function moveTable(base: usize): void {
  memory.copy(base, tableBase, <usize>tableBytes())
  tableBase = base
}

/** Returns whether memory reaches `end`, growing it if needed. */
export function memoryReaches(end: usize): bool {
  const have = <usize>memory.size() << 16
  if (end <= have) return true
  return memory.grow(<i32>((end - have + 0xffff) >> 16)) >= 0
}

/**
 * Makes room for `moreRows` rows and `moreNames` name bytes past the staged ones, in place: the
 * names are last, so more of them need only memory; more rows (twice as many, or more) move every
 * region up, from the last to the first, so none is written over before it moved (each region's
 * new place is at or above its old one), and the slots are filled anew for the new mask while
 * the old ones still lie below them. Returns false when memory cannot grow.
 */
function room(moreRows: i32, moreNames: i32): bool {
  if (rows + moreRows <= rowCap && namesEnd + moreNames <= namesCap) return true
  let newRows = rowCap
  while (rows + moreRows > newRows) newRows = newRows == 0 ? FIRST_ROWS : newRows * 2
  let newNames = namesCap
  while (namesEnd + moreNames > newNames) newNames = newNames == 0 ? FIRST_NAME_BYTES : newNames * 2
  if (!memoryReaches(tableBase + <usize>newRows * ROW_BYTES + <usize>newNames)) return false
  if (newRows != rowCap) {
    const at = tableBase
    const old = slots()
    memory.copy(at + <usize>newRows * ROW_BYTES, names(), <usize>namesEnd)
    memory.copy(at + <usize>newRows * 48, outcomes(), <usize>rows)
    const newSlots = at + <usize>newRows * 32
    memory.fill(newSlots, 0, <usize>newRows * 16)
    const mask = <u32>(newRows * 2 - 1)
    for (let s = 0; s < rowCap * 2; s++) {
      const held = load<i32>(old + (<usize>s << 3))
      if (held == 0) continue
      const h = load<u32>(old + (<usize>s << 3) + 4)
      let slot = h & mask
      while (load<i32>(newSlots + (<usize>slot << 3)) != 0) slot = (slot + 1) & mask
      store<i32>(newSlots + (<usize>slot << 3), held)
      store<u32>(newSlots + (<usize>slot << 3) + 4, h)
    }
    for (let k = 5; k >= 0; k--) memory.copy(at + <usize>newRows * 8 + <usize>(k * newRows) * 4, column(k), <usize>rows * 4)
    // The times stay where they are: the first region starts at the table's start.
    rowCap = newRows
  }
  namesCap = newNames
  return true
}

/** Returns where `bytes` of a name may be written (after the staged one's start), or 0 when memory cannot grow. */
export function nameRoom(bytes: i32): usize {
  if (rows < rowCap && namesEnd + bytes <= namesCap) return names() + <usize>namesEnd
  return room(1, bytes) ? names() + <usize>namesEnd : 0
}

/**
 * Adds a row for the test whose name was staged (`length` bytes at `namesEnd`), or finds the row
 * of the same classname and name. Returns the new row, or -1 - the row found (the caller merges
 * into it). The caller made room (`nameRoom`).
 */
export function addStaged(length: i32, classId: i32, suitesId: i32, outcome: i32, timeMs: f64, fileId: i32, line: i32): i32 {
  return addHashed(length, fnvBytes(names() + <usize>namesEnd, length), classId, suitesId, outcome, timeMs, fileId, line)
}

/** FNV-1a of the `n` bytes at `at` (names' hashes, here and in the tokenizer). */
export function fnvBytes(at: usize, n: i32): u32 {
  let h = FNV_OFFSET
  for (let j = 0; j < n; j++) h = (h ^ <u32>load<u8>(at + <usize>j)) * FNV_PRIME
  return h
}

/**
 * Keeps `n` bytes from `at` after the names (a failure's texts, which the reader's table then
 * holds as bytes); returns their offset from the names' start, or -1 when memory cannot grow.
 */
export function keepBytes(at: usize, n: i32): i32 {
  const into = nameRoom(n)
  if (into == 0) return -1
  memory.copy(into, at, <usize>n)
  const offset = namesEnd
  namesEnd += n
  return offset
}

/** Sets the file id and line of row `row` (a test case read whole, located by the reader). */
export function setLocation(row: i32, fileId: i32, line: i32): void {
  store<i32>(column(2) + (<usize>row << 2), fileId)
  store<i32>(column(3) + (<usize>row << 2), line)
}

/** `addStaged` for a caller that hashed the staged name (FNV-1a of its bytes: `nameHash`). */
export function addHashed(length: i32, nameHash: u32, classId: i32, suitesId: i32, outcome: i32, timeMs: f64, fileId: i32, line: i32): i32 {
  const base = names()
  const from = base + <usize>namesEnd
  let h = (nameHash ^ <u32>classId) * FNV_PRIME
  h ^= h >> 16
  const table = slots()
  const mask = <u32>(rowCap * 2 - 1)
  let slot = h & mask
  for (let held = load<i32>(table + (<usize>slot << 3)); held != 0; held = load<i32>(table + (<usize>slot << 3))) {
    if (load<u32>(table + (<usize>slot << 3) + 4) == h) {
      const i = held - 1
      const start = load<i32>(column(4) + (<usize>i << 2))
      if (load<i32>(column(0) + (<usize>i << 2)) == classId && load<i32>(column(5) + (<usize>i << 2)) - start == length && memory.compare(base + <usize>start, from, <usize>length) == 0) return -1 - i
    }
    slot = (slot + 1) & mask
  }
  const i = rows
  store<i32>(table + (<usize>slot << 3), i + 1)
  store<u32>(table + (<usize>slot << 3) + 4, h)
  store<f64>(tableBase + (<usize>i << 3), timeMs)
  store<i32>(column(0) + (<usize>i << 2), classId)
  store<i32>(column(1) + (<usize>i << 2), suitesId)
  store<i32>(column(2) + (<usize>i << 2), fileId)
  store<i32>(column(3) + (<usize>i << 2), line)
  store<i32>(column(4) + (<usize>i << 2), namesEnd)
  store<i32>(column(5) + (<usize>i << 2), namesEnd + length)
  store<u8>(outcomes() + <usize>i, <u8>outcome)
  namesEnd += length
  rows = i + 1
  store<i32>(COUNTS + (<usize>outcome << 2), load<i32>(COUNTS + (<usize>outcome << 2)) + 1)
  return i
}
