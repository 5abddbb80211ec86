/**
 * Reads one OWNERS or OWNERS_ALIASES file's YAML tree and reports problems with their line and
 * column; shared by parse.ts.
 */
import { lineIndex, yamlTree, type YNode } from './yaml-tree.js'

/** One problem in an OWNERS or OWNERS_ALIASES file; line and column are 1-based. */
export interface OwnersError {
  file: string
  line: number
  column: number
  message: string
}

/** Files larger than this are refused (the largest OWNERS_ALIASES in Kubernetes is ~40 KB). */
export const MAX_OWNERS_FILE_LENGTH = 1 << 20
/** Most entries in one list. */
export const MAX_LIST_ENTRIES = 10000
/** Most filters in one OWNERS file. */
export const MAX_FILTERS = 500

/** GitHub logins and alias names after lower-casing; `_` appears in enterprise-managed logins. */
export const LOGIN = /^[a-z0-9](?:[a-z0-9_.-]{0,98})$/

/** Returns the login as Prow's `NormLogin` does: lower-cased, without a leading `@`. */
export function normLogin(login: string): string {
  return login.toLowerCase().replace(/^@/, '')
}

const isMap = (n: unknown): n is YNode & { kind: 'map' } => (n as YNode | null)?.kind === 'map'
const isSeq = (n: unknown): n is YNode & { kind: 'seq' } => (n as YNode | null)?.kind === 'seq'
const isScalar = (n: unknown): n is YNode & { kind: 'scalar' } => (n as YNode | null)?.kind === 'scalar'

/** One file's YAML tree, and helpers that report problems at a node. */
export class Reader {
  readonly errors: OwnersError[] = []
  private position: (offset: number) => { line: number; column: number } = () => ({ line: 1, column: 1 })
  /** False when the file could not be read as YAML at all. */
  readable = false

  constructor(readonly file: string) {}

  load(text: unknown): YNode | null {
    if (typeof text !== 'string') return this.fail(undefined, 'the file is not text') ?? null
    if (text.length > MAX_OWNERS_FILE_LENGTH) return this.fail(undefined, `the file is larger than ${MAX_OWNERS_FILE_LENGTH} characters`) ?? null
    this.position = lineIndex(text)
    const { tree, errors } = yamlTree(text)
    for (const e of errors) this.error(e.at, e.message)
    this.readable = errors.length === 0
    return tree
  }

  error(at: unknown, message: string): void {
    const offset = typeof at === 'number' ? at : ((at as YNode | null)?.at ?? 0)
    this.errors.push({ file: this.file, ...this.position(offset), message })
  }

  fail(at: unknown, message: string): undefined {
    this.error(at, message)
    return undefined
  }

  /** The pairs of a mapping with string keys; reports unknown keys. Null (an empty value) is an empty mapping. */
  pairs(node: unknown, what: string, known: string[]): Array<{ key: string; keyNode: unknown; value: unknown }> {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return []
    if (!isMap(node)) return this.fail(node, `${what} must be a mapping, got ${describe(node)}`) ?? []
    const out = []
    for (const { key: keyNode, value } of node.pairs) {
      const key = isScalar(keyNode) && keyNode.value !== null ? String(keyNode.value) : null
      if (key === null) this.error(keyNode, `${what} keys must be plain words`)
      else if (known.length > 0 && !known.includes(key)) this.error(keyNode, unknownKey(key, what, known))
      else out.push({ key, keyNode, value })
    }
    return out
  }

  /** A list of strings; non-strings are reported and skipped. A flow mapping `{a, b}` lists its keys. */
  strings(node: unknown, what: string): Array<{ value: string; node: unknown }> {
    if (node === null || (isScalar(node) && node.value === null)) return []
    const items = isSeq(node) ? node.items : isMap(node) && what.startsWith('aliases.') ? node.pairs.map((p) => p.key) : null
    if (items === null) return this.fail(node, `${what} must be a list, got ${describe(node)}`) ?? []
    if (items.length > MAX_LIST_ENTRIES) return this.fail(node, `${what} has more than ${MAX_LIST_ENTRIES} entries`) ?? []
    const out = []
    for (const item of items) {
      if (isScalar(item) && typeof item.value === 'string') out.push({ value: item.value, node: item })
      else this.error(item, `${what} entries must be strings, got ${describe(item)}${isScalar(item) && item.value !== null ? ' (quote it)' : ''}`)
    }
    return out
  }

  /** A list of logins or alias names, normalized; invalid entries are reported and skipped. */
  logins(node: unknown, what: string): string[] {
    const out = new Set<string>()
    for (const { value, node: at } of this.strings(node, what)) {
      const login = normLogin(value.trim())
      if (login.includes('/')) this.error(at, `${what}: "${value}" looks like a team; OWNERS names people, so use an alias from OWNERS_ALIASES`)
      else if (!LOGIN.test(login)) this.error(at, `${what}: "${value}" is not a GitHub login or alias name`)
      else out.add(login)
    }
    return [...out]
  }

  bool(node: unknown, what: string): boolean {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value
    if (isScalar(node) && node.value === null) return false
    this.error(node, `${what} must be true or false, got ${describe(node)}`)
    return false
  }
}

/** Returns a short description of a node for error messages, such as `string "alice"` or `a list`. */
export function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing'
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  if (isScalar(node)) return node.value === null ? 'null' : `${node.value instanceof Date ? 'date' : typeof node.value} ${String(JSON.stringify(node.value) ?? node.value).slice(0, 60)}`
  return 'an unsupported value'
}

function unknownKey(key: string, where: string, known: string[]): string {
  const near = known.find((k) => distance(key.toLowerCase().replace(/-/g, '_'), k) <= 2)
  const shown = JSON.stringify(key.slice(0, 60))
  return near ? `unknown key ${shown} in ${where} (did you mean "${near}"?)` : `unknown key ${shown} in ${where}; known keys are ${known.join(', ')}`
}

/** Levenshtein distance, bounded: long strings are simply far apart. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64) return 99
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]
}
