/**
 * A one-pass reader for the YAML subset nearly every OWNERS file uses: block mappings and
 * sequences by indentation, `[a, b]` flow lists, `{}`, plain and quoted strings, `true`/`false`,
 * comments. It answers `undefined` ("not sure") for anything else — tabs, anchors, multi-line
 * scalars, numbers, YAML 1.1 booleans such as `yes`, escapes, duplicate keys — and the caller then
 * uses the `yaml` package. test/core/owners-parse.test.ts checks both readers agree.
 */
import type { YNode } from './yaml-tree.js'

const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`~]/
/** Plain scalars the YAML 1.1 schema reads as something other than a string. */
const NOT_A_STRING = /^(?:[yYnN]|yes|Yes|YES|no|No|NO|True|TRUE|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$|^[-+.]?[0-9]|^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$/

class Bail extends Error {}
const bail = (): never => {
  throw new Bail()
}

interface Line {
  indent: number
  /** Offset of the line's first character in the document. */
  offset: number
  text: string
}

/** Returns the tree, null for an empty document, or undefined when the text needs the full YAML parser. Never throws. */
export function fastYamlTree(text: string): YNode | null | undefined {
  if (/[\r\t\ufeff\u0000]/.test(text)) return undefined
  const lines: Line[] = []
  let offset = 0
  for (const raw of text.split('\n')) {
    const indent = raw.length - raw.trimStart().length
    if (indent < raw.length && raw[indent] !== '#') {
      if (indent === 0 && (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%'))) return undefined
      lines.push({ indent, offset, text: raw })
    }
    offset += raw.length + 1
  }
  if (lines.length === 0) return null
  try {
    const cursor = { pos: 0 }
    const tree = block(lines, cursor, lines[0].indent)
    return cursor.pos === lines.length ? tree : undefined
  } catch (err) {
    if (err instanceof Bail) return undefined
    throw err
  }
}

const isItem = (l: Line) => l.text[l.indent] === '-' && (l.text.length === l.indent + 1 || l.text[l.indent + 1] === ' ')

function block(lines: Line[], cursor: { pos: number }, indent: number): YNode {
  return isItem(lines[cursor.pos]) ? sequence(lines, cursor, indent) : mapping(lines, cursor, indent)
}

function sequence(lines: Line[], cursor: { pos: number }, indent: number): YNode {
  const items: YNode[] = []
  const at = lines[cursor.pos].offset + indent
  while (cursor.pos < lines.length && lines[cursor.pos].indent === indent && isItem(lines[cursor.pos])) {
    const line = lines[cursor.pos++]
    const item = value(line, indent + 1)
    if (item === null || item.kind !== 'scalar') bail()
    items.push(item as YNode)
  }
  if (cursor.pos < lines.length && lines[cursor.pos].indent > indent) bail()
  return { kind: 'seq', at, items }
}

function mapping(lines: Line[], cursor: { pos: number }, indent: number): YNode {
  const pairs: Array<{ key: YNode; value: YNode }> = []
  const seen = new Set<string>()
  const at = lines[cursor.pos].offset + indent
  while (cursor.pos < lines.length && lines[cursor.pos].indent === indent) {
    const line = lines[cursor.pos++]
    if (isItem(line)) bail()
    const { key, colon } = readKey(line, indent)
    if (seen.has(key.value as string)) bail()
    seen.add(key.value as string)
    let v = value(line, colon + 1)
    if (v === null) {
      const next = lines[cursor.pos]
      if (next && next.indent > indent) v = block(lines, cursor, next.indent)
      else if (next && next.indent === indent && isItem(next)) v = sequence(lines, cursor, indent)
      else v = { kind: 'scalar', at: line.offset + colon + 1, value: null }
    }
    pairs.push({ key, value: v })
  }
  if (cursor.pos < lines.length && lines[cursor.pos].indent > indent) bail()
  return { kind: 'map', at, pairs }
}

function readKey(line: Line, i: number): { key: YNode & { kind: 'scalar' }; colon: number } {
  const t = line.text
  if (t[i] === '"' || t[i] === "'") {
    const q = quoted(t, i)
    if (t[q.end] !== ':' || (q.end + 1 < t.length && t[q.end + 1] !== ' ')) bail()
    return { key: { kind: 'scalar', at: line.offset + i, value: q.value }, colon: q.end }
  }
  if (INDICATOR.test(t.slice(i))) bail()
  let colon = t.indexOf(':', i)
  while (colon >= 0 && colon + 1 < t.length && t[colon + 1] !== ' ') colon = t.indexOf(':', colon + 1)
  if (colon < 0) bail()
  const key = t.slice(i, colon).trimEnd()
  if (key.includes(' #') || NOT_A_STRING.test(key)) bail()
  return { key: { kind: 'scalar', at: line.offset + i, value: key }, colon }
}

/** The value that starts at or after column `from` and runs to the end of the line; null when there is none. */
function value(line: Line, from: number): YNode | null {
  const t = line.text
  let i = from
  while (t[i] === ' ') i++
  if (i >= t.length || t[i] === '#') return null
  if (i === from && from < t.length) bail()
  const at = line.offset + i
  let node: YNode
  let end: number
  if (t[i] === '[') ({ node, end } = flow(t, i, line.offset))
  else if (t.startsWith('{}', i)) ({ node, end } = { node: { kind: 'map', at, pairs: [] }, end: i + 2 })
  else if (t[i] === '"' || t[i] === "'") {
    const q = quoted(t, i)
    ;({ node, end } = { node: { kind: 'scalar', at, value: q.value }, end: q.end })
  } else {
    const hash = t.indexOf(' #', i)
    end = hash < 0 ? t.length : hash
    node = { kind: 'scalar', at, value: plain(t.slice(i, end).trimEnd()) }
  }
  const rest = t.slice(end).trimStart()
  if (rest !== '' && !rest.startsWith('#')) bail()
  if (rest.startsWith('#') && t[end] !== ' ') bail()
  return node
}

function plain(s: string): string | boolean {
  if (s === 'true' || s === 'false') return s === 'true'
  if (INDICATOR.test(s) || NOT_A_STRING.test(s) || s.includes(': ') || s.endsWith(':')) bail()
  return s
}

function flow(t: string, open: number, base: number): { node: YNode; end: number } {
  const items: YNode[] = []
  let i = open + 1
  for (;;) {
    while (t[i] === ' ') i++
    if (t[i] === ']' && items.length === 0) return { node: { kind: 'seq', at: base + open, items }, end: i + 1 }
    const at = i
    let v: string | boolean
    if (t[i] === '"' || t[i] === "'") {
      const q = quoted(t, i)
      v = q.value
      i = q.end
    } else {
      let j = i
      while (j < t.length && !',[]{}#'.includes(t[j])) j++
      const s = t.slice(i, j).trimEnd()
      if (s === '' || s.includes(':')) bail()
      v = plain(s)
      i = j
    }
    items.push({ kind: 'scalar', at: base + at, value: v })
    while (t[i] === ' ') i++
    if (t[i] === ']') return { node: { kind: 'seq', at: base + open, items }, end: i + 1 }
    if (t[i] !== ',') bail()
    i++
  }
}

/** A quoted scalar starting at `i`; only the escapes `\\`, `\"` and `\/` (and `''` in single quotes) are read here. */
function quoted(t: string, i: number): { value: string; end: number } {
  const q = t[i]
  let out = ''
  for (let j = i + 1; j < t.length; j++) {
    const c = t[j]
    if (q === "'" && c === "'") {
      if (t[j + 1] === "'") {
        out += "'"
        j++
        continue
      }
      return { value: out, end: j + 1 }
    }
    if (q === '"' && c === '"') return { value: out, end: j + 1 }
    if (q === '"' && c === '\\') {
      const n = t[++j]
      if (n !== '\\' && n !== '"' && n !== '/') bail()
      out += n
      continue
    }
    out += c
  }
  return bail()
}
